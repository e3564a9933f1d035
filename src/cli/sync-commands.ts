import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { MAX_BATCH_SIZE, type StartSyncRequest } from "../jobs/sync-job.service";
import { SyncJobKind, type SyncJobRecord } from "../jobs/sync-job.types";
import { cliPrincipal, usageExit, withApp, type CliRun } from "./app-runner";
import { followAndReport, issueSummary, jobForOutput } from "./follow-job";
import { EXIT, UsageError, parseCampaigns, parseCount, parseJobId, parseMapping, parsePositiveInt } from "./output";

interface JobOpts {
  campaigns?: string[];
  dryRun?: boolean;
  limit?: number;
  batchSize?: number;
  overwrite?: boolean;
  json?: boolean;
  wait: boolean;
}

/**
 * The job commands (the strategy's artisan commands): each starts a sync job and follows it
 * to the end in this process, with a progress display; `--no-wait` only queues it.
 */
export function registerSyncCommands(program: Command): void {
  // The command's own arguments and options first (in --help too), then the common ones.
  const jobCommand = (name: string, description: string, own: (c: Command) => Command = (c) => c) =>
    own(usageExit(program.command(name)).description(description))
      .option("--dry-run", "report what would change; write nothing")
      .option("--limit <n>", "at most this many source rows (test with a small batch first)", parsePositiveInt())
      .option(
        "--batch-size <n>",
        `rows per batch (one Brain transaction each; 1 to ${MAX_BATCH_SIZE}, default 5000)`,
        parsePositiveInt(MAX_BATCH_SIZE),
      )
      .option("--json", "print one JSON object at the end (the job and its issue counts), no progress")
      .option("--no-wait", "queue the job and exit (a gateway runs it; follow it with `vici-brain job ID`)");
  const campaigns = (c: Command) =>
    c.option(
      "--campaigns <ids>",
      "campaign ids, comma-separated, within VICI_CAMPAIGNS (default: VICI_CAMPAIGNS, else every campaign)",
      parseCampaigns,
    );

  jobCommand("import-to-brain", "Phase 1: import VICIdial's leads of the campaigns into Brain (VICI_IMPORT)", campaigns)
    .addHelpText("after", "\nExample:\n  vici-brain import-to-brain --campaigns=Auto2,Autodial --dry-run --limit 100")
    .action((opts: JobOpts) => startJob(opts, { kind: SyncJobKind.VICI_IMPORT, ...common(opts) }));

  jobCommand(
    "update-vendor-codes",
    "Phase 2: write Brain's external_lead_id into VICIdial's empty vendor_lead_code (VENDOR_CODES)",
    (c) =>
      campaigns(c).option(
        "--overwrite",
        "also replace a vendor code that holds something else (the old value is kept for rollback)",
      ),
  )
    .addHelpText("after", "\nExample:\n  vici-brain update-vendor-codes --campaigns=Auto2,Autodial")
    .action((opts: JobOpts) =>
      startJob(opts, { kind: SyncJobKind.VENDOR_CODES, ...common(opts), overwrite: !!opts.overwrite }),
    );

  jobCommand(
    "full-sync",
    "Phase 1 then Phase 2 in one job (FULL): import into Brain, then write the vendor codes",
    (c) => campaigns(c).option("--overwrite", "Phase 2 also replaces vendor codes that hold something else"),
  )
    .addHelpText("after", "\nExample:\n  vici-brain full-sync --campaigns=Auto2,Autodial")
    .action((opts: JobOpts) =>
      startJob(opts, { kind: SyncJobKind.FULL, ...common(opts), overwrite: !!opts.overwrite }),
    );

  jobCommand(
    "import-csv",
    "Option B: import a CSV file into Brain, matching VICIdial's leads by phone (CSV_IMPORT)",
    (c) =>
      c
        .argument("<file>", "the CSV file (a header row; read by the process that runs the job)")
        .option("--match-vici", "look each phone up in VICIdial first: link existing leads instead of pushing new ones")
        .option("--update-existing", "update Brain leads that already have the phone (default: leave them)")
        .option("--encoding <encoding>", "how the file's bytes are read: utf-8 (default) or latin1 (Windows-1252)")
        .option(
          "--max-errors <n>",
          "fail the job once more than N rows are bad (default: no limit; 0: at the first)",
          parseCount,
        )
        .option(
          "--map <header=field>",
          "a CSV column → lead field (phone, firstName, lastName, email, address1, address2, city, state, postalCode, source, campaignId, listId; HEADER= ignores a column); repeat for more",
          parseMapping,
        ),
  )
    .addHelpText(
      "after",
      '\nExample:\n  vici-brain import-csv leads.csv --match-vici --update-existing --map "Phone Number=phone"',
    )
    .addHelpText(
      "after",
      "\nExit code 0: every row imported; 3: the job finished but some rows were rejected (see vici-brain job ID); 1: the job failed (e.g. --max-errors).",
    )
    .action(
      (
        file: string,
        opts: JobOpts & {
          matchVici?: boolean;
          updateExisting?: boolean;
          map?: Record<string, string>;
          maxErrors?: number;
          encoding?: string;
        },
      ) =>
        startJob(opts, () => ({
          kind: SyncJobKind.CSV_IMPORT,
          ...common(opts),
          csv: {
            path: readableFile(file),
            mapping: opts.map ?? null,
            matchVici: !!opts.matchVici,
            updateExisting: !!opts.updateExisting,
            maxErrors: opts.maxErrors ?? null,
            encoding: (opts.encoding?.toLowerCase() ?? "utf-8") as "utf-8" | "latin1",
          },
        })),
    );

  usageExit(program.command("rollback"))
    .description("undo a finished job from its recorded before-values (a ROLLBACK job)")
    .argument("<job>", "the id of the job to undo", parseJobId)
    .option("--dry-run", "report what the rollback would do; change nothing")
    .option("--json", "print one JSON object at the end, no progress")
    .option("--no-wait", "queue the rollback and exit")
    .addHelpText("after", "\nExample:\n  vici-brain rollback 42 --dry-run")
    .action((jobId: string, opts: { dryRun?: boolean; json?: boolean; wait: boolean }) =>
      withApp({ json: opts.json, runJobs: opts.wait }, async (run) =>
        started(run, opts.wait, await run.app.services.syncJobs.rollback(jobId, !!opts.dryRun, cliPrincipal())),
      ),
    );
}

