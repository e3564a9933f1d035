/**
 * Reads under load: `leads(first: 100)` with every Vici field (test/operations/leads-page.graphql,
 * the query test/statement-count.test.ts counts) through the gateway, next to a minimal raw
 * HTTP server that runs the same SQL without GraphQL. autocannon, 32 connections, 20 s each.
 *
 *   npm run bench:read -- [--vici-leads 100000] [--reuse] [--connections 32] [--duration 20]
 *                         [--warmup 5] [--runs 1] [--first 100] [--only gateway|raw]
 *                         [--max-concurrent N] [--cpu-prof DIR] [--server-node-args "..."] [--no-record]
 *
 * Steps:
 *   a. bench_read_vici is generated (bench/generate-vici.ts, in a child process) and imported
 *      into a fresh bench_read_brain with a VICI_IMPORT job over every list (the real job
 *      engine), so Brain's leads link to their Vici rows; --reuse keeps both when they are
 *      already there with that many Vici leads;
 *   b. Brain's leads are vacuumed and analyzed (as autovacuum would leave them); a reader key
 *      with the pii scope is created (phones unmasked, as a dialer client reads them);
 *   c. per run, one after the other, never both at once: the gateway in a child process
 *      (NODE_ENV=production, LOG_LEVEL=silent, RATE_LIMIT_PER_MINUTE=0), then the raw server in a
 *      child process, both with the node flags of `npm start` (--max-semi-space-size=64); each gets one request compared with the other's answer (they must be
 *      equal), a warm-up, then the measured autocannon run (from this process). The load average
 *      is read before each; the CPU seconds of the server, PostgreSQL, MariaDB and this process
 *      (autocannon) over the measured run say where the time went;
 *   d. a JSON result, and rows in BENCHMARKS.md's "Read under load (issue 5)" table (--no-record: not).
 *
 * The raw server (`serveRaw`): node:http + pg + mysql2, pools of 10 like the gateway's, and the
 * gateway's six statements batched the same way (Brain: the page; then the count next to the
 * Vici rows of the page's phones; then, next to each other, the status tables, the call log of
 * those rows and the Brain leads of their phones). It converts values with the same helpers
 * the gateway uses (phone parsing, Vici time zone, status categories, cursors) and writes the
 * same JSON, so the difference between the two is the GraphQL layer: express, Apollo, the key
 * check, the query limits, type-graphql's resolution, DataLoader and the metrics.
 *
 * Databases bench_read_brain / bench_read_vici only: the other benches' databases and the test
 * databases are never touched.
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type autocannon from "autocannon";
import mysql from "mysql2/promise";
import type { RowDataPacket } from "mysql2/promise";
import { Client, Pool } from "pg";
import pino from "pino";
import { createApp } from "../src/app";
import { Role, Scope } from "../src/auth/roles";
import { loadConfig } from "../src/config/app-config";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { LEAD_COLUMNS } from "../src/services/lead.service";
import { encodeCursor } from "../src/util/pagination";
import { fromViciPhone } from "../src/vici/rules/phone";
import { StatusCatalog, statusRowFromDb } from "../src/vici/rules/status-category";
import { LEAD_SELECT, storedPhoneVariants } from "../src/vici/db/vici-leads.reader";
import { parseViciLocalDateTime, viciLocalToInstant } from "../src/vici/rules/vici-time";
import { packageRoot } from "../src/util/package-root";
import { print } from "graphql";
import { LeadsPageDocument } from "../generated/client/graphql";
import {
  arg,
  benchDataSize,
  cpuOf,
  flag,
  fmt,
  generateViciInChild,
  importAllIntoBrain,
  log,
  recordRows,
  versions,
} from "./bench-util";
import { BENCH_TIME_ZONE } from "./generate-vici";

const VICI_LEADS = Number(arg("vici-leads") ?? 100_000);
const REUSE = flag("reuse");
const CONNECTIONS = Number(arg("connections") ?? 32);
const DURATION = Number(arg("duration") ?? 20);
const WARMUP = Number(arg("warmup") ?? 5);
const RUNS = Number(arg("runs") ?? 1);
const FIRST = Number(arg("first") ?? 100);
/** The gateway's GRAPHQL_MAX_CONCURRENT (default: the gateway's default). */
const MAX_CONCURRENT = arg("max-concurrent");
const ONLY = arg("only") as "gateway" | "raw" | undefined;
const CPU_PROF = arg("cpu-prof");
/** The node flags of `npm start` (package.json), given to both servers: the gateway as deployed. */
const START_FLAGS: string[] = String(
  JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).scripts.start,
)
  .split(/\s+/)
  .filter((t) => t.startsWith("--"));
