import type { EntityManager } from "typeorm";
import { vendorCodesOf } from "../../vici/db/lead-codes.reader";
import { VendorCodeWriter } from "../../vici/db/vendor-code.writer";
import { readVendorCodeChanges } from "../vendor-code-changes";
import { readPushedRows, type PushedRowState } from "../../vici/db/pushed-rows";
import { CONTACT_COLUMN, CONTACT_FIELDS, type ContactField } from "../../services/lead-input";
import { SyncJobKind, type JobProcessor, type JobRunContext, type SyncJobIssueInput } from "../sync-job.types";
import type { ViciWriter } from "../../vici/writers/vici-writer";
import type { ProcessorDeps } from "./processor-deps";

type Stage = "brain_created" | "brain_updated" | "vici_codes" | "done";
interface RollbackCheckpoint {
  stage: Stage;
  afterKey: string;
  /** brain_created: the chunk after afterKey, decided and committed before its VICIdial deletes. */
  plan?: CreatedPlan | null;
}

/** A lead the target job created, with its push (a DONE PUSH_LEAD) if it reached VICIdial. */
interface CreatedLead {
  id: string;
  changed: boolean;
  pushed: string | null;
  pushedAt: Date | null;
}

/** A pushed VICIdial row the rollback deletes (untouched when read). */
interface PlannedDelete {
  brainLeadId: string;
  viciLeadId: number;
  listId: number;
  pushedAt: string;
}

/** What a chunk of created leads comes to, before its VICIdial deletes run. */
interface CreatedPlan {
  /** The chunk's last Brain lead id. */
  afterKey: string;
  processed: number;
  /** Leads removed whole (not pushed, or their row already gone), without the deletes. */
  updated: number;
  /** Leads kept (changed since) or removed from Brain only (their row kept), without the deletes. */
  skipped: number;
  /** Brain leads removed (every unchanged one). */
  remove: string[];
  /** Of those, the ones not pushed when planned (a push may deliver before they are removed). */
  unpushed?: string[];
  deletes: PlannedDelete[];
  issues: SyncJobIssueInput[];
  /** Rows left in VICIdial that imports must leave alone (vici_ignored_rows). */
  ignore: { viciLeadId: number; why: string }[];
}

const CHUNK = 5000;

/**
 * Undoes a job from what it recorded: Brain leads it created are removed (unless changed
 * since it finished: reported, kept), Brain leads it changed get their before-values back
 * (unless changed since), and vendor codes it wrote are restored in VICIdial where the row
 * still holds the code it wrote. VICIdial rows its leads were pushed as are deleted where
 * untouched since the push (src/vici/db/pushed-rows.ts), else kept, reported and marked in
 * vici_ignored_rows so imports leave them alone. A dry run counts and reports the same,
 * writing nothing. Counters: `updated` = rows removed or restored (a created lead with its
 * VICIdial row), `skipped` = rows changed since (CHANGED issues) and leads removed from Brain
 * only because their VICIdial row is kept (SKIPPED issues); each deleted row is a NOTICE.
 */
export class RollbackProcessor implements JobProcessor {
  readonly kind = SyncJobKind.ROLLBACK;

  constructor(
    private readonly deps: Pick<ProcessorDeps, "syncJobRepo" | "fieldUpdates" | "pusher" | "managed" | "writer">,
  ) {}

