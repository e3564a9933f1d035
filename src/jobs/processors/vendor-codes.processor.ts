import { fromViciPhone } from "../../vici/rules/phone";
import { holdsOtherCode } from "../../vici/rules/vendor-code";
import { SyncJobKind, type JobProcessor, type JobRunContext, type SyncJobIssueInput } from "../sync-job.types";
import { VendorCodeWriter } from "../../vici/db/vendor-code.writer";
import { ViciLeadSource } from "../../vici/db/vici-lead-source";
import type { ProcessorDeps } from "./processor-deps";
import { recordVendorCodeChanges, vendorCodeLeadIdsAfter } from "../vendor-code-changes";

export interface VendorCodesCheckpoint {
  afterLeadId: number;
  rowsRead: number;
}

interface Row {
  lead_id: number;
  phone_code: string | null;
  phone_number: string;
  vendor_lead_code: string | null;
}

/** One planned write: Vici lead → Brain's external_lead_id, and what it held before. */
export interface VendorCodeWrite {
  leadId: number;
  code: string;
  before: string | null;
}

/** Most Vici rows one batch reads and plans (its writes go in statements of ROWS_PER_STATEMENT). */
export const MAX_WRITE_CHUNK = 10_000;

/**
 * A run's first chunk holds at most this many rows, each next one twice as many up to the batch
 * size: VICIdial's writes start after a short read and plan (a cold process parses a full
 * first chunk's phones and looks them up for ~1 s with the dialer idle); the larger ones after
 * it are read and planned while the one before is written (BENCHMARKS.md, issue 17 §2).
 */
export const FIRST_CHUNK = 1_000;

/**
 * Phase 2: Brain's external_lead_id into vendor_lead_code of every linked managed Vici row (the
 * job's campaigns, within VICI_CAMPAIGNS) where it is empty. A row holding another code is a conflict: reported and left alone (unless
 * `overwrite`). vicidial_list is MyISAM, so every UPDATE locks the whole table against the
 * dialer: writes go in lead_id chunks, each in short guarded UPDATEs (VendorCodeWriter: no
 * temporary table, so VICIdial's ordinary DB user can run it), and the longest statement is
 * reported. Before-values are committed to Brain before Vici is written (one change set per
 * chunk: src/jobs/vendor-code-changes.ts), so a killed job resumes (and rolls back) exactly.
 */
export class VendorCodesProcessor implements JobProcessor {
  readonly kind = SyncJobKind.VENDOR_CODES;

  constructor(private readonly deps: Pick<ProcessorDeps, "managed">) {}

  async run(ctx: JobRunContext<VendorCodesCheckpoint>): Promise<void> {
    const { job } = ctx;
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, job.options.campaigns);
    const cp: VendorCodesCheckpoint = ctx.checkpoint ?? { afterLeadId: 0, rowsRead: 0 };
    const chunk = Math.min(job.options.batchSize, MAX_WRITE_CHUNK);
    const writer = new VendorCodeWriter(ctx.vici, this.deps.managed);
    // Rows this job recorded after its checkpoint: the chunks it was writing when it stopped (a
    // resumed run). They count as written, not as "already", and are not recorded twice. Later
    // chunks are recorded only once planned, by this run: nothing else needs reading per chunk.
    const recorded = new Set(job.dryRun ? [] : await vendorCodeLeadIdsAfter(ctx.brain, job.id, cp.afterLeadId));

    let ramp = FIRST_CHUNK; // the next chunk's size, before the batch size caps it
    /**
     * Reads and plans the chunk after `at`, and commits its before-values (null: nothing left).
     * Only reads VICIdial: runs while the chunk before it is written.
     */
    const prepare = async (at: VendorCodesCheckpoint) => {
      const size = Math.min(chunk, ramp);
      ramp *= 2;
      const want = job.options.limit !== null ? Math.min(size, job.options.limit - at.rowsRead) : size;
      if (want <= 0) return null;
      const t0 = performance.now();
      const rows = await source.page<Row>("lead_id, phone_code, phone_number, vendor_lead_code", at.afterLeadId, want);
      ctx.noteStatementMs(performance.now() - t0);
      if (rows.length === 0) return null;
      const next: VendorCodesCheckpoint = {
        afterLeadId: Number(rows[rows.length - 1].lead_id),
        rowsRead: at.rowsRead + rows.length,
      };
      const plan = await this.plan(ctx, rows, recorded);
      if (!job.dryRun) {
        // Before-values first: if the process dies after the Vici write, they are known. Its
        // rows all come after the checkpoint, so a resumed run finds them (`recorded`).
        await recordVendorCodeChanges(
          ctx.brain,
          job.id,
          plan.writes
            .filter((w) => !recorded.has(w.leadId))
            .map((w) => ({ leadId: w.leadId, before: w.before, after: w.code })),
        );
      }
      return { rows, next, last: rows.length < want, plan };
    };

