import { DelayedError, Queue, Worker, type Job } from "bullmq";
import Redis from "ioredis";
import type { Logger } from "pino";
import type { AppConfig } from "../../config/app-config";
import { StoppedError, LostJobError, type JobRunner } from "../job-runner";
import type {
  ImportCheckpoint,
  ImportRange,
  RangedImportCheckpoint,
  ViciImportProcessor,
} from "../processors/vici-import.processor";
import type { JobProgressBus } from "../progress";
import { databaseFault, retryDelayMs } from "../job-faults";
import { toProgress } from "../progress";
import type { SyncJobRepository } from "../sync-job.repository";
import { FINAL_STATES, isActive, JobCancelledError, SyncJobKind, type SyncJobRecord } from "../sync-job.types";
import type { JobQueueStrategy } from "./job-queue-strategy";

const QUEUE_NAME = "sync-jobs";

/** "run": a sync job (an import is cut into ranges here); "range": one range of an import. */
type QueueJobData = { syncJobId: string; range?: number };

/** How long a range waits in-process for earlier ranges before it gives its worker back. */
const AWAIT_ROWS_POLL_MS = 100;
const AWAIT_ROWS_POLLS = 10;
const DEFER_MS = 200;

/** A range must wait (for earlier ranges, or for a database): it goes back to the queue (delayed) and frees its worker. */
class RangeDeferredError extends Error {
  constructor(readonly delayMs = DEFER_MS) {
    super("range deferred");
  }
}

/**
 * Sync jobs on BullMQ (REDIS_URL set). Gateways only add queue jobs; `worker` processes
 * consume them. A VICI_IMPORT is cut into lead_id ranges (ViciImportProcessor.plan), each a
 * queue job of its own that any worker may take, with its checkpoint in the sync job's
 * (checkpoint.ranges[i]); the last range to finish ends the job. Other kinds run whole on one
 * worker through the JobRunner. A worker that dies stops renewing its queue lock: BullMQ's
 * stalled check hands the queue job to another worker, which takes the sync job (or the
 * range) over in Brain — the dead one's commits would now be refused — and resumes from the
 * last committed checkpoint.
 */
export class BullMqJobQueueStrategy implements JobQueueStrategy {
  readonly runsHere = false;
  private readonly connection: Redis;
  private readonly queue: Queue<QueueJobData>;
  private worker: Worker<QueueJobData> | null = null;
  private workerConnection: Redis | null = null;

  constructor(
    private readonly redis: NonNullable<AppConfig["redis"]>,
    private readonly deps: {
      runner: JobRunner;
      repo: SyncJobRepository;
      bus: JobProgressBus;
      log: Logger;
      leaseMs: number;
      /** A range that cannot reach a database is retried after this (doubling), at most for maxWaitMs. */
      retryBackoffMs: number;
      maxWaitMs: number;
    },
  ) {
    // BullMQ's blocking commands need maxRetriesPerRequest: null.
    this.connection = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.queue = new Queue<QueueJobData>(QUEUE_NAME, { connection: this.connection, prefix: redis.prefix });
  }

  async add(job: SyncJobRecord): Promise<void> {
    await this.queue.add(
      "run",
      { syncJobId: job.id },
      { jobId: `run-${job.id}`, removeOnComplete: true, removeOnFail: 1000 },
    );
  }

