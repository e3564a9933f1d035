import type { GatewayApp } from "../app";
import { toProgress, type SyncJobProgressEvent } from "../jobs/progress";
import { SyncJobState, type SyncJobRecord } from "../jobs/sync-job.types";
import type { CliRun } from "./app-runner";
import { EXIT, formatCount, formatDuration, maskDeep, maskPhonesInText, type Output } from "./output";
import { createProgressView, progressModeFor, type ProgressView } from "./progress-view";

export interface IssueSummary {
  total: number;
  byKind: Record<string, number>;
}

export interface FollowResult {
  job: SyncJobRecord;
  /** Ctrl-C: a cancel was requested (exit 130). */
  interrupted: boolean;
  /** SIGTERM: the job was left to resume (exit 143). */
  terminated: boolean;
}

/** How often the job's row is read while following (a job another process runs sends no events here). */
const POLL_MS = 1000;

/**
 * Follows a job to its final state: runs claimable jobs in this process (app.jobs.drain(),
 * unless JOBS_RUN=false) while rendering the job's events (syncJobs.progress: this process's
 * in-process bus), and reads the job's row every second, which is how a job that a gateway
 * elsewhere claimed is followed. Ctrl-C requests a cancel and waits for CANCELLED (a second
 * Ctrl-C exits at once); SIGTERM stops following and leaves the job resumable.
 */
export async function followJob(run: CliRun, started: SyncJobRecord, view: ProgressView): Promise<FollowResult> {
  const { app } = run;
  const id = started.id;
  const jobs = app.services.syncJobs;
  let interrupted = false;
  let terminated = false;
  let last: SyncJobProgressEvent | null = null;
  let finished!: (e: SyncJobProgressEvent | null) => void;
  const done = new Promise<SyncJobProgressEvent | null>((r) => (finished = r));
  let over = false;

  const onEvent = (e: SyncJobProgressEvent) => {
    if (over || (!e.final && last && staleOrSame(e, last))) return;
    last = e;
    if (e.final) {
      over = true;
      finished(e);
    } else {
      view.update(e);
    }
  };

  const onSigint = () => {
    if (over) return; // ended already: the summary is on its way
    if (interrupted) {
      view.close();
      process.stderr.write("interrupted again: exiting without waiting (the job stops at its next batch)\n");
      process.exit(EXIT.INTERRUPTED);
    }
    interrupted = true;
    view.note(`cancelling job ${id}... (Ctrl-C again to exit without waiting)`);
    jobs.cancel(id).catch((e) => app.log.debug({ err: e }, "cancel after the job ended"));
  };
  const onSigterm = () => {
    if (over) return;
    terminated = true;
    view.note(`terminated: job ${id} is left to resume (it stops at its next batch)`);
    over = true;
    finished(null);
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);

  // Events of this process.
  void (async () => {
    try {
      for await (const e of jobs.progress(id)) {
        onEvent(e);
        if (over) break;
      }
    } catch (e) {
      if (!over) app.log.debug({ err: e }, "progress events ended");
    }
  })();

  // Run it here (and whatever is queued before it), unless this process does not run jobs.
  if (app.config.jobs.run && app.jobs.runsHere) {
    run.track(app.jobs.drain().catch((e) => app.log.error({ err: e }, "job runner failed")));
  } else if (!app.jobs.runsHere) {
    view.note(`job ${id} is queued for the workers (REDIS_URL); following it (Ctrl-C cancels it)`);
  } else {
    view.note(`JOBS_RUN=false: job ${id} is queued; waiting for a gateway to run it (Ctrl-C cancels it)`);
  }

  // The row itself: progress of a job another process runs, and the final state in any case.
  let polling = false;
  const poll = setInterval(() => {
    if (polling || over) return;
    polling = true;
    jobs
      .get(id)
      .then((j) => onEvent(toProgress(j)))
      .catch((e) => app.log.warn({ err: e }, "could not read the job"))
      .finally(() => (polling = false));
  }, POLL_MS);

  try {
    const final = await done;
    const job = await jobs.get(id);
    if (final) view.finish(toProgress(job));
    else if (last) view.finish(last);
    return { job, interrupted, terminated };
  } finally {
    view.close();
    clearInterval(poll);
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
  }
}

