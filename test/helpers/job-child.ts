/**
 * A gateway process that runs one sync job, for tests that kill it (SIGKILL) mid-job.
 * Run with: node -r ts-node/register/transpile-only test/helpers/job-child.ts
 * Env: the usual configuration, plus CHILD_JOB_KIND and CHILD_BATCH_SIZE.
 * Prints one line {"jobId": "..."} once the job exists, then runs it.
 */
import "reflect-metadata";
import pino from "pino";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config/app-config";
import type { SyncJobKind } from "../../src/jobs/sync-job.types";

async function main() {
  const app = createApp(loadConfig(process.env), { log: pino({ level: "silent" }) });
  await app.init();
  const job = await app.services.syncJobs.start(
    { kind: process.env.CHILD_JOB_KIND as SyncJobKind, campaigns: [], batchSize: Number(process.env.CHILD_BATCH_SIZE ?? 100) },
    "child",
  );
  process.stdout.write(JSON.stringify({ jobId: job.id }) + "\n");
  await app.jobs.drain();
  await app.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
