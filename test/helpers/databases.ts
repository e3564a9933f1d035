import { basename } from "node:path";
import { Client } from "pg";
import { ensureBrainDatabase } from "../../src/data-sources/brain-database";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";
import { connectServer, recreateViciDatabase } from "../../src/vici/vici-ddl";
import { seedDemoVici } from "../../src/vici/demo-data";
import { dropDialerUsers, grantDialerUser } from "./dialer-user";

/** Server URLs tests use; CI and developer machines run PostgreSQL and MariaDB locally. */
export const PG_SERVER = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
export const MYSQL_SERVER = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

/**
 * A database name unique to one test file, e.g. test/leads.test.ts → t_leads. TEST_DB_PREFIX
 * (default "t") keeps two checkouts on one machine from sharing databases.
 */
export function dbNameFor(testFile: string, suffix = ""): string {
  const stem = basename(testFile)
    .replace(/\.test\.ts$/, "")
    .replace(/[^a-z0-9]+/gi, "_")
    .toLowerCase();
  return `${testDbPrefix()}_${stem}${suffix ? "_" + suffix : ""}`.slice(0, 60);
}

/** TEST_DB_PREFIX (default "t"), as it starts every test database's name: `<prefix>_...`. */
export function testDbPrefix(): string {
  return (process.env.TEST_DB_PREFIX ?? "t").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
}

/**
 * Drops every test database of this prefix on both servers (the suite's globalTeardown): a
 * run leaves nothing behind. Only `<prefix>_...` names: other checkouts use other prefixes.
 */
export async function dropTestDatabases(prefix = testDbPrefix()): Promise<string[]> {
  const like = `${prefix.replace(/[_%\\]/g, "\\$&")}\\_%`;
  const dropped: string[] = [];
  const pg = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE $1", [
      like,
    ]);
    for (const { name } of rows) {
      await pg.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
      dropped.push(`postgres:${name}`);
    }
  } finally {
    await pg.end();
  }
  const my = await connectServer(parseMysqlUrl(`${MYSQL_SERVER}/mysql`));
  try {
    const [rows] = (await my.query(
      "SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?",
      [like],
    )) as any;
    for (const { name } of rows as { name: string }[]) {
      await my.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, "``")}\``);
      dropped.push(`mariadb:${name}`);
    }
  } finally {
    await my.end();
  }
  dropped.push(...(await dropDialerUsers(MYSQL_SERVER, prefix)));
  return dropped;
}

export async function freshBrainDb(name: string): Promise<string> {
  const url = `${PG_SERVER}/${name}`;
  await ensureBrainDatabase(url, { recreate: true });
  return url;
}

/**
 * A new MariaDB database loaded with the project's VICIdial DDL (or `ddl`), created as root;
 * returns its URL as VICIdial's ordinary DB user (SELECT, INSERT, UPDATE, DELETE, LOCK TABLES
 * on it, nothing else: test/helpers/dialer-user.ts), the user every Vici-side test runs as.
 */
export async function freshViciDb(name: string, ddl?: string): Promise<string> {
  const url = viciRootUrl(name);
  await recreateViciDatabase(url, ddl);
  return grantDialerUser(url);
}

/** The test database `name` as the server's root user: for setup that needs more than the dialer's grants. */
export function viciRootUrl(name: string): string {
  return `${MYSQL_SERVER}/${name}`;
}

/**
 * A new VICIdial database holding the demo's generated dialer: `leads` leads, calls, DNC
 * entries (a fixed "now"), loaded as root; returns its URL as the dialer's user (freshViciDb).
 */
export async function freshDemoViciDb(name: string, leads: number, timeZone: string): Promise<string> {
  const url = await freshViciDb(name);
  const t = parseMysqlUrl(viciRootUrl(name));
  const conn = await connectServer(t, t.database);
  try {
    await seedDemoVici(conn, { leads, timeZone, now: new Date("2026-11-20T12:00:00Z") });
  } finally {
    await conn.end();
  }
  return url;
}
