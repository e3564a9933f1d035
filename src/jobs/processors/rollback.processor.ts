import { viciQuery } from "../../services/errors-vici";
import { changeVendorCodes } from "../../vici/db/vendor-code.writer";
import { CONTACT_COLUMN, CONTACT_FIELDS, type ContactField } from "../../services/lead-input";
import { SyncJobKind, type JobProcessor, type JobRunContext, type SyncJobIssueInput } from "../sync-job.types";

type Stage = "brain_created" | "brain_updated" | "vici_codes" | "done";
interface RollbackCheckpoint {
  stage: Stage;
  afterKey: string;
}

const CHUNK = 5000;

/**
 * Undoes a job from what it recorded: Brain leads it created are removed (unless changed
 * since it finished: reported, kept), Brain leads it changed get their before-values back
 * (unless changed since), and vendor codes it wrote are restored in VICIdial where the row
 * still holds the code it wrote. A dry run counts and reports the same, writing nothing.
 * Counters: `updated` = rows removed or restored, `skipped` = rows changed since (CHANGED
 * issues) and leads removed from Brain only because VICIdial already has them (SKIPPED issues).
 */
export class RollbackProcessor implements JobProcessor {
  readonly kind = SyncJobKind.ROLLBACK;

  async run(ctx: JobRunContext<RollbackCheckpoint>): Promise<void> {
    const targetId = ctx.job.options.targetJobId!;
    const target = await ctx.services.syncJobRepo.get(targetId);
    if (!target) throw new Error(`job ${targetId} no longer exists`);
    const finishedAt = target.finishedAt ?? new Date();
    let cp: RollbackCheckpoint = ctx.checkpoint ?? { stage: "brain_created", afterKey: "0" };
    const dry = ctx.job.dryRun;

    if (cp.stage === "brain_created") {
      await ctx.phase("removing created leads");
      for (;;) {
        // "Changed since" ignores the lead's own push: the pusher links the lead (updated_at)
        // when it delivers, often after the job finished (CSV_IMPORT), in the transaction
        // that stamps the push's done_at.
        const rows: { id: string; changed: boolean; pushed: string | null }[] = await ctx.brain.query(
          `SELECT l.id::text AS id,
                  l.updated_at > greatest($3::timestamptz,
                    (SELECT max(o.done_at) FROM vici_outbox o WHERE o.lead_id = l.id AND o.kind = 'PUSH_LEAD')) AS changed,
                  (SELECT o.vici_lead_id::text FROM vici_outbox o WHERE o.lead_id = l.id AND o.kind = 'PUSH_LEAD' AND o.state = 'DONE') AS pushed
             FROM leads l WHERE l.created_by_job_id = $1 AND l.id > $2 ORDER BY l.id::bigint LIMIT ${CHUNK}`,
          [targetId, cp.afterKey, finishedAt],
        );
        if (rows.length === 0) break;
        const remove = rows.filter((r) => !r.changed).map((r) => r.id);
        const issues: SyncJobIssueInput[] = rows
          .filter((r) => r.changed)
          .map((r) => ({ kind: "CHANGED", brainLeadId: r.id, reason: "changed since the job: kept" }));
        // Undone only in part: the Vici row the push made stays (a rollback never deletes from the dialer).
        let brainOnly = 0;
        for (const r of rows) {
          if (!r.changed && r.pushed) {
            brainOnly++;
            issues.push({ kind: "SKIPPED", brainLeadId: r.id, viciLeadId: Number(r.pushed), reason: `already pushed to VICIdial as lead ${r.pushed}: removed from Brain only` });
          }
        }
        const next: RollbackCheckpoint = { stage: "brain_created", afterKey: rows[rows.length - 1].id };
        await ctx.batch(async (m) => {
          if (!dry && remove.length) await m.query("DELETE FROM leads WHERE id = ANY($1::bigint[])", [remove]);
          return {
            deltas: { processed: rows.length, updated: remove.length - brainOnly, skipped: rows.length - remove.length + brainOnly },
            checkpoint: next,
            issues,
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
        const rows: { key: string; before: any; after: any; meta: any; doNotCall: boolean; reason: string | null; until: Date | null; fields: any; exists: boolean }[] = await ctx.brain.query(
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
          .map((r) => ({ kind: "CHANGED", brainLeadId: r.key, reason: r.exists ? "changed since the job: not restored" : "deleted since the job" }));
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
              if (Object.keys(replaced).length) queued = (await ctx.services.fieldUpdates.queue(m, { id: r.key, meta: r.before.meta }, replaced)) !== null || queued;
            }
          }
          return { deltas: { processed: rows.length, updated: restore.length, skipped: rows.length - restore.length }, checkpoint: next, issues };
        });
        cp = next;
      }
      if (queued) ctx.services.pusher.kick();
      cp = { stage: "vici_codes", afterKey: "0" };
    }

    if (cp.stage === "vici_codes") {
      await ctx.phase("restoring vendor codes");
      for (;;) {
        const rows: { key: string; before: string | null; after: string }[] = await ctx.brain.query(
          `SELECT key::text AS key, before->>'vendor_lead_code' AS before, after->>'vendor_lead_code' AS after
             FROM sync_job_changes WHERE job_id = $1 AND target = 'vici' AND key > $2 ORDER BY sync_job_changes.key LIMIT ${CHUNK}`,
          [targetId, cp.afterKey],
        );
        if (rows.length === 0) break;
        const current: { lead_id: number; vendor_lead_code: string | null; campaign_id: string | null }[] = await viciQuery(
          ctx.vici,
          "SELECT vl.lead_id, vl.vendor_lead_code, l.campaign_id FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id WHERE vl.lead_id IN (?)",
          [rows.map((r) => Number(r.key))],
        );
        const now = new Map(current.map((c) => [Number(c.lead_id), c.vendor_lead_code]));
        // Only managed rows are rolled back (the row may have moved to a list outside VICI_CAMPAIGNS since).
        const outside = new Set(current.filter((c) => !ctx.services.managed.manages(c.campaign_id)).map((c) => Number(c.lead_id)));
        const restore = rows.filter((r) => now.get(Number(r.key)) === r.after && !outside.has(Number(r.key)));
        // Already back to its old code: restored by this rollback before a crash (a repeat), not changed.
        const restored = rows.filter((r) => !restore.includes(r) && now.has(Number(r.key)) && now.get(Number(r.key)) === r.before);
        const issues: SyncJobIssueInput[] = rows
          .filter((r) => !restore.includes(r) && !restored.includes(r))
          .map((r) =>
            outside.has(Number(r.key)) && now.get(Number(r.key)) === r.after
              ? { kind: "SKIPPED", viciLeadId: Number(r.key), reason: "its list is outside the managed campaigns (VICI_CAMPAIGNS) now: left alone" }
              : { kind: "CHANGED", viciLeadId: Number(r.key), reason: now.has(Number(r.key)) ? "vendor_lead_code changed since the job: kept" : "Vici lead deleted since the job" },
          );
        if (!dry && restore.length) {
          // Guarded: only rows that still hold the code the job wrote get their old one back.
          const { longestMs } = await changeVendorCodes(
            ctx.vici,
            restore.map((r) => ({ leadId: Number(r.key), from: r.after, to: r.before })),
          );
          ctx.noteStatementMs(longestMs);
        }
        const next: RollbackCheckpoint = { stage: "vici_codes", afterKey: rows[rows.length - 1].key };
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
  r: { meta: any; doNotCall: boolean; reason: string | null; until: Date | null; fields: Record<string, string | null> },
  after: { meta: any; doNotCall: boolean; doNotCallReason: string | null; doNotCallUntil?: string | null; fields?: Record<string, string | null> },
): boolean {
  return (
    JSON.stringify(sortKeys(r.meta)) === JSON.stringify(sortKeys(after.meta)) &&
    r.doNotCall === after.doNotCall &&
    r.reason === after.doNotCallReason &&
    (after.doNotCallUntil === undefined || (r.until?.getTime() ?? null) === (after.doNotCallUntil === null ? null : new Date(after.doNotCallUntil).getTime())) &&
    Object.entries(after.fields ?? {}).every(([column, value]) => r.fields[column] === value)
  );
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