/** Extra node options for the two servers (e.g. "--trace-gc"), space-separated. */
const SERVER_NODE_ARGS = (arg("server-node-args") ?? "").split(" ").filter(Boolean);
const RECORD = !flag("no-record") && ONLY === undefined && CPU_PROF === undefined && SERVER_NODE_ARGS.length === 0;
const TZ = BENCH_TIME_ZONE;
const VICI_URL = process.env.BENCH_READ_VICI_URL ?? "mysql://root@127.0.0.1:3306/bench_read_vici";
const BRAIN_URL = process.env.BENCH_READ_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_read_brain";
const SECTION = "## Read under load (issue 5)";

/** test/operations/leads-page.graphql, the page statement-count.test.ts counts. */
const QUERY = print(LeadsPageDocument);

// =============================================================================================
// The raw server: the gateway's statements for this query, without GraphQL

/* The gateway's own column lists (LEAD_COLUMNS, LEAD_SELECT), so the raw server runs exactly its statements. */
const SQL_PAGE = `SELECT ${LEAD_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS cursor_key FROM leads
        
        ORDER BY created_at DESC, leads.id DESC LIMIT $1`;
const SQL_COUNT = "SELECT count(*)::int AS n FROM leads ";
const SQL_BRAIN_BY_PHONE = `SELECT ${LEAD_COLUMNS} FROM leads WHERE phone = ANY($1)`;
const SQL_VICI_BY_PHONE = `${LEAD_SELECT} WHERE vl.phone_number IN (?) ORDER BY vl.lead_id DESC`;
const SQL_VICI_BY_ID = `${LEAD_SELECT} WHERE vl.lead_id IN (?)`;
const STATUS_COLS =
  "status, status_name, human_answered, sale, dnc, customer_contact, not_interested, unworkable, scheduled_callback, completed, answering_machine";
const SQL_STATUSES = `SELECT NULL AS campaign_id, ${STATUS_COLS} FROM vicidial_statuses
       UNION ALL
       SELECT campaign_id, ${STATUS_COLS} FROM vicidial_campaign_statuses`;
const SQL_LAST_CALL =
  "SELECT lead_id, MAX(call_date) AS last_call FROM vicidial_log WHERE lead_id IN (?) GROUP BY lead_id";

