import { DataSource } from "typeorm";
import type { Logger } from "pino";
import { QueryCounter } from "./query-counter";
import { currentRequest } from "../util/request-scope";

export interface MysqlTarget {
  host?: string;
  port?: number;
  socketPath?: string;
  username: string;
  password?: string;
  database: string;
}

/** mysql://user:pass@host:port/db[?socketPath=/run/mysqld/mysqld.sock] → connection options. */
export function parseMysqlUrl(raw: string): MysqlTarget {
  const u = new URL(raw);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!database) throw new Error("VICI_DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1:3306/vici");
  const socketPath = u.searchParams.get("socketPath") ?? undefined;
  return {
    ...(socketPath ? { socketPath } : { host: u.hostname || "127.0.0.1", port: u.port ? Number(u.port) : 3306 }),
    username: decodeURIComponent(u.username || "root"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
  };
}

/** How long VICIdial may take: to open a connection, and to answer a statement. */
export interface ViciTimeouts {
  connectTimeoutMs: number;
  /** Outside an API request (jobs, the pusher, the CLI). */
  queryTimeoutMs: number;
  /** An API request's own limit (STATEMENT_TIMEOUT_MS; 0 = none): it waits 1 s more than that. */
  requestStatementTimeoutMs: number;
}

const DEFAULT_TIMEOUTS: ViciTimeouts = {
  connectTimeoutMs: 10_000,
  queryTimeoutMs: 120_000,
  requestStatementTimeoutMs: 0,
};

/**
 * VICIdial's MariaDB/MySQL. Its tables are VICIdial's: read and written with SQL (src/vici/db), never synchronized or migrated.
 * DATETIMEs come back as strings (`dateStrings`): they are the Vici server's wall-clock time
 * (converted with VICI_TIMEZONE by vici-time.ts) and may be zero dates ('0000-00-00').
 *
 * No statement waits for VICIdial forever: a connection must open within connectTimeoutMs and
 * every statement must be answered within its timeout (mysql2 drops the connection and the
 * call fails as unreachable: a dialer that accepts connections and never answers frees its
 * pool slots). An API request's statements wait 1 s more than the request's server-side limit
 * (which answers STATEMENT_TIMEOUT first); anything else waits queryTimeoutMs.
 */
export function createViciDataSource(url: string, log?: Logger, timeouts: ViciTimeouts = DEFAULT_TIMEOUTS): DataSource {
  const t = parseMysqlUrl(url);
  const ds = new DataSource({
    type: "mariadb",
    ...t,
    entities: [],
    synchronize: false,
    migrationsRun: false,
    dateStrings: true,
    charset: "utf8mb4",
    logging: true,
    logger: new QueryCounter("vici", log),
    connectTimeout: timeouts.connectTimeoutMs,
    // TypeORM hands mysql2 `maxQueryExecutionTime` as each statement's timeout: read per statement, below.
    enableQueryTimeout: true,
    extra: { connectionLimit: 10 },
  });
  const perRequest = timeouts.requestStatementTimeoutMs
    ? timeouts.requestStatementTimeoutMs + 1000
    : timeouts.queryTimeoutMs;
  Object.defineProperty((ds.driver as unknown as { options: object }).options, "maxQueryExecutionTime", {
    get: () => (currentRequest() ? perRequest : timeouts.queryTimeoutMs),
    configurable: true,
  });
  return ds;
}
