import { SyncJobKind, type JobProcessor, type JobRunContext } from "../sync-job.types";
import { IMPORT_COLUMNS, type ViciRow } from "../../vici/db/import-rows.reader";
import { ViciLeadSource } from "../../vici/db/vici-lead-source";
import { cutoverAt } from "../../services/vici-row-origin";
import type { ProcessorDeps } from "./processor-deps";
import { ImportBatchPath, type BatchGroup, type ViciBatch } from "./import-batch";
import { ImportLeadsRepository } from "./import-leads.repository";

export interface ImportCheckpoint {
  /** Every row up to this lead_id is written; the next read starts after it. */
  afterLeadId: number;
  rowsRead: number;
  /**
   * Per part (PARTS), the lead_id up to which that part's rows are written, when a part
   * committed a batch the other has not yet (a stop between the two commits).
   */
  partsAfter?: number[];
}

/** One lead_id range of an import cut for several workers (plan, runRange). */
export interface ImportRange {
  /** Rows after this lead_id ... */
  after: number;
  /** ... up to this one (null: to the end). */
  to: number | null;
  /** At most this many rows (the job's limit, shared out); null: no limit. */
  maxRows: number | null;
  /** The worker running it now: its commits are refused once another worker took it over. */
  owner: string | null;
  done: boolean;
  cp: ImportCheckpoint | null;
}

/** The checkpoint of an import cut into ranges: each range's own, side by side. */
export interface RangedImportCheckpoint {
  ranges: ImportRange[];
}

/**
 * A batch is written as two parts, by phone, on two Brain connections at once: one backend
 * maintaining `leads` and its indexes is the import's bottleneck, and a phone is in exactly
 * one part, so the parts never touch the same lead.
 */
const PARTS = 2;

/** The part of a phone: the parity of its last digit (uniform, and stable across runs). */
export function partOfPhone(e164: string): number {
  return e164.charCodeAt(e164.length - 1) % PARTS;
}

/**
 * Phase 1: VICIdial's leads of the chosen campaigns into Brain. Streams vicidial_list by
 * lead_id (short keyset reads), collapses rows that share a phone into one Brain lead (all
 * lead ids kept, the most recently called primary), marks DNC and recently called numbers
 * do-not-call, and writes each batch with a handful of set-based statements per part (see
 * PARTS), each part in one Brain transaction with its counters and checkpoint. Reading the
 * next batch overlaps writing this one. Re-running it changes nothing.
 *
 * Rules about a number see the whole number, not the batch: each batch reads every row of its
 * numbers (any list, managed or not) for DNC statuses, the recent-call rule and the vendor-code
 * rule, and the codes managed rows of several numbers carry are found once per run
 * (VendorCodeOwners.sharedCodes). So the result does not depend on batch size, batch
 * boundaries, worker ranges or row order.
 */
export class ViciImportProcessor implements JobProcessor {
  readonly kind = SyncJobKind.VICI_IMPORT;

  private readonly path: ImportBatchPath;

  constructor(private readonly deps: Pick<ProcessorDeps, "managed" | "numbers" | "vendorCodeOwners" | "viciLeads">) {
    this.path = new ImportBatchPath(deps);
  }

