import type { DataSource, EntityManager } from "typeorm";
import { COUNTER_NAMES, type JobCounters, type SyncJobIssueInput, type SyncJobRecord } from "./sync-job.types";

const COLUMNS = `
  id::text AS id, kind, state, options, dry_run AS "dryRun", phase, total::float8 AS total,
  processed::float8 AS processed, created::float8 AS created, updated::float8 AS updated,
  linked::float8 AS linked, skipped::float8 AS skipped, conflicts::float8 AS conflicts,
  errors::float8 AS errors, unchanged::float8 AS unchanged, checkpoint, error, started_by AS "startedBy",
  parent_job_id::text AS "parentJobId", cancel_requested AS "cancelRequested",
  longest_statement_ms AS "longestStatementMs", rolled_back_by::text AS "rolledBackBy",
  wait_reason AS "waitReason", waiting_since AS "waitingSince",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", updated_at AS "updatedAt"`;

/**
 * Who may commit a job's batches: the holder of its lease (a whole job), or the worker that
 * took one of its ranges (a job cut into lead_id ranges).
 */
export type JobFence = { owner: string; leaseMs: number } | { owner: string; range: number };

/** A job that is running: RUNNING, or WAITING for a database. */
const ACTIVE = "state IN ('RUNNING', 'WAITING')";