function common(opts: JobOpts): Omit<StartSyncRequest, "kind"> {
  return {
    campaigns: opts.campaigns ?? [],
    dryRun: !!opts.dryRun,
    limit: opts.limit ?? null,
    batchSize: opts.batchSize ?? null,
  };
}

/** `req` as a function: checked (UsageError → exit 2) before the databases are opened. */
function startJob(opts: JobOpts, req: StartSyncRequest | (() => StartSyncRequest)): Promise<void> {
  return withApp(
    { json: opts.json, runJobs: opts.wait, prepare: typeof req === "function" ? req : () => req },
    async (run, request) => started(run, opts.wait, await run.app.services.syncJobs.start(request, cliPrincipal())),
  );
}

async function started(run: CliRun, wait: boolean, job: SyncJobRecord): Promise<number> {
  if (wait) return followAndReport(run, job);
  run.out.result({ job: jobForOutput(job), issues: await issueSummary(run.app, job.id) });
  run.out.line(
    `job ${job.id} ${job.kind} queued${job.dryRun ? " (dry run)" : ""}: follow it with  vici-brain job ${job.id}`,
  );
  return EXIT.OK;
}

/** The CSV's absolute path (the job may be run by another process); it must be a readable file. */
function readableFile(file: string): string {
  const abs = path.resolve(file);
  try {
    if (!fs.statSync(abs).isFile()) throw new Error();
    fs.accessSync(abs, fs.constants.R_OK);
  } catch {
    throw new UsageError(`cannot read the CSV file ${file}`);
  }
  return abs;
}
