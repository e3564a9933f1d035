import { createHash } from "node:crypto";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";
import { connectServer, createDialerUser } from "../../src/vici/vici-ddl";

/**
 * Tests run every Vici-side operation as a user with exactly VICIdial's standard grants
 * (DIALER_GRANTS: SELECT, INSERT, UPDATE, DELETE, LOCK TABLES) on the test database, as an
 * operator will run the gateway; root only creates the database and the user.
 */
export { DIALER_GRANTS } from "../../src/vici/vici-ddl";

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

/** The dialer user of the database named in `rootUrl` (created again); returns the URL as that user. */
export function grantDialerUser(rootUrl: string): Promise<string> {
  return createDialerUser(rootUrl, dialerUserFor(parseMysqlUrl(rootUrl).database), DIALER_PASSWORD);
}

/** Drops the test users of this prefix (the suite's teardown, next to their databases). */
export async function dropDialerUsers(serverUrl: string, prefix: string): Promise<string[]> {
  const like = `${prefix.replace(/[_%\\]/g, "\\$&")}\\_%`;
  const conn = await connectServer(parseMysqlUrl(`${serverUrl}/mysql`));
  try {
    const [rows] = (await conn.query("SELECT User AS user, Host AS host FROM mysql.user WHERE User LIKE ?", [
      like,
    ])) as any;
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
