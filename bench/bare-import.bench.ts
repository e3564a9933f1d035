/**
 * The yardstick of the import target: a bare set-based SQL pipeline doing the import's
 * domain work with none of the gateway around it, on the same bench_vici as bench:sync.
 *
 *   npm run bench:bare -- [--campaigns Auto2,Autodial] [--no-record]
 *
 * It streams the campaigns' vicidial_list rows (one query, `list_id IN (...)`), each lead's
 * last call (`MAX(call_date)` over vicidial_log) and the system DNC numbers into UNLOGGED
 * staging tables of a fresh Brain, then merges them into `leads` with two statements on the
 * two halves of the phone space, at once: one lead per phone, the seed's meta
 * (vici_lead_id = the most recently called row, all lead ids, status, last call date),
 * do-not-call for DNC and recently called numbers. What it leaves out, and the import does:
 * phone validation (`'+' || phone_code || phone_number`), campaign DNC lists, statuses that
 * mean DNC, vendor codes as ids, merging into leads Brain already has, checkpoints, counters,
 * and short reads (its read holds MyISAM's table lock for the whole stream).
 *
 * It runs twice: into `leads` as Brain's migrations create it (every search and filter
 * index), and into `leads` with only its primary key and its two unique indexes (the seed's
 * table). Run `npm run bench:sync` once before (it generates bench_vici).
 */
import "reflect-metadata";
import os from "node:os";
import type { RowDataPacket } from "mysql2/promise";
import { Client } from "pg";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { connectServer } from "../src/vici/vici-ddl";
import { arg, cpuOf, flag, fmt, log, migrateFreshBrain, recordRows, versions } from "./bench-util";
import { BENCH_TIME_ZONE } from "./generate-vici";

const VICI_URL = process.env.BENCH_VICI_URL ?? "mysql://root@127.0.0.1:3306/bench_vici";
const BRAIN_URL = process.env.BENCH_BARE_BRAIN_URL ?? "postgres://postgres@127.0.0.1:5432/bench_bare_brain";
const CAMPAIGNS = (arg("campaigns") ?? "Auto2,Autodial").split(",").filter(Boolean);
const RECORD = !flag("no-record");
const CHUNK = 10_000;

/** The indexes the seed's table would not have: everything but the primary key and the unique keys. */
const SECONDARY = `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE i.indrelid = 'leads'::regclass AND NOT i.indisunique`;

export interface Run {
  seconds: number;
  stageSeconds: number;
  mergeSeconds: number;
  rows: number;
  leads: number;
  cpu: { node: number; postgres: number; mariadb: number };
  /** The machine's 1-minute load average at the start, and the lowest and highest sampled during the run. */
  load: { start: number; min: number; max: number };
}

/** Streams a query's rows from MariaDB into a staging table, CHUNK rows per INSERT ... unnest. */
async function stage(pg: Client, sql: string, params: unknown[], table: string, types: string[]): Promise<number> {
  const vici = await connectServer(parseMysqlUrl(VICI_URL), parseMysqlUrl(VICI_URL).database);
  let n = 0;
  try {
    const cols: unknown[][] = types.map(() => []);
    const flush = async () => {
      if (cols[0].length === 0) return;
      const args = types.map((t, i) => `$${i + 1}::${t}[]`).join(", ");
      await pg.query(
        `INSERT INTO ${table} SELECT * FROM unnest(${args})`,
        cols.map((c) => c.splice(0)),
      );
    };
    const stream = (vici as any).connection
      .query({ sql, values: params, rowsAsArray: true })
      .stream({ highWaterMark: CHUNK });
    for await (const row of stream as AsyncIterable<unknown[]>) {
      row.forEach((v, i) => cols[i].push(v === "" ? null : v));
      if (++n % CHUNK === 0) await flush();
    }
    await flush();
  } finally {
    await vici.end();
  }
  return n;
}

/**
 * One run of the bare pipeline into a fresh Brain at `brainUrl` (its database is recreated),
 * reading VICIdial at BENCH_VICI_URL. bench:sync runs it beside the import, on the same data.
 */
