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
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
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
 * backend's database).
 */
export function cpuOf(match: RegExp | number, title?: RegExp): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const pids = typeof match === "number" ? [String(match)] : fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
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

/** Runs bench/generate-vici in a child process (its RSS is its own); `onLine` sees its progress lines. */
export function generateViciInChild(url: string, leads: number, onLine?: (line: string) => void): Promise<GenerateViciSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "generate-vici.js"), "--leads", String(leads), "--url", url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
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