/** Events of this process and the polled row interleave: never step back, skip repeats. */
function staleOrSame(e: SyncJobProgressEvent, last: SyncJobProgressEvent): boolean {
  if (e.processed !== last.processed) return e.processed < last.processed;
  return e.phase === last.phase && e.state === last.state && e.total === last.total;
}

/** Issue counts by kind, from Brain. */
export async function issueSummary(app: GatewayApp, jobId: string): Promise<IssueSummary> {
  const rows: { kind: string; n: string }[] = await app.brain.query(
    "SELECT kind, count(*)::text AS n FROM sync_job_issues WHERE job_id = $1 GROUP BY kind ORDER BY kind",
    [jobId],
  );
  const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  return { total: rows.reduce((a, r) => a + Number(r.n), 0), byKind };
}

/** A job record as the CLI shows it: its error text masked. */
export function jobForOutput(job: SyncJobRecord): SyncJobRecord {
  return { ...job, error: job.error === null ? null : maskPhonesInText(job.error) };
}

export function issueForOutput(i: Record<string, unknown>): Record<string, unknown> {
  return {
    ...i,
    reason: typeof i.reason === "string" ? maskPhonesInText(i.reason) : i.reason,
    data: maskDeep(i.data ?? null),
  };
}

/** The summary of a finished job, for people. */
export function printJobSummary(out: Output, job: SyncJobRecord, issues: IssueSummary, hints = true): void {
  const seconds =
    job.startedAt && job.finishedAt
      ? (new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime()) / 1000
      : null;
  const took = seconds !== null ? ` in ${formatDuration(seconds)}` : "";
  out.line(`job ${job.id} ${job.kind} ${job.state}${took}${job.dryRun ? " (dry run: nothing was written)" : ""}`);
  out.line(
    `  processed ${formatCount(job.processed)}${job.total !== null ? `/${formatCount(job.total)}` : ""}  created ${formatCount(job.created)}  ` +
      `updated ${formatCount(job.updated)}  linked ${formatCount(job.linked)}  skipped ${formatCount(job.skipped)}  unchanged ${formatCount(job.unchanged)}  ` +
      `conflicts ${formatCount(job.conflicts)}  errors ${formatCount(job.errors)}`,
  );
  if (job.error) out.line(`  error: ${maskPhonesInText(job.error)}`);
  if (issues.total > 0) {
    const kinds = Object.entries(issues.byKind)
      .map(([k, n]) => `${k} ${formatCount(n)}`)
      .join(", ");
    out.line(
      `  issues: ${formatCount(issues.total)} (${kinds})${hints ? `; list them with: vici-brain job ${job.id}` : ""}`,
    );
  }
  if (hints && job.state === SyncJobState.SUCCEEDED && !job.dryRun && job.kind !== "ROLLBACK" && !job.rolledBackBy) {
    out.line(`  undo with: vici-brain rollback ${job.id} --dry-run (then without --dry-run)`);
  }
}

/**
 * Starts following a job the command just created: the progress display, the final record,
 * the result (summary or JSON) and the exit code.
 */
export async function followAndReport(run: CliRun, started: SyncJobRecord): Promise<number> {
  const { app, out } = run;
  if (!out.json) out.note(`job ${started.id} ${started.kind} queued${started.dryRun ? " (dry run)" : ""}`);
  const view = createProgressView(progressModeFor(out.json));
  const r = await followJob(run, started, view);
  const issues = await issueSummary(app, r.job.id);
  out.result({ job: jobForOutput(r.job), issues });
  printJobSummary(out, r.job, issues);
  if (r.terminated) return EXIT.TERMINATED;
  if (r.interrupted) return EXIT.INTERRUPTED;
  return exitCodeOfJob(r.job);
}

/** 0 only for a job that SUCCEEDED with no row rejected; 3 when some rows were; 1 when it failed or was cancelled. */
export function exitCodeOfJob(job: SyncJobRecord): number {
  if (job.state !== SyncJobState.SUCCEEDED) return EXIT.FAILED;
  return job.errors > 0 ? EXIT.ROWS_REJECTED : EXIT.OK;
}