export async function runBare(seedTable: boolean, listIds: number[], tz: string, brainUrl = BRAIN_URL): Promise<Run> {
  const BRAIN_URL = brainUrl;
  await migrateFreshBrain(BRAIN_URL);
  const admin = new Client({ connectionString: BRAIN_URL });
  await admin.connect();
  if (seedTable)
    for (const { relname } of (await admin.query(SECONDARY)).rows) await admin.query(`DROP INDEX "${relname}"`);
  await admin.query(`CREATE UNLOGGED TABLE stage_leads (lead_id bigint, phone_code text, phone_number text, first_name text,
                     last_name text, status text, list_id bigint)`);
  await admin.query("CREATE UNLOGGED TABLE stage_calls (lead_id bigint, last_call timestamp)");
  await admin.query("CREATE UNLOGGED TABLE stage_dnc (phone_number text)");

  // Connections open for the whole run: an exited backend takes its CPU time out of /proc.
  const side = [new Client({ connectionString: BRAIN_URL }), new Client({ connectionString: BRAIN_URL })];
  for (const c of side) {
    await c.connect();
    await c.query("SET synchronous_commit = off");
  }
  // PostgreSQL: this database's backends and the shared background processes, not other
  // databases' backends (other work on a shared machine).
  const pgTitle = new RegExp(
    `\\b${decodeURIComponent(new URL(BRAIN_URL).pathname.slice(1))}\\b|checkpointer|background writer|walwriter|autovacuum launcher`,
  );
  const cpu0 = {
    node: process.cpuUsage(),
    postgres: cpuOf(/^postgres/, pgTitle),
    mariadb: cpuOf(/^(mariadbd|mysqld)$/),
  };
  const load = { start: os.loadavg()[0], min: os.loadavg()[0], max: os.loadavg()[0] };
  const loadTimer = setInterval(() => {
    load.min = Math.min(load.min, os.loadavg()[0]);
    load.max = Math.max(load.max, os.loadavg()[0]);
  }, 1000);
  const t0 = performance.now();
  const [rows] = await Promise.all([
    stage(
      admin,
      `SELECT lead_id, phone_code, phone_number, first_name, last_name, status, list_id FROM vicidial_list WHERE list_id IN (?)`,
      [listIds],
      "stage_leads",
      ["bigint", "text", "text", "text", "text", "text", "bigint"],
    ),
    (async () => {
      await stage(side[0], "SELECT lead_id, MAX(call_date) FROM vicidial_log GROUP BY lead_id", [], "stage_calls", [
        "bigint",
        "timestamp",
      ]);
      await stage(side[0], "SELECT phone_number FROM vicidial_dnc", [], "stage_dnc", ["text"]);
    })(),
  ]);
  await admin.query("ANALYZE stage_leads; ANALYZE stage_calls; ANALYZE stage_dnc");
  const t1 = performance.now();

  // One lead per phone; each half of the phone space on its own backend.
  const merge = (part: number) => `
    WITH r AS (
      SELECT '+' || coalesce(s.phone_code, '1') || s.phone_number AS phone, s.*,
             (c.last_call AT TIME ZONE '${tz}') AS last_call_at
        FROM stage_leads s LEFT JOIN stage_calls c ON c.lead_id = s.lead_id
       WHERE right(s.phone_number, 1)::int % 2 = ${part} AND s.phone_number ~ '^[0-9]{6,14}$'
    ), g AS (
      SELECT phone,
             (array_agg(lead_id ORDER BY last_call_at DESC NULLS LAST, lead_id DESC))[1] AS primary_id,
             jsonb_agg(lead_id ORDER BY lead_id) AS ids,
             (array_agg(status ORDER BY last_call_at DESC NULLS LAST, lead_id DESC))[1] AS status,
             min(first_name) AS first_name, min(last_name) AS last_name, max(last_call_at) AS last_call_at,
             bool_or(EXISTS (SELECT 1 FROM stage_dnc d WHERE d.phone_number = r.phone_number)) AS dnc
        FROM r GROUP BY phone
    )
    INSERT INTO leads (external_lead_id, phone, first_name, last_name, origin, do_not_call, do_not_call_reason, meta)
    SELECT 'VB' || primary_id, phone, first_name, last_name, 'vici_import',
           dnc OR coalesce(last_call_at > now() - interval '30 days', false),
           CASE WHEN dnc THEN 'dnc' WHEN last_call_at > now() - interval '30 days' THEN 'recently_called' END,
           jsonb_build_object('vici_lead_id', primary_id, 'vici_lead_ids', ids, 'vici_status', status, 'origin', 'vici_import',
                              'synced_at', now(), 'last_call_date', last_call_at)
      FROM g
    ON CONFLICT (phone) DO NOTHING`;
  await Promise.all(side.map((c, part) => c.query(merge(part))));
  const t2 = performance.now();
  clearInterval(loadTimer);
  const nodeCpu = process.cpuUsage(cpu0.node);
  const run: Run = {
    seconds: (t2 - t0) / 1000,
    stageSeconds: (t1 - t0) / 1000,
    mergeSeconds: (t2 - t1) / 1000,
    rows,
    leads: Number((await admin.query("SELECT count(*) AS n FROM leads")).rows[0].n),
    cpu: {
      node: (nodeCpu.user + nodeCpu.system) / 1e6,
      postgres: cpuOf(/^postgres/, pgTitle) - cpu0.postgres,
      mariadb: cpuOf(/^(mariadbd|mysqld)$/) - cpu0.mariadb,
    },
    load,
  };
  await Promise.all([admin, ...side].map((c) => c.end()));
  return run;
}

