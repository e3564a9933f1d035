import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import pino from "pino";
import Redis from "ioredis";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { Role } from "../src/auth/roles";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { dbNameFor, freshBrainDb, freshDemoViciDb } from "./helpers/databases";
import { importSnapshot, jobCounters, managedViciRows } from "./helpers/import-state";
import { MAIN_JS } from "./helpers/cli";

/**
 * Scale-out on the local Redis: two gateway processes and two worker processes (real child
 * processes). A graphql-ws subscriber on gateway A follows an import started through gateway
 * B; the import is cut into lead_id ranges the workers share; one worker is killed with
 * SIGKILL mid-job, the other takes its range over (BullMQ's stalled check) and finishes; the
 * end state is the one-process run's.
 */
jest.setTimeout(180_000);

const TZ = "America/New_York";
const ROOT = join(__dirname, "..");
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
// One BullMQ/pub-sub namespace per run: parallel runs (other checkouts) never share queues.
const PREFIX = `test-scale-${process.pid}-${Date.now().toString(36)}`;
const BATCH = 100;
const LEADS = 3000;

let viciUrl: string;
const apps: GatewayApp[] = [];
const children: ChildProcess[] = [];

const baseEnv = (brainUrl: string): Record<string, string> => ({
  NODE_ENV: "test",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  BRAIN_DATABASE_URL: brainUrl,
  VICI_DATABASE_URL: viciUrl,
  VICI_TIMEZONE: TZ,
  OUTBOX_POLL_MS: "600000",
});

/** The built `vici-brain <command>` (dist/, see test/global-setup.ts); resolves with its first stdout line matching `ready`. */
function spawnCli(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): { child: ChildProcess; line: Promise<string> } {
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const line = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = out.split("\n").find((l) => ready.test(l));
      if (m) resolve(m);
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`${args[0]} exited (${code ?? signal}) before it was ready:\n${out}`)),
    );
  });
  line.catch(() => undefined);
  return { child, line };
}

beforeAll(async () => {
  viciUrl = await freshDemoViciDb(dbNameFor(__filename), LEADS, TZ);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const a of apps) await a.stop();
  // Leave nothing of this run in Redis.
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${PREFIX}:*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
});

