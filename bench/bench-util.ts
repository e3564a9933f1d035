/**
 * What the benches share: argument parsing, logging, CPU accounting from /proc, the
 * generator in a child process, the server versions, and recording rows in BENCHMARKS.md.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { RowDataPacket } from "mysql2/promise";
import { Client } from "pg";
import pino from "pino";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
import { FINAL_STATES, SyncJobKind } from "../src/jobs/sync-job.types";
import { createBrainDataSource } from "../src/data-sources/brain.data-source";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { packageRoot } from "../src/util/package-root";
import { connectServer } from "../src/vici/vici-ddl";
import type { GenerateViciSummary } from "./generate-vici";

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
export const flag = (name: string) => process.argv.includes(`--${name}`);
export const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Summed utime+stime (s) of one pid, or of the processes whose command name matches `match`
 * and whose command line matches `title` when given (PostgreSQL's process title names a
 * backend's database). `thread`: that thread of the pid alone.
 */
export function cpuOf(match: RegExp | number, title?: RegExp, thread?: string): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const pids = typeof match === "number" ? [String(match)] : fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (typeof match !== "number" && !match.test(name)) continue;
      if (title && !title.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"))) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** The local mariadbd's (or mysqld's) pid; null when it does not run on this machine. */
export function mariadbPid(): number | null {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (/^(mariadbd|mysqld)$/.test(fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim())) return Number(pid);
    } catch {
      // ended meanwhile
    }
  }
  return null;
}

/** CPU seconds (user + system) of one thread of a process; null when it is gone. */
export function cpuOfTask(pid: number, tid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** Runs bench/generate-vici in a child process (its RSS is its own); `onLine` sees its progress lines. */
export function generateViciInChild(
  url: string,
  leads: number,
  onLine?: (line: string) => void,
): Promise<GenerateViciSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, "generate-vici.js"), "--leads", String(leads), "--url", url],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      const s = d.toString();
      out += s;
      if (onLine) for (const line of s.split("\n")) if (/^  \d/.test(line)) onLine(line.trimEnd());
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`generate-vici exited with ${code}`));
      resolve(JSON.parse(out.slice(out.indexOf("\n{") + 1)));
    });
  });
}

export async function versions(brainUrl: string, viciUrl: string): Promise<{ pg: string; maria: string }> {
  const c = new Client({ connectionString: brainUrl });
  await c.connect();
  const pg = (await c.query("SHOW server_version")).rows[0].server_version as string;
  await c.end();
  const conn = await connectServer(parseMysqlUrl(viciUrl));
  const [[r]] = await conn.query<RowDataPacket[]>("SELECT VERSION() AS v");
  await conn.end();
  return { pg: `PostgreSQL ${pg.split(" ")[0]}`, maria: `MariaDB ${String(r.v).split("-")[0]}` };
}

/**
 * Adds rows at the end of the table of BENCHMARKS.md's `section` (creating the section, with
 * `intro` and `header`, the first time), leaving the rest of the file as it is.
 */
export function recordRows(section: string, intro: string, header: string, rows: string[]): void {
  const file = path.join(packageRoot(), "BENCHMARKS.md");
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(section);
  if (start < 0) {
    fs.writeFileSync(file, text.replace(/\n*$/, "\n") + `\n${section}\n\n${intro}\n\n${header}${rows.join("\n")}\n`);
    return;
  }
  const lines = text.slice(start).split("\n");
  let i = lines.findIndex((l) => l.startsWith("| date |"));
  if (i < 0) {
    const next = lines.findIndex((l, j) => j > 0 && l.startsWith("## "));
    lines.splice(next < 0 ? lines.length : next, 0, ...(header + rows.join("\n") + "\n").split("\n"));
  } else {
    while (i + 1 < lines.length && lines[i + 1].startsWith("|")) i++;
    lines.splice(i + 1, 0, ...rows);
  }
  fs.writeFileSync(file, text.slice(0, start) + lines.join("\n"));
}

/** A new, empty Brain database at `url` with every migration applied. */
export async function migrateFreshBrain(url: string): Promise<void> {
  await ensureBrainDatabase(url, { recreate: true });
  const ds = createBrainDataSource(url, pino({ level: "silent" }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: "each" });
  } finally {
    await ds.destroy();
  }
}

/** Rows in a bench VICIdial and Brain (null when either is missing or empty of tables). */
export async function benchDataSize(
  brainUrl: string,
  viciUrl: string,
): Promise<{ vici: number; brain: number; linked: number } | null> {
  const t = parseMysqlUrl(viciUrl);
  let vici = 0;
  const conn = await connectServer(t);
  try {
    const [tables] = await conn.query<RowDataPacket[]>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name = 'vicidial_list'",
      [t.database],
    );
    if (tables.length === 0) return null;
    const [[a]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t.database}\`.vicidial_list`);
    vici = Number(a.n);
  } finally {
    await conn.end();
  }
  const pg = new Client({ connectionString: brainUrl });
  try {
    await pg.connect();
  } catch {
    return null;
  }
  try {
    const exists = await pg.query("SELECT to_regclass('leads') IS NOT NULL AS ok");
    if (!exists.rows[0].ok) return null;
    const r = await pg.query(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE meta ? 'vici_lead_id')::int AS linked FROM leads",
    );
    return { vici, brain: r.rows[0].n, linked: r.rows[0].linked };
  } finally {
    await pg.end();
  }
}

/** A fresh Brain (env's BRAIN_DATABASE_URL), then a VICI_IMPORT over every list, through the job engine. */
export async function importAllIntoBrain(env: Record<string, string>): Promise<void> {
  await ensureBrainDatabase(env.BRAIN_DATABASE_URL, { recreate: true });
  const app = createApp(loadConfig({ ...env, JOBS_RUN: "true", JOB_POLL_MS: "600000", JOB_LEASE_MS: "600000" }), {
    log: pino({ level: "silent" }),
  });
  await app.init();
  try {
    const t0 = performance.now();
    const job = await app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: [] }, "bench");
    await app.jobs.drain();
    let final = await app.services.syncJobs.get(job.id);
    while (!FINAL_STATES.has(final.state)) {
      await sleep(200);
      final = await app.services.syncJobs.get(job.id);
    }
    if (final.state !== "SUCCEEDED") throw new Error(`VICI_IMPORT ${final.state}: ${final.error}`);
    log(
      `VICI_IMPORT: ${fmt(final.processed)} rows, ${fmt(final.created)} leads created, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await app.stop();
  }
}
