/**
 * The sync jobs at scale: VICI_IMPORT (Vici → Brain) and VENDOR_CODES (Brain's ids → Vici's
 * vendor_lead_code) over a generated 1M-lead VICIdial, through the real job engine, and the
 * seed strategy's per-lead loop on a slice of the same data for comparison.
 *
 *   npm run bench:sync -- [--leads 1000000] [--reuse] [--slice 20000] [--campaigns Auto2,Autodial|all]
 *                         [--batch N] [--max-minutes 45] [--no-record] [--no-bare] [--import-only] [--write-back-only]
 *
 * Steps:
 *   a. bench_vici is generated (bench/generate-vici.ts, in a child process so its memory is
 *      not this process's), unless --reuse finds it with that many leads; the original
 *      vendor codes are kept in bench_vici.bench_sync_vendor_codes so a reused database is
 *      put back as generated (VENDOR_CODES fills vendor_lead_code);
 *   b. Brain database bench_sync_brain is recreated; the gateway reaches bench_vici as
 *      bench_dialer, a user with VICIdial's standard grants only (SELECT, INSERT, UPDATE,
 *      DELETE, LOCK TABLES), as an operator runs it against a real dialer;
 *   c. a VICI_IMPORT job over the campaigns, started and awaited like the API does
 *      (syncJobs.start, the in-process runner): wall time, rows/s = processed / s, peak RSS;
 *   d. the same for VENDOR_CODES, with the job's longest single Vici statement;
 *   e. the seed's way (its "Merge Strategy": for each Vici lead one lookup by phone, one Brain
 *      upsert ON CONFLICT (phone), one vendor-code UPDATE by lead_id when the code is empty)
 *      on the first --slice leads of the campaigns, against a fresh Brain (bench_sync_seed_brain);
 *   f. a JSON result, and a row in BENCHMARKS.md's "Sync jobs (issue 4)" table (--no-record: not).
 * The import runs between two runs of the bare pipeline (bench/bare-import.bench.ts) on the same
 * bench_vici, into BENCH_BARE_BRAIN_URL: the import's rows/s over their mean is printed, and
 * recorded in BENCHMARKS.md's issue-17 table unless --no-record (--no-bare: no bare runs).
 * --import-only (npm run bench:import) stops after c (its sync-jobs row is not recorded). --write-back-only
 * (with --reuse) runs d alone, on the Brain an earlier run imported (nothing is recorded).
 *
 * Peak RSS per step: Linux's VmHWM of this process, reset before each step (clear_refs 5),
 * checked against 100 ms samples of process.memoryUsage().rss. CPU seconds per step of this
 * process, of PostgreSQL's and of MariaDB's processes (from /proc) say where the time went.
 * Test databases (t_*) are never touched.
 */
import "reflect-metadata";
import fs from "node:fs";
import { execSync } from "node:child_process";
import os from "node:os";
import type { RowDataPacket } from "mysql2/promise";
import { Client } from "pg";
import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { FINAL_STATES, SyncJobKind, type SyncJobRecord } from "../src/jobs/sync-job.types";
import { readVendorCodeChanges } from "../src/jobs/vendor-code-changes";
import { isExternalLeadId, newExternalLeadId } from "../src/util/external-lead-id";
import { fromViciPhone } from "../src/vici/rules/phone";
import { connectServer, createDialerUser, DIALER_GRANTS } from "../src/vici/vici-ddl";
import {
  arg,
  cpuOf,
  cpuOfTask,
  flag,
  fmt,
  generateViciInChild,
  log,
  mariadbPid,
  migrateFreshBrain,
  recordRows,
  sleep,
  versions,
} from "./bench-util";
import { BENCH_DEFAULT_LEADS, BENCH_TIME_ZONE, type GenerateViciSummary } from "./generate-vici";
import { runBare, type Run as BareRun } from "./bare-import.bench";

const LEADS = Number(arg("leads") ?? BENCH_DEFAULT_LEADS);
const REUSE = flag("reuse");
const SLICE = Number(arg("slice") ?? 20_000);
const CAMPAIGNS =
  (arg("campaigns") ?? "Auto2,Autodial").toLowerCase() === "all"
    ? []
    : (arg("campaigns") ?? "Auto2,Autodial")
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean);
const BATCH = arg("batch") === undefined ? undefined : Number(arg("batch"));
const IMPORT_ONLY = flag("import-only");
/** Only d, on the Brain an earlier run imported (bench_sync_brain) and bench_vici's codes put back. */
const WRITE_BACK_ONLY = flag("write-back-only");
const RECORD = !flag("no-record") && !IMPORT_ONLY && !WRITE_BACK_ONLY;
/** The bare pipeline (bench/bare-import.bench.ts) beside the import, on the same data, before and after it: the ratio. */
const BARE = !flag("no-bare") && !WRITE_BACK_ONLY;
const RECORD_RATIO = !flag("no-record") && BARE;
const BARE_BRAIN_URL = process.env.BENCH_BARE_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_bare_brain";
/** A job still running after this long is cancelled and reported with the rows it got through. */
const MAX_MINUTES = Number(arg("max-minutes") ?? 45);
const TZ = BENCH_TIME_ZONE;
const VICI_URL = process.env.BENCH_VICI_URL ?? "mysql://root@127.0.0.1:3306/bench_vici";
const BRAIN_URL = process.env.BENCH_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_sync_brain";
const SEED_BRAIN_URL = process.env.BENCH_SEED_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_sync_seed_brain";
/** Original vendor codes of the generated database (VENDOR_CODES and the seed's way change them). */
const SNAPSHOT = "bench_sync_vendor_codes";
const SECTION = "## Sync jobs (issue 4)";