interface RawViciRow {
  leadId: number;
  listId: number;
  campaignId: string | null;
  statusCode: string | null;
  vendorLeadCode: string | null;
  phone: string | null;
  calledCount: number;
  lastLocalCallTime: string | null;
  entryDate: Date | null;
  modifyDate: Date | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function serveRaw(): Promise<void> {
  const brain = new Pool({ connectionString: BRAIN_URL, max: 10, application_name: "bench-raw" });
  const t = parseMysqlUrl(VICI_URL);
  const vici = mysql.createPool({
    host: t.host,
    port: t.port,
    socketPath: t.socketPath,
    user: t.username,
    password: t.password,
    database: t.database,
    dateStrings: true,
    charset: "utf8mb4",
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectionLimit: 10,
  });
  const region = "US";

  const viciRow = (r: Record<string, any>): RawViciRow => ({
    leadId: Number(r.lead_id),
    listId: Number(r.list_id),
    campaignId: r.campaign_id || null,
    statusCode: r.status ?? null,
    vendorLeadCode: r.vendor_lead_code || null,
    phone: fromViciPhone(r.phone_code, r.phone_number, region),
    calledCount: Number(r.called_count ?? 0),
    lastLocalCallTime: parseViciLocalDateTime(r.last_local_call_time),
    entryDate: viciLocalToInstant(r.entry_date, TZ),
    modifyDate: r.modify_epoch == null || Number(r.modify_epoch) === 0 ? null : new Date(Number(r.modify_epoch) * 1000),
  });

  async function leadsPage(first: number): Promise<unknown> {
    // 1. The page (Brain).
    const page = (await brain.query(SQL_PAGE, [first + 1])).rows;
    const leads = page.slice(0, first);
    const phones = [...new Set(leads.map((l) => l.phone as string))];
    // 2. The count (Brain) next to the page's phones' Vici rows (Vici).
    const [count, [byPhoneRows]] = await Promise.all([
      brain.query(SQL_COUNT, []),
      phones.length
        ? vici.query<RowDataPacket[]>(SQL_VICI_BY_PHONE, [storedPhoneVariants(phones)])
        : Promise.resolve([[]] as unknown as [RowDataPacket[]]),
    ]);
    const rowsByPhone = new Map<string, RawViciRow[]>(phones.map((p) => [p, []]));
    const byId = new Map<number, RawViciRow>();
    for (const r of byPhoneRows) {
      const v = viciRow(r);
      if (v.phone && rowsByPhone.has(v.phone)) rowsByPhone.get(v.phone)!.push(v);
      byId.set(v.leadId, v);
    }
    // A primary row not among its phone's rows: read by id (the gateway's viciLeadById).
    const primaryOf = (l: any) => {
      const id = Number(l.meta?.vici_lead_id);
      return Number.isSafeInteger(id) && id > 0 ? id : null;
    };
    const missing: number[] = [];
    for (const l of leads) {
      const p = primaryOf(l);
      if (p !== null && !rowsByPhone.get(l.phone)!.some((v) => v.leadId === p)) missing.push(p);
    }
    if (missing.length) {
      const [rows] = await vici.query<RowDataPacket[]>(SQL_VICI_BY_ID, [[...new Set(missing)]]);
      for (const r of rows) byId.set(Number(r.lead_id), viciRow(r));
    }
    // 3. Status tables, call log of every row read, Brain leads of their phones: side by side.
    const ids = new Set<number>();
    const viciPhones = new Set<string>();
    for (const l of leads) {
      for (const v of rowsByPhone.get(l.phone)!) {
        ids.add(v.leadId);
        if (v.phone) viciPhones.add(v.phone);
      }
      const p = primaryOf(l);
      if (p !== null) {
        ids.add(p);
        const v = byId.get(p);
        if (v?.phone) viciPhones.add(v.phone);
      }
    }
    const [[statusRows], [callRows], brainByPhone] = await Promise.all([
      vici.query<RowDataPacket[]>(SQL_STATUSES),
      ids.size
        ? vici.query<RowDataPacket[]>(SQL_LAST_CALL, [[...ids]])
        : Promise.resolve([[]] as unknown as [RowDataPacket[]]),
      viciPhones.size ? brain.query(SQL_BRAIN_BY_PHONE, [[...viciPhones]]) : Promise.resolve({ rows: [] as any[] }),
    ]);
    const catalog = new StatusCatalog(statusRows.map((r) => statusRowFromDb(r, (r.campaign_id as string) ?? null)));
    const lastCall = new Map<number, Date>();
    for (const r of callRows) {
      const at = viciLocalToInstant(r.last_call, TZ);
      if (at) lastCall.set(Number(r.lead_id), at);
    }
    const brainLead = new Map<string, any>(brainByPhone.rows.map((r: any) => [r.phone, r]));

    const kind = "lead:CREATED_AT:DESC";
    const cursors = leads.map((l) => encodeCursor(kind, [l.cursor_key, l.id]));
    return {
      data: {
        leads: {
          totalCount: count.rows[0].n,
          pageInfo: { hasNextPage: page.length > first, endCursor: cursors.at(-1) ?? null },
          edges: leads.map((l, i) => {
            const rows = rowsByPhone.get(l.phone)!;
            const p = primaryOf(l);
            const primary = p === null ? null : (rows.find((v) => v.leadId === p) ?? byId.get(p) ?? null);
            let latest: Date | null = null;
            for (const id of new Set([...rows.map((v) => v.leadId), ...(p === null ? [] : [p])])) {
              const at = lastCall.get(id);
              if (at && (!latest || at > latest)) latest = at;
            }
            const status = (v: RawViciRow) => catalog.resolve(v.statusCode, v.campaignId);
            const brainOf = (v: RawViciRow) => (v.phone ? (brainLead.get(v.phone) ?? null) : null);
            return {
              cursor: cursors[i],
              node: {
                id: l.id,
                externalLeadId: l.externalLeadId,
                phone: l.phone,
                lastCallAt: iso(latest),
                vici: primary && {
                  leadId: primary.leadId,
                  listId: primary.listId,
                  campaignId: primary.campaignId,
                  vendorLeadCode: primary.vendorLeadCode,
                  calledCount: primary.calledCount,
                  lastLocalCallTime: primary.lastLocalCallTime,
                  lastCallAt: iso(lastCall.get(primary.leadId)),
                  entryDate: iso(primary.entryDate),
                  modifyDate: iso(primary.modifyDate),
                  status: (({ code, name, category }) => ({ code, name, category }))(status(primary)),
                  brainLead: brainOf(primary) && { id: brainOf(primary).id },
                },
                viciLeads: rows.map((v) => ({
                  leadId: v.leadId,
                  listId: v.listId,
                  campaignId: v.campaignId,
                  lastCallAt: iso(lastCall.get(v.leadId)),
                  status: (({ code, category }) => ({ code, category }))(status(v)),
                  brainLead: brainOf(v) && { externalLeadId: brainOf(v).externalLeadId },
                })),
              },
            };
          }),
        },
      },
    };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let first = 100;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        first = Number(body?.variables?.first ?? 100);
      } catch {
        res.writeHead(400).end();
        return;
      }
      leadsPage(first).then(
        (out) => {
          const json = JSON.stringify(out);
          res.writeHead(200, {
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(json),
          });
          res.end(json);
        },
        (e) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ errors: [{ message: e instanceof Error ? e.message : String(e) }] }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as import("node:net").AddressInfo;
  process.stdout.write(`LISTENING http://127.0.0.1:${port}/graphql\n`);
  process.once("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    Promise.all([brain.end(), vici.end()]).finally(() => process.exit(0));
  });
}

