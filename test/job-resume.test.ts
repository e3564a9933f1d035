import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { dbNameFor, freshBrainDb, freshDemoViciDb } from "./helpers/databases";
import { importSnapshot, jobCounters, managedViciRows } from "./helpers/import-state";
import { allVendorCodeChanges } from "./helpers/vendor-code-changes";

/**
 * A sync job in a real child process, killed with SIGKILL mid-job: another process takes the
 * job over when its lease runs out, resumes from the last committed checkpoint, and ends in
 * the state an uninterrupted run reaches.
 */
jest.setTimeout(120_000);

const TZ = "America/New_York";
const ROOT = join(__dirname, "..");
let viciUrl: string;
const apps: GatewayApp[] = [];

const env = (brainUrl: string, vici = viciUrl) => ({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  BRAIN_DATABASE_URL: brainUrl,
  VICI_DATABASE_URL: vici,
  VICI_TIMEZONE: TZ,
  JOB_LEASE_MS: "1500",
  JOB_POLL_MS: "200",
  OUTBOX_POLL_MS: "600000",
});

async function openApp(brainUrl: string, vici = viciUrl): Promise<GatewayApp> {
  const app = createApp(loadConfig(env(brainUrl, vici)), { log: pino({ level: "silent" }) });
  await app.init();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  viciUrl = await freshDemoViciDb(dbNameFor(__filename), 3000, TZ);
});
afterAll(async () => {
  for (const a of apps) await a.stop();
});

let expected: { job: ReturnType<typeof jobCounters>; state: Awaited<ReturnType<typeof importSnapshot>> } | null = null;

/** The same import, never interrupted, into its own Brain (once for the file). */
async function uninterrupted() {
  if (expected) return expected;
  const reference = await openApp(await freshBrainDb(dbNameFor(__filename, "ref")));
  const refJob = await reference.services.syncJobs.start(
    { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 100 },
    "test",
  );
  await reference.jobs.drain();
  expected = {
    job: jobCounters(await reference.services.syncJobs.get(refJob.id)),
    state: await importSnapshot(reference),
  };
  expect(expected.job).toMatchObject({ state: "SUCCEEDED", processed: await managedViciRows(reference) });
  return expected;
}

/**
 * Runs the import in batches of 100 in a child process that dies by SIGKILL (`kill` decides
 * when, or the child kills itself), lets another process take the job over once the lease has
 * run out, and returns the job as the dead process left it and as it ended.
 */
async function killedAndResumed(
  dbSuffix: string,
  childEnv: Record<string, string>,
  kill: ((processed: number) => boolean) | null,
  opts: { kind?: SyncJobKind; vici?: string; prepare?: (app: GatewayApp) => Promise<void> } = {},
) {
  const vici = opts.vici ?? viciUrl;
  const brainUrl = await freshBrainDb(dbNameFor(__filename, dbSuffix));
  const observer = await openApp(brainUrl, vici);
  await opts.prepare?.(observer);
  await observer.jobs.stop(); // watch only, until the child is dead
  // The built helper (dist/, see test/global-setup.ts): it starts in a second.
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "dist", "test", "helpers", "job-child.js")], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env(brainUrl, vici),
      CHILD_JOB_KIND: opts.kind ?? "VICI_IMPORT",
      CHILD_BATCH_SIZE: "100",
      ...childEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  const jobId: string = await new Promise((resolve, reject) => {
    child.stdout!.once("data", (d) => resolve(JSON.parse(String(d)).jobId));
    child.once("exit", () => reject(new Error("the child exited before starting the job")));
  });

  if (kill) {
    for (let i = 0; ; i++) {
      const j = await observer.services.syncJobs.get(jobId);
      if (kill(j.processed)) break;
      if (j.state !== "RUNNING" && j.state !== "QUEUED") throw new Error(`job ended before the kill: ${j.state}`);
      if (i > 600) throw new Error("the job made no progress");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
  }
  expect(await exited).toBe("SIGKILL");
  const killed = await observer.services.syncJobs.get(jobId);

  // Another process takes the job over once the dead one's lease has run out.
  await new Promise((r) => setTimeout(r, 1600));
  const successor = await openApp(brainUrl, vici);
  await successor.jobs.drain();
  return {
    killed,
    resumed: await successor.services.syncJobs.get(jobId),
    state: await importSnapshot(successor),
    successor,
  };
}

it("an import killed with SIGKILL resumes elsewhere and ends exactly as an uninterrupted run", async () => {
  const want = await uninterrupted();
  const { killed, resumed, state } = await killedAndResumed("kill", {}, (processed) => processed >= 600);
  expect(killed.state).toBe("RUNNING");
  expect(killed.processed).toBeLessThan(3000);
  expect(jobCounters(resumed)).toEqual(want.job);
  expect(state).toEqual(want.state);
});

