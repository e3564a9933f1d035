import { createHash } from "node:crypto";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";
import { connectServer } from "../../src/vici/vici-ddl";

/**
 * The grants VICIdial's install gives its own DB user, and all an operator will give the
 * gateway: tests run every Vici-side operation as a user with exactly these on the test
 * database (root only creates the database and the user).
 */
export const DIALER_GRANTS = "SELECT, INSERT, UPDATE, DELETE, LOCK TABLES";

/** The test users' password (they can reach nothing but their own test database). */
const DIALER_PASSWORD = "dialer-test-pw";

/**
 * The user name for a test database: the name itself when it fits MySQL's 32 characters, else
 * its start and a hash (kept within the prefix, so the suite's teardown finds it).
 */
export function dialerUserFor(database: string): string {
  if (database.length <= 32) return database;
  return `${database.slice(0, 23)}_${createHash("sha1").update(database).digest("hex").slice(0, 8)}`;
}

/**
 * Creates (again) the least-privilege user of the database named in `rootUrl` (a URL as root)
 * and returns the same URL as that user. The user exists for `%` and for `localhost` (so an
 * anonymous `''@'localhost'`, which some installs have, cannot take a local connection over).
 */
export async function grantDialerUser(rootUrl: string): Promise<string> {
  const t = parseMysqlUrl(rootUrl);
  const user = dialerUserFor(t.database);
  const conn = await connectServer(t);
  try {
    for (const host of ["%", "localhost"]) {
      await conn.query("DROP USER IF EXISTS ?@?", [user, host]);
      await conn.query("CREATE USER ?@? IDENTIFIED BY ?", [user, host, DIALER_PASSWORD]);
      await conn.query(`GRANT ${DIALER_GRANTS} ON \`${t.database.replace(/`/g, "``")}\`.* TO ?@?`, [user, host]);
    }
  } finally {
    await conn.end();
  }
  const u = new URL(rootUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(DIALER_PASSWORD);
  return u.toString();
}

/** Drops the test users of this prefix (the suite's teardown, next to their databases). */
export async function dropDialerUsers(serverUrl: string, prefix: string): Promise<string[]> {
  const like = `${prefix.replace(/[_%\\]/g, "\\$&")}\\_%`;
  const conn = await connectServer(parseMysqlUrl(`${serverUrl}/mysql`));
  try {
    const [rows] = (await conn.query("SELECT User AS user, Host AS host FROM mysql.user WHERE User LIKE ?", [like])) as any;
    const dropped: string[] = [];
    for (const { user, host } of rows as { user: string; host: string }[]) {
      await conn.query("DROP USER IF EXISTS ?@?", [user, host]);
      dropped.push(`mariadb user:${user}@${host}`);
    }
    return dropped;
  } finally {
    await conn.end();
  }
}