// =============================================================================================
// The gateway, as deployed

function gatewayConfig() {
  return loadConfig({
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    PORT: "0",
    BRAIN_DATABASE_URL: BRAIN_URL,
    VICI_DATABASE_URL: VICI_URL,
    VICI_TIMEZONE: TZ,
    // The bench measures reads, not the per-key budget.
    RATE_LIMIT_PER_MINUTE: "0",
    ...(MAX_CONCURRENT === undefined ? {} : { GRAPHQL_MAX_CONCURRENT: MAX_CONCURRENT }),
  });
}

async function serveGateway(): Promise<void> {
  const app = createApp(gatewayConfig(), { log: pino({ level: "silent" }) });
  const url = await app.start();
  process.stdout.write(`LISTENING ${url}\n`);
  process.once("SIGTERM", () => {
    app.stop().finally(() => process.exit(0));
  });
}

// =============================================================================================
// Data

const dataSize = () => benchDataSize(BRAIN_URL, VICI_URL);
const importIntoBrain = () => importAllIntoBrain(gatewayConfigEnv());

function gatewayConfigEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    BRAIN_DATABASE_URL: BRAIN_URL,
    VICI_DATABASE_URL: VICI_URL,
    VICI_TIMEZONE: TZ,
  };
}

async function createReaderKey(): Promise<string> {
  const app = createApp(loadConfig({ ...gatewayConfigEnv(), JOBS_RUN: "false" }), { log: pino({ level: "silent" }) });
  await app.init();
  try {
    const { key } = await app.services.apiKeys.create({
      name: `bench-read-${Date.now()}`,
      role: Role.READER,
      scopes: [Scope.PII],
    });
    return key;
  } finally {
    await app.stop();
  }
}

// =============================================================================================
// Measuring

interface Server {
  child: ChildProcess;
  url: string;
}