  /** Consumes the queue (a `worker` process); gateways never call it. */
  async start(): Promise<void> {
    if (this.worker) return;
    this.workerConnection = new Redis(this.redis.url, { maxRetriesPerRequest: null });
    this.worker = new Worker<QueueJobData>(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.workerConnection,
      prefix: this.redis.prefix,
      // One queue job at a time: an import batch already writes on two Brain connections.
      concurrency: 1,
      lockDuration: this.redis.lockMs,
      stalledInterval: this.redis.stalledIntervalMs,
      // A job is handed over again each time its worker dies, not failed after the first.
      maxStalledCount: 10,
    });
    this.worker.on("error", (e) => this.deps.log.error({ err: e }, "queue worker error"));
  }

  async stop(): Promise<void> {
    // The runner first: a job running here stops at its next batch and goes back to the queue.
    await this.deps.runner.stop();
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** Jobs run on the workers; the caller follows the job's row. */
  async drain(): Promise<void> {}

  private async process(qjob: Job<QueueJobData>, token: string | undefined): Promise<void> {
    const { syncJobId, range } = qjob.data;
    try {
      if (range === undefined) await this.runJob(syncJobId);
      else await this.runRange(syncJobId, range);
    } catch (e) {
      if (e instanceof RangeDeferredError || e instanceof StoppedError) {
        // Back to the queue, for whichever worker is free (after shutdown: another one).
        await qjob.moveToDelayed(Date.now() + (e instanceof StoppedError ? 0 : e.delayMs), token);
        throw new DelayedError();
      }
      throw e;
    }
  }

  private async runJob(id: string): Promise<void> {
    const { repo, runner, leaseMs } = this.deps;
    const found = await repo.get(id);
    if (!found || FINAL_STATES.has(found.state)) return;
    const job = await repo.takeOver(id, runner.owner, leaseMs);
    if (!job) return;
    if (job.kind === SyncJobKind.VICI_IMPORT) return this.plan(job);
    await runner.run(job);
    // The runner leaves the job RUNNING when this process stops: it must go back to the queue.
    if (runner.isHalted && isActive((await repo.get(id))?.state)) throw new StoppedError();
  }

  /** Cuts an import into ranges (once: a repeated plan keeps the first) and queues one job per range. */
  private async plan(job: SyncJobRecord): Promise<void> {
    const { repo, runner, bus, log, leaseMs } = this.deps;
    let held = job;
    try {
      if (!(job.checkpoint as Partial<RangedImportCheckpoint> | null)?.ranges) {
        const ctx = runner.context(job, { owner: runner.owner, leaseMs });
        await ctx.phase("counting");
        const { ranges, total } = await this.importer().plan(ctx, this.redis.ranges);
        const planned = await repo.setRanges(job.id, { ranges }, "importing", total);
        if (!planned) return; // cancelled meanwhile
        held = planned;
        bus.publish(toProgress(held));
        log.info({ jobId: job.id, ranges: ranges.length }, "import cut into ranges");
      }
    } catch (e) {
      const fault = databaseFault(e);
      if (fault !== null) {
        // Planned again from the queue once the database answers (the job stays RUNNING, leased to no one).
        log.warn({ jobId: job.id, reason: fault }, "sync job waiting for a database");
        throw new RangeDeferredError(retryDelayMs(0, this.deps.retryBackoffMs));
      }
      const message = e instanceof Error ? e.message : String(e);
      log.error({ jobId: job.id, err: message }, "sync job failed");
      const failed = await repo.finishRunning(job.id, "FAILED", message.slice(0, 2000));
      if (failed) bus.publish(toProgress(failed));
      return;
    }
    const ranges = (held.checkpoint as RangedImportCheckpoint).ranges;
    await this.queue.addBulk(
      ranges.flatMap((r, i) =>
        r.done
          ? []
          : [
              {
                name: "range",
                data: { syncJobId: job.id, range: i },
                opts: { jobId: `range-${job.id}-${i}`, removeOnComplete: true, removeOnFail: 1000 },
              },
            ],
      ),
    );
  }

  private async runRange(id: string, index: number): Promise<void> {
    const { repo, runner, bus, log } = this.deps;
    const held = await repo.takeRange(id, index, runner.owner);
    if (!held) return; // the job ended (cancelled, failed)
    const range = (held.checkpoint as RangedImportCheckpoint).ranges[index];
    if (range.done) return;
    const ctx = runner.context<ImportCheckpoint>(held, { owner: runner.owner, range: index }, range.cp);
    try {
      await this.importer().runRange(ctx, range, (leadIds) => this.awaitRows(id, leadIds));
      const after = await repo.finishRange(id, index, runner.owner);
      if (after) bus.publish(toProgress(after));
      if (after && FINAL_STATES.has(after.state)) log.info({ jobId: id, kind: after.kind }, "sync job succeeded");
    } catch (e) {
      if (e instanceof RangeDeferredError || e instanceof StoppedError) throw e;
      if (e instanceof LostJobError) return; // another worker holds this range now, or the job ended
      if (e instanceof JobCancelledError) {
        const cancelled = await repo.finishRunning(id, "CANCELLED", null);
        if (cancelled) bus.publish(toProgress(cancelled));
        return;
      }
      const fault = databaseFault(e);
      if (fault !== null) {
        // A database did not answer: WAITING, and the range goes back to the queue to resume
        // from its checkpoint after a backoff as long as it has waited so far.
        const waiting = await repo.wait(id, { owner: runner.owner, range: index }, fault).catch(() => null);
        const waited = waiting?.waitingSince ? Date.now() - new Date(waiting.waitingSince).getTime() : 0;
        if (waited <= this.deps.maxWaitMs) {
          if (waiting) bus.publish(toProgress(waiting));
          log.warn({ jobId: id, range: index, reason: fault }, "sync job range waiting for a database");
          throw new RangeDeferredError(Math.max(retryDelayMs(0, this.deps.retryBackoffMs), Math.min(30_000, waited)));
        }
      }
      const message = fault
        ? `gave up after waiting for a database (JOB_MAX_WAIT_MS): ${fault}`
        : e instanceof Error
          ? e.message
          : String(e);
      log.error({ jobId: id, range: index, err: message }, "sync job failed");
      const failed = await repo.finishRunning(id, "FAILED", message.slice(0, 2000));
      if (failed) bus.publish(toProgress(failed));
    }
  }

  /**
   * Waits until the earlier ranges have committed these lead_ids (their batch checkpoint is
   * past them); after a short while, gives the worker back (RangeDeferredError) so the range
   * it waits for is never starved of one.
   */
  private async awaitRows(id: string, leadIds: number[]): Promise<void> {
    if (leadIds.length === 0) return;
    for (let poll = 0; ; poll++) {
      const job = await this.deps.repo.get(id);
      if (!job || !isActive(job.state)) throw new LostJobError(id);
      if (job.cancelRequested) throw new JobCancelledError();
      const ranges = (job.checkpoint as RangedImportCheckpoint).ranges;
      if (leadIds.every((leadId) => isWritten(ranges, leadId))) return;
      if (poll >= AWAIT_ROWS_POLLS) throw new RangeDeferredError();
      await new Promise((r) => setTimeout(r, AWAIT_ROWS_POLL_MS));
    }
  }

  private importer(): ViciImportProcessor {
    return this.deps.runner.processor(SyncJobKind.VICI_IMPORT) as ViciImportProcessor;
  }
}

/** The range holding `leadId` has committed the batch that holds it. */
function isWritten(ranges: ImportRange[], leadId: number): boolean {
  const r = ranges.find((x) => leadId > x.after && (x.to === null || leadId <= x.to));
  return !r || r.done || (r.cp?.afterLeadId ?? r.after) >= leadId;
}