it("two gateways and two workers: a subscriber on A follows B's import, a worker killed mid-job, the end state is the one-process run's", async () => {
  const t0 = Date.now();
  // The one-process reference, into its own Brain (no REDIS_URL: the in-process strategy).
  const reference = createApp(
    loadConfig({ ...baseEnv(await freshBrainDb(dbNameFor(__filename, "ref"))), JOB_POLL_MS: "600000" }),
    {
      log: pino({ level: "silent" }),
    },
  );
  apps.push(reference);
  await reference.init();
  const refJob = await reference.services.syncJobs.start(
    { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: BATCH },
    "test",
  );
  await reference.jobs.drain();
  const want = {
    job: jobCounters(await reference.services.syncJobs.get(refJob.id)),
    state: await importSnapshot(reference),
  };
  const rows = await managedViciRows(reference);
  expect(want.job).toMatchObject({ state: "SUCCEEDED", processed: rows });
  const tReference = Date.now();

  // The scaled-out Brain, migrated here first: four processes must not race on migrations.
  const brainUrl = await freshBrainDb(dbNameFor(__filename, "scaled"));
  const observer = createApp(loadConfig({ ...baseEnv(brainUrl), JOBS_RUN: "false" }), {
    log: pino({ level: "silent" }),
  });
  apps.push(observer);
  await observer.init();

  const scaleEnv = {
    ...baseEnv(brainUrl),
    REDIS_URL,
    REDIS_PREFIX: PREFIX,
    JOB_RANGES: "4",
    // A dead worker's queue job is handed over within ~2 s.
    WORKER_LOCK_MS: "1500",
    WORKER_STALLED_INTERVAL_MS: "500",
    // The workers would follow VICIdial too; this test counts what the import job does.
    VICI_FOLLOW_INTERVAL_MS: "0",
  };
  const gatewayA = spawnCli(["serve"], { ...scaleEnv, PORT: "0" }, /^GraphQL API: http:\/\//);
  const gatewayB = spawnCli(["serve"], { ...scaleEnv, PORT: "0" }, /^GraphQL API: http:\/\//);
  const workers = [1, 2].map(() => spawnCli(["worker"], scaleEnv, /^worker consuming/));
  const [lineA, lineB] = await Promise.all([gatewayA.line, gatewayB.line, ...workers.map((w) => w.line)]);
  const urlA = /(http:\/\/\S+)/.exec(lineA)![1];
  const urlB = /(http:\/\/\S+)/.exec(lineB)![1];
  expect(urlA).not.toBe(urlB);
  const tStarted = Date.now();
  const { key } = await observer.services.apiKeys.create({ name: "scale-out test", role: Role.OPERATOR });

  // Started through gateway B ...
  const res = await fetch(urlB, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: `mutation { startSync(input: { kind: VICI_IMPORT, batchSize: ${BATCH} }) { id state } }`,
    }),
  });
  const started = (await res.json()) as any;
  expect(started.errors).toBeUndefined();
  const jobId: string = started.data.startSync.id;

  // ... followed on gateway A.
  const client = createClient({
    url: urlA.replace("http", "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key}` },
  });
  const events: any[] = [];
  const followed = new Promise<void>((resolve, reject) => {
    client.subscribe(
      {
        query: `subscription($id: ID!) { syncJobProgress(id: $id) { state phase processed total created updated conflicts final } }`,
        variables: { id: jobId },
      },
      { next: (v) => events.push(v.data!.syncJobProgress), error: reject, complete: resolve },
    );
  });

  // Kill the worker holding a range once the job is well under way.
  let killed: { pid: number; processed: number } | null = null;
  for (let i = 0; !killed; i++) {
    const j = await observer.services.syncJobs.get(jobId);
    if (j.state !== "RUNNING" && j.state !== "QUEUED") throw new Error(`the job ended before the kill: ${j.state}`);
    const ranges: any[] = (j.checkpoint as any)?.ranges ?? [];
    if (j.processed >= 600) {
      const busy = workers.find((w) => ranges.some((r) => !r.done && String(r.owner).includes(`:${w.child.pid}:`)));
      if (busy) {
        busy.child.kill("SIGKILL");
        killed = { pid: busy.child.pid!, processed: j.processed };
      }
    }
    if (i > 1200) throw new Error("the job made no progress");
    if (!killed) await new Promise((r) => setTimeout(r, 25));
  }
  const tKilled = Date.now();

  await followed;
  const tDone = Date.now();
  await client.dispose();

  const final = await observer.services.syncJobs.get(jobId);
  expect(killed.processed).toBeLessThan(LEADS);
  expect(jobCounters(final)).toEqual(want.job);
  expect(await importSnapshot(observer)).toEqual(want.state);
  // The job was shared: its ranges were finished by the surviving worker, every one of them.
  const ranges: any[] = (final.checkpoint as any).ranges;
  expect(ranges.length).toBe(4);
  expect(ranges.every((r) => r.done)).toBe(true);
  const survivor = workers.find((w) => w.child.pid !== killed!.pid)!;
  expect(ranges.some((r) => String(r.owner).includes(`:${survivor.child.pid}:`))).toBe(true);

  // The subscriber on A saw the workers' progress (over Redis) up to the final state.
  expect(events[0]).toMatchObject({ final: false });
  expect(events.length).toBeGreaterThan(3);
  expect(events.at(-1)).toMatchObject({ state: "SUCCEEDED", processed: rows, total: rows, final: true });

  console.log(
    `scale-out timings: reference run ${tReference - t0} ms, 4 processes up ${tStarted - tReference} ms, ` +
      `kill after ${tKilled - tStarted} ms, job done ${tDone - tStarted} ms after start`,
  );
});
