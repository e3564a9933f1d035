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
import os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { Role } from "../src/auth/roles";
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { buildDemoDataset, seedDemoVici } from "../src/vici/demo-data";
import { connectServer, recreateViciDatabase } from "../src/vici/vici-ddl";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const REQUESTS = arg("requests", 4000);
const CONCURRENCY = arg("concurrency", 32);
const VICI_LEADS = arg("vici-leads", 20000);
const EXISTING_SHARE = 0.2;
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

  // The load runs in its own thread, so the client does not eat the gateway's event loop.
  const load = await new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { url, key, inputs, concurrency: CONCURRENCY } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
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
    viciLeadsBefore: VICI_LEADS,
    viciLeadsAfter: Number(viciRows),
    p50ms: Number(percentile(latencies, 50).toFixed(1)),
    p99ms: Number(percentile(latencies, 99).toFixed(1)),
    maxMs: Number(latencies[latencies.length - 1].toFixed(1)),
    perSecond: Number((REQUESTS / seconds).toFixed(0)),
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

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  runLoad(workerData.url, workerData.key, workerData.inputs, workerData.concurrency).then((r) =>
    parentPort!.postMessage(r),
  );
}
