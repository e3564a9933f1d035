/**
 * Follow mode's lag under a steady load (issue 15): a generated VICIdial imported into Brain,
 * then, for `--seconds`, new leads loaded straight into vicidial_list (`--leads-per-s`, new
 * numbers, managed and unmanaged lists) and calls logged in vicidial_log (`--calls-per-s`, on
 * existing managed rows) by a child process, while this process follows every
 * `--interval-ms`. Measured:
 *   - lag of a new lead: Brain's created_at of its lead − when the row was inserted;
 *   - lag of a call: when a 1-in-10 sample of calls shows in Brain's meta.last_call_date
 *     (polled every 250 ms) − when it was inserted;
 *   - per cycle: wall time, the gateway's CPU (process.cpuUsage), Brain's CPU (the backends of
 *     the bench's Brain database, from /proc), Vici statements and the longest one;
 *   - then an idle cycle's statements.
 *
 *   npm run bench:follow -- [--vici-leads 100000] [--seconds 120] [--leads-per-s 50] [--calls-per-s 200] [--interval-ms 10000] [--reuse]
 *
 * Uses bench_follow_brain / bench_follow_vici.
 */
import "reflect-metadata";
import { execFileSync, fork } from "node:child_process";
import os from "node:os";
import mysql from "mysql2/promise";
import pino from "pino";
import { Client } from "pg";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { queryCounter } from "../src/data-sources/query-counter";
import { instantToViciLocal, viciLocalToInstant } from "../src/vici/rules/vici-time";
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
  sleep,
  versions,
} from "./bench-util";

const TZ = "America/New_York";
const BRAIN = "postgres://postgres@127.0.0.1:5432/bench_follow_brain";
const VICI = "mysql://root@127.0.0.1:3306/bench_follow_vici";

interface Inserted {
  /** phone (E.164) → insert time (ms) of a new lead. */
  leads: [string, number][];
  /** sampled calls: phone (E.164), call_date as an instant (ms), insert time (ms). */
  calls: [string, number, number][];
}

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

async function viciRows(): Promise<number> {
  const c = await mysql.createConnection({ host: "127.0.0.1", user: "root", database: "bench_follow_vici" });
  try {
    const [[r]] = (await c.query("SELECT COUNT(*) AS n FROM vicidial_list")) as any;
    return Number(r.n);
  } finally {
    await c.end();
  }
}

/** The load: runs in a child process (its CPU is not the follower's). */
async function load(): Promise<void> {
  const seconds = Number(process.env.LOAD_SECONDS);
  const leadsPerS = Number(process.env.LOAD_LEADS);
  const callsPerS = Number(process.env.LOAD_CALLS);
  const c = await mysql.createConnection({
    host: "127.0.0.1",
    user: "root",
    database: "bench_follow_vici",
    dateStrings: true,
  });
  const [lists] = (await c.query("SELECT list_id, campaign_id FROM vicidial_lists")) as any;
  const managed = lists
    .filter((l: any) => ["Auto2", "Autodial"].includes(l.campaign_id))
    .map((l: any) => Number(l.list_id));
  const other = lists
    .filter((l: any) => !["Auto2", "Autodial"].includes(l.campaign_id))
    .map((l: any) => Number(l.list_id));
  const [[{ max }]] = (await c.query("SELECT MAX(lead_id) AS max FROM vicidial_list")) as any;
  // The rows to call: random lead_ids read by primary key (an ORDER BY RAND() over 1M rows held
  // MyISAM's lock for 11 s, and the gateway's writes waited behind the bench's own query).
  const ids = Array.from({ length: 40_000 }, () => 1 + Math.floor(Math.random() * Number(max)));
  const [pool] = (await c.query(
    "SELECT lead_id, list_id, phone_code, phone_number FROM vicidial_list WHERE lead_id IN (?) AND list_id IN (?) LIMIT 20000",
    [ids, managed],
  )) as any;
  let nextLead = Number(max) + 1;
  let seq = 0;
  const out: Inserted = { leads: [], calls: [] };
  const tickMs = 100;
  const started = Date.now();
  let leadDebt = 0;
  let callDebt = 0;
  while (Date.now() - started < seconds * 1000) {
    const t0 = Date.now();
    leadDebt += (leadsPerS * tickMs) / 1000;
    callDebt += (callsPerS * tickMs) / 1000;
    const now = instantToViciLocal(new Date(), TZ);
    const rows: unknown[][] = [];
    for (; leadDebt >= 1; leadDebt--) {
      const id = nextLead++;
      // A new number per row: 727-2xx-xxxx from the lead id; 1 in 10 in an unmanaged list.
      const phone = `727${String(2000000 + (id % 8000000)).padStart(7, "0")}`;
      const list = id % 10 === 0 && other.length ? other[id % other.length] : managed[id % managed.length];
      rows.push([id, now, "NEW", list, "1", phone, "Bench", `L${id}`, ""]);
      if (list !== undefined && managed.includes(list)) out.leads.push([`+1${phone}`, Date.now()]);
    }
    if (rows.length) {
      await c.query(
        "INSERT INTO vicidial_list (lead_id, entry_date, status, list_id, phone_code, phone_number, first_name, last_name, vendor_lead_code) VALUES ?",
        [rows],
      );
    }
    const calls: unknown[][] = [];
    for (; callDebt >= 1; callDebt--) {
      const r = pool[seq % pool.length];
      const uid = `${Math.floor(Date.now() / 1000)}.${++seq}`;
      calls.push([uid, r.lead_id, r.list_id, "Auto2", now, "NA", r.phone_code, r.phone_number, "VDAD"]);
      if (seq % 10 === 0) out.calls.push([`+1${r.phone_number}`, viciLocalToInstant(now, TZ)!.getTime(), Date.now()]);
    }
    if (calls.length) {
      await c.query(
        "INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, status, phone_code, phone_number, user) VALUES ?",
        [calls],
      );
    }
    await sleep(Math.max(0, tickMs - (Date.now() - t0)));
  }
  await c.end();
  process.send!(out);
}