  async run(ctx: JobRunContext<RollbackCheckpoint>): Promise<void> {
    const targetId = ctx.job.options.targetJobId!;
    const target = await this.deps.syncJobRepo.get(targetId);
    if (!target) throw new Error(`job ${targetId} no longer exists`);
    const finishedAt = target.finishedAt ?? new Date();
    let cp: RollbackCheckpoint = ctx.checkpoint ?? { stage: "brain_created", afterKey: "0" };
    const dry = ctx.job.dryRun;

    if (cp.stage === "brain_created") {
      await ctx.phase("removing created leads");
      for (;;) {
        // A chunk whose VICIdial deletes were under way when the job stopped resumes with its
        // committed plan: the same leads removed, the same rows deleted (guarded: none twice).
        let plan = cp.plan ?? null;
        if (!plan) {
          // "Changed since" ignores the lead's own push: the pusher links the lead (updated_at)
          // when it delivers, often after the job finished (CSV_IMPORT), in the transaction
          // that stamps the push's done_at.
          const rows: CreatedLead[] = await ctx.brain.query(
            `SELECT l.id::text AS id,
                    l.updated_at > greatest($3::timestamptz,
                      (SELECT max(o.done_at) FROM vici_pushes o WHERE o.lead_id = l.id AND o.kind = 'PUSH_LEAD')) AS changed,
                    p.vici_lead_id::text AS pushed, p.done_at AS "pushedAt"
               FROM leads l
               LEFT JOIN vici_pushes p ON p.lead_id = l.id AND p.kind = 'PUSH_LEAD' AND p.state = 'DONE' AND p.vici_lead_id IS NOT NULL
              WHERE l.created_by_job_id = $1 AND l.id > $2 ORDER BY l.id::bigint LIMIT ${CHUNK}`,
            [targetId, cp.afterKey, finishedAt],
          );
          if (rows.length === 0) break;
          plan = await planCreated(ctx, this.deps.managed, rows);
          if (!dry && plan.deletes.length) {
            const planned: RollbackCheckpoint = { stage: "brain_created", afterKey: cp.afterKey, plan };
            await ctx.batch(async () => ({ deltas: {}, checkpoint: planned }));
          }
        }
        const done = dry
          ? plan.deletes.map(() => "DELETED" as const)
          : await deletePushedRows(ctx, this.deps.writer, plan.deletes);
        const issues = [...plan.issues];
        const ignore = [...plan.ignore];
        let deleted = 0;
        plan.deletes.forEach((d, i) => {
          if (done[i] === "KEPT") {
            const why = "touched since it was read (the guarded delete refused it)";
            issues.push({
              kind: "SKIPPED",
              brainLeadId: d.brainLeadId,
              viciLeadId: d.viciLeadId,
              reason: keptReason(why),
            });
            ignore.push({ viciLeadId: d.viciLeadId, why });
          } else {
            deleted++;
            issues.push({
              kind: "NOTICE",
              brainLeadId: d.brainLeadId,
              viciLeadId: d.viciLeadId,
              reason: `${dry ? "would delete" : "deleted"} VICIdial lead ${d.viciLeadId}: untouched since the push`,
            });
          }
        });
        const kept = plan.deletes.length - deleted;
        const next: RollbackCheckpoint = { stage: "brain_created", afterKey: plan.afterKey };
        const p = plan;
        await ctx.batch(async (m) => {
          const late = dry ? [] : await pushedMeanwhile(m, p.unpushed ?? []);
          const marks = [...ignore];
          const lateIssues: SyncJobIssueInput[] = [];
          for (const x of late) {
            const why = "pushed to VICIdial while the rollback ran";
            lateIssues.push({
              kind: "SKIPPED",
              brainLeadId: x.id,
              viciLeadId: Number(x.vici),
              reason: keptReason(why),
            });
            marks.push({ viciLeadId: Number(x.vici), why });
          }
          if (!dry && p.remove.length) await m.query("DELETE FROM leads WHERE id = ANY($1::bigint[])", [p.remove]);
          if (!dry && marks.length) {
            await m.query(
              `INSERT INTO vici_ignored_rows (vici_lead_id, why, job_id)
               SELECT x.id, x.why, $2 FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, why text) ON CONFLICT DO NOTHING`,
              [JSON.stringify(marks.map((x) => ({ id: x.viciLeadId, why: x.why }))), ctx.job.id],
            );
          }
          return {
            deltas: {
              processed: p.processed,
              updated: p.updated + deleted - late.length,
              skipped: p.skipped + kept + late.length,
            },
            checkpoint: next,
            issues: [...issues, ...lateIssues],
          };
        });
        cp = next;
      }
      cp = { stage: "brain_updated", afterKey: "0" };
    }

    if (cp.stage === "brain_updated") {
      await ctx.phase("restoring changed leads");
      let queued = false;
      for (;;) {
        const rows: {
          key: string;
          before: any;
          after: any;
          meta: any;
          doNotCall: boolean;
          reason: string | null;
          until: Date | null;
          fields: any;
          exists: boolean;
        }[] = await ctx.brain.query(
          `SELECT c.key::text AS key, c.before, c.after, l.meta, l.do_not_call AS "doNotCall", l.do_not_call_reason AS reason, l.do_not_call_until AS until,
                  jsonb_build_object(${FIELD_COLUMNS.map((f) => `'${f}', l.${f}`).join(", ")}) AS fields, l.id IS NOT NULL AS exists
             FROM sync_job_changes c LEFT JOIN leads l ON l.id = c.key
            WHERE c.job_id = $1 AND c.target = 'brain' AND c.key > $2 ORDER BY c.key::bigint LIMIT ${CHUNK}`,
          [targetId, cp.afterKey],
        );
        if (rows.length === 0) break;
        const restore = rows.filter((r) => r.exists && sameState(r, r.after));
        const issues: SyncJobIssueInput[] = rows
          .filter((r) => !restore.includes(r))
          .map((r) => ({
            kind: "CHANGED",
            brainLeadId: r.key,
            reason: r.exists ? "changed since the job: not restored" : "deleted since the job",
          }));
        const next: RollbackCheckpoint = { stage: "brain_updated", afterKey: rows[rows.length - 1].key };
        await ctx.batch(async (m) => {
          if (!dry && restore.length) {
            // Contact fields a job changed (CSV_IMPORT's merge) are in before.fields: only those are put back.
            await m.query(
              `UPDATE leads l SET meta = x.meta, do_not_call = x.dnc, do_not_call_reason = x.reason,
                      do_not_call_until = CASE WHEN x.keep_until THEN l.do_not_call_until ELSE x.until END,
                      ${FIELD_COLUMNS.map((f) => `${f} = CASE WHEN x.fields ? '${f}' THEN x.fields->>'${f}' ELSE l.${f} END`).join(", ")},
                      updated_at = now()
                 FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, meta jsonb, dnc boolean, reason text, until timestamptz, keep_until boolean, fields jsonb)
                WHERE l.id = x.id`,
              [
                JSON.stringify(
                  restore.map((r) => ({
                    id: r.key,
                    meta: r.before.meta,
                    dnc: r.before.doNotCall,
                    reason: r.before.doNotCallReason,
                    // Changes recorded before do_not_call_until existed: a recency flag keeps its (migrated) end.
                    until: r.before.doNotCallUntil ?? null,
                    keep_until: !("doNotCallUntil" in r.before) && r.before.doNotCallReason === "recently_called",
                    fields: r.before.fields ?? {},
                  })),
                ),
              ],
            );
            // A linked lead's restored fields go to its Vici rows like any change (the job's
            // values, which its push may have written there, are what they replace).
            for (const r of restore) {
              const replaced = fieldsByName(r.after.fields ?? {});
              if (Object.keys(replaced).length)
                queued =
                  (await this.deps.fieldUpdates.queue(m, { id: r.key, meta: r.before.meta }, replaced)) !== null ||
                  queued;
            }
          }
          return {
            deltas: { processed: rows.length, updated: restore.length, skipped: rows.length - restore.length },
            checkpoint: next,
            issues,
          };
        });
        cp = next;
      }
      if (queued) this.deps.pusher.kick();
      cp = { stage: "vici_codes", afterKey: "0" };
    }

    if (cp.stage === "vici_codes") {
      await ctx.phase("restoring vendor codes");
      for (;;) {
        // Whole records (a change set is up to one write-back chunk): the checkpoint is a record's key.
        const { changes, lastKey } = await readVendorCodeChanges(ctx.brain, targetId, cp.afterKey, CHUNK);
        if (lastKey === null) break;
        const rows = changes.map((c) => ({ key: String(c.leadId), before: c.before, after: c.after }));
        const current = await vendorCodesOf(
          ctx.vici,
          rows.map((r) => Number(r.key)),
        );
        const now = new Map(current.map((c) => [c.leadId, c.vendorLeadCode]));
        // Only managed rows are rolled back (the row may have moved to a list outside VICI_CAMPAIGNS since).
        const outside = new Set(current.filter((c) => !this.deps.managed.manages(c.campaignId)).map((c) => c.leadId));
        const restore = rows.filter((r) => now.get(Number(r.key)) === r.after && !outside.has(Number(r.key)));
        // Already back to its old code: restored by this rollback before a crash (a repeat), not changed.
        const restored = rows.filter(
          (r) => !restore.includes(r) && now.has(Number(r.key)) && now.get(Number(r.key)) === r.before,
        );
        const issues: SyncJobIssueInput[] = rows
          .filter((r) => !restore.includes(r) && !restored.includes(r))
          .map((r) =>
            outside.has(Number(r.key)) && now.get(Number(r.key)) === r.after
              ? {
                  kind: "SKIPPED",
                  viciLeadId: Number(r.key),
                  reason: "its list is outside the managed campaigns (VICI_CAMPAIGNS) now: left alone",
                }
              : {
                  kind: "CHANGED",
                  viciLeadId: Number(r.key),
                  reason: now.has(Number(r.key))
                    ? "vendor_lead_code changed since the job: kept"
                    : "Vici lead deleted since the job",
                },
          );
        if (!dry && restore.length) {
          // Guarded: only rows that still hold the code the job wrote get their old one back.
          const { longestMs } = await new VendorCodeWriter(ctx.vici, this.deps.managed).change(
            restore.map((r) => ({ leadId: Number(r.key), from: r.after, to: r.before })),
            "REPLACE",
          );
          ctx.noteStatementMs(longestMs);
        }
        const next: RollbackCheckpoint = { stage: "vici_codes", afterKey: lastKey };
        await ctx.batch(async () => ({
          deltas: { processed: rows.length, updated: restore.length + restored.length, skipped: issues.length },
          checkpoint: next,
          issues,
        }));
        cp = next;
      }
    }

    if (!dry) {
      await ctx.batch(async (m) => {
        await m.query("UPDATE sync_jobs SET rolled_back_by = $2 WHERE id = $1", [targetId, ctx.job.id]);
        return { deltas: {}, checkpoint: { stage: "done", afterKey: "0" } };
      });
    }
  }
}