const dbName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

// ---------------------------------------------------------------------------------------------
// Measuring a step: wall time, peak RSS, CPU of node / PostgreSQL / MariaDB

function vmHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

interface StepMeasure {
  seconds: number;
  /** The machine's 1-minute load average: at the start, and the lowest and highest sampled during the step. */
  load: { start: number; min: number; max: number };
  peakRssMb: number;
  /** mariadb: the whole mariadbd (other sessions too); mariadbOwn: its threads serving this step's connections to the bench database. */
  cpuSeconds: { node: number; postgres: number; mariadb: number; mariadbOwn: number | null };
  /** Share of 100 ms samples in which each statement was running (a statement-level profile). */
  statements: { brain: Record<string, string>; vici: Record<string, string> };
}

/**
 * Samples the statements running in the two databases every 100 ms (pg_stat_activity,
 * information_schema.processlist): what share of the step each kind of statement was running.
 */
class StatementSampler {
  private readonly brain: Map<string, number> = new Map();
  private readonly vici: Map<string, number> = new Map();
  private samples = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;

  /**
   * CPU seconds of the mariadbd threads serving this step's connections to the bench database
   * (information_schema.processlist's TID, /proc/<mariadbd>/task/<tid>/stat): the whole mariadbd
   * also runs other sessions' queries on a shared machine. Each (connection, thread) counts from
   * its first sample (a cached thread served others before), so up to 100 ms of each is missed.
   */
  private readonly threads = new Map<string, { first: number; last: number }>();
  private readonly mariadbPid = mariadbPid();

  constructor(private readonly brainDb: string) {}

  /** The step's own MariaDB CPU (null: MariaDB is not on this machine). */
  ownMariadbSeconds(): number | null {
    if (this.mariadbPid === null) return null;
    let total = 0;
    for (const t of this.threads.values()) total += t.last - t.first;
    return Number(total.toFixed(1));
  }

  private threadCpu(key: string, tid: number): void {
    if (this.mariadbPid === null || !tid) return;
    const cpu = cpuOfTask(this.mariadbPid, tid);
    if (cpu === null) return;
    const t = this.threads.get(key);
    if (t) t.last = cpu;
    else this.threads.set(key, { first: cpu, last: cpu });
  }

  start(): void {
    this.loop = this.run().catch((e) => log(`sampler stopped: ${e instanceof Error ? e.message : e}`));
  }

  async stop(): Promise<StepMeasure["statements"]> {
    this.stopped = true;
    await this.loop;
    const top = (m: Map<string, number>) =>
      Object.fromEntries(
        [...m.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([q, n]) => [q, `${((100 * n) / Math.max(1, this.samples)).toFixed(0)}%`]),
      );
    return { brain: top(this.brain), vici: top(this.vici) };
  }