/** sync_jobs and its companions, in SQL: one place for the job tables. */
export class SyncJobRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(
    job: Pick<SyncJobRecord, "kind" | "options" | "dryRun" | "startedBy"> & { parentJobId?: string | null },
  ): Promise<SyncJobRecord> {
    const [row] = await this.ds.query(
      `INSERT INTO sync_jobs (kind, options, dry_run, started_by, parent_job_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [job.kind, JSON.stringify(job.options), job.dryRun, job.startedBy, job.parentJobId ?? null],
    );
    return row;
  }

  async get(id: string, m: EntityManager = this.ds.manager): Promise<SyncJobRecord | null> {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return null;
    const [row] = await m.query(`SELECT ${COLUMNS} FROM sync_jobs WHERE id = $1`, [id]);
    return row ?? null;
  }

  async list(opts: {
    states?: string[] | null;
    kinds?: string[] | null;
    first: number;
    afterId?: string | null;
  }): Promise<SyncJobRecord[]> {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (opts.states?.length) conds.push(`state = ANY($${params.push(opts.states)})`);
    if (opts.kinds?.length) conds.push(`kind = ANY($${params.push(opts.kinds)})`);
    if (opts.afterId) conds.push(`id < $${params.push(opts.afterId)}`);
    params.push(opts.first);
    return this.ds.query(
      `SELECT ${COLUMNS} FROM sync_jobs ${conds.length ? "WHERE " + conds.join(" AND ") : ""} ORDER BY sync_jobs.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * Claims the oldest runnable job for `owner` until `leaseMs` from now: a QUEUED one, or a
   * RUNNING one whose owner stopped renewing its lease (its process died).
   */
  async claim(owner: string, leaseMs: number): Promise<SyncJobRecord | null> {
    const [row] = await this.ds.query(
      `UPDATE sync_jobs SET state = CASE WHEN state = 'WAITING' THEN 'WAITING' ELSE 'RUNNING' END, lease_owner = $1, lease_until = now() + ($2 || ' milliseconds')::interval,
              started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = (SELECT id FROM sync_jobs
                     WHERE state = 'QUEUED' OR (${ACTIVE} AND lease_until < now())
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [owner, leaseMs],
    );
    return row?.[0] ?? null;
  }

  /**
   * A queue worker takes the job (the queue's lock says it is the only one): QUEUED or
   * RUNNING, whoever held it before — that holder's next commit is refused.
   */
  async takeOver(id: string, owner: string, leaseMs: number): Promise<SyncJobRecord | null> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET state = CASE WHEN state = 'WAITING' THEN 'WAITING' ELSE 'RUNNING' END, lease_owner = $2, lease_until = now() + ($3 || ' milliseconds')::interval,
              started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = $1 AND state IN ('QUEUED', 'RUNNING', 'WAITING') RETURNING ${COLUMNS}`,
      [id, owner, leaseMs],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a job's ranges (unless already recorded: a repeated plan keeps the first) and
   * clears its lease: the ranges' workers hold it, and no lease-based runner claims it.
   */
  async setRanges(
    id: string,
    checkpoint: { ranges: unknown[] },
    phase: string,
    total: number,
  ): Promise<SyncJobRecord | null> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET checkpoint = CASE WHEN checkpoint ? 'ranges' THEN checkpoint ELSE $2::jsonb END,
              total = CASE WHEN checkpoint ? 'ranges' THEN total ELSE $4 END,
              phase = $3, lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND ${ACTIVE} RETURNING ${COLUMNS}`,
      [id, JSON.stringify(checkpoint), phase, total],
    );
    return rows[0] ?? null;
  }

  /** A worker takes range `index` of a RUNNING job over (see takeOver). */
  async takeRange(id: string, index: number, owner: string): Promise<SyncJobRecord | null> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET checkpoint = jsonb_set(checkpoint, ARRAY['ranges', $2::text, 'owner'], to_jsonb($3::text)), updated_at = now()
        WHERE id = $1 AND ${ACTIVE} AND checkpoint->'ranges'->($2::int) IS NOT NULL RETURNING ${COLUMNS}`,
      [id, index, owner],
    );
    return rows[0] ?? null;
  }

  /**
   * Marks range `index` done; the last range to finish ends the job SUCCEEDED. The row lock
   * orders ranges finishing at once, so exactly one of them sees every range done.
   */
  async finishRange(id: string, index: number, owner: string): Promise<SyncJobRecord | null> {
    return this.ds.transaction(async (m) => {
      const [rows] = await m.query(
        `UPDATE sync_jobs SET checkpoint = jsonb_set(checkpoint, ARRAY['ranges', $2::text, 'done'], 'true'), updated_at = now()
          WHERE id = $1 AND ${ACTIVE} AND checkpoint->'ranges'->($2::int)->>'owner' = $3
          RETURNING ${COLUMNS}`,
        [id, index, owner],
      );
      const job: SyncJobRecord | undefined = rows[0];
      if (!job) return null;
      const ranges = (job.checkpoint as { ranges: { done: boolean }[] }).ranges;
      if (!ranges.every((r) => r.done)) return job;
      const [ended] = await m.query(
        `UPDATE sync_jobs SET state = 'SUCCEEDED', finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL,
                wait_reason = NULL, waiting_since = NULL
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      return ended[0];
    });
  }

  /** Gives a RUNNING job back (graceful shutdown): the next runner claims it at once. */
  async release(id: string, owner: string): Promise<void> {
    await this.ds.query(`UPDATE sync_jobs SET lease_until = now() WHERE id = $1 AND lease_owner = $2 AND ${ACTIVE}`, [
      id,
      owner,
    ]);
  }

  /**
   * Adds a batch's counters and issues and sets its checkpoint, in the batch's transaction;
   * null (nothing written) when the job is no longer `fence.owner`'s. A WAITING job is
   * RUNNING again: it reached its databases. A whole job's commit
   * renews its lease; a range's (a job cut for several workers) sets only that range's
   * checkpoint (jsonb_set: ranges committing at once do not overwrite each other).
   */
  async commitBatch(
    m: EntityManager,
    id: string,
    deltas: Partial<JobCounters>,
    checkpoint: unknown,
    issues: SyncJobIssueInput[] = [],
    longestStatementMs: number | null = null,
    fence: JobFence,
  ): Promise<SyncJobRecord | null> {
    const sets = COUNTER_NAMES.map((c, i) => `${c} = ${c} + $${i + 6}`).join(", ");
    const ranged = "range" in fence;
    const [rows] = await m.query(
      `UPDATE sync_jobs SET ${sets}, updated_at = now(), state = 'RUNNING', wait_reason = NULL, waiting_since = NULL,
              ${
                ranged
                  ? "checkpoint = jsonb_set(checkpoint, ARRAY['ranges', $5::text, 'cp'], $2::jsonb)"
                  : "checkpoint = $2, lease_until = now() + ($5 || ' milliseconds')::interval"
              },
              longest_statement_ms = CASE WHEN $3::int IS NULL THEN longest_statement_ms
                                          ELSE greatest(coalesce(longest_statement_ms, 0), $3::int) END
        WHERE id = $1 AND ${ACTIVE}
          AND ${ranged ? "checkpoint->'ranges'->($5::int)->>'owner' = $4" : "lease_owner = $4"}
        RETURNING ${COLUMNS}`,
      [
        id,
        JSON.stringify(checkpoint),
        longestStatementMs === null ? null : Math.round(longestStatementMs),
        fence.owner,
        ranged ? fence.range : fence.leaseMs,
        ...COUNTER_NAMES.map((c) => deltas[c] ?? 0),
      ],
    );
    if (!rows[0]) return null;
    await this.addIssues(m, id, issues);
    return rows[0];
  }

  async addIssues(m: EntityManager, id: string, issues: SyncJobIssueInput[]): Promise<void> {
    // Each issue as a JSON array, not an object: an import's batch holds thousands (HELD), and
    // arrays are a third fewer bytes to send and cheaper for PostgreSQL to parse.
    for (let i = 0; i < issues.length; i += 5000) {
      const chunk = issues.slice(i, i + 5000);
      await m.query(
        `INSERT INTO sync_job_issues (job_id, kind, line, vici_lead_id, brain_lead_id, reason, data)
         SELECT $1, x->>0, (x->>1)::int, (x->>2)::bigint, (x->>3)::bigint, x->>4, nullif(x->5, 'null'::jsonb)
           FROM jsonb_array_elements($2::jsonb) AS x
         ON CONFLICT DO NOTHING`,
        [
          id,
          JSON.stringify(
            chunk.map((s) => [
              s.kind,
              s.line ?? null,
              s.viciLeadId ?? null,
              s.brainLeadId ?? null,
              s.reason,
              s.data ?? null,
            ]),
          ),
        ],
      );
    }
  }

  async setPhase(id: string, phase: string, total: number | null | undefined): Promise<SyncJobRecord> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET phase = $2, total = CASE WHEN $3::boolean THEN $4::bigint ELSE total END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, phase, total !== undefined, total ?? null],
    );
    return rows[0];
  }

  async finish(id: string, state: "SUCCEEDED" | "FAILED" | "CANCELLED", error: string | null): Promise<SyncJobRecord> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET state = $2, error = $3, finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL,
              wait_reason = NULL, waiting_since = NULL
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, state, error],
    );
    return rows[0];
  }

  /** finish(), unless the job already ended (ranges of one job may each try); null then. */
  async finishRunning(id: string, state: "FAILED" | "CANCELLED", error: string | null): Promise<SyncJobRecord | null> {
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET state = $2, error = $3, finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL,
              wait_reason = NULL, waiting_since = NULL
        WHERE id = $1 AND ${ACTIVE} RETURNING ${COLUMNS}`,
      [id, state, error],
    );
    return rows[0] ?? null;
  }

  /**
   * The job (or its range) cannot reach a database: WAITING, with the reason, since the first
   * such failure of this streak; a whole job's lease is renewed (it is still this owner's).
   * null when the job is no longer `fence.owner`'s.
   */
  async wait(id: string, fence: JobFence, reason: string): Promise<SyncJobRecord | null> {
    const ranged = "range" in fence;
    const [rows] = await this.ds.query(
      `UPDATE sync_jobs SET state = 'WAITING', wait_reason = $3, waiting_since = coalesce(waiting_since, now()), updated_at = now()
              ${ranged ? "" : ", lease_until = now() + ($4 || ' milliseconds')::interval"}
        WHERE id = $1 AND ${ACTIVE}
          AND ${ranged ? "checkpoint->'ranges'->($4::int)->>'owner' = $2" : "lease_owner = $2"}
        RETURNING ${COLUMNS}`,
      [id, fence.owner, reason.slice(0, 2000), ranged ? fence.range : fence.leaseMs],
    );
    return rows[0] ?? null;
  }

  /** QUEUED → CANCELLED at once; RUNNING → flagged, the job stops at its next batch. */
  async requestCancel(id: string): Promise<SyncJobRecord | null> {
    await this.ds.query(
      `UPDATE sync_jobs SET state = CASE WHEN state = 'QUEUED' THEN 'CANCELLED' ELSE state END,
              finished_at = CASE WHEN state = 'QUEUED' THEN now() ELSE finished_at END,
              cancel_requested = true, updated_at = now()
        WHERE id = $1 AND state IN ('QUEUED', 'RUNNING', 'WAITING')`,
      [id],
    );
    return this.get(id);
  }

  async cancelRequested(m: EntityManager, id: string): Promise<boolean> {
    const [row] = await m.query("SELECT cancel_requested FROM sync_jobs WHERE id = $1", [id]);
    return row?.cancel_requested === true;
  }

  async issues(id: string, opts: { first: number; afterId?: string | null; kinds?: string[] | null }) {
    const params: unknown[] = [id, opts.first];
    const conds = ["job_id = $1"];
    if (opts.afterId) conds.push(`id > $${params.push(opts.afterId)}`);
    if (opts.kinds?.length) conds.push(`kind = ANY($${params.push(opts.kinds)})`);
    return this.ds.query(
      `SELECT id::text AS id, kind, line, vici_lead_id::float8 AS "viciLeadId", brain_lead_id::text AS "brainLeadId", reason, data
         FROM sync_job_issues WHERE ${conds.join(" AND ")} ORDER BY sync_job_issues.id LIMIT $2`,
      params,
    );
  }
}
