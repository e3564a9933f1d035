import type { DataSource } from "typeorm";
import { StatementTimeoutError } from "../../errors/errors";
import { ViciUnavailableError } from "../errors";
import { currentRequest } from "../../util/request-scope";

/**
 * Is this error "VICIdial cannot be reached right now" (worth retrying later) rather than a
 * bug or a refusal? Network-level codes from mysql2/TypeORM, and API errors that say so.
 */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_LOCK_WAIT_TIMEOUT",
]);

export function isViciUnreachable(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; retryable?: boolean; message?: string } | null;
  if (!err) return false;
  if (err.retryable === true) return true;
  const code = err.code ?? err.driverError?.code;
  if (code && UNREACHABLE.has(code)) return true;
  return /connect ECONNREFUSED|Connection lost|closed state|read ECONNRESET/i.test(err.message ?? "");
}

/** May a failed push be tried again? Only refusals that repeat identically are final. */
export function isRetryable(e: unknown): boolean {
  return (e as { retryable?: boolean } | null)?.retryable !== false;
}

/** One timed call to VICIdial, for the latency histogram. */
export interface ViciCall {
  via: "db" | "api";
  /** "query" for SQL; the API function (add_lead, update_lead, ...) for the Non-Agent API. */
  operation: string;
  seconds: number;
  outcome: "ok" | "unavailable" | "error";
}
export type ViciCallObserver = (call: ViciCall) => void;

/**
 * A circuit breaker for one VICIdial: after `failures` calls in a row that could not reach it,
 * calls are answered at once with VICI_UNAVAILABLE for `cooldownMs` (a create is queued, a Vici
 * field fails) instead of each waiting for a timeout; then one call is let through to try,
 * and its outcome closes or reopens the circuit. Any answer from the server counts as reached.
 */
export class ViciBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly opts: { failures: number; cooldownMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.openUntil > 0;
  }

  /**
   * Resolves once a call would be let through: at once while the circuit is closed, else when
   * its cooldown is over (the next call is the trial). Whoever waits must not race other callers for it.
   */
  async cooledDown(): Promise<void> {
    for (let wait = this.openUntil - this.now(); this.openUntil > 0 && wait > 0; wait = this.openUntil - this.now())
      await new Promise((r) => setTimeout(r, wait));
  }

  /** May a call go to VICIdial now? Throws ViciUnavailableError while the circuit is open; true for the one trial call. */
  admit(): boolean {
    if (this.openUntil === 0) return false;
    const wait = this.openUntil - this.now();
    if (wait > 0 || this.probing) {
      throw new ViciUnavailableError(
        `it did not answer the last ${this.opts.failures} calls; the next try is in ${Math.max(0, Math.ceil(wait / 1000))} s`,
      );
    }
    this.probing = true;
    return true;
  }

  /** The outcome of an admitted call: `reached` unless it failed to reach VICIdial. */
  settle(trial: boolean, reached: boolean): void {
    if (trial) this.probing = false;
    if (reached) {
      this.failures = 0;
      this.openUntil = 0;
      return;
    }
    this.failures++;
    if (trial || this.failures >= this.opts.failures) this.openUntil = this.now() + this.opts.cooldownMs;
  }
}

/** How a gateway reaches one VICIdial database: its metrics and its circuit breaker. */
interface ViciLink {
  observer?: ViciCallObserver;
  breaker?: ViciBreaker;
  /** The server's VERSION(); read once, on first need. */
  version?: Promise<string>;
  /** Opens the pool when it is not open yet (VICIdial was down when the gateway started). */
  open?: () => Promise<void>;
}

type ServerFlavor = "mariadb" | "mysql" | "old";

// Keyed by DataSource so viciQuery's many call sites need no extra argument; one per app.
const links = new WeakMap<DataSource, ViciLink>();

function linkOf(ds: DataSource): ViciLink {
  let link = links.get(ds);
  if (!link) links.set(ds, (link = {}));
  return link;
}

/** Times every Vici call on this DataSource (the app's metrics). */
export function observeViciQueries(ds: DataSource, observer: ViciCallObserver): void {
  linkOf(ds).observer = observer;
}

/** How a call opens this DataSource's pool when it is not open (ViciConnection). */
export function openViciWith(ds: DataSource, open: () => Promise<void>): void {
  linkOf(ds).open = open;
}

/** The pool of this DataSource, opened if it is not (a DataSource nobody opens for us must be open already). */
export async function openVici(ds: DataSource): Promise<void> {
  if (ds.isInitialized) return;
  const open = links.get(ds)?.open;
  if (!open) throw new ViciUnavailableError("its database connection is not open");
  await open();
}

/** Puts every Vici call on this DataSource behind a circuit breaker. */
export function guardViciCalls(ds: DataSource, breaker: ViciBreaker): void {
  linkOf(ds).breaker = breaker;
}

/** The circuit breaker guarding this DataSource's calls (guardViciCalls), if any. */
export function viciBreakerOf(ds: DataSource): ViciBreaker | undefined {
  return links.get(ds)?.breaker;
}

/**
 * A healthy VICIdial answers the gateway's keyed reads in a few ms. An API request that has
 * waited on it this long gives its place in the operation gate to others (GRAPHQL_MAX_CONCURRENT):
 * requests stuck on a hung dialer never hold up Brain-only ones.
 */
const VICI_PATIENCE_MS = 50;

