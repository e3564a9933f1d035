import { createPubSub } from "@graphql-yoga/subscription";
import { FINAL_STATES, type SyncJobRecord, type SyncJobState } from "./sync-job.types";

/** One progress event of a sync job, as syncJobProgress streams it. */
export interface SyncJobProgressEvent {
  jobId: string;
  kind: string;
  state: SyncJobState;
  phase: string | null;
  processed: number;
  total: number | null;
  created: number;
  updated: number;
  linked: number;
  skipped: number;
  unchanged: number;
  conflicts: number;
  errors: number;
  /** Over the job's running time so far. */
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  error: string | null;
  /** WAITING: why (the database it cannot reach). */
  waitReason: string | null;
  final: boolean;
}

export function toProgress(j: SyncJobRecord, now = Date.now()): SyncJobProgressEvent {
  const started = j.startedAt ? new Date(j.startedAt).getTime() : null;
  const end = j.finishedAt ? new Date(j.finishedAt).getTime() : now;
  const seconds = started ? Math.max(0.001, (end - started) / 1000) : null;
  const rate = seconds && j.processed > 0 ? j.processed / seconds : null;
  const final = FINAL_STATES.has(j.state);
  return {
    jobId: j.id,
    kind: j.kind,
    state: j.state,
    phase: j.phase,
    processed: j.processed,
    total: j.total,
    created: j.created,
    updated: j.updated,
    linked: j.linked,
    skipped: j.skipped,
    unchanged: j.unchanged,
    conflicts: j.conflicts,
    errors: j.errors,
    rowsPerSecond: rate === null ? null : Math.round(rate),
    etaSeconds: final ? 0 : rate && j.total !== null ? Math.max(0, Math.round((j.total - j.processed) / rate)) : null,
    error: j.error,
    waitReason: j.waitReason ?? null,
    final,
  };
}

/**
 * Progress events by job. In-process by default; the Redis-backed bus (scale-out) keeps the
 * same interface. Topics are namespaced so a shared Redis can carry other apps' channels.
 */
export interface JobProgressBus {
  publish(e: SyncJobProgressEvent): void;
  subscribe(jobId: string): AsyncIterable<SyncJobProgressEvent> & { return?: () => Promise<unknown> };
  /** Closes its connections (the Redis bus). */
  close(): Promise<void>;
}

export function createInProcessBus(): JobProgressBus {
  const pubsub = createPubSub<{ [topic: string]: [SyncJobProgressEvent] }>();
  const topic = (id: string) => `vici-brain:job-progress:${id}`;
  return {
    publish: (e) => pubsub.publish(topic(e.jobId), e),
    subscribe: (jobId) => pubsub.subscribe(topic(jobId)) as any,
    close: async () => undefined,
  };
}
