/**
 * Is this error "Brain (PostgreSQL) cannot be reached right now" — the connection was refused,
 * cut (pg_terminate_backend, a restart, a failover) or timed out — rather than a refusal of
 * the statement? Work that failed so can be done again once Brain answers.
 */
const CONNECTION_CODES = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, in recovery
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "08007",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// The last two are TypeORM's: a transaction whose connection died between two statements
// (its runner released itself on the client's error) refuses the next one so.
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended unexpectedly|Query runner already released|provided by a query runner was already released/i;

export function isBrainUnreachable(e: unknown): boolean {
  const err = e as { code?: string; message?: string; driverError?: { code?: string; message?: string } } | null;
  if (!err) return false;
  for (const x of [err, err.driverError]) {
    if (!x) continue;
    if (x.code && (CONNECTION_CODES.has(x.code) || NETWORK_CODES.has(x.code))) return true;
    if (CONNECTION_MESSAGES.test(x.message ?? "")) return true;
  }
  return false;
}
