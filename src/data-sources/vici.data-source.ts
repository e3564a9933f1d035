import { DataSource } from "typeorm";
import type { Logger } from "pino";
import { viciEntities } from "../entities/vici";
import { QueryCounter } from "./query-counter";

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

/**
 * VICIdial's MariaDB/MySQL. Its tables are VICIdial's: mapped, never synchronized or migrated.
 * DATETIMEs come back as strings (`dateStrings`): they are the Vici server's wall-clock time
 * (converted with VICI_TIMEZONE by vici-time.ts) and may be zero dates ('0000-00-00').
 */
export function createViciDataSource(url: string, log?: Logger): DataSource {
  const t = parseMysqlUrl(url);
  return new DataSource({
    type: "mariadb",
    ...t,
    entities: viciEntities,
    synchronize: false,
    migrationsRun: false,
    dateStrings: true,
    charset: "utf8mb4",
    logging: true,
    logger: new QueryCounter("vici", log),
    extra: { connectionLimit: 10 },
  });
}
