import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { ConfigError } from "../config/app-config";
import { isViciUnreachable, openViciWith } from "../vici/db/vici-query";
import { DIALER_GRANTS } from "../vici/vici-ddl";
import { parseMysqlUrl } from "./vici.data-source";

/** MariaDB/MySQL errors that say the URL is wrong, not that the server is away: no retry fixes them. */
const ER_DBACCESS_DENIED = 1044;
const ER_ACCESS_DENIED = 1045;
const ER_BAD_DB = 1049;

/**
 * VICIdial's connection pool, opened when VICIdial answers rather than only at start: the
 * dialer's database may be down when the gateway starts (a reboot, maintenance), and the
 * gateway still serves Brain meanwhile. Until the pool is open every Vici call tries to open
 * it (one attempt at a time, behind the circuit breaker) and fails as VICI_UNAVAILABLE; a
 * background attempt every `retryMs` opens it without traffic too (so /readyz turns 200 and the
 * queued creates go out by themselves).
 */
export class ViciConnection {
  private opening: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    private readonly url: string,
    private readonly log: Logger,
    private readonly retryMs: number,
  ) {
    openViciWith(ds, () => this.open());
  }

  /** Opens the pool unless it is open; one attempt at a time. Rejects with what the attempt threw. */
  open(): Promise<void> {
    if (this.ds.isInitialized) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error("the gateway is stopping"));
    this.opening ??= this.ds
      .initialize()
      .then(() => {
        this.log.info({ vici: this.where() }, "VICIdial's database reached");
      })
      .finally(() => {
        this.opening = null;
      });
    return this.opening;
  }

  /**
   * At start: the pool is opened, or, when VICIdial cannot be reached, the gateway goes on
   * without it and keeps trying. A database that does not exist, or refuses the user, is a
   * mistake in VICI_DATABASE_URL: thrown as a ConfigError naming it (the process stops).
   */
  async start(): Promise<void> {
    try {
      await this.open();
    } catch (e) {
      const mistake = urlMistake(e, this.url);
      if (mistake) throw new ConfigError([mistake]);
      if (!isViciUnreachable(e)) throw e;
      this.log.warn(
        { vici: this.where(), err: (e as Error).message },
        "VICIdial's database cannot be reached: serving Brain without it (Vici fields answer VICI_UNAVAILABLE, creates are queued) and trying again",
      );
      this.keepTrying();
    }
  }

  private keepTrying(): void {
    if (this.closed || this.ds.isInitialized) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.open().then(
        () => undefined,
        (e) => {
          if (!isViciUnreachable(e))
            this.log.error(
              { vici: this.where(), err: (e as Error).message },
              "VICIdial's database refuses the gateway",
            );
          this.keepTrying();
        },
      );
    }, this.retryMs);
    this.retry.unref();
  }

  /** Stops trying and closes the pool (after an attempt in flight settles). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.opening?.catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }

  private where(): string {
    const t = parseMysqlUrl(this.url);
    return `${t.socketPath ?? `${t.host}:${t.port}`}/${t.database}`;
  }
}

/** What is wrong with VICI_DATABASE_URL, when `e` says so (null for anything else). */
export function urlMistake(e: unknown, url: string): string | null {
  const errno = (e as { errno?: number } | null)?.errno;
  const t = parseMysqlUrl(url);
  const server = t.socketPath ?? `${t.host}:${t.port}`;
  if (errno === ER_BAD_DB) {
    return (
      `VICI_DATABASE_URL names the database "${t.database}", which does not exist on ${server}. ` +
      "Point VICI_DATABASE_URL at VICIdial's database (a VICIdial install calls it asterisk), or start with --demo " +
      "(npm start -- --demo) to create a demo VICIdial database there."
    );
  }
  if (errno === ER_ACCESS_DENIED) {
    return `VICI_DATABASE_URL: ${server} refused the user "${t.username}" (wrong user or password): ${(e as Error).message}`;
  }
  if (errno === ER_DBACCESS_DENIED) {
    return (
      `VICI_DATABASE_URL: the user "${t.username}" has no grant on the database "${t.database}" on ${server}, or there is no such database ` +
      `(it needs ${DIALER_GRANTS} on ${t.database}.*; see the README, "Pointing it at a real dialer")`
    );
  }
  return null;
}