/** Rows per read of pushed rows (one statement by primary key each). */
const PUSHED_READ = 1000;

function keptReason(why: string): string {
  return `removed from Brain only: its VICIdial row is kept (${why}) and imports leave it alone`;
}

/**
 * Decides a chunk of created leads: changed ones are kept (CHANGED); the rest are removed from
 * Brain, and each pushed one's VICIdial row is deleted when it is untouched since the push and
 * in a managed campaign's list, else kept, reported (SKIPPED) and marked for imports to leave
 * alone. A row already gone needs nothing.
 */
async function planCreated(
  ctx: JobRunContext,
  managed: ProcessorDeps["managed"],
  rows: CreatedLead[],
): Promise<CreatedPlan> {
  const plan: CreatedPlan = {
    afterKey: rows[rows.length - 1].id,
    processed: rows.length,
    updated: 0,
    skipped: 0,
    remove: [],
    unpushed: [],
    deletes: [],
    issues: [],
    ignore: [],
  };
  const pushed = rows.filter((r) => !r.changed && r.pushed !== null);
  const state = new Map<number, PushedRowState>();
  for (let i = 0; i < pushed.length; i += PUSHED_READ) {
    const part = pushed.slice(i, i + PUSHED_READ);
    const read = await readPushedRows(ctx.vici, new Map(part.map((r) => [Number(r.pushed), new Date(r.pushedAt!)])));
    read.forEach((v, k) => state.set(k, v));
  }
  for (const r of rows) {
    if (r.changed) {
      plan.skipped++;
      plan.issues.push({ kind: "CHANGED", brainLeadId: r.id, reason: "changed since the job: kept" });
      continue;
    }
    plan.remove.push(r.id);
    if (r.pushed === null) {
      plan.updated++;
      plan.unpushed!.push(r.id);
      continue;
    }
    const viciLeadId = Number(r.pushed);
    const row = state.get(viciLeadId);
    if (!row) {
      plan.updated++;
      plan.issues.push({
        kind: "NOTICE",
        brainLeadId: r.id,
        viciLeadId,
        reason: `VICIdial lead ${viciLeadId} is gone already (deleted since the push)`,
      });
      continue;
    }
    const why = !managed.manages(row.campaignId)
      ? "its list is outside the managed campaigns (VICI_CAMPAIGNS) now"
      : row.touched.length
        ? `touched since the push: ${row.touched.join("; ")}`
        : null;
    if (why) {
      plan.skipped++;
      plan.issues.push({ kind: "SKIPPED", brainLeadId: r.id, viciLeadId, reason: keptReason(why) });
      plan.ignore.push({ viciLeadId, why });
    } else {
      plan.deletes.push({
        brainLeadId: r.id,
        viciLeadId,
        listId: row.listId,
        pushedAt: new Date(r.pushedAt!).toISOString(),
      });
    }
  }
  return plan;
}

