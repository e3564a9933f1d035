import { randomUUID } from "node:crypto";
import os from "node:os";
import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import { PollingLoop } from "../util/polling-loop";
import type { JobProgressBus } from "./progress";
import { databaseFault, retryDelayMs } from "./job-faults";
import { toProgress } from "./progress";
import type { JobFence, SyncJobRepository } from "./sync-job.repository";
import {
  JobCancelledError,
  type BatchResult,
  type JobProcessor,
  type JobRunContext,
  type SyncJobKind,
  type SyncJobRecord,
} from "./sync-job.types";

/**
 * Runs sync jobs in this process (the default job-queue strategy). Jobs live in Brain: the
 * runner claims one with a lease it renews at every batch; a job whose process died (its
 * lease ran out) is claimed again and resumes from the checkpoint its last batch committed.
 * A job that cannot reach a database waits (WAITING, the reason visible) and is retried with
 * backoff from its checkpoint, as a resumed job is; it fails only on an error a retry cannot
 * fix, or after waiting JOB_MAX_WAIT_MS.
 */
export class JobRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loop: PollingLoop;
  /** Set by stop(): a running job stops at its next batch (the loop may never have started). */
  private halted = false;
  /** Ends a wait between retries early (stop()). */
  private wake: (() => void) | null = null;
  private readonly processors = new Map<SyncJobKind, JobProcessor>();

  constructor(
    private readonly deps: { brain: DataSource; vici: DataSource; config: AppConfig; log: Logger },
    private readonly repo: SyncJobRepository,
    private readonly bus: JobProgressBus,
    processors: JobProcessor[],
    private readonly opts: { pollMs: number; leaseMs: number; retryBackoffMs: number; maxWaitMs: number },
  ) {
    for (const p of processors) this.processors.set(p.kind, p);
    this.loop = new PollingLoop(
      () => this.pass(),
      opts.pollMs,
      (e) => deps.log.error({ err: e }, "job runner failed"),
    );
  }

  start(): void {
    this.halted = false;
    this.loop.start();
  }

  /** Stops claiming; a running job stops at its next batch boundary and stays resumable. */
  stop(): Promise<void> {
    this.halted = true;
    this.wake?.();
    return this.loop.stop();
  }

  get isHalted(): boolean {
    return this.halted;
  }

  processor(kind: SyncJobKind): JobProcessor | undefined {
    return this.processors.get(kind);
  }

  /** Looks for work now (after startSync, instead of waiting for the poll). */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Runs claimable jobs one after another until none is left, after any pass already running
   * in this process (the CLI and tests await it).
   */
  async drain(): Promise<void> {
    await this.loop.settled();
    await this.pass();
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.loop.isStopped) return;
      const job = await this.repo.claim(this.owner, this.opts.leaseMs);
      if (!job) return;
      await this.run(job);
    }
  }

  /** Runs a job this process holds (claimed here, or taken over by a queue worker) to its end. */
  async run(job: SyncJobRecord): Promise<void> {
    const { log } = this.deps;
    const processor = this.processors.get(job.kind);
    this.bus.publish(toProgress(job));
    const fence = { owner: this.owner, leaseMs: this.opts.leaseMs };
    // Consecutive failed tries; a batch committed in between starts the count again.
    let attempt = 0;
    let current: SyncJobRecord | null = job;
    while (current) {
      const progress = { commits: 0 };
      try {
        if (!processor) throw new Error(`no processor for ${job.kind}`);
        await processor.run(this.context(current, fence, current.checkpoint ?? null, progress));
        this.bus.publish(toProgress(await this.repo.finish(job.id, "SUCCEEDED", null)));
        log.info({ jobId: job.id, kind: job.kind }, "sync job succeeded");
        return;
      } catch (e) {
        if (e instanceof StoppedError) {
          await this.repo.release(job.id, this.owner).catch(() => undefined); // Brain away: the lease lapses by itself
          log.info({ jobId: job.id }, "sync job paused by shutdown; it resumes on the next start");
          return;
        }
        if (e instanceof LostJobError) {
          log.warn({ jobId: job.id }, "sync job taken over by another process");
          return;
        }
        if (e instanceof JobCancelledError) {
          this.bus.publish(toProgress(await this.repo.finish(job.id, "CANCELLED", null)));
          return;
        }
        const fault = databaseFault(e);
        if (fault === null) {
          const message = e instanceof Error ? e.message : String(e);
          log.error({ jobId: job.id, kind: job.kind, err: message }, "sync job failed");
          this.bus.publish(toProgress(await this.repo.finish(job.id, "FAILED", message.slice(0, 2000))));
          return;
        }
        if (progress.commits > 0) attempt = 0;
        current = await this.waitForDatabases(job, fence, fault, attempt++);
      }
    }
  }

  /**
   * After a batch failed to reach a database: the job goes WAITING (the reason and since when
   * in its row, when Brain answers), waits with backoff, and comes back with its row as last
   * committed (its checkpoint) to try again; null when it ended meanwhile (cancelled, taken
   * over, or waiting longer than JOB_MAX_WAIT_MS: FAILED).
   */
  private async waitForDatabases(
    job: SyncJobRecord,
    fence: JobFence & { leaseMs: number },
    fault: string,
    attempt: number,
  ): Promise<SyncJobRecord | null> {
    const { log } = this.deps;
    const firstFailure = Date.now();
    for (let tries = attempt; ; tries++) {
      if (this.halted) throw new StoppedError();
      try {
        const waiting = await this.repo.wait(job.id, fence, fault);
        if (!waiting) {
          log.warn({ jobId: job.id }, "sync job taken over by another process");
          return null;
        }
        this.bus.publish(toProgress(waiting));
        const since = waiting.waitingSince ? new Date(waiting.waitingSince).getTime() : firstFailure;
        if (Date.now() - since > this.opts.maxWaitMs) {
          const message = `gave up after waiting ${Math.round((Date.now() - since) / 1000)} s for a database (JOB_MAX_WAIT_MS): ${fault}`;
          log.error({ jobId: job.id, kind: job.kind, err: message }, "sync job failed");
          this.bus.publish(toProgress(await this.repo.finish(job.id, "FAILED", message.slice(0, 2000))));
          return null;
        }
        if (waiting.cancelRequested) {
          this.bus.publish(toProgress(await this.repo.finish(job.id, "CANCELLED", null)));
          return null;
        }
        log.warn(
          { jobId: job.id, kind: job.kind, attempt: tries + 1, reason: fault },
          "sync job waiting for a database",
        );
        // Brain did not answer the first time round and does now: try again at once.
        if (tries === attempt) await this.pause(retryDelayMs(tries, this.opts.retryBackoffMs));
        if (this.halted) throw new StoppedError();
        return await this.repo.get(job.id);
      } catch (e) {
        if (e instanceof StoppedError) throw e;
        const again = databaseFault(e);
        if (again === null) throw e;
        // Brain itself does not answer: nothing can be recorded; wait and ask again.
        fault = again;
        if (Date.now() - firstFailure > this.opts.maxWaitMs) throw e;
        await this.pause(retryDelayMs(tries, this.opts.retryBackoffMs));
      }
    }
  }

  /** Sleeps `ms`, or less when the runner is stopped. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = null));
  }

  /**
   * The context a processor runs in; its batches commit under `fence` (this runner's lease,
   * or one range of a job cut for several workers) and are retried when PostgreSQL refused
   * them for a concurrent writer (a deadlock, or a unique key taken meanwhile): the
   * transaction rolled back, so running it again is safe.
   */
  context<C = unknown>(
    job: SyncJobRecord,
    fence: JobFence,
    checkpoint: unknown = job.checkpoint ?? null,
    progress: { commits: number } = { commits: 0 },
  ): JobRunContext<C> {
    let current = job;
    let longestMs = 0;
    const { brain, vici, config, log } = this.deps;
    return {
      job,
      checkpoint: checkpoint as C | null,
      brain,
      vici,
      config,
      log: log.child({ jobId: job.id, kind: job.kind }),
      phase: async (name, total) => {
        current = await this.repo.setPhase(job.id, name, total);
        this.bus.publish(toProgress(current));
      },
      batch: async (fn: (m: EntityManager) => Promise<BatchResult<unknown>>) => {
        for (let attempt = 1; ; attempt++) {
          if (this.halted) throw new StoppedError();
          try {
            current = await brain.transaction(async (m) => {
              if (await this.repo.cancelRequested(m, job.id)) throw new JobCancelledError();
              const r = await fn(m);
              // The lease is renewed by the commit itself, which locks the job row only at the
              // end: a processor may commit batches from two transactions at once.
              const done = await this.repo.commitBatch(
                m,
                job.id,
                r.deltas,
                r.checkpoint,
                r.issues,
                longestMs || null,
                fence,
              );
              if (!done) throw new LostJobError(job.id);
              return done;
            });
            progress.commits++;
            break;
          } catch (e) {
            if (attempt >= BATCH_ATTEMPTS || !isConcurrentWriteError(e)) throw e;
            log.warn(
              { jobId: job.id, attempt, code: (e as any).code },
              "batch refused for a concurrent writer; retrying",
            );
            await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * attempt));
          }
        }
        this.bus.publish(toProgress(current));
      },
      // Kept here and saved with the next batch: a write of its own would wait on the job row.
      noteStatementMs: (ms) => void (longestMs = Math.max(longestMs, ms)),
    };
  }
}

/** The process is shutting down: leave the job RUNNING so its lease lapses and it resumes. */
export class StoppedError extends Error {}

/** The job (or this range of it) is no longer this process's: another took it over, or it ended. */
export class LostJobError extends Error {
  constructor(jobId: string) {
    super(`lost job ${jobId} to another process`);
    this.name = "LostJobError";
  }
}

const BATCH_ATTEMPTS = 5;

/** deadlock_detected, serialization_failure, unique_violation (a key a concurrent batch took). */
function isConcurrentWriteError(e: unknown): boolean {
  const code =
    (e as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (e as { code?: string })?.code;
  return code === "40P01" || code === "40001" || code === "23505";
}