/**
 * A query on VICIdial's database: "cannot reach it" becomes ViciUnavailableError
 * (VICI_UNAVAILABLE, HTTP 503) so clients can tell an outage of the dialer from a bug. In an
 * API request the statement runs under the request's time limit (STATEMENT_TIMEOUT_MS:
 * MariaDB's max_statement_time, MySQL's MAX_EXECUTION_TIME hint on a SELECT), refused with
 * STATEMENT_TIMEOUT.
 */
export async function viciQuery<T = any>(ds: DataSource, sql: string, params?: unknown[]): Promise<T> {
  const limitMs = currentRequest()?.statementTimeoutMs || 0;
  try {
    return await patiently(async () => {
      const text = limitMs ? limitStatement(await flavorOf(ds), sql, limitMs) : sql;
      return timedVici(ds, () => ds.query(text, params));
    });
  } catch (e) {
    if (e instanceof ViciUnavailableError) throw e;
    if (isViciUnreachable(e)) throw new ViciUnavailableError((e as Error).message ?? String(e));
    if (limitMs && isStatementTimeout(e)) throw new StatementTimeoutError("VICIdial", limitMs);
    throw e;
  }
}

/** MariaDB: ER_STATEMENT_TIMEOUT (max_statement_time); MySQL: ER_QUERY_TIMEOUT (MAX_EXECUTION_TIME). */
function isStatementTimeout(e: unknown): boolean {
  const err = e as { errno?: number; driverError?: { errno?: number } } | null;
  const errno = err?.errno ?? err?.driverError?.errno;
  return errno === 1969 || errno === 3024;
}

/**
 * `sql` with a server-side time limit: MariaDB (10.1+) takes one for any statement; MySQL
 * (5.7.8+) only as an optimizer hint on a SELECT, so other statements there (and anything on
 * an older server) rely on the client-side timeout alone (the connection is dropped).
 */
export function limitStatement(flavor: ServerFlavor, sql: string, ms: number): string {
  if (flavor === "mariadb") return `SET STATEMENT max_statement_time=${(ms / 1000).toFixed(3)} FOR ${sql}`;
  if (flavor === "mysql")
    return sql.replace(/^\s*SELECT\b/i, (m) => `${m} /*+ MAX_EXECUTION_TIME(${Math.round(ms)}) */`);
  return sql;
}

/** The server's VERSION(), read once per DataSource (again after a failed read: VICIdial may have been down). */
function versionOf(ds: DataSource): Promise<string> {
  const link = linkOf(ds);
  link.version ??= timedVici(ds, () => ds.query("SELECT VERSION() AS v"))
    .then(([row]: { v?: unknown }[]) => String(row?.v ?? ""))
    .catch((e) => {
      link.version = undefined;
      throw e;
    });
  return link.version;
}

/** MariaDB or MySQL (each limits a statement's time its own way). */
async function flavorOf(ds: DataSource): Promise<ServerFlavor> {
  const version = await versionOf(ds);
  if (/mariadb/i.test(version)) return "mariadb";
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  return major > 5 || (major === 5 && (minor > 7 || (minor === 7 && patch >= 8))) ? "mysql" : "old";
}

/** Does the server have JSON_TABLE (MariaDB 10.6+, MySQL 8.0.4+)? */
export async function hasJsonTable(ds: DataSource): Promise<boolean> {
  return jsonTableIn(await versionOf(ds));
}

/** Does the server answer an INSERT with RETURNING (MariaDB 10.5+; MySQL never)? */
export async function hasInsertReturning(ds: DataSource): Promise<boolean> {
  const version = await versionOf(ds);
  const [major, minor] = version.split(/[.-]/).map(Number);
  return /mariadb/i.test(version) && (major > 10 || (major === 10 && minor >= 5));
}

/** JSON_TABLE by VERSION(): MariaDB from 10.6, MySQL from 8.0.4. */
export function jsonTableIn(version: string): boolean {
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  const atLeast = (a: number, b: number, c: number) =>
    major > a || (major === a && (minor > b || (minor === b && patch >= c)));
  return /mariadb/i.test(version) ? atLeast(10, 6, 0) : atLeast(8, 0, 4);
}

/**
 * Waits on VICIdial (its database, or its Non-Agent API); an API request that waits longer
 * than VICI_PATIENCE_MS gives its gate slot up.
 */
export async function patiently<T>(wait: () => Promise<T>): Promise<T> {
  const waiting = currentRequest()?.waitingOnVici;
  const patience = waiting ? setTimeout(waiting, VICI_PATIENCE_MS) : null;
  try {
    return await wait();
  } finally {
    if (patience) clearTimeout(patience);
  }
}

/**
 * Every statement on VICIdial's database goes through here: the circuit breaker, the latency
 * histogram, and (in an API request) the gate's patience. Errors are left as they are:
 * viciQuery maps them; the db writer's are classified by the outbox; the write-back runs on a
 * dedicated connection.
 */
export async function timedVici<T>(ds: DataSource, run: () => Promise<T>): Promise<T> {
  const link = links.get(ds);
  const trial = link?.breaker?.admit() ?? false;
  const started = performance.now();
  let outcome: ViciCall["outcome"] = "ok";
  try {
    return await patiently(async () => {
      if (!ds.isInitialized) await openVici(ds);
      return run();
    });
  } catch (e) {
    outcome = isViciUnreachable(e) ? "unavailable" : "error";
    throw e;
  } finally {
    link?.breaker?.settle(trial, outcome !== "unavailable");
    link?.observer?.({ via: "db", operation: "query", seconds: (performance.now() - started) / 1000, outcome });
  }
}