async function main() {
  const vici = await connectServer(parseMysqlUrl(VICI_URL), parseMysqlUrl(VICI_URL).database);
  const [lists] = await vici.query<RowDataPacket[]>("SELECT list_id FROM vicidial_lists WHERE campaign_id IN (?)", [
    CAMPAIGNS,
  ]);
  await vici.end();
  if (lists.length === 0)
    throw new Error(`no lists in ${CAMPAIGNS.join(",")}: run npm run bench:sync first (it generates bench_vici)`);
  const listIds = lists.map((l) => Number(l.list_id));
  const tz = BENCH_TIME_ZONE;
  const out: Record<string, Run> = {};
  for (const [name, seedTable] of [
    ["brain", false],
    ["seed", true],
  ] as const) {
    log(
      `bare pipeline into ${name === "brain" ? "Brain's leads (every index)" : "leads with only its unique indexes"}`,
    );
    const r = await runBare(seedTable, listIds, tz);
    log(
      `  ${fmt(r.rows)} rows → ${fmt(r.leads)} leads in ${r.seconds.toFixed(1)} s = ${fmt(r.rows / r.seconds)} rows/s ` +
        `(staging ${r.stageSeconds.toFixed(1)} s, merge ${r.mergeSeconds.toFixed(1)} s; CPU node ${r.cpu.node.toFixed(1)}, ` +
        `PostgreSQL ${r.cpu.postgres.toFixed(1)}, MariaDB ${r.cpu.mariadb.toFixed(1)} s)`,
    );
    out[name] = r;
  }
  console.log(JSON.stringify(out, null, 2));
  if (!RECORD) return;
  const v = await versions(BRAIN_URL, VICI_URL);
  const cell = (r: Run) =>
    `${fmt(r.rows)} rows in ${r.seconds.toFixed(1)} s = **${fmt(r.rows / r.seconds)} rows/s** (staging ${r.stageSeconds.toFixed(1)} s, merge ${r.mergeSeconds.toFixed(1)} s)`;
  recordRows(
    "### The bare pipeline (the target's yardstick)",
    "`npm run bench:bare` (`bench/bare-import.bench.ts`): the import's reads and merge as bare SQL, no gateway (what it leaves out is in the file's header).",
    "| date | machine | data | into Brain's `leads` | into `leads` with only its unique indexes |\n| --- | --- | --- | --- | --- |\n",
    [
      `| ${new Date().toISOString().slice(0, 10)} | ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${v.pg}, ${v.maria} | ` +
        `${fmt(out.brain.rows)} Vici rows of ${CAMPAIGNS.join(" + ")} → ${fmt(out.brain.leads)} leads | ${cell(out.brain)} | ${cell(out.seed)} |`,
    ],
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
