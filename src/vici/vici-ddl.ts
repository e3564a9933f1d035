import { readFileSync } from "node:fs";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { parseMysqlUrl, type MysqlTarget } from "../data-sources/vici.data-source";
import { packageRoot } from "../util/package-root";

/** The project's own DDL for the VICIdial tables the gateway reads and writes (tests, demo). */
export const VICI_DDL_PATH = join(packageRoot(), "db", "vici-ddl.sql");

export function viciDdl(): string {
  return readFileSync(VICI_DDL_PATH, "utf8");
}

/**
 * The call-count-limit tables (and campaign settings) of later VICIdial versions, kept apart:
 * a server may lack them. Load after viciDdl() to build a "later VICIdial" database (tests).
 */
export const VICI_CALL_LIMITS_DDL_PATH = join(packageRoot(), "db", "vici-ddl-call-limits.sql");

export function viciCallLimitsDdl(): string {
  return readFileSync(VICI_CALL_LIMITS_DDL_PATH, "utf8");
}

export async function connectServer(t: MysqlTarget, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: t.host,
    port: t.port,
    socketPath: t.socketPath,
    user: t.username,
    password: t.password,
    database,
    multipleStatements: true,
    dateStrings: true,
  });
}

/**
 * Creates the database named in `url` if it is missing and loads `ddl` into it.
 * Returns false (and changes nothing) when `vicidial_list` already exists there.
 */
export async function createViciDatabase(url: string, ddl: string = viciDdl()): Promise<boolean> {
  const t = parseMysqlUrl(url);
  const conn = await connectServer(t);
  try {
    // Looked up first: a database that has its tables needs no CREATE grant (a dialer's ordinary user).
    const [rows] = await conn.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'vicidial_list'",
      [t.database],
    );
    if ((rows as unknown[]).length > 0) return false;
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${t.database}\` CHARACTER SET utf8mb4`);
    await conn.query(`USE \`${t.database}\``);
    await conn.query(ddl);
    return true;
  } finally {
    await conn.end();
  }
}

/** Drops and recreates a database, then loads `ddl` (tests only). */
export async function recreateViciDatabase(url: string, ddl: string = viciDdl()): Promise<void> {
  const t = parseMysqlUrl(url);
  const conn = await connectServer(t);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${t.database}\``);
  } finally {
    await conn.end();
  }
  await createViciDatabase(url, ddl);
}

/**
 * The grants VICIdial's install gives its own DB users (`cron`, `custom`), and all the gateway
 * needs: no temporary tables, no DDL (README, "Pointing it at a real dialer").
 */
export const DIALER_GRANTS = "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES";

/**
 * Creates (again) `user` with DIALER_GRANTS on the database named in `rootUrl` (a URL of a user
 * that may create users: tests and benchmarks) and returns the same URL as that user. The user
 * exists for `%` and for `localhost`, so an anonymous `''@'localhost'`, which some installs
 * have, cannot take a local connection over.
 */
export async function createDialerUser(rootUrl: string, user: string, password: string): Promise<string> {
  const t = parseMysqlUrl(rootUrl);
  const conn = await connectServer(t);
  try {
    for (const host of ["%", "localhost"]) {
      await conn.query("DROP USER IF EXISTS ?@?", [user, host]);
      await conn.query("CREATE USER ?@? IDENTIFIED BY ?", [user, host, password]);
      await conn.query(`GRANT ${DIALER_GRANTS} ON \`${t.database.replace(/`/g, "``")}\`.* TO ?@?`, [user, host]);
    }
  } finally {
    await conn.end();
  }
  const u = new URL(rootUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}