function startServer(kind: "gateway" | "raw"): Promise<Server> {
  return new Promise((resolve, reject) => {
    const nodeArgs = CPU_PROF
      ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(CPU_PROF)}`, `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`]
      : [];
    const child = spawn(
      process.execPath,
      [...START_FLAGS, ...nodeArgs, ...SERVER_NODE_ARGS, __filename, "--serve", kind],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, NODE_ENV: "production" },
      },
    );
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      if (out.includes("LISTENING")) return void process.stderr.write(d); // e.g. --trace-gc
      out += d.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
  });
}

function stopServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => s.child.kill("SIGKILL"), 15_000);
    s.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    s.child.kill("SIGTERM");
  });
}

function requestOptions(url: string, key: string) {
  return {
    url,
    method: "POST" as const,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: QUERY, variables: { first: FIRST } }),
  };
}

async function oneRequest(url: string, key: string): Promise<any> {
  const o = requestOptions(url, key);
  const res = await fetch(o.url, { method: o.method, headers: o.headers, body: o.body });
  const body: any = await res.json();
  if (res.status !== 200 || body.errors)
    throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** A good answer: data, no errors (cheap string checks, not a parse: the client must stay light). */
const verifyBody = (body: string | Buffer | undefined) => {
  const b = String(body ?? "");
  return b.startsWith('{"data":{"leads":{') && !b.includes('"errors":');
};

/** Loaded by the load-generating process only: the servers it starts do not need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose (see above)
const loadAutocannon = (): typeof autocannon => require("autocannon");

function cannon(url: string, key: string, seconds: number): Promise<autocannon.Result> {
  const run = loadAutocannon();
  return new Promise((resolve, reject) => {
    const inst = run(
      { ...requestOptions(url, key), connections: CONNECTIONS, duration: seconds, verifyBody },
      (err: Error | null, r: autocannon.Result) => (err ? reject(err) : resolve(r)),
    );
    run.track(inst, {
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
      outputStream: process.stderr,
    });
  });
}

interface Measured {
  loadAverage: string;
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  non2xx: number;
  mismatches: number;
  errors: number;
  timeouts: number;
  kbPerResponse: number;
  cpuSeconds: { server: number; postgres: number; mariadb: number; client: number };
}

async function measureServer(
  kind: "gateway" | "raw",
  key: string,
  reference: { body: unknown | null },
): Promise<Measured> {
  const s = await startServer(kind);
  try {
    const body = await oneRequest(s.url, key);
    if (body.data.leads.edges.length !== FIRST)
      throw new Error(`${kind}: ${body.data.leads.edges.length} leads, not ${FIRST}`);
    if (reference.body === null) reference.body = body;
    else if (!isDeepStrictEqual(reference.body, body)) {
      fs.writeFileSync(`/tmp/bench-read-${kind}.json`, JSON.stringify(body, null, 1));
      throw new Error(`${kind}: answer differs from the other server's (written to /tmp/bench-read-${kind}.json)`);
    }
    log(`${kind}: warm-up ${WARMUP} s`);
    await cannon(s.url, key, WARMUP);
    const loadAverage = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
    log(`${kind}: load average ${loadAverage}; measuring ${DURATION} s, ${CONNECTIONS} connections`);
    const cpu0 = {
      server: cpuOf(s.child.pid!),
      pg: cpuOf(/^postgres/),
      maria: cpuOf(/^(mariadbd|mysqld)$/),
      client: process.cpuUsage(),
    };
    const r = await cannon(s.url, key, DURATION);
    const client = process.cpuUsage(cpu0.client);
    const cpuSeconds = {
      server: Number((cpuOf(s.child.pid!) - cpu0.server).toFixed(1)),
      postgres: Number((cpuOf(/^postgres/) - cpu0.pg).toFixed(1)),
      mariadb: Number((cpuOf(/^(mariadbd|mysqld)$/) - cpu0.maria).toFixed(1)),
      client: Number(((client.user + client.system) / 1e6).toFixed(1)),
    };
    // Still answering correctly after the load.
    await oneRequest(s.url, key);
    const m: Measured = {
      loadAverage,
      requestsPerSecond: Number((r.requests.total / r.duration).toFixed(1)),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      requests: r.requests.total,
      non2xx: r.non2xx,
      mismatches: r.mismatches,
      errors: r.errors,
      timeouts: r.timeouts,
      kbPerResponse: Number((r.throughput.total / Math.max(1, r.requests.total) / 1024).toFixed(1)),
      cpuSeconds,
    };
    log(
      `${kind}: ${m.requestsPerSecond} req/s, p50 ${m.p50ms} ms, p99 ${m.p99ms} ms, non-2xx ${m.non2xx}, bad bodies ${m.mismatches}, errors ${m.errors}; CPU s ${JSON.stringify(cpuSeconds)}`,
    );
    if (m.non2xx || m.mismatches || m.errors || m.timeouts) throw new Error(`${kind}: failed requests under load`);
    return m;
  } finally {
    await stopServer(s);
  }
}

