import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";

export enum SyncJobKind {
  /** Phase 1: VICIdial's leads of the chosen campaigns into Brain. */
  VICI_IMPORT = "VICI_IMPORT",
  /** Phase 2: Brain's external_lead_id into VICIdial's empty vendor_lead_code. */
  VENDOR_CODES = "VENDOR_CODES",
  /** Option B: a CSV file into Brain (and, through the outbox, VICIdial). */
  CSV_IMPORT = "CSV_IMPORT",
  /** VICI_IMPORT, then VENDOR_CODES. */
  FULL = "FULL",
  /** Undoes another job from its recorded before-values. */
  ROLLBACK = "ROLLBACK",
}

export enum SyncJobState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  /** Running, but a database it needs does not answer: retried with backoff, resumes from its checkpoint. */
  WAITING = "WAITING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}

export const FINAL_STATES: ReadonlySet<SyncJobState> = new Set([
  SyncJobState.SUCCEEDED,
  SyncJobState.FAILED,
  SyncJobState.CANCELLED,
]);

/** RUNNING, or WAITING for a database (running, between retries). */
export function isActive(state: SyncJobState | null | undefined): boolean {
  return state === SyncJobState.RUNNING || state === SyncJobState.WAITING;
}

export interface CsvOptions {
  /** Server-side path of the file (CLI), or the CSV text itself (GraphQL). */
  path?: string | null;
  content?: string | null;
  /** CSV header → lead field (phone, firstName, ...); unmapped headers use the defaults. */
  mapping?: Record<string, string> | null;
  matchVici: boolean;
  updateExisting: boolean;
  /** How the file's bytes are read (csv.path only; csv.content is text already). Default UTF-8. */
  encoding?: "utf-8" | "latin1";
  /** The job fails once more rows than this were bad (errors); null: no limit. */
  maxErrors?: number | null;
}

export interface SyncJobOptions {
  /** Campaign ids (case-insensitive); empty = every list. */
  campaigns: string[];
  dryRun: boolean;
  /** At most this many source rows (the strategy's "test with 100 leads first"). */
  limit: number | null;
  batchSize: number;
  /** VENDOR_CODES: also replace a vendor code that holds something else (before-value kept). */
  overwrite: boolean;
  csv?: CsvOptions | null;
  /** ROLLBACK: the job to undo. */
  targetJobId?: string | null;
}

/**
 * What a job did, row by row: every source row it processed (a Vici row, a CSV data row, a
 * record a rollback undoes) counts in exactly one of the other counters, so
 * processed = created + updated + linked + skipped + unchanged + conflicts + errors, for
 * every kind, dry runs included. What each means is in the GraphQL schema (JobCounters).
 */
export interface JobCounters {
  processed: number;
  created: number;
  updated: number;
  linked: number;
  skipped: number;
  unchanged: number;
  conflicts: number;
  errors: number;
}

export const COUNTER_NAMES: (keyof JobCounters)[] = [
  "processed",
  "created",
  "updated",
  "linked",
  "skipped",
  "unchanged",
  "conflicts",
  "errors",
];

/** The counters that add up to `processed`. */
export const OUTCOME_COUNTERS = COUNTER_NAMES.filter((c) => c !== "processed");

/** A sync_jobs row as the engine and the API see it. */
export interface SyncJobRecord extends JobCounters {
  id: string;
  kind: SyncJobKind;
  state: SyncJobState;
  options: SyncJobOptions;
  dryRun: boolean;
  phase: string | null;
  total: number | null;
  checkpoint: unknown;
  error: string | null;
  startedBy: string | null;
  parentJobId: string | null;
  cancelRequested: boolean;
  longestStatementMs: number | null;
  rolledBackBy: string | null;
  /** WAITING: why (which database, its error), and since when. */
  waitReason: string | null;
  waitingSince: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface SyncJobIssueInput {
  /** NOTICE: reported for information, in no counter. HELD: a lead stored but not to be called (yet): DNC, or a recent call (with when it lifts). */
  kind: "CONFLICT" | "ERROR" | "SKIPPED" | "CHANGED" | "NOTICE" | "HELD";
  line?: number | null;
  viciLeadId?: number | null;
  brainLeadId?: string | null;
  reason: string;
  data?: unknown;
}

export interface BatchResult<C> {
  deltas: Partial<JobCounters>;
  checkpoint: C;
  issues?: SyncJobIssueInput[];
}

/** Thrown inside a job when an operator cancelled it; the engine ends the job CANCELLED. */
export class JobCancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "JobCancelledError";
  }
}

/** What a processor gets at each run: the job, the databases, and the one way to commit progress (the services it uses come through its constructor). */
export interface JobRunContext<C = unknown> {
  readonly job: SyncJobRecord;
  readonly checkpoint: C | null;
  readonly brain: DataSource;
  readonly vici: DataSource;
  readonly config: AppConfig;
  readonly log: Logger;
  /** Sets the phase (and total, when known) and publishes progress. */
  phase(name: string, total?: number | null): Promise<void>;
  /**
   * Runs `fn` in one Brain transaction and commits, in the same transaction, its counter
   * deltas, issues and checkpoint: a batch happens wholly or not at all. Throws
   * JobCancelledError first if an operator cancelled the job.
   */
  batch(fn: (m: EntityManager) => Promise<BatchResult<C>>): Promise<void>;
  /** Notes the longest single statement (VENDOR_CODES: table-lock time on vicidial_list). */
  noteStatementMs(ms: number): void;
}

export interface JobProcessor {
  readonly kind: SyncJobKind;
  run(ctx: JobRunContext<any>): Promise<void>;
}