  async run(ctx: JobRunContext<ImportCheckpoint>): Promise<void> {
    const { job } = ctx;
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, job.options.campaigns);
    if (!ctx.checkpoint) {
      await ctx.phase("counting");
      const rows = await source.count();
      const shared = await this.sharedCodes(ctx);
      await ctx.phase("importing", job.options.limit !== null ? Math.min(rows, job.options.limit) : rows);
      await this.importRange(ctx, source, shared, { after: 0, to: null, maxRows: job.options.limit }, null, null);
    } else {
      await ctx.phase("importing");
      await this.importRange(
        ctx,
        source,
        await this.sharedCodes(ctx),
        { after: 0, to: null, maxRows: job.options.limit },
        ctx.checkpoint,
        null,
      );
    }
  }

  /** Codes managed rows of more than one number carry: one read per run (vendor_lead_code has no index). */
  private async sharedCodes(_ctx: JobRunContext): Promise<ReadonlySet<string>> {
    return this.deps.vendorCodeOwners.sharedCodes([...(await this.deps.managed.managedLists()).keys()]);
  }

  /**
   * Cuts the job into at most `maxRanges` lead_id ranges for several workers. Each range starts
   * where a batch of the one-process run starts (a multiple of batchSize rows in), so every
   * batch holds the same rows as it would there. A dry run stays one range (what it
   * "created" lives in its process's memory).
   */
  async plan(ctx: JobRunContext, maxRanges: number): Promise<{ ranges: ImportRange[]; total: number }> {
    const { options } = ctx.job;
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, options.campaigns);
    const count = await source.count();
    const total = options.limit !== null ? Math.min(count, options.limit) : count;
    const batches = Math.ceil(total / options.batchSize);
    const n = options.dryRun ? 1 : Math.max(1, Math.min(maxRanges, batches));
    const perRange = Math.ceil(batches / n) * options.batchSize;
    const starts = [0];
    for (let k = 1; k < n && k * perRange < total; k++) {
      const last = await source.leadIdAt(k * perRange - 1); // the last row of range k-1
      if (last === null) break;
      starts.push(last);
    }
    const ranges = starts.map((after, k): ImportRange => {
      const last = k === starts.length - 1;
      return {
        after,
        to: last ? null : starts[k + 1],
        maxRows: options.limit === null ? null : last ? total - k * perRange : perRange,
        owner: null,
        done: false,
        cp: null,
      };
    });
    return { ranges, total };
  }

  /**
   * One range of a job cut by plan(), with its own checkpoint (ctx.checkpoint is the range's).
   * Before a batch is written, `awaitRows` waits until the earlier ranges have written each of
   * its phones' first row (which creates the Brain lead and gives it its fields), so the result
   * is the one-process run's, whatever the order ranges run in. (The lead's id needs no wait:
   * the vendor-code rule reads the whole number.)
   */
  async runRange(
    ctx: JobRunContext<ImportCheckpoint>,
    range: ImportRange,
    awaitRows: (leadIds: number[]) => Promise<void>,
  ): Promise<void> {
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, ctx.job.options.campaigns);
    await this.importRange(ctx, source, await this.sharedCodes(ctx), range, ctx.checkpoint, async (batch) => {
      if (range.after > 0) await awaitRows(earlierFirstRows(batch, source, range.after));
    });
  }

  private async importRange(
    ctx: JobRunContext<ImportCheckpoint>,
    source: ViciLeadSource,
    shared: ReadonlySet<string>,
    range: Pick<ImportRange, "after" | "to" | "maxRows">,
    from: ImportCheckpoint | null,
    beforeWrite: ((batch: ViciBatch) => Promise<void>) | null,
  ): Promise<void> {
    const { job } = ctx;
    let cp: ImportCheckpoint = from ?? { afterLeadId: range.after, rowsRead: 0 };
    const catalog = await this.deps.viciLeads.statusCatalog();
    const cutover = await cutoverAt(ctx.brain, ctx.config);
    // Dry runs write nothing, so phones "created" by earlier batches (and their ids) live here.
    const dryCreated = new Map<string, string>();

    // The next batch is read from Vici (and grouped) while this one is written to Brain.
    const read = (after: ImportCheckpoint) => {
      const want =
        range.maxRows !== null
          ? Math.min(job.options.batchSize, range.maxRows - after.rowsRead)
          : job.options.batchSize;
      if (want <= 0) return null;
      const p = (async () => {
        const rows = await source.page<ViciRow>(IMPORT_COLUMNS, after.afterLeadId, want, range.to);
        // Only the page's size and last id are kept: its rows, but each phone's first, are
        // garbage once grouped (a batch lives across the next one's read, in the young generation).
        return {
          count: rows.length,
          lastLeadId: rows.length ? Number(rows[rows.length - 1].lead_id) : after.afterLeadId,
          want,
          batch: rows.length ? await this.path.readBatch(ctx, source, shared, rows, catalog, cutover) : null,
        };
      })();
      p.catch(() => undefined); // awaited below; a write failing first must not leave it unhandled
      return p;
    };
    let next = read(cp);
    while (next) {
      const { count, lastLeadId, want, batch } = await next;
      if (!batch) break;
      const done: ImportCheckpoint = { afterLeadId: lastLeadId, rowsRead: cp.rowsRead + count };
      next = count < want ? null : read(done);
      if (beforeWrite) await beforeWrite(batch);
      await this.writeParts(ctx, batch, cp, done, dryCreated);
      cp = done;
    }
  }

  /**
   * Writes a batch's parts in concurrent transactions, each committing its own counters. The
   * last part commits after the others and carries the batch's checkpoint; a part that
   * committed alone (a stop in between) is recorded in partsAfter and skipped on resume,
   * which re-reads the same batch.
   */
  private async writeParts(
    ctx: JobRunContext<ImportCheckpoint>,
    batch: ViciBatch,
    cp: ImportCheckpoint,
    done: ImportCheckpoint,
    dryCreated: Map<string, string>,
  ) {
    const partsAfter = cp.partsAfter ?? Array<number>(PARTS).fill(cp.afterLeadId);
    const groups: BatchGroup[][] = Array.from({ length: PARTS }, () => []);
    for (const g of batch.groups.values()) groups[partOfPhone(g.phone)].push(g);
    const rowsOf = (part: number) =>
      (groups[part] ?? []).reduce((n, g) => n + g.rows.length, 0) + (part === 0 ? batch.bad.length : 0);
    // Parts without rows commit nothing; the last one to commit carries the checkpoint.
    const todo = [...Array(PARTS).keys()].filter((part) => partsAfter[part] < done.afterLeadId && rowsOf(part) > 0);
    if (todo.length === 0) todo.push(-1); // nothing left to write (Vici changed since): only the checkpoint
    const last = todo[todo.length - 1];

    const commits: Promise<void>[] = [];
    for (const part of todo) {
      const others = [...commits];
      commits.push(
        ctx.batch(async (m) => {
          await new ImportLeadsRepository(m).prepareBatch();
          const r = await this.path.writeBatch(
            ctx,
            { jobId: ctx.job.id, dryRun: ctx.job.dryRun },
            m,
            { groups: groups[part] ?? [], bad: part === 0 ? batch.bad : [], onAnotherNumber: batch.onAnotherNumber },
            dryCreated,
          );
          let checkpoint: ImportCheckpoint;
          if (part === last) {
            // The other parts' commits first: this one says the whole batch is written.
            await Promise.all(others);
            checkpoint = done;
          } else {
            const ahead = [...partsAfter];
            ahead[part] = done.afterLeadId;
            checkpoint = { ...cp, partsAfter: ahead };
          }
          return { deltas: { ...r.deltas, processed: rowsOf(part) }, checkpoint, issues: r.issues };
        }),
      );
    }
    const settled = await Promise.allSettled(commits);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
  }
}

/**
 * The rows up to `upTo` (earlier ranges) a batch must see written first (runRange): each of its
 * phones' first row in the job's lists, which creates the Brain lead and gives it its fields.
 */
function earlierFirstRows(batch: ViciBatch, source: ViciLeadSource, upTo: number): number[] {
  const wait: number[] = [];
  for (const g of batch.groups.values()) {
    const first = g.all.find((r) => source.campaignOfList.has(r.listId));
    if (first && first.leadId <= upTo) wait.push(first.leadId);
  }
  return wait;
}