    // The count (for progress) and the first chunk's read run at once: both only read VICIdial.
    let ahead = prepare(cp);
    ahead.catch(() => undefined); // awaited below (an error is thrown there)
    if (!ctx.checkpoint) {
      await ctx.phase("counting");
      const n = await source.count();
      await ctx.phase("writing vendor codes", job.options.limit !== null ? Math.min(n, job.options.limit) : n);
    } else {
      await ctx.phase("writing vendor codes");
    }

    // Three stages overlap: chunk N+1 is read, planned and recorded (Brain) while chunk N is
    // written (VICIdial) and chunk N-1's counters and checkpoint commit. The next chunk's
    // lead_ids come after these, so nothing written here changes what it reads (Brain's leads
    // are only read). A chunk is written only once the chunk before it has committed: a
    // cancelled or lost job stops there, with at most the next chunk recorded and unwritten,
    // as a process killed between its record and its write leaves it (a resumed run writes it).
    let commit: Promise<void> | null = null;
    try {
      for (;;) {
        const current = await ahead;
        if (!current) break;
        const { rows, next, plan } = current;
        ahead = current.last ? Promise.resolve(null) : prepare(next);
        ahead.catch(() => undefined);
        if (commit) await commit;
        if (!job.dryRun && plan.writes.length) {
          // The Vici write, guarded: only where the row still holds what we read.
          const { longestMs } = await writer.change(
            plan.writes.map((w) => ({ leadId: w.leadId, from: w.before, to: w.code })),
            job.options.overwrite ? "REPLACE" : "FILL",
          );
          ctx.noteStatementMs(longestMs);
        }
        // Counters and checkpoint, while the next chunk is written.
        commit = ctx.batch(async () => ({
          deltas: {
            processed: rows.length,
            updated: plan.writes.length + plan.resumed,
            skipped: plan.notLinked,
            unchanged: plan.unchanged,
            conflicts: plan.conflicts.length,
          },
          checkpoint: next,
          issues: plan.conflicts,
        }));
        commit.catch(() => undefined);
      }
      if (commit) await commit;
    } finally {
      // Nothing of this job still running once it returns or fails (a record after a cancel).
      await Promise.allSettled([ahead, commit]);
    }
  }

  /** Which rows of the chunk get a code; read-only. */
  private async plan(ctx: JobRunContext, rows: Row[], writtenByJob: ReadonlySet<number>) {
    const { job } = ctx;
    const region = ctx.config.phone.defaultRegion;
    const phoneOf = new Map<number, string>();
    for (const r of rows) {
      const p = fromViciPhone(r.phone_code, r.phone_number, region);
      if (p) phoneOf.set(Number(r.lead_id), p);
    }
    // Brain's statistics can lag a just-imported leads table (47k rows estimated for 149k on the
    // 200k bench): the planner then hashes a sequential scan of every lead for each chunk
    // (180–330 ms) instead of probing the phone's unique index (~40 ms).
    const brain = phoneOf.size
      ? await ctx.brain.transaction(async (m) => {
          await m.query(
            "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('enable_bitmapscan', 'off', true)",
          );
          const found: { id: string; phone: string; code: string; ids: number[] | null; primary: string | null }[] =
            await m.query(
              `SELECT l.id::text AS id, l.phone, l.external_lead_id AS code, l.meta->'vici_lead_ids' AS ids, l.meta->>'vici_lead_id' AS primary
               FROM unnest($1::text[]) AS p(phone) JOIN leads l ON l.phone = p.phone`,
              // In index order: each probe of leads_phone_key lands near the one before it.
              [[...new Set(phoneOf.values())].sort()],
            );
          return found;
        })
      : [];
    const byPhone = new Map(brain.map((b) => [b.phone, b]));

    const writes: VendorCodeWrite[] = [];
    const conflicts: SyncJobIssueInput[] = [];
    let notLinked = 0;
    let resumed = 0;
    let unchanged = 0;
    for (const r of rows) {
      const leadId = Number(r.lead_id);
      const b = byPhone.get(phoneOf.get(leadId) ?? "");
      const linked = b && ((b.ids ?? []).map(Number).includes(leadId) || Number(b.primary) === leadId);
      if (!b || !linked) {
        notLinked++;
        continue;
      }
      const current = r.vendor_lead_code ?? "";
      // Compared as VICIdial does (case, trailing spaces): "abc " already is Brain's "ABC".
      if (current.trim() !== "" && !holdsOtherCode(current, b.code)) {
        if (writtenByJob.has(leadId)) resumed++;
        else unchanged++;
        continue;
      }
      if (current.trim() === "" || job.options.overwrite) {
        writes.push({ leadId, code: b.code, before: r.vendor_lead_code });
      } else {
        conflicts.push({
          kind: "CONFLICT",
          viciLeadId: leadId,
          brainLeadId: b.id,
          reason: `vendor_lead_code is "${current}", Brain's external_lead_id is "${b.code}"`,
        });
      }
    }
    return { writes, conflicts, notLinked, resumed, unchanged };
  }
}
