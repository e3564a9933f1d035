/**
 * createLead under load: p50/p99 latency and throughput at a fixed concurrency, over HTTP
 * (GraphQL), against the local PostgreSQL and MariaDB, writing Vici directly.
 *
 *   npm run bench:create-lead -- [--requests 4000] [--concurrency 32] [--vici-leads 20000]
 *
 * Databases bench_brain / bench_vici are recreated on every run. The Vici side holds a demo
 * data set (campaigns, call log, DNC); a share of the requests hit phones Vici already has,
 * the rest are new and get pushed (one Vici insert each).
 */
import "reflect-metadata";
import fs from "node:fs";
import inspector from "node:inspector";
import os from "node:os";
import { fork } from "node:child_process";
import pino from "pino";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { Role } from "../src/auth/roles";
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { cpuOf } from "./bench-util";
import { QueryCounter } from "../src/data-sources/query-counter";
import { buildDemoDataset, seedDemoVici } from "../src/vici/demo-data";
import { connectServer, recreateViciDatabase } from "../src/vici/vici-ddl";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const REQUESTS = arg("requests", 4000);
const CONCURRENCY = arg("concurrency", 32);
const VICI_LEADS = arg("vici-leads", 20000);
/** --gate N: GRAPHQL_MAX_CONCURRENT (unset: the gateway's default, 8 operations at once). */
const GATE = process.argv.includes("--gate") ? String(arg("gate", 8)) : undefined;
const EXISTING_SHARE = 0.2;
const TARGET_PER_SECOND = 400;
/** --profile FILE: a CPU profile of the gateway during the load only (open it in Chrome DevTools). */
const PROFILE = (() => {
  const i = process.argv.indexOf("--profile");
  return i > 0 ? process.argv[i + 1] : null;
})();

/**
 * CPU seconds so far of the bench Brain's PostgreSQL backends, of every MariaDB server thread,
 * and which of those serve a connection to the bench Vici database (one thread per connection).
 */
async function databaseCpu(
  app: ReturnType<typeof createApp>,
): Promise<{ pg: number; threads: Map<string, number>; ours: string[] }> {
  const brainDb = new URL(BRAIN_URL).pathname.slice(1);
  const pg = cpuOf(/^postgres$/, new RegExp(`\\b${brainDb}\\b`));
  const threads = new Map<string, number>();
  const server = fs.readdirSync("/proc").find((p) => /^\d+$/.test(p) && /^(mariadbd|mysqld)$/.test(procName(p)));
  if (!server) return { pg, threads, ours: [] };
  for (const tid of fs.readdirSync(`/proc/${server}/task`)) threads.set(tid, cpuOf(Number(server), undefined, tid));
  const rows: { TID: unknown }[] = await app.vici.query(
    "SELECT TID FROM information_schema.PROCESSLIST WHERE DB = DATABASE()",
  );
  return { pg, threads, ours: rows.map((r) => String(r.TID)) };
}

function statementsOn(ds: { logger: unknown }): number {
  return ds.logger instanceof QueryCounter ? ds.logger.count : NaN;
}

function procName(pid: string): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
  } catch {
    return "";
  }
}

async function startProfile(): Promise<() => Promise<string>> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 200 });
  await post("Profiler.start");
  return async () => {
    const { profile } = await post("Profiler.stop");
    fs.writeFileSync(PROFILE!, JSON.stringify(profile));
    session.disconnect();
    return PROFILE!;
  };
}
const TZ = "America/New_York";
const BRAIN_URL = process.env.BENCH_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_brain";
const VICI_URL = process.env.BENCH_VICI_URL ?? "mysql://root@127.0.0.1:3306/bench_vici";