/**
 * Leads planned as not pushed whose push delivered since (the pusher was inserting while the
 * rollback read): their push records are locked first, in the pusher's order (outbox row, then
 * lead), so an insert under way finishes before these leads are removed, and its row is known.
 */
async function pushedMeanwhile(m: EntityManager, ids: string[]): Promise<{ id: string; vici: string }[]> {
  if (ids.length === 0) return [];
  const rows: { id: string; vici: string | null; state: string }[] = await m.query(
    `SELECT lead_id::text AS id, vici_lead_id::text AS vici, state FROM vici_pushes
      WHERE lead_id = ANY($1::bigint[]) AND kind = 'PUSH_LEAD' ORDER BY id FOR UPDATE`,
    [ids],
  );
  return rows.filter((r) => r.state === "DONE" && r.vici !== null).map((r) => ({ id: r.id, vici: r.vici! }));
}

/**
 * Deletes planned rows, one at a time, through the writer: `db` a guarded DELETE; `api` a
 * fresh read of the row, then update_lead delete_lead=Y only if it is still untouched. A row
 * already gone (deleted before a crash) counts as deleted.
 */
async function deletePushedRows(
  ctx: JobRunContext,
  writer: ViciWriter,
  deletes: PlannedDelete[],
): Promise<("DELETED" | "KEPT")[]> {
  const out: ("DELETED" | "KEPT")[] = [];
  for (const d of deletes) {
    const guard = { listId: d.listId, pushedAt: new Date(d.pushedAt) };
    if (writer.kind === "api") {
      const row = (await readPushedRows(ctx.vici, new Map([[d.viciLeadId, guard.pushedAt]]))).get(d.viciLeadId);
      if (!row) {
        out.push("DELETED");
        continue;
      }
      if (row.touched.length || row.listId !== d.listId) {
        out.push("KEPT");
        continue;
      }
    }
    const r = await writer.deleteLead(d.viciLeadId, guard);
    out.push(r === "KEPT" ? "KEPT" : "DELETED");
  }
  return out;
}

