import { basename } from "node:path";
import { ensureBrainDatabase } from "../../src/data-sources/brain-database";
import { connectServer, recreateViciDatabase } from "../../src/vici/vici-ddl";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";
import { seedDemoVici } from "../../src/demo/demo-data";

/** Server URLs tests use; CI and developer machines run PostgreSQL and MariaDB locally. */
export const PG_SERVER = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
export const MYSQL_SERVER = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

/**
 * A database name unique to one test file, e.g. test/leads.test.ts → t_leads. TEST_DB_PREFIX
 * (default "t") keeps two checkouts on one machine from sharing databases.
 */
export function dbNameFor(testFile: string, suffix = ""): string {
  const stem = basename(testFile).replace(/\.test\.ts$/, "").replace(/[^a-z0-9]+/gi, "_").toLowerCase();
  const prefix = (process.env.TEST_DB_PREFIX ?? "t").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
  return `${prefix}_${stem}${suffix ? "_" + suffix : ""}`.slice(0, 60);
}

export async function freshBrainDb(name: string): Promise<string> {
  const url = `${PG_SERVER}/${name}`;
  await ensureBrainDatabase(url, { recreate: true });
  return url;
}

/** A new MariaDB database loaded with the project's VICIdial DDL (or `ddl`). */
export async function freshViciDb(name: string, ddl?: string): Promise<string> {
  const url = `${MYSQL_SERVER}/${name}`;
  await recreateViciDatabase(url, ddl);
  return url;
}

/** A new VICIdial database holding the demo's generated dialer: `leads` leads, calls, DNC entries (a fixed "now"). */
export async function freshDemoViciDb(name: string, leads: number, timeZone: string): Promise<string> {
  const url = await freshViciDb(name);
  const t = parseMysqlUrl(url);
  const conn = await connectServer(t, t.database);
  try {
    await seedDemoVici(conn, { leads, timeZone, now: new Date("2026-11-20T12:00:00Z") });
  } finally {
    await conn.end();
  }
  return url;
}