const MUTATION = `mutation($input: CreateLeadInput!) { createLead(input: $input) { created viciAction lead { id externalLeadId } } }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  await ensureBrainDatabase(BRAIN_URL, { recreate: true });
  await recreateViciDatabase(VICI_URL);
  const conn = await connectServer(parseMysqlUrl(VICI_URL), parseMysqlUrl(VICI_URL).database);
  await seedDemoVici(conn, { leads: VICI_LEADS, timeZone: TZ });
  await conn.end();
  const existingPhones = [
    ...new Set(buildDemoDataset({ leads: VICI_LEADS, timeZone: TZ }).leads.map((l) => l.phone_number)),
  ];

  const app = createApp(
    loadConfig({
      NODE_ENV: "production",
      PORT: "0",
      LOG_LEVEL: "silent",
      BRAIN_DATABASE_URL: BRAIN_URL,
      VICI_DATABASE_URL: VICI_URL,
      VICI_TIMEZONE: TZ,
      VICI_CAMPAIGN_LISTS: "Auto2:1001,Autodial:2001",
      VICI_DEFAULT_LIST_ID: "1001",
      // The benchmark measures creates, not the per-key budget.
      RATE_LIMIT_PER_MINUTE: "0",
      ...(GATE ? { GRAPHQL_MAX_CONCURRENT: GATE } : {}),
    }),
    { log: pino({ level: "silent" }) },
  );
  const url = await app.start();
  const { key } = await app.services.apiKeys.create({ name: "bench", role: Role.WRITER });

  const inputs = Array.from({ length: REQUESTS }, (_, i) => {
    if (i % Math.round(1 / EXISTING_SHARE) === 0)
      return { phone: existingPhones[i % existingPhones.length], firstName: "Bench" };
    // New numbers in a valid area code no demo lead uses.
    return {
      phone: `+1207${String(2000000 + i).padStart(7, "0")}`,
      firstName: "Bench",
      campaignId: i % 2 ? "Auto2" : "Autodial",
    };
  });

  // The load runs in its own process, so the client neither eats the gateway's event loop nor
  // counts in its CPU (process.cpuUsage below is the gateway's alone; `--cpu-prof` profiles it alone).
  const client = fork(__filename, ["--load-client"], { execArgv: [] });
  await new Promise((resolve) => client.once("message", resolve)); // ready
  const profile = PROFILE ? await startProfile() : null;
  const dbCpu0 = await databaseCpu(app);
  const statements0 = { brain: statementsOn(app.brain), vici: statementsOn(app.vici) };
  const cpu0 = process.cpuUsage();
  const load = await new Promise<LoadResult>((resolve, reject) => {
    client.once("message", (m) => resolve(m as LoadResult));
    client.once("error", reject);
    client.send({ url, key, inputs, concurrency: CONCURRENCY });
  });
  const cpu = process.cpuUsage(cpu0);
  const statements = {
    brain: statementsOn(app.brain) - statements0.brain,
    vici: statementsOn(app.vici) - statements0.vici,
  };
  const dbCpu1 = await databaseCpu(app);
  if (profile) console.error(`CPU profile of the load window: ${await profile()}`);
  const loadAverage = os.loadavg()[0];
  client.disconnect();
  const { latencies, errors, seconds } = load;
  const actions = new Map(Object.entries(load.actions));
  latencies.sort((a, b) => a - b);
  const [[{ n: viciRows }]] = [await app.vici.query("SELECT COUNT(*) AS n FROM vicidial_list")];
  await app.stop();

  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    graphqlMaxConcurrent: GATE ? Number(GATE) : "default",
    viciLeadsBefore: VICI_LEADS,
    viciLeadsAfter: Number(viciRows),
    p50ms: Number(percentile(latencies, 50).toFixed(1)),
    p99ms: Number(percentile(latencies, 99).toFixed(1)),
    maxMs: Number(latencies[latencies.length - 1].toFixed(1)),
    perSecond: Number((REQUESTS / seconds).toFixed(0)),
    // The yardstick: 400 creates/s at concurrency 32 with p99 <= 250 ms.
    ratioToTarget: Number((REQUESTS / seconds / TARGET_PER_SECOND).toFixed(2)),
    gatewayCpuMsPerCreate: Number(((cpu.user + cpu.system) / 1000 / REQUESTS).toFixed(2)),
    // The bench database's PostgreSQL backends, and the MariaDB threads serving the bench's connections.
    postgresCpuMsPerCreate: Number((((dbCpu1.pg - dbCpu0.pg) * 1000) / REQUESTS).toFixed(2)),
    mariadbCpuMsPerCreate: Number(
      (
        (dbCpu1.ours.reduce((t, tid) => t + (dbCpu1.threads.get(tid) ?? 0) - (dbCpu0.threads.get(tid) ?? 0), 0) *
          1000) /
        REQUESTS
      ).toFixed(2),
    ),
    // Statements sent per create (TypeORM's count: on Brain a BEGIN/SAVEPOINT sent with the next statement counts apart).
    brainStatementsPerCreate: Number((statements.brain / REQUESTS).toFixed(2)),
    viciStatementsPerCreate: Number((statements.vici / REQUESTS).toFixed(2)),
    loadAverage1m: Number(loadAverage.toFixed(1)),
    errors,
    actions: Object.fromEntries(actions),
  };
  console.log(JSON.stringify(result, null, 2));
  if (errors) process.exitCode = 1;
}

interface LoadResult {
  latencies: number[];
  errors: number;
  seconds: number;
  actions: Record<string, number>;
}

/** The load generator: `concurrency` clients sending the inputs in order, as fast as answered. */
async function runLoad(url: string, key: string, inputs: object[], concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const actions: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < inputs.length) {
        const input = inputs[next++];
        const t0 = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: MUTATION, variables: { input } }),
        });
        const body: any = await res.json();
        latencies.push(performance.now() - t0);
        if (body.errors) errors++;
        else actions[body.data.createLead.viciAction] = (actions[body.data.createLead.viciAction] ?? 0) + 1;
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000, actions };
}

if (!process.argv.includes("--load-client")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  process.once("message", (w: { url: string; key: string; inputs: object[]; concurrency: number }) => {
    runLoad(w.url, w.key, w.inputs, w.concurrency).then((r) => process.send!(r));
  });
  process.once("disconnect", () => process.exit(0));
  process.send!("ready");
}