/** The contact columns a job may have changed (and recorded in before/after.fields). */
const FIELD_COLUMNS = CONTACT_FIELDS.map((f) => CONTACT_COLUMN[f]);

/** before/after.fields (Brain columns) by contact field name. */
function fieldsByName(fields: Record<string, string | null>): Partial<Record<ContactField, string | null>> {
  const out: Partial<Record<ContactField, string | null>> = {};
  for (const f of CONTACT_FIELDS) if (CONTACT_COLUMN[f] in fields) out[f] = fields[CONTACT_COLUMN[f]];
  return out;
}

/** The lead is as the job left it (nothing changed it since). */
function sameState(
  r: {
    meta: any;
    doNotCall: boolean;
    reason: string | null;
    until: Date | null;
    fields: Record<string, string | null>;
  },
  after: {
    meta: any;
    doNotCall: boolean;
    doNotCallReason: string | null;
    doNotCallUntil?: string | null;
    fields?: Record<string, string | null>;
  },
): boolean {
  return (
    JSON.stringify(sortKeys(r.meta)) === JSON.stringify(sortKeys(after.meta)) &&
    r.doNotCall === after.doNotCall &&
    r.reason === after.doNotCallReason &&
    (after.doNotCallUntil === undefined ||
      (r.until?.getTime() ?? null) ===
        (after.doNotCallUntil === null ? null : new Date(after.doNotCallUntil).getTime())) &&
    Object.entries(after.fields ?? {}).every(([column, value]) => r.fields[column] === value)
  );
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}