async function main(): Promise<void> {
  const viciLeads = Number(arg("vici-leads") ?? 100_000);
  const seconds = Number(arg("seconds") ?? 120);
  const leadsPerS = Number(arg("leads-per-s") ?? 50);
  const callsPerS = Number(arg("calls-per-s") ?? 200);
  const intervalMs = Number(arg("interval-ms") ?? 10_000);
  const env = {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    BRAIN_DATABASE_URL: BRAIN,
    VICI_DATABASE_URL: VICI,
    VICI_TIMEZONE: TZ,
    VICI_CAMPAIGNS: "Auto2,Autodial",
    OUTBOX_POLL_MS: "600000",
    JOB_POLL_MS: "600000",
  };
  const size = await benchDataSize(BRAIN, VICI).catch(() => null);
  const vici = await viciRows().catch(() => 0);
  if (!flag("reuse") || vici < viciLeads) {
    log(`generating ${fmt(viciLeads)} Vici leads`);
    await generateViciInChild(VICI, viciLeads, (l) => log(l));
  }
  if (!flag("reuse") || vici < viciLeads || !size || size.brain === 0) await importAllIntoBrain(env);
  const data = (await benchDataSize(BRAIN, VICI))!;
  log(`data: ${fmt(data.vici)} Vici leads, ${fmt(data.brain)} Brain leads`);

  const app = createApp(loadConfig({ ...env, VICI_FOLLOW_INTERVAL_MS: "0" }), { log: pino({ level: "warn" }) });
  await app.init();
  const follower = app.services.follower;
  // Start following from VICIdial's present.
  await app.brain.query(
    "UPDATE vici_follow_state SET lead_id_after = NULL, calls_since = NULL, dnc_since = NULL, dnc_counts = NULL, caught_up_at = NULL, owner = NULL, totals = '{}'",
  );
  await app.brain.query("TRUNCATE vici_follow_seen_calls");
  await follower.cycle();

  let longest = 0;
  // The slowest VICIdial statement of the run, by its SQL (what held MyISAM's table lock longest).
  let slowest = { ms: 0, sql: "" };
  const query = app.vici.query.bind(app.vici);
  app.vici.query = (async (sql: string, params?: unknown[]) => {
    const t = performance.now();
    try {
      return await query(sql, params);
    } finally {
      const ms = performance.now() - t;
      if (ms > slowest.ms) slowest = { ms, sql: sql.replace(/\s+/g, " ").slice(0, 300) };
    }
  }) as typeof app.vici.query;
  const observe = app.metrics.viciCallDuration.observe.bind(app.metrics.viciCallDuration);
  app.metrics.viciCallDuration.observe = ((labels: any, v: number) => {
    longest = Math.max(longest, v);
    observe(labels, v);
  }) as typeof observe;
  const cycles: {
    start: number;
    end: number;
    ms: number;
    cpuMs: number;
    brainCpuMs: number;
    viciCpuMs: number;
    vici: number;
    brain: number;
    longestMs: number;
    leads: number;
    calls: number;
  }[] = [];
  const viciCount = queryCounter(app.vici);
  const brainCount = queryCounter(app.brain);
  const brainBackends = () => cpuOf(/^postgres$/, /bench_follow_brain/) * 1000;
  // MariaDB's CPU is one process for every database: a cycle's share is the server's CPU during
  // the cycle less what the load's own inserts cost it meanwhile (its rate between cycles).
  const mariadb = () => cpuOf(/^(mariadbd|mysqld)$/) * 1000;
  let between = { cpuMs: 0, ms: 0 };
  let lastEnd: { at: number; cpu: number } | null = null;
  const measured = async () => {
    const m0 = mariadb();
    const t00 = performance.now();
    if (lastEnd) between = { cpuMs: between.cpuMs + m0 - lastEnd.cpu, ms: between.ms + t00 - lastEnd.at };
    const [c0, b0, v0, q0] = [process.cpuUsage(), brainBackends(), viciCount.mark(), brainCount.mark()];
    longest = 0;
    const t0 = performance.now();
    const start = Date.now();
    const r = await follower.cycle();
    const cpu = process.cpuUsage(c0);
    if (r)
      cycles.push({
        start,
        end: Date.now(),
        ms: performance.now() - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        brainCpuMs: brainBackends() - b0,
        viciCpuMs: mariadb() - m0,
        vici: viciCount.count - v0,
        brain: brainCount.count - q0,
        longestMs: longest * 1000,
        leads: r.leads,
        calls: r.calls,
      });
    lastEnd = { at: performance.now(), cpu: mariadb() };
    return r;
  };

  const child = fork(__filename, ["--load"], {
    env: {
      ...process.env,
      LOAD_SECONDS: String(seconds),
      LOAD_LEADS: String(leadsPerS),
      LOAD_CALLS: String(callsPerS),
    },
  });
  const done = new Promise<Inserted>((resolve) => child.once("message", (m) => resolve(m as Inserted)));
  let loading = true;
  void done.then(() => (loading = false));
  const load0 = os.loadavg()[0];
  log(`load for ${seconds} s: ${leadsPerS} leads/s, ${callsPerS} calls/s; following every ${intervalMs} ms`);

  // Observed in Brain: each new lead's created_at, each sampled call's first sighting.
  const pg = new Client({ connectionString: BRAIN });
  await pg.connect();
  const runStart = new Date();
  let sampled: [string, number, number][] = [];
  const follow = (async () => {
    let next = Date.now();
    while (loading) {
      for (;;) {
        const r = await measured();
        if (!r || r.caughtUp) break;
      }
      next += intervalMs;
      await sleep(Math.max(0, next - Date.now()));
    }
    // Catch up after the load ends.
    for (let i = 0; i < 5; i++) if ((await measured())?.caughtUp) break;
  })();
  const inserted = await done;
  sampled = inserted.calls;
  await follow;
  const leadRows = await pg.query("SELECT phone, created_at FROM leads WHERE created_at >= $1", [runStart]);
  const createdAt = new Map<string, number>(leadRows.rows.map((r: any) => [r.phone, new Date(r.created_at).getTime()]));
  // Calls: Brain's last_call_date at the end is at least the sampled call's (a later call may have moved it on).
  const last = await pg.query("SELECT phone, meta->>'last_call_date' AS at FROM leads WHERE phone = ANY($1)", [
    [...new Set(sampled.map((s) => s[0]))],
  ]);
  const lastCall = new Map<string, number>(last.rows.map((r: any) => [r.phone, r.at ? new Date(r.at).getTime() : 0]));
  await pg.end();
  // A call reaches Brain with the first cycle that starts after its call_date's second has
  // passed (the cycle reads vicidial_log up to its start) and after its insert: its end.
  const callLags = sampled
    .map(([, at, t]) => {
      const c = cycles.find((x) => x.start >= Math.max(t, at + 1000) && x.calls > 0);
      return c ? c.end - t : NaN;
    })
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);

  const leadLags = inserted.leads.map(([phone, t]) => (createdAt.has(phone) ? createdAt.get(phone)! - t : NaN));
  const missing = leadLags.filter((x) => Number.isNaN(x)).length;
  const lags = leadLags.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const callsApplied = sampled.filter(([phone, at]) => (lastCall.get(phone) ?? 0) >= at).length;
  const pct = (xs: number[], p: number) =>
    xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;
  const s = await follower.status();

  // Idle: nothing new in VICIdial.
  await sleep(35_000); // past the calls' overlap window
  await follower.cycle();
  const [iv, ib] = [viciCount.mark(), brainCount.mark()];
  await follower.cycle();
  const idle = { vici: viciCount.count - iv, brain: brainCount.count - ib };
  await app.stop();

  const busy = cycles.filter((c) => c.leads + c.calls > 0);
  const avg = (f: (c: (typeof cycles)[number]) => number) =>
    busy.length ? busy.reduce((a, c) => a + f(c), 0) / busy.length : 0;
  const v = await versions(BRAIN, VICI);
  const result = {
    leadsInserted: inserted.leads.length,
    leadsMissing: missing,
    leadLagP50: pct(lags, 50) / 1000,
    leadLagP95: pct(lags, 95) / 1000,
    leadLagMax: lags[lags.length - 1] / 1000,
    callsSampled: sampled.length,
    callLagP50: pct(callLags, 50) / 1000,
    callLagP95: pct(callLags, 95) / 1000,
    callsApplied,
    totals: s.totals,
    cycles: busy.length,
    cycleMs: avg((c) => c.ms),
    cpuMs: avg((c) => c.cpuMs),
    brainCpuMs: avg((c) => c.brainCpuMs),
    // What MariaDB spent in a cycle beyond the load's own rate (between cycles).
    viciCpuMs: Math.max(
      0,
      avg((c) => c.viciCpuMs - (between.ms ? (between.cpuMs / between.ms) * c.ms : 0)),
    ),
    viciLoadCpuPerS: between.ms ? (between.cpuMs / between.ms) * 1000 : 0,
    viciStatements: avg((c) => c.vici),
    brainStatements: avg((c) => c.brain),
    longestViciMs: Math.max(...cycles.map((c) => c.longestMs)),
    slowestVici: slowest,
    idle,
    load: `${load0.toFixed(1)}–${os.loadavg()[0].toFixed(1)}`,
  };
  console.log(JSON.stringify(result, null, 2));
  if (flag("record")) {
    const machine = `${os.cpus().length} cores (${os.cpus()[0].model.split(" ").slice(0, 2).join(" ")}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${v.pg}, ${v.maria}`;
    recordRows(
      "## Follow mode under load (issue 15)",
      "`npm run bench:follow` (`bench/follow.bench.ts`): a generated VICIdial imported into Brain; a child process loads new leads into `vicidial_list` and logs calls in `vicidial_log` for the run, while the bench follows every `--interval-ms`. Lead lag: Brain's `created_at` of the new lead − the row's insert. Per busy cycle: wall time, the follower's CPU, Brain's CPU (the backends of the bench's database), VICIdial statements; the longest VICIdial statement of the run; then one idle cycle's statements.",
      "| date | machine | data | load (1-min avg) | VICIdial traffic | interval | new-lead lag p50 / p95 / max | call lag p50 / p95 (sampled calls in Brain at the end) | busy cycles: wall / follower CPU / Brain CPU / MariaDB CPU beyond the load's | statements per busy cycle (Brain / Vici) | longest Vici statement | idle cycle (Brain / Vici) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
      [
        `| ${new Date().toISOString().slice(0, 10)} | ${machine} | ${fmt(data.vici)} Vici leads, ${fmt(data.brain)} Brain leads; VICI_FOLLOW_BATCH_SIZE 1000; code at \`${commit()}\` | ${result.load} | ${leadsPerS} new leads/s + ${callsPerS} calls/s for ${seconds} s (${fmt(result.leadsInserted)} managed leads, ${fmt(result.totals.calls)} calls applied) | ${intervalMs / 1000} s | ${result.leadLagP50.toFixed(1)} / ${result.leadLagP95.toFixed(1)} / ${result.leadLagMax.toFixed(1)} s${missing ? ` (${missing} rows joined leads Brain had: no lag measured for them)` : ""} | ${result.callLagP50.toFixed(1)} / ${result.callLagP95.toFixed(1)} s (${callsApplied} / ${sampled.length}) | ${result.cycles} cycles: ${fmt(result.cycleMs)} ms / ${fmt(result.cpuMs)} ms / ${fmt(result.brainCpuMs)} ms / ${fmt(result.viciCpuMs)} ms (the load alone: ${fmt(result.viciLoadCpuPerS)} ms/s) | ${fmt(result.brainStatements)} / ${fmt(result.viciStatements)} | ${fmt(result.longestViciMs)} ms (slowest of the run, any caller, wall time as the gateway saw it: ${fmt(slowest.ms)} ms, ${JSON.stringify(slowest.sql.slice(0, 70) + "…")}) | ${idle.brain} / ${idle.vici} |`,
      ],
    );
  }
}

if (process.argv.includes("--load")) void load();
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
