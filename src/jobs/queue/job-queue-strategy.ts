import type { SyncJobRecord } from "../sync-job.types";

/**
 * Where sync jobs run (Vendure's JobQueueStrategy): in this process (InProcessJobQueueStrategy,
 * the default), or on BullMQ queues that `worker` processes consume (BullMqJobQueueStrategy,
 * when REDIS_URL is set). Either way the job itself — state, counters, checkpoint — lives in
 * Brain's sync_jobs; the strategy only decides who runs it.
 */
export interface JobQueueStrategy {
  /** Runs here: jobs of this strategy are executed by this process. */
  readonly runsHere: boolean;
  /** A job was just inserted (QUEUED): get it to whoever runs jobs. */
  add(job: SyncJobRecord): Promise<void>;
  /** Starts consuming jobs (a gateway with JOBS_RUN, or a worker). */
  start(): Promise<void>;
  /** Stops consuming; a job running here stops at its next batch and stays resumable. */
  stop(): Promise<void>;
  /** Runs what this process can claim until none is left (CLI, tests); a no-op when jobs run elsewhere. */
  drain(): Promise<void>;
}
