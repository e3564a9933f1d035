import type { JobRunner } from "../job-runner";
import type { SyncJobRecord } from "../sync-job.types";
import type { JobQueueStrategy } from "./job-queue-strategy";

/**
 * One process does everything (no REDIS_URL): the JobRunner polls Brain's sync_jobs, claims a
 * job with a lease and runs it; another process takes it over when the lease lapses.
 */
export class InProcessJobQueueStrategy implements JobQueueStrategy {
  readonly runsHere = true;

  constructor(readonly runner: JobRunner) {}

  async add(_job: SyncJobRecord): Promise<void> {
    this.runner.kick(); // look now instead of at the next poll
  }

  async start(): Promise<void> {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  drain(): Promise<void> {
    return this.runner.drain();
  }
}
