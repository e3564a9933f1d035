import type { DataSource } from "typeorm";
import { ViciUnavailableError } from "../errors/errors";

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

// Keyed by DataSource so viciQuery's many call sites need no extra argument; one per app.
const observers = new WeakMap<DataSource, ViciCallObserver>();

/** Times every viciQuery on this DataSource (the app's metrics). */
export function observeViciQueries(ds: DataSource, observer: ViciCallObserver): void {
  observers.set(ds, observer);
}

/**
 * A query on VICIdial's database: "cannot reach it" becomes ViciUnavailableError
 * (VICI_UNAVAILABLE, HTTP 503) so clients can tell an outage of the dialer from a bug.
 */
export async function viciQuery<T = any>(ds: DataSource, sql: string, params?: unknown[]): Promise<T> {
  try {
    return await timedVici(ds, () => ds.query(sql, params));
  } catch (e) {
    if (isViciUnreachable(e)) throw new ViciUnavailableError((e as Error).message ?? String(e));
    throw e;
  }
}

/**
 * Times a VICIdial statement for the latency histogram, its errors left as they are: viciQuery
 * maps them; the db writer's are classified by the outbox; the write-back runs on a dedicated
 * connection.
 */
export async function timedVici<T>(ds: DataSource, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let outcome: ViciCall["outcome"] = "ok";
  try {
    return await run();
  } catch (e) {
    outcome = isViciUnreachable(e) ? "unavailable" : "error";
    throw e;
  } finally {
    observers.get(ds)?.({ via: "db", operation: "query", seconds: (performance.now() - started) / 1000, outcome });
  }
}
