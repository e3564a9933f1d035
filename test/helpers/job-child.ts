/**
 * A gateway process that runs one sync job, for tests that kill it (SIGKILL) mid-job.
 * Run built: node dist/test/helpers/job-child.js (test/global-setup.ts builds it).
 * Env: the usual configuration, plus CHILD_JOB_KIND and CHILD_BATCH_SIZE, and optionally
 * CHILD_DIE_AFTER_PART=N: the process kills itself (SIGKILL) right after the Nth commit of a
 * batch part that is ahead of the rest of its batch (VICI_IMPORT writes a batch as parts).
 * CHILD_DIE_AT_VENDOR_WRITE=N / CHILD_DIE_AFTER_VENDOR_WRITE=N: the process kills itself right
 * before / right after the Nth VICIdial write of vendor codes (VENDOR_CODES: one per chunk).
 * CHILD_ROLLBACK_OF=<job id>: runs a ROLLBACK of that job instead of CHILD_JOB_KIND, and with
 * CHILD_DIE_AFTER_VICI_DELETES=N the process kills itself (SIGKILL) right after its Nth
 * VICIdial row deletion (before Brain hears of it).
 * Prints one line {"jobId": "..."} once the job exists, then runs it.
 */
import "reflect-metadata";
import pino from "pino";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config/app-config";
import type { SyncJobKind } from "../../src/jobs/sync-job.types";
import { VendorCodeWriter } from "../../src/vici/db/vendor-code.writer";

async function main() {
  const app = createApp(loadConfig(process.env), { log: pino({ level: "silent" }) });
  await app.init();
  const dieAfter = Number(process.env.CHILD_DIE_AFTER_PART ?? 0);
  if (dieAfter > 0) {
    let parts = 0;
    const repo = app.services.syncJobRepo;
    const commitBatch = repo.commitBatch.bind(repo);
    repo.commitBatch = async (m, ...rest) => {
      const r = await commitBatch(m, ...rest);
      const checkpoint = rest[2] as { partsAfter?: number[] } | null;
      if (checkpoint?.partsAfter && ++parts === dieAfter) {
        // Die once this part's transaction has committed, before the batch's other part does.
        const q = m.queryRunner!;
        const commit = q.commitTransaction.bind(q);
        q.commitTransaction = async () => {
          await commit();
          process.kill(process.pid, "SIGKILL");
        };
      }
      return r;
    };
  }
  const dieAfterDeletes = Number(process.env.CHILD_DIE_AFTER_VICI_DELETES ?? 0);
  if (dieAfterDeletes > 0) {
    let deletes = 0;
    const writer = app.services.writer;
    const deleteLead = writer.deleteLead.bind(writer);
    writer.deleteLead = async (...args) => {
      const r = await deleteLead(...args);
      if (r === "DELETED" && ++deletes === dieAfterDeletes) process.kill(process.pid, "SIGKILL");
      return r;
    };
  }
  const dieAtWrite = Number(process.env.CHILD_DIE_AT_VENDOR_WRITE ?? 0);
  const dieAfterWrite = Number(process.env.CHILD_DIE_AFTER_VENDOR_WRITE ?? 0);
  if (dieAtWrite > 0 || dieAfterWrite > 0) {
    let writes = 0;
    const change = VendorCodeWriter.prototype.change;
    VendorCodeWriter.prototype.change = async function (...args) {
      if (++writes === dieAtWrite) process.kill(process.pid, "SIGKILL");
      const r = await change.apply(this, args);
      if (writes === dieAfterWrite) process.kill(process.pid, "SIGKILL");
      return r;
    };
  }
  const rollbackOf = process.env.CHILD_ROLLBACK_OF;
  const job = rollbackOf
    ? await app.services.syncJobs.rollback(rollbackOf, false, "child")
    : await app.services.syncJobs.start(
        {
          kind: process.env.CHILD_JOB_KIND as SyncJobKind,
          campaigns: [],
          batchSize: Number(process.env.CHILD_BATCH_SIZE ?? 100),
        },
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