it("an import killed between the two parts of a batch writes the missing part only, once", async () => {
  const want = await uninterrupted();
  // The child dies right after the 3rd part that committed ahead of its batch's other part.
  const { killed, resumed, state } = await killedAndResumed("parts", { CHILD_DIE_AFTER_PART: "3" }, null);
  expect(killed.state).toBe("RUNNING");
  expect((killed.checkpoint as any).partsAfter).toEqual([expect.any(Number), (killed.checkpoint as any).afterLeadId]);
  expect((killed.checkpoint as any).partsAfter[0]).toBeGreaterThan((killed.checkpoint as any).afterLeadId);
  expect(killed.processed % 100).not.toBe(0); // half a batch counted: the part that committed
  expect(jobCounters(resumed)).toEqual(want.job);
  expect(state).toEqual(want.state);
});

/**
 * A VENDOR_CODES job in a child killed as `childEnv` / `kill` say, resumed by another process:
 * it must count as an uninterrupted run (a dry run on the same data says what that is), write
 * each code once, and record each row's before-value once.
 */
async function writeBackKilledAndResumed(
  suffix: string,
  childEnv: Record<string, string>,
  kill: ((processed: number) => boolean) | null,
) {
  // Its own VICIdial: the write-back changes vendor codes the import tests above read.
  const codesVici = await freshDemoViciDb(dbNameFor(__filename, suffix), 3000, TZ);
  const vendorCodes = async (app: GatewayApp) =>
    new Map<number, string | null>(
      (await app.vici.query("SELECT lead_id, vendor_lead_code FROM vicidial_list")).map((r: any) => [
        Number(r.lead_id),
        r.vendor_lead_code,
      ]),
    );
  let before = new Map<number, string | null>();
  let want: Record<string, unknown> = {};
  const { killed, resumed, successor } = await killedAndResumed(suffix, childEnv, kill, {
    kind: SyncJobKind.VENDOR_CODES,
    vici: codesVici,
    // Brain imported first; a dry run says what an uninterrupted write-back does.
    prepare: async (app) => {
      await app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 1000 }, "test");
      await app.jobs.drain();
      const dry = await app.services.syncJobs.start(
        { kind: SyncJobKind.VENDOR_CODES, campaigns: [], batchSize: 100, dryRun: true },
        "test",
      );
      await app.jobs.drain();
      want = jobCounters(await app.services.syncJobs.get(dry.id));
      before = await vendorCodes(app);
      await app.jobs.stop(); // watch only, as killedAndResumed's observer does
    },
  });
  expect(killed.state).toBe("RUNNING");
  expect(killed.processed).toBeLessThan(3000);
  expect(want).toMatchObject({ state: "SUCCEEDED", updated: expect.any(Number) });
  expect(jobCounters(resumed)).toEqual(want);

  // VICIdial holds exactly what was before, with the job's recorded changes applied, each once.
  const changes = await allVendorCodeChanges(successor.brain, resumed.id);
  expect(Number(want.updated)).toBeGreaterThan(0);
  expect(changes).toHaveLength(Number(want.updated));
  expect(new Set(changes.map((c) => c.leadId)).size).toBe(changes.length);
  const expected = new Map(before);
  for (const c of changes) {
    expect(before.get(c.leadId)).toBe(c.before);
    expected.set(c.leadId, c.after);
  }
  expect(await vendorCodes(successor)).toEqual(expected);
  return { killed };
}

it("a vendor-code write-back killed with SIGKILL resumes elsewhere: each code written once, counted as an uninterrupted run counts", async () => {
  const { killed } = await writeBackKilledAndResumed("codes", {}, (processed) => processed >= 600);
  expect(killed.processed).toBeGreaterThanOrEqual(600);
});

it("a vendor-code write-back killed between recording a chunk and writing it writes that chunk once, recorded once", async () => {
  // Killed as its 5th chunk's VICIdial write starts: that chunk (and the next, recorded ahead) are in Brain, not in VICIdial.
  const { killed } = await writeBackKilledAndResumed("codes_at", { CHILD_DIE_AT_VENDOR_WRITE: "5" }, null);
  expect(killed.processed).toBeGreaterThan(0);
});

it("a vendor-code write-back killed after writing a chunk, before its checkpoint, counts that chunk once", async () => {
  const { killed } = await writeBackKilledAndResumed("codes_after", { CHILD_DIE_AFTER_VENDOR_WRITE: "5" }, null);
  expect(killed.processed).toBeGreaterThan(0);
});

it("a write-back whose chunks grow (1,000 rows, then 2,000), killed after its second chunk's write, resumes with other chunk boundaries: each code written once", async () => {
  // The resumed run starts again at 1,000 rows from the first chunk's checkpoint: its chunks cut
  // through the rows the dead process recorded and wrote as one.
  const { killed } = await writeBackKilledAndResumed(
    "codes_ramp",
    { CHILD_BATCH_SIZE: "2500", CHILD_DIE_AFTER_VENDOR_WRITE: "2" },
    null,
  );
  expect(killed.processed).toBe(1000);
});
