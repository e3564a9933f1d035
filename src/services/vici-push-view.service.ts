import type { DataSource } from "typeorm";
import type { LeadEntity } from "../entities/brain/lead.entity";
import { UserInputError } from "../errors/errors";
import { LEAD_COLUMNS } from "./lead.service";
import type { FieldConflict } from "./field-update";
import { ViciPushState, type ViciPushKind } from "./vici-pusher";

const KINDS: readonly ViciPushKind[] = ["PUSH_LEAD", "SET_VENDOR_CODE", "UPDATE_FIELDS"];

export interface ViciPushRow {
  id: string;
  kind: ViciPushKind;
  state: ViciPushState;
  attempts: number;
  lastError: string | null;
  viciLeadId: number | null;
  nextAttemptAt: Date | null;
  /** While DEFERRED: when the push is tried (the end of the number's recent-call window). */
  callableAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** UPDATE_FIELDS: the fields VICIdial had changed (who won); empty for other kinds. */
  fieldConflicts: FieldConflict[];
  lead: LeadEntity;
}

export interface ViciPushSummary {
  pending: number;
  failed: number;
  /** Field updates that ended CONFLICT. */
  conflicts: number;
  /** Recently called numbers' pushes waiting for the end of their window. */
  deferred: number;
  /** When the oldest record still PENDING was queued. */
  oldestPendingAt: Date | null;
}

const MAX_FIRST = 200;

/**
 * The outbox as operators read it (the console's Outbox page): records by state, newest
 * first, with their lead, and the counts of what waits and what failed. Read-only; the
 * ViciPusher delivers and re-queues.
 */
export class ViciPushViewService {
  constructor(private readonly brain: DataSource) {}

  async list(opts: {
    states?: ViciPushState[] | null;
    kinds?: string[] | null;
    leadId?: string | null;
    first?: number | null;
    afterId?: string | null;
  }): Promise<ViciPushRow[]> {
    const first = opts.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST)
      throw new UserInputError(`first must be 1 to ${MAX_FIRST}`, "first");
    if (opts.afterId && !/^[1-9][0-9]{0,17}$/.test(opts.afterId))
      throw new UserInputError("after is not an outbox record id", "after");
    if (opts.leadId && !/^[1-9][0-9]{0,17}$/.test(opts.leadId))
      throw new UserInputError("leadId is not a lead id", "leadId");
    const unknownKind = opts.kinds?.find((k) => !KINDS.includes(k as ViciPushKind));
    if (unknownKind !== undefined)
      throw new UserInputError(`kinds: "${unknownKind}" is not one of ${KINDS.join(", ")}`, "kinds");
    const rows = await this.select(
      `($1::text[] IS NULL OR state = ANY($1)) AND ($2::text[] IS NULL OR kind = ANY($2))
       AND ($3::bigint IS NULL OR lead_id = $3) AND ($4::bigint IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [
        opts.states?.length ? opts.states : null,
        opts.kinds?.length ? opts.kinds : null,
        opts.leadId ?? null,
        opts.afterId ?? null,
        first,
      ],
    );
    return this.withLeads(rows);
  }

  /** One record, or null. */
  async byId(id: string): Promise<ViciPushRow | null> {
    const [row] = await this.withLeads(await this.select("id = $1", [id]));
    return row ?? null;
  }

  private select(where: string, params: unknown[]): Promise<(Omit<ViciPushRow, "lead"> & { leadId: string })[]> {
    return this.brain.query(
      `SELECT id::text AS id, lead_id::text AS "leadId", kind, state, attempts, last_error AS "lastError",
              vici_lead_id::float8 AS "viciLeadId", CASE WHEN state IN ('PENDING', 'DEFERRED') THEN next_attempt_at END AS "nextAttemptAt",
              CASE WHEN state = 'DEFERRED' THEN next_attempt_at END AS "callableAt", created_at AS "createdAt", updated_at AS "updatedAt", coalesce(payload->'conflicts', '[]'::jsonb) AS "fieldConflicts"
         FROM vici_pushes WHERE ${where}`,
      params,
    );
  }

  private async withLeads(rows: (Omit<ViciPushRow, "lead"> & { leadId: string })[]): Promise<ViciPushRow[]> {
    if (!rows.length) return [];
    const leads: LeadEntity[] = await this.brain.query(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ANY($1::bigint[])`,
      [[...new Set(rows.map((r) => r.leadId))]],
    );
    const byId = new Map(leads.map((l) => [String(l.id), l]));
    // A record's lead cannot be gone: vici_pushes.lead_id cascades on delete.
    return rows.map(({ leadId, ...r }) => ({ ...r, lead: byId.get(leadId)! }));
  }

  /** Served by the partial indexes on PENDING, DEFERRED, FAILED and CONFLICT records. */
  async summary(): Promise<ViciPushSummary> {
    const [row] = await this.brain.query(
      `SELECT (SELECT count(*)::int FROM vici_pushes WHERE state = 'PENDING') AS pending,
              (SELECT count(*)::int FROM vici_pushes WHERE state = 'FAILED') AS failed,
              (SELECT count(*)::int FROM vici_pushes WHERE state = 'CONFLICT') AS conflicts,
              (SELECT count(*)::int FROM vici_pushes WHERE state = 'DEFERRED') AS deferred,
              (SELECT min(created_at) FROM vici_pushes WHERE state = 'PENDING') AS "oldestPendingAt"`,
    );
    return row;
  }
}
