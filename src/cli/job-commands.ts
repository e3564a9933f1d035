import type { Command } from "commander";
import type { SyncJobKind, SyncJobRecord, SyncJobState } from "../jobs/sync-job.types";
import { usageExit, withApp } from "./app-runner";
import { issueForOutput, issueSummary, jobForOutput, printJobSummary } from "./follow-job";
import {
  EXIT,
  formatCount,
  formatTime,
  isFinal,
  parseJobId,
  parseKinds,
  parsePositiveInt,
  parseStates,
  table,
} from "./output";

/** Reading and stopping jobs: `jobs`, `job ID`, `cancel ID`. These never run a job themselves. */
export function registerJobCommands(program: Command): void {
  usageExit(program.command("jobs"))
    .description("list sync jobs, newest first")
    .option(
      "--state <states>",
      "only these states (QUEUED, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED; comma-separated)",
      parseStates,
    )
    .option(
      "--kind <kinds>",
      "only these kinds (VICI_IMPORT, VENDOR_CODES, CSV_IMPORT, FULL, ROLLBACK; comma-separated)",
      parseKinds,
    )
    .option("--limit <n>", "at most this many (1 to 500, default 20)", parsePositiveInt(500), 20)
    .option("--json", "print { jobs: [...] }")
    .addHelpText("after", "\nExample:\n  vici-brain jobs --state RUNNING,QUEUED")
    .action((opts: { state?: SyncJobState[]; kind?: SyncJobKind[]; limit: number; json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const jobs = await app.services.syncJobs.list({
          states: opts.state ?? null,
          kinds: opts.kind ?? null,
          first: opts.limit,
        });
        out.result({ jobs: jobs.map(jobForOutput) });
        if (jobs.length === 0) {
          out.line("no jobs");
          return EXIT.OK;
        }
        for (const l of table(
          [
            "id",
            "kind",
            "state",
            "dry",
            "processed",
            "created",
            "updated",
            "linked",
            "skipped",
            "unchanged",
            "conflicts",
            "errors",
            "created at",
            "by",
          ],
          jobs.map((j) => [
            j.id,
            j.kind,
            j.state + (j.cancelRequested && !isFinal(j.state) ? " (cancelling)" : ""),
            j.dryRun ? "yes" : "",
            `${formatCount(j.processed)}${j.total !== null ? `/${formatCount(j.total)}` : ""}`,
            formatCount(j.created),
            formatCount(j.updated),
            formatCount(j.linked),
            formatCount(j.skipped),
            formatCount(j.unchanged),
            formatCount(j.conflicts),
            formatCount(j.errors),
            formatTime(j.createdAt),
            j.startedBy ?? "",
          ]),
        )) {
          out.line(l);
        }
        return EXIT.OK;
      }),
    );

  usageExit(program.command("job"))
    .description("one job: its state, counters, options and its first issues")
    .argument("<id>", "the job id", parseJobId)
    .option("--issues <n>", "how many issues to show (1 to 10000, default 20)", parsePositiveInt(10_000), 20)
    .option("--json", "print { job, issues: { total, byKind, first: [...] } }")
    .addHelpText("after", "\nExample:\n  vici-brain job 42 --issues 100")
    .action((id: string, opts: { issues: number; json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const job = await app.services.syncJobs.get(id);
        const summary = await issueSummary(app, id);
        const first: Record<string, unknown>[] = (await app.services.syncJobs.issues(id, { first: opts.issues })).map(
          issueForOutput,
        );
        out.result({ job: jobForOutput(job), issues: { ...summary, first } });
        printJobSummary(out, job, summary, false);
        printJobDetails(out.line.bind(out), job);
        if (first.length) {
          out.line(`  first ${first.length} of ${formatCount(summary.total)} issues:`);
          for (const l of table(
            ["kind", "line", "vici lead", "brain lead", "reason"],
            first.map((i) => [String(i.kind), str(i.line), str(i.viciLeadId), str(i.brainLeadId), String(i.reason)]),
          )) {
            out.line(`    ${l}`);
          }
        }
        return EXIT.OK;
      }),
    );

  usageExit(program.command("cancel"))
    .description(
      "stop a job: a queued one at once, a running one at its next batch (what it committed stays; roll it back if needed)",
    )
    .argument("<id>", "the job id", parseJobId)
    .option("--json", "print { job }")
    .addHelpText("after", "\nExample:\n  vici-brain cancel 42")
    .action((id: string, opts: { json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const job = await app.services.syncJobs.cancel(id);
        out.result({ job: jobForOutput(job) });
        out.line(
          isFinal(job.state)
            ? `job ${job.id} ${job.kind} ${job.state}`
            : `job ${job.id} ${job.kind}: cancel requested; it stops at its next batch (watch it with: vici-brain job ${job.id})`,
        );
        return EXIT.OK;
      }),
    );
}

function str(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}

function printJobDetails(line: (t: string) => void, job: SyncJobRecord): void {
  const o = job.options;
  const parts = [
    job.kind === "CSV_IMPORT" || job.kind === "ROLLBACK"
      ? null
      : o.campaigns?.length
        ? `campaigns ${o.campaigns.join(",")}`
        : "every list",
    o.limit !== null && o.limit !== undefined ? `limit ${o.limit}` : null,
    `batch size ${o.batchSize}`,
    o.overwrite ? "overwrite" : null,
    o.csv?.path ? `file ${o.csv.path}` : null,
    o.csv?.matchVici ? "match-vici" : null,
    o.csv?.updateExisting ? "update-existing" : null,
    o.targetJobId ? `undoes job ${o.targetJobId}` : null,
  ].filter(Boolean);
  line(`  options: ${parts.join(", ")}`);
  if (job.phase)
    line(
      `  ${isFinal(job.state) ? "last phase" : "phase"}: ${job.phase}${job.cancelRequested && !isFinal(job.state) ? " (cancel requested)" : ""}`,
    );
  line(
    `  created ${formatTime(job.createdAt)}  started ${formatTime(job.startedAt)}  finished ${formatTime(job.finishedAt)}  by ${job.startedBy ?? "-"}`,
  );
  if (job.parentJobId) line(`  rolls back job ${job.parentJobId}`);
  if (job.rolledBackBy) line(`  rolled back by job ${job.rolledBackBy}`);
  if (job.longestStatementMs !== null) line(`  longest VICIdial statement ${job.longestStatementMs} ms`);
}