  private async run(): Promise<void> {
    const pg = new Client({ connectionString: BRAIN_URL.replace(/\/[^/]*$/, "/postgres") });
    await pg.connect();
    const t = parseMysqlUrl(VICI_URL);
    const my = await connectServer(t);
    try {
      while (!this.stopped) {
        const [a, [b]] = await Promise.all([
          pg.query(
            `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q FROM pg_stat_activity
              WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
            [this.brainDb],
          ),
          my.query<RowDataPacket[]>(
            `SELECT id, tid, command, LEFT(REGEXP_REPLACE(REGEXP_REPLACE(LEFT(info, 300), '\\\\s+', ' '), '\\'[^\\']*\\'|[0-9]+', '?'), 70) AS q FROM information_schema.processlist
              WHERE db = ? AND id <> CONNECTION_ID()`,
            [t.database],
          ),
        ]);
        this.samples++;
        for (const r of a.rows) this.brain.set(r.q, (this.brain.get(r.q) ?? 0) + 1);
        for (const r of b) {
          if (r.command === "Query") this.vici.set(String(r.q), (this.vici.get(String(r.q)) ?? 0) + 1);
          this.threadCpu(`${r.id}/${r.tid}`, Number(r.tid));
        }
        await sleep(100);
      }
    } finally {
      await Promise.all([pg.end(), my.end()]);
    }
  }
}

async function measure<T>(fn: () => Promise<T>, brainDb: string): Promise<{ value: T; m: StepMeasure }> {
  let hwmReset = false;
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
    hwmReset = true;
  } catch {
    // not Linux, or not allowed: the samples alone
  }
  let peak = process.memoryUsage.rss();
  const load = { start: os.loadavg()[0], min: os.loadavg()[0], max: os.loadavg()[0] };
  let ticks = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    if (++ticks % 10 === 0) {
      const l = os.loadavg()[0];
      load.min = Math.min(load.min, l);
      load.max = Math.max(load.max, l);
    }
  }, 100);
  // PostgreSQL: the step's database's backends and the shared background processes, not
  // other databases' backends (tests running meanwhile). MariaDB is one process: all of it.
  const pgTitle = new RegExp(`\\b${brainDb}\\b|checkpointer|background writer|walwriter|autovacuum launcher`);
  const cpu0 = { node: process.cpuUsage(), pg: cpuOf(/^postgres/, pgTitle), maria: cpuOf(/^(mariadbd|mysqld)$/) };
  const sampler = new StatementSampler(brainDb);
  sampler.start();
  const t0 = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(cpu0.node);
    peak = Math.max(peak, process.memoryUsage.rss());
    const hwm = hwmReset ? vmHwmMb() : null;
    const statements = await sampler.stop();
    return {
      value,
      m: {
        seconds: Number(seconds.toFixed(2)),
        load: {
          start: Number(load.start.toFixed(2)),
          min: Number(load.min.toFixed(2)),
          max: Number(load.max.toFixed(2)),
        },
        peakRssMb: Math.max(mb(peak), hwm ?? 0),
        cpuSeconds: {
          node: Number(((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)),
          postgres: Number((cpuOf(/^postgres/, pgTitle) - cpu0.pg).toFixed(1)),
          mariadb: Number((cpuOf(/^(mariadbd|mysqld)$/) - cpu0.maria).toFixed(1)),
          mariadbOwn: sampler.ownMariadbSeconds(),
        },
        statements,
      },
    };
  } finally {
    clearInterval(timer);
    await sampler.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// a. The Vici database

async function viciLeadCount(): Promise<{ leads: number; snapshot: number } | null> {
  const t = parseMysqlUrl(VICI_URL);
  const conn = await connectServer(t);
  try {
    const [tables] = await conn.query<RowDataPacket[]>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name IN ('vicidial_list', ?)",
      [t.database, SNAPSHOT],
    );
    const names = new Set(tables.map((r) => String(r.t)));
    if (!names.has("vicidial_list") || !names.has(SNAPSHOT)) return null;
    const [[a]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t.database}\`.vicidial_list`);
    const [[b]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t.database}\`.${SNAPSHOT}`);
    return { leads: Number(a.n), snapshot: Number(b.n) };
  } finally {
    await conn.end();
  }
}

async function withVici<T>(fn: (c: Awaited<ReturnType<typeof connectServer>>) => Promise<T>): Promise<T> {
  const t = parseMysqlUrl(VICI_URL);
  const conn = await connectServer(t, t.database);
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

async function snapshotVendorCodes(): Promise<void> {
  await withVici(async (c) => {
    await c.query(`DROP TABLE IF EXISTS ${SNAPSHOT}`);
    await c.query(
      `CREATE TABLE ${SNAPSHOT} (lead_id INT UNSIGNED NOT NULL PRIMARY KEY, vendor_lead_code VARCHAR(20)) ENGINE=MyISAM
       SELECT lead_id, vendor_lead_code FROM vicidial_list`,
    );
  });
}

/** Puts vendor_lead_code back as generated; returns the rows changed. */
async function restoreVendorCodes(): Promise<number> {
  return withVici(async (c) => {
    const [res] = await c.query<any>(
      `UPDATE vicidial_list v JOIN ${SNAPSHOT} o ON o.lead_id = v.lead_id
          SET v.vendor_lead_code = o.vendor_lead_code
        WHERE NOT (v.vendor_lead_code <=> o.vendor_lead_code)`,
    );
    return Number(res.affectedRows);
  });
}

/**
 * The write-back's yardstick (issue 17): the rows a VENDOR_CODES job wrote, written again from
 * the same starting data by a bare MyISAM `UPDATE vicidial_list JOIN <real table>` in 10,000
 * lead_id chunks, as root (the codes' table and its fill are not timed). Leaves vicidial_list as
 * the job left it. Codes written per second of each, side by side in one run.
 */
async function bareWriteBack(
  brain: { query: (sql: string, p?: unknown[]) => Promise<any[]> },
  jobId: string,
): Promise<{ written: number; seconds: number; longestMs: number; mariadbOwnCpu: number | null }> {
  const TABLE = "bench_sync_bare_codes";
  return withVici(async (c) => {
    await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await c.query(`CREATE TABLE ${TABLE} (lead_id INT UNSIGNED NOT NULL PRIMARY KEY, code VARCHAR(20)) ENGINE=MyISAM`);
    for (let after = "0"; ;) {
      const { changes, lastKey } = await readVendorCodeChanges(brain, jobId, after, 20000);
      if (lastKey === null) break;
      await c.query(`INSERT INTO ${TABLE} (lead_id, code) VALUES ?`, [changes.map((r) => [r.leadId, r.after])]);
      after = lastKey;
    }
    await restoreVendorCodes();
    const [[range]] = await c.query<any>(`SELECT MIN(lead_id) AS lo, MAX(lead_id) AS hi FROM ${TABLE}`);
    // The MariaDB thread serving this connection: its CPU is the bare statement's own work.
    const [[{ tid }]] = await c.query<any>("SELECT tid FROM information_schema.processlist WHERE id = CONNECTION_ID()");
    const pid = mariadbPid();
    const cpu0 = pid === null ? null : cpuOfTask(pid, Number(tid));
    let written = 0;
    let longestMs = 0;
    const t0 = performance.now();
    for (let lo = Number(range.lo); range.hi !== null && lo <= Number(range.hi); lo += 10_000) {
      const s0 = performance.now();
      const [res] = await c.query<any>(
        `UPDATE vicidial_list v JOIN ${TABLE} b ON b.lead_id = v.lead_id SET v.vendor_lead_code = b.code WHERE v.lead_id BETWEEN ? AND ?`,
        [lo, lo + 9_999],
      );
      longestMs = Math.max(longestMs, performance.now() - s0);
      written += Number(res.affectedRows);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = pid === null ? null : cpuOfTask(pid, Number(tid));
    await c.query(`DROP TABLE ${TABLE}`);
    return {
      written,
      seconds: Number(seconds.toFixed(2)),
      longestMs: Math.round(longestMs),
      mariadbOwnCpu: cpu0 === null || cpu1 === null ? null : Number((cpu1 - cpu0).toFixed(1)),
    };
  });
}

/** Ours against the bare statement: codes written per second of each, and their ratio. */
function compareWithBare(
  job: SyncJobRecord,
  seconds: number,
  bare: { written: number; seconds: number; longestMs: number; mariadbOwnCpu: number | null },
  mariadbOwn: number | null = null,
) {
  const ours = job.updated / seconds;
  const bareRate = bare.written / bare.seconds;
  const ratio = ours / bareRate;
  log(
    `write-back ${fmt(job.updated)} codes in ${seconds} s = ${fmt(ours)} codes/s (longest ${job.longestStatementMs} ms); bare UPDATE ... JOIN in 10k lead_id chunks ` +
      `${fmt(bare.written)} codes in ${bare.seconds} s = ${fmt(bareRate)} codes/s (longest ${bare.longestMs} ms): ratio ${(100 * ratio).toFixed(0)}%` +
      (mariadbOwn !== null && bare.mariadbOwnCpu !== null
        ? `; MariaDB CPU of its own connections ${mariadbOwn} s against the bare's ${bare.mariadbOwnCpu} s`
        : ""),
  );
  return {
    oursCodesPerSecond: Math.round(ours),
    bare: { ...bare, codesPerSecond: Math.round(bareRate) },
    ratio: Number(ratio.toFixed(3)),
  };
}

// ---------------------------------------------------------------------------------------------
// c, d. A job through the engine

async function runJob(app: GatewayApp, kind: SyncJobKind): Promise<SyncJobRecord> {
  const job = await app.services.syncJobs.start({ kind, campaigns: CAMPAIGNS, batchSize: BATCH }, "bench");
  let last = -1;
  const progress = setInterval(() => {
    app.services.syncJobs
      .get(job.id)
      .then((j) => {
        if (j.processed !== last)
          log(
            `  ${kind} ${j.phase ?? j.state}: ${j.processed}/${j.total ?? "?"} rows, rss ${mb(process.memoryUsage.rss())} MB`,
          );
        last = j.processed;
      })
      .catch(() => undefined);
  }, 10_000);
  progress.unref();
  try {
    // start() kicked the runner; drain() waits for that pass and runs whatever is still claimable.
    let drained = false;
    const drain = app.jobs.drain().finally(() => (drained = true));
    const deadline = Date.now() + MAX_MINUTES * 60_000;
    while (!drained && Date.now() < deadline) await Promise.race([drain, sleep(500)]);
    let final = await app.services.syncJobs.get(job.id);
    if (!drained && !FINAL_STATES.has(final.state)) {
      // The bench stops by itself: cancel (honoured at the next batch), then interrupt a statement that hangs on.
      log(`  ${kind} still running after ${MAX_MINUTES} min: cancelling it (${final.processed} rows done)`);
      await app.services.syncJobs.cancel(job.id);
      for (let i = 0; i < 240 && !FINAL_STATES.has(final.state); i++) {
        if (i === 60) await interruptBrain();
        await sleep(500);
        final = await app.services.syncJobs.get(job.id);
      }
    }
    while (!FINAL_STATES.has(final.state)) {
      await sleep(100);
      final = await app.services.syncJobs.get(job.id);
    }
    return final;
  } finally {
    clearInterval(progress);
  }
}

/** Cancels the statements running in the bench's Brain database (a job past its time limit). */
async function interruptBrain(): Promise<void> {
  const c = new Client({ connectionString: BRAIN_URL });
  await c.connect();
  try {
    await c.query(
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()",
    );
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// e. The seed's way

interface SeedResult {
  rows: number;
  inserted: number;
  updated: number;
  viciUpdates: number;
  errors: number;
  firstError: string | null;
}

/**
 * The seed strategy's loop ("Merge Strategy"), faithfully and without handicaps: the Vici
 * leads of the campaigns in lead_id order (read in pages of 1000, like a chunked Laravel
 * query), and per lead: queryVici($phone) (indexed, prepared), Lead::updateOrCreate(['phone'])
 * as one INSERT ... ON CONFLICT (phone) DO UPDATE, and updateViciVendorCode(lead_id) when the
 * Vici row had no vendor code. Brain's own rules are kept where the database would refuse
 * otherwise (a vendor code that is not a valid external_lead_id gets a new id); a statement
 * that fails (a vendor code another lead already holds) is counted and the loop goes on.
 */
async function seedWay(
  vici: Awaited<ReturnType<typeof connectServer>>,
  brain: Client,
  listIds: number[] | null,
  slice: number,
): Promise<SeedResult> {
  const r: SeedResult = { rows: 0, inserted: 0, updated: 0, viciUpdates: 0, errors: 0, firstError: null };
  {
    const where = listIds ? "list_id IN (?) AND" : "";
    let after = 0;
    while (r.rows < slice) {
      const [page] = await vici.query<RowDataPacket[]>(
        `SELECT lead_id, phone_code, phone_number FROM vicidial_list WHERE ${where} lead_id > ? ORDER BY lead_id LIMIT ?`,
        [...(listIds ? [listIds] : []), after, Math.min(1000, slice - r.rows)],
      );
      if (page.length === 0) break;
      for (const lead of page) {
        after = Number(lead.lead_id);
        r.rows++;
        const phone = fromViciPhone(lead.phone_code, lead.phone_number, "US");
        if (!phone) continue;
        // $viciLead = queryVici($phone)
        const [found] = await vici.execute<RowDataPacket[]>(
          "SELECT lead_id, status, vendor_lead_code, last_local_call_time FROM vicidial_list WHERE phone_number = ? ORDER BY lead_id DESC LIMIT 1",
          [lead.phone_number],
        );
        const v = found[0];
        if (!v) continue;
        const code = String(v.vendor_lead_code ?? "").trim();
        try {
          // Lead::updateOrCreate(['phone' => $phone], [...])
          const res = await brain.query(
            `INSERT INTO leads (external_lead_id, phone, origin, meta) VALUES ($1, $2, 'vici_import', $3)
             ON CONFLICT (phone) DO UPDATE SET external_lead_id = EXCLUDED.external_lead_id, meta = EXCLUDED.meta, updated_at = now()
             RETURNING external_lead_id, (xmax = 0) AS inserted`,
            [
              isExternalLeadId(code) ? code : newExternalLeadId(),
              phone,
              JSON.stringify({
                vici_lead_id: Number(v.lead_id),
                vici_status: v.status,
                last_call_date: v.last_local_call_time,
                origin: "vici_import",
                synced_at: new Date().toISOString(),
              }),
            ],
          );
          if (res.rows[0].inserted) r.inserted++;
          else r.updated++;
          // if (!$viciLead->vendor_lead_code) updateViciVendorCode(...)
          if (!code) {
            await vici.execute("UPDATE vicidial_list SET vendor_lead_code = ? WHERE lead_id = ?", [
              res.rows[0].external_lead_id,
              v.lead_id,
            ]);
            r.viciUpdates++;
          }
        } catch (e) {
          r.errors++;
          r.firstError ??= e instanceof Error ? e.message : String(e);
        }
      }
    }
    return r;
  }
}

// ---------------------------------------------------------------------------------------------
// f. Recording

const RECORD_HEADER =
  "| date | machine | data | VICI_IMPORT | VENDOR_CODES | longest Vici statement | peak RSS (import / write-back) | seed's way |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
const RECORD_INTRO =
  "`npm run bench:sync -- --leads 1000000` (`bench/sync.bench.ts`; `--reuse` keeps an already generated\n" +
  "`bench_vici`). `bench/generate-vici.ts` streams a VICIdial of N leads into `bench_vici`; the jobs run\n" +
  "through the real engine against a fresh Brain (`bench_sync_brain`); the seed's way is its per-lead\n" +
  "loop (lookup by phone, upsert, vendor-code UPDATE) on the first 20k leads, against its own fresh Brain.";

// ---------------------------------------------------------------------------------------------
// The import against the bare pipeline (issue 17: VICI_IMPORT ≥ 80% of bench:bare)

interface ImportRatio {
  importRowsPerSecond: number;
  bareRowsPerSecond: number[];
  ratio: number;
}

const RATIO_SECTION = "### The import against the bare pipeline, same run (issue 17)";
const RATIO_INTRO =
  "`npm run bench:import` (= `bench:sync --import-only`; the full `bench:sync` does it too): the bare pipeline\n" +
  "(`bench/bare-import.bench.ts`, into a fresh Brain's `leads` with every index), then `VICI_IMPORT` through the job\n" +
  "engine, then the bare pipeline again, on the same `bench_vici`. ratio = the import's rows/s over the mean of the two\n" +
  "bare runs' (the machine is shared: the two bare runs bracket the load's drift). Target: ≥ 80%.";
const RATIO_HEADER =
  "| date | machine | data | code | VICI_IMPORT | bare before / after | ratio | CPU s import (node / PostgreSQL / MariaDB) | CPU s bare (mean) | load average (start, min–max during the import) |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";

function reportRatio(job: SyncJobRecord, m: StepMeasure, bare: BareRun[], viciRows: number): ImportRatio {
  const ours = job.processed / m.seconds;
  const rates = bare.map((b) => b.rows / b.seconds);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const r: ImportRatio = {
    importRowsPerSecond: Math.round(ours),
    bareRowsPerSecond: rates.map(Math.round),
    ratio: Number((ours / mean).toFixed(3)),
  };
  log(
    `import vs bare, same data (${fmt(viciRows)} Vici rows): ${fmt(ours)} rows/s against ${rates.map(fmt).join(" / ")} (mean ${fmt(mean)}): ${(100 * r.ratio).toFixed(0)}% (target 80%)`,
  );
  return r;
}

async function recordRatio(
  job: SyncJobRecord,
  m: StepMeasure,
  bare: BareRun[],
  ratio: ImportRatio,
  viciRows: number,
): Promise<void> {
  const v = await versions(BRAIN_URL, VICI_URL);
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}, ${v.pg}, ${v.maria}`;
  let commit = "?";
  try {
    commit = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
  } catch {
    // not a checkout
  }
  const mean = (f: (b: BareRun) => number) => (bare.reduce((a, b) => a + f(b), 0) / bare.length).toFixed(1);
  const row =
    `| ${new Date().toISOString().slice(0, 10)} | ${machine} | ${fmt(LEADS)} Vici leads, ${fmt(viciRows)} in ${CAMPAIGNS.join(" + ") || "all campaigns"} → ${fmt(job.created)} leads | \`${commit}\` | ` +
    `${fmt(job.processed)} rows in ${m.seconds.toFixed(1)} s = **${fmt(ratio.importRowsPerSecond)} rows/s** | ` +
    `${bare.map((b) => `${b.seconds.toFixed(1)} s = ${fmt(b.rows / b.seconds)}`).join(" / ")} rows/s | **${(100 * ratio.ratio).toFixed(0)}%** | ` +
    `${m.cpuSeconds.node} / ${m.cpuSeconds.postgres} / ${m.cpuSeconds.mariadb} | ${mean((b) => b.cpu.node)} / ${mean((b) => b.cpu.postgres)} / ${mean((b) => b.cpu.mariadb)} | ` +
    `${m.load.start}, ${m.load.min}–${m.load.max} (shared machine) |`;
  recordRows(RATIO_SECTION, RATIO_INTRO, RATIO_HEADER, [row]);
  log("ratio recorded in BENCHMARKS.md");
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!Number.isInteger(LEADS) || LEADS < 1000) throw new RangeError("--leads must be at least 1000");
  if (!Number.isInteger(SLICE) || SLICE < 1) throw new RangeError("--slice must be a positive whole number");

  // a. Vici
  let generation: (GenerateViciSummary & { reused?: false }) | { reused: true } | null = null;
  const found = await viciLeadCount();
  if (REUSE && found && found.leads === LEADS && found.snapshot === LEADS) {
    const restored = await restoreVendorCodes();
    log(`reusing bench_vici (${fmt(LEADS)} leads); ${fmt(restored)} vendor codes put back as generated`);
    generation = { reused: true };
  } else {
    log(`generating bench_vici with ${fmt(LEADS)} leads`);
    generation = await generateViciInChild(VICI_URL, LEADS, (line) => log(`generate:${line}`));
    await snapshotVendorCodes();
    log(
      `generated in ${generation.seconds} s (${fmt(generation.rowsPerSecond)} leads/s, peak RSS ${generation.peakRssMb} MB)`,
    );
  }

  // b. Brain; the gateway's VICIdial user has VICIdial's standard grants only, as on a real dialer
  if (!WRITE_BACK_ONLY) await ensureBrainDatabase(BRAIN_URL, { recreate: true });
  // A user per bench database: two benches on one server must not drop each other's user.
  const dialer = dbName(VICI_URL) === "bench_vici" ? "bench_dialer" : `${dbName(VICI_URL)}_dialer`.slice(0, 80);
  const gatewayViciUrl = await createDialerUser(VICI_URL, dialer, "bench-dialer-pw");

  const app = createApp(
    loadConfig({
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      BRAIN_DATABASE_URL: BRAIN_URL,
      VICI_DATABASE_URL: gatewayViciUrl,
      VICI_TIMEZONE: TZ,
      JOB_POLL_MS: "600000",
      JOB_LEASE_MS: "600000",
    }),
    { log: pino({ level: "silent" }) },
  );
  await app.init();
  let importJob: SyncJobRecord;
  let vendorJob: SyncJobRecord;
  let importM: StepMeasure;
  let vendorM: StepMeasure;
  let viciRows: number;
  let listIds: number[] | null;
  let vsBare: ReturnType<typeof compareWithBare>;
  const bare: BareRun[] = [];
  let ratio: ImportRatio | null = null;
  try {
    listIds = CAMPAIGNS.length ? await app.services.campaigns.listIdsOf(CAMPAIGNS) : null;
    const [[{ n }]] = [
      await app.vici.query(
        `SELECT COUNT(*) AS n FROM vicidial_list${listIds ? ` WHERE list_id IN (${listIds.join(",")})` : ""}`,
      ),
    ];
    viciRows = Number(n);

    if (WRITE_BACK_ONLY) {
      const [{ n: leads }] = await app.brain.query("SELECT count(*)::int AS n FROM leads");
      if (!leads)
        throw new Error("--write-back-only needs the Brain of an earlier run (bench_sync_brain holds no leads)");
      ({ value: vendorJob, m: vendorM } = await measure(
        () => runJob(app, SyncJobKind.VENDOR_CODES),
        dbName(BRAIN_URL),
      ));
      log(
        `VENDOR_CODES ${vendorJob.state}: ${fmt(vendorJob.processed)} rows (${fmt(vendorJob.updated)} written) in ${vendorM.seconds} s = ` +
          `${fmt(vendorJob.processed / vendorM.seconds)} rows/s, longest statement ${vendorJob.longestStatementMs} ms`,
      );
      const vsBare = compareWithBare(
        vendorJob,
        vendorM.seconds,
        await bareWriteBack(app.brain, vendorJob.id),
        vendorM.cpuSeconds.mariadbOwn,
      );
      console.log(
        JSON.stringify(
          {
            writeBack: vendorJob,
            seconds: vendorM.seconds,
            cpuSeconds: vendorM.cpuSeconds,
            statements: vendorM.statements,
            vsBare,
            loadAverage: os.loadavg(),
          },
          null,
          2,
        ),
      );
      return;
    }

    // c. import, between two runs of the bare pipeline on the same data (the load of a shared machine drifts)
    const bareLists =
      listIds ??
      (await app.vici.query("SELECT list_id FROM vicidial_lists")).map((l: { list_id: unknown }) => Number(l.list_id));
    const bareRun = async (when: string) => {
      log(`bare pipeline (${when} the import) into a fresh Brain's leads, every index`);
      const r = await runBare(false, bareLists, TZ, BARE_BRAIN_URL);
      log(
        `  ${fmt(r.rows)} rows in ${r.seconds.toFixed(1)} s = ${fmt(r.rows / r.seconds)} rows/s (CPU node ${r.cpu.node.toFixed(1)}, PostgreSQL ${r.cpu.postgres.toFixed(1)}, MariaDB ${r.cpu.mariadb.toFixed(1)} s; load ${r.load.start.toFixed(1)}, ${r.load.min.toFixed(1)}–${r.load.max.toFixed(1)})`,
      );
      return r;
    };
    if (BARE) bare.push(await bareRun("before"));
    log(`VICI_IMPORT over ${CAMPAIGNS.join(",") || "every list"}: ${fmt(viciRows)} Vici rows`);
    ({ value: importJob, m: importM } = await measure(() => runJob(app, SyncJobKind.VICI_IMPORT), dbName(BRAIN_URL)));
    log(
      `VICI_IMPORT ${importJob.state}: ${fmt(importJob.processed)} rows in ${importM.seconds} s = ${fmt(importJob.processed / importM.seconds)} rows/s, peak RSS ${importM.peakRssMb} MB (CPU node ${importM.cpuSeconds.node}, PostgreSQL ${importM.cpuSeconds.postgres}, MariaDB ${importM.cpuSeconds.mariadb} s${importM.cpuSeconds.mariadbOwn === null ? "" : `, of it the import's connections ${importM.cpuSeconds.mariadbOwn} s`}; load ${importM.load.start}, ${importM.load.min}–${importM.load.max})`,
    );
    if (importJob.state === "FAILED") throw new Error(`VICI_IMPORT failed: ${importJob.error}`);
    if (BARE) {
      bare.push(await bareRun("after"));
      ratio = reportRatio(importJob, importM, bare, viciRows);
    }
    if (ratio && RECORD_RATIO) await recordRatio(importJob, importM, bare, ratio, viciRows);
    if (IMPORT_ONLY) {
      console.log(
        JSON.stringify(
          {
            import: importJob,
            seconds: importM.seconds,
            cpuSeconds: importM.cpuSeconds,
            load: importM.load,
            statements: importM.statements,
            bare,
            ratio,
          },
          null,
          2,
        ),
      );
      return;
    }

    // d. write-back
    ({ value: vendorJob, m: vendorM } = await measure(() => runJob(app, SyncJobKind.VENDOR_CODES), dbName(BRAIN_URL)));
    log(
      `VENDOR_CODES ${vendorJob.state}: ${fmt(vendorJob.processed)} rows (${fmt(vendorJob.updated)} written) in ${vendorM.seconds} s = ` +
        `${fmt(vendorJob.processed / vendorM.seconds)} rows/s, longest statement ${vendorJob.longestStatementMs} ms, peak RSS ${vendorM.peakRssMb} MB`,
    );
    if (vendorJob.state === "FAILED") throw new Error(`VENDOR_CODES failed: ${vendorJob.error}`);
    vsBare = compareWithBare(
      vendorJob,
      vendorM.seconds,
      await bareWriteBack(app.brain, vendorJob.id),
      vendorM.cpuSeconds.mariadbOwn,
    );
  } finally {
    await app.stop();
  }

  // e. the seed's way, on the Vici data as generated
  await restoreVendorCodes();
  await migrateFreshBrain(SEED_BRAIN_URL);
  log(`seed's way on ${fmt(SLICE)} leads`);
  // Connected before the step: a backend's CPU time leaves /proc with it.
  const seedVici = await connectServer(parseMysqlUrl(VICI_URL), parseMysqlUrl(VICI_URL).database);
  const seedBrain = new Client({ connectionString: SEED_BRAIN_URL });
  await seedBrain.connect();
  const { value: seed, m: seedM } = await measure(
    () => seedWay(seedVici, seedBrain, listIds, SLICE),
    dbName(SEED_BRAIN_URL),
  );
  await Promise.all([seedVici.end(), seedBrain.end()]);
  log(`seed's way: ${fmt(seed.rows)} rows in ${seedM.seconds} s = ${fmt(seed.rows / seedM.seconds)} rows/s`);

  // f. result
  const v = await versions(BRAIN_URL, VICI_URL);
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}, ${v.pg}, ${v.maria}`;
  const rate = (rows: number, s: number) => Math.round(rows / s);
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine,
    viciLeads: LEADS,
    campaigns: CAMPAIGNS.length ? CAMPAIGNS : "all",
    viciRowsInCampaigns: viciRows,
    generation,
    import: {
      state: importJob.state,
      rows: importJob.processed,
      created: importJob.created,
      updated: importJob.updated,
      linked: importJob.linked,
      skipped: importJob.skipped,
      conflicts: importJob.conflicts,
      errors: importJob.errors,
      seconds: importM.seconds,
      rowsPerSecond: rate(importJob.processed, importM.seconds),
      peakRssMb: importM.peakRssMb,
      longestStatementMs: importJob.longestStatementMs,
      cpuSeconds: importM.cpuSeconds,
      statements: importM.statements,
    },
    writeBack: {
      state: vendorJob.state,
      rows: vendorJob.processed,
      written: vendorJob.updated,
      skipped: vendorJob.skipped,
      conflicts: vendorJob.conflicts,
      seconds: vendorM.seconds,
      rowsPerSecond: rate(vendorJob.processed, vendorM.seconds),
      peakRssMb: vendorM.peakRssMb,
      longestStatementMs: vendorJob.longestStatementMs,
      cpuSeconds: vendorM.cpuSeconds,
      statements: vendorM.statements,
      vsBare,
    },
    loadAverage: os.loadavg(),
    seedWay: {
      ...seed,
      seconds: seedM.seconds,
      rowsPerSecond: rate(seed.rows, seedM.seconds),
      peakRssMb: seedM.peakRssMb,
      cpuSeconds: seedM.cpuSeconds,
      statements: seedM.statements,
    },
    targets: {
      importRowsPerSecond: { target: 30_000, met: rate(importJob.processed, importM.seconds) >= 30_000 },
      writeBackRowsPerSecond: { target: 15_000, met: rate(vendorJob.processed, vendorM.seconds) >= 15_000 },
      peakRssMb: { target: 512, met: Math.max(importM.peakRssMb, vendorM.peakRssMb) <= 512 },
    },
  };
  console.log(JSON.stringify(result, null, 2));

  if (RECORD) {
    const data =
      `${fmt(LEADS)} Vici leads, ${fmt(viciRows)} in ${CAMPAIGNS.join(" + ") || "all campaigns"}` +
      (BATCH ? `, batchSize ${fmt(BATCH)}` : "") +
      `; the gateway as a ${DIALER_GRANTS} user`;
    const ended = (j: SyncJobRecord) =>
      j.state === "SUCCEEDED" ? "" : ` (${j.state} after ${MAX_MINUTES} min: partial)`;
    const row =
      `| ${result.date} | ${machine} | ${data} | ${fmt(importJob.processed)} rows in ${importM.seconds.toFixed(1)} s = **${fmt(result.import.rowsPerSecond)} rows/s** ` +
      `(${fmt(importJob.created)} leads created)${ended(importJob)} | ${fmt(vendorJob.processed)} rows (${fmt(vendorJob.updated)} codes written)${ended(vendorJob)} in ${vendorM.seconds.toFixed(1)} s = ` +
      `**${fmt(result.writeBack.rowsPerSecond)} rows/s** | ${vendorJob.longestStatementMs ?? "—"} ms | ${importM.peakRssMb} / ${vendorM.peakRssMb} MB | ` +
      `${fmt(seed.rows)} rows in ${seedM.seconds.toFixed(1)} s = ${fmt(result.seedWay.rowsPerSecond)} rows/s |`;
    recordRows(SECTION, RECORD_INTRO, RECORD_HEADER, [row]);
    log("recorded in BENCHMARKS.md");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
