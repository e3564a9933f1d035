import { SyncJobKind, type JobProcessor, type JobRunContext } from "../sync-job.types";
import type { ImportCheckpoint, ViciImportProcessor } from "./vici-import.processor";
import type { VendorCodesCheckpoint, VendorCodesProcessor } from "./vendor-codes.processor";
import type { ProcessorDeps } from "./processor-deps";

type FullCheckpoint =
  { stage: "import"; inner: ImportCheckpoint | null } | { stage: "vendor_codes"; inner: VendorCodesCheckpoint | null };

/** Option A in one job: Phase 1 (import), then Phase 2 (vendor codes), one checkpoint for both. */
export class FullSyncProcessor implements JobProcessor {
  readonly kind = SyncJobKind.FULL;

  constructor(
    private readonly viciImport: ViciImportProcessor,
    private readonly vendorCodes: VendorCodesProcessor,
    private readonly deps: Pick<ProcessorDeps, "syncJobRepo">,
  ) {}

  async run(ctx: JobRunContext<FullCheckpoint>): Promise<void> {
    const cp = ctx.checkpoint ?? { stage: "import", inner: null };
    if (cp.stage === "import") {
      // Phase 2 reads the same rows again: the job's total is both phases'.
      await this.viciImport.run(this.stage(ctx, "import", cp.inner as ImportCheckpoint | null, (total) => total * 2));
      // The hand-over is a checkpoint of its own: a restart here goes straight to Phase 2.
      await ctx.batch(async () => ({ deltas: {}, checkpoint: { stage: "vendor_codes", inner: null } }));
    }
    const inner = cp.stage === "vendor_codes" ? (cp.inner as VendorCodesCheckpoint | null) : null;
    // What Phase 1 processed, plus what Phase 2 counts (Vici may have changed in between).
    const before = (await this.deps.syncJobRepo.get(ctx.job.id))?.processed ?? 0;
    const phase2Done = (inner as VendorCodesCheckpoint | null)?.rowsRead ?? 0;
    await this.vendorCodes.run(this.stage(ctx, "vendor_codes", inner, (total) => before - phase2Done + total));
  }

  /**
   * The outer context, seen by one stage: its checkpoint nested under the stage's name, and
   * the stage's total as the job's (`jobTotal`).
   */
  private stage<C>(
    ctx: JobRunContext<FullCheckpoint>,
    stage: FullCheckpoint["stage"],
    inner: C | null,
    jobTotal: (stageTotal: number) => number,
  ): JobRunContext<C> {
    return {
      ...ctx,
      checkpoint: inner,
      phase: (name, total) =>
        ctx.phase(`${stage}: ${name}`, total === null || total === undefined ? total : jobTotal(total)),
      batch: (fn) =>
        ctx.batch(async (m) => {
          const r = await fn(m);
          return { ...r, checkpoint: { stage, inner: r.checkpoint } as FullCheckpoint };
        }),
    };
  }
}
