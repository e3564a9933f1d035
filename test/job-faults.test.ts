import pino from "pino";
import { Client } from "pg";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind, type SyncJobRecord } from "../src/jobs/sync-job.types";
import { dbNameFor, freshBrainDb, freshDemoViciDb, PG_SERVER } from "./helpers/databases";
import { importSnapshot, jobCounters, managedViciRows } from "./helpers/import-state";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";

/**
 * No fault ends a job for good: a batch that cannot reach Brain or VICIdial is retried with
 * backoff while the job shows WAITING and why, and the job resumes from its checkpoint and ends
 * exactly as an uninterrupted run; it fails only after JOB_MAX_WAIT_MS, and can be cancelled
 * while it waits.
 */
jest.setTimeout(60_000);

const TZ = "America/New_York";
const LEADS = 600;
let viciUrl: string;
let proxy: TcpProxy;
const apps: GatewayApp[] = [];

async function openApp(brainSuffix: string, env: Record<string, string> = {}): Promise<GatewayApp> {
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    BRAIN_DATABASE_URL: await freshBrainDb(dbNameFor(__filename, brainSuffix)),
    VICI_DATABASE_URL: viciUrl,
    VICI_TIMEZONE: TZ,
    JOB_POLL_MS: "600000",
    OUTBOX_POLL_MS: "600000",
    JOB_RETRY_BACKOFF_MS: "50",
    ...env,
  });
  const app = createApp(config, { log: pino({ level: "silent" }) });
  await app.init();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  viciUrl = await freshDemoViciDb(dbNameFor(__filename), LEADS, TZ);
  proxy = await startTcpProxy("127.0.0.1", 3306);
});
afterAll(async () => {
  proxy?.up();
  for (const a of apps) await a.stop();
  await proxy?.close();
});

const viaProxy = () => viciUrl.replace(":3306/", `:${proxy.port}/`);

let expected: { job: ReturnType<typeof jobCounters>; state: Awaited<ReturnType<typeof importSnapshot>> } | null = null;
async function uninterrupted() {
  if (expected) return expected;
  const reference = await openApp("ref");
  const job = await reference.services.syncJobs.start(
    { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 50 },
    "test",
  );
  await reference.jobs.drain();
  expected = {
    job: jobCounters(await reference.services.syncJobs.get(job.id)),
    state: await importSnapshot(reference),
  };
  expect(expected.job).toMatchObject({ state: "SUCCEEDED", processed: await managedViciRows(reference) });
  return expected;
}

/** Every state the job's progress stream shows, until its final event. */
function statesOf(app: GatewayApp, jobId: string): Promise<{ state: string; waitReason: string | null }[]> {
  return (async () => {
    const seen: { state: string; waitReason: string | null }[] = [];
    for await (const e of app.services.syncJobs.bus.subscribe(jobId)) {
      seen.push({ state: e.state, waitReason: e.waitReason });
      if (e.final) break;
    }
    return seen;
  })();
}

async function until(app: GatewayApp, jobId: string, ok: (j: SyncJobRecord) => boolean): Promise<SyncJobRecord> {
  for (let i = 0; i < 1000; i++) {
    const j = await app.services.syncJobs.get(jobId);
    if (ok(j)) return j;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("timed out waiting for the job");
}

it("Brain connections terminated mid-import: the batch is retried and the job ends equal to an uninterrupted run", async () => {
  const want = await uninterrupted();
  const app = await openApp("brain-kill");
  const job = await app.services.syncJobs.start(
    { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 50 },
    "test",
  );
  const states = statesOf(app, job.id);
  const running = app.jobs.drain();
  await until(app, job.id, (j) => j.processed >= 150);

  // pg_terminate_backend on the gateway's Brain connections while they are in the middle of a batch.
  const admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  let killed = 0;
  try {
    for (let i = 0; i < 500 && killed === 0; i++) {
      const rows = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = $1 AND application_name = 'vici-brain-gateway' AND state IN ('active', 'idle in transaction')`,
        [dbNameFor(__filename, "brain-kill")],
      );
      killed = rows.rows.filter((r) => r.ok).length;
      if (!killed) await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await admin.end();
  }
  expect(killed).toBeGreaterThan(0);

  await running;
  const done = await app.services.syncJobs.get(job.id);
  expect(jobCounters(done)).toEqual(want.job);
  expect(await importSnapshot(app)).toEqual(want.state);
  const seen = await states;
  expect(seen).toContainEqual({ state: "WAITING", waitReason: expect.stringMatching(/^Brain is unreachable: /) });
  expect(seen[seen.length - 1]).toEqual({ state: "SUCCEEDED", waitReason: null });
});

it("a VICIdial blip mid-import: the job waits, shows why, and ends equal to an uninterrupted run", async () => {
  const want = await uninterrupted();
  const app = await openApp("vici-blip", { VICI_DATABASE_URL: viaProxy(), VICI_BREAKER_COOLDOWN_MS: "50" });
  const job = await app.services.syncJobs.start(
    { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 50 },
    "test",
  );
  const states = statesOf(app, job.id);
  const running = app.jobs.drain();
  await until(app, job.id, (j) => j.processed >= 150);
  proxy.down();
  const waiting = await until(app, job.id, (j) => j.state === "WAITING");
  expect(waiting.waitReason).toMatch(/VICIdial/);
  expect(waiting.waitingSince).toBeInstanceOf(Date);
  // Still waiting after several retries while VICIdial stays away.
  await new Promise((r) => setTimeout(r, 300));
  expect((await app.services.syncJobs.get(job.id)).state).toBe("WAITING");
  proxy.up();

  await running;
  const done = await app.services.syncJobs.get(job.id);
  expect(jobCounters(done)).toEqual(want.job);
  expect(done).toMatchObject({ waitReason: null, waitingSince: null, error: null });
  expect(await importSnapshot(app)).toEqual(want.state);
  expect((await states).map((s) => s.state)).toEqual(expect.arrayContaining(["RUNNING", "WAITING", "SUCCEEDED"]));
});

it("a job that cannot reach VICIdial for JOB_MAX_WAIT_MS ends FAILED; a waiting job can be cancelled", async () => {
  const app = await openApp("vici-gone", {
    VICI_DATABASE_URL: viaProxy(),
    VICI_BREAKER_COOLDOWN_MS: "50",
    JOB_MAX_WAIT_MS: "600",
  });
  proxy.down();
  try {
    const gaveUp = await app.services.syncJobs.start(
      { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 50 },
      "test",
    );
    await app.jobs.drain();
    const failed = await app.services.syncJobs.get(gaveUp.id);
    expect(failed.state).toBe("FAILED");
    expect(failed.error).toMatch(/^gave up after waiting \d+ s for a database \(JOB_MAX_WAIT_MS\): VICIdial/);

    const cancelled = await app.services.syncJobs.start(
      { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 50 },
      "test",
    );
    const running = app.jobs.drain();
    await until(app, cancelled.id, (j) => j.state === "WAITING");
    await app.services.syncJobs.cancel(cancelled.id);
    await running;
    expect((await app.services.syncJobs.get(cancelled.id)).state).toBe("CANCELLED");
  } finally {
    proxy.up();
  }
});