// =============================================================================================
// Recording

const RECORD_HEADER =
  "| date | machine | data | load average before (gateway / raw) | gateway | raw server | gateway / raw | CPU s in 20 s: gateway / raw (server, PostgreSQL, MariaDB, client) |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
const RECORD_INTRO = "`npm run bench:read -- --vici-leads 100000 --runs 3` (`bench/read-load.bench.ts`).";

// =============================================================================================

async function main() {
  if (!Number.isInteger(VICI_LEADS) || VICI_LEADS < 1000) throw new RangeError("--vici-leads must be at least 1000");
  let size = await dataSize();
  if (REUSE && size && size.vici === VICI_LEADS && size.linked > 0) {
    log(`reusing bench_read_vici (${fmt(size.vici)} leads) and bench_read_brain (${fmt(size.brain)} leads)`);
  } else {
    log(`generating bench_read_vici with ${fmt(VICI_LEADS)} leads`);
    const g = await generateViciInChild(VICI_URL, VICI_LEADS);
    log(`generated in ${g.seconds} s (${fmt(g.calls)} calls)`);
    await importIntoBrain();
    size = await dataSize();
  }
  if (!size || size.brain < FIRST) throw new Error("Brain holds too few leads");
  // A table at rest, as autovacuum leaves it (it does not run on these machines): statistics
  // and the visibility map, so totalCount's count(*) is an index-only scan, not a seq scan.
  const pg = new Client({ connectionString: BRAIN_URL });
  await pg.connect();
  await pg.query("VACUUM (ANALYZE) leads");
  await pg.end();
  const key = await createReaderKey();

  const runs: { gateway?: Measured; raw?: Measured; ratio?: number }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const reference = { body: null as unknown };
    const r: (typeof runs)[number] = {};
    if (ONLY !== "raw") r.gateway = await measureServer("gateway", key, reference);
    if (ONLY !== "gateway") r.raw = await measureServer("raw", key, reference);
    if (r.gateway && r.raw) r.ratio = Number((r.gateway.requestsPerSecond / r.raw.requestsPerSecond).toFixed(2));
    log(`run ${run}/${RUNS}: ${r.ratio === undefined ? "" : `gateway / raw = ${r.ratio}`}`);
    runs.push(r);
  }

  const v = await versions(BRAIN_URL, VICI_URL);
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}, ${v.pg}, ${v.maria}`;
  const date = new Date().toISOString().slice(0, 10);
  const data =
    `${START_FLAGS.length ? `node ${START_FLAGS.join(" ")}; ` : ""}${fmt(size.vici)} Vici leads, ${fmt(size.brain)} Brain leads (${fmt(size.linked)} linked); page of ${FIRST}, ${CONNECTIONS} connections, ${DURATION} s` +
    (MAX_CONCURRENT === undefined ? "" : `; GRAPHQL_MAX_CONCURRENT=${MAX_CONCURRENT}`);
  console.log(JSON.stringify({ date, machine, data, runs }, null, 2));

  if (RECORD) {
    const cell = (m: Measured) => `**${fmt(m.requestsPerSecond)} req/s**, p99 ${m.p99ms} ms`;
    const cpu = (m: Measured) =>
      `${m.cpuSeconds.server}, ${m.cpuSeconds.postgres}, ${m.cpuSeconds.mariadb}, ${m.cpuSeconds.client}`;
    recordRows(
      SECTION,
      RECORD_INTRO,
      RECORD_HEADER,
      runs.map(
        (r) =>
          `| ${date} | ${machine} | ${data} | ${r.gateway!.loadAverage} / ${r.raw!.loadAverage} | ${cell(r.gateway!)} | ${cell(r.raw!)} | **${Math.round(100 * r.ratio!)}%** | ${cpu(r.gateway!)} / ${cpu(r.raw!)} |`,
      ),
    );
    log("recorded in BENCHMARKS.md");
  }
}

const serve = arg("serve");
if (serve === "raw") {
  serveRaw().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else if (serve === "gateway") {
  serveGateway().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
