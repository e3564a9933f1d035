import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the databases need to know about the API request a statement runs for. Services take
 * no request argument, so the request's limits travel with its async context: every statement
 * an HTTP or graphql-ws operation (or a webhook call) runs sees them; background work (jobs,
 * the pusher, the CLI) runs outside any request and sees none.
 */
export interface RequestScope {
  /** Longest a single statement may run, in ms (PostgreSQL statement_timeout, MariaDB max_statement_time); 0: no limit. */
  statementTimeoutMs: number;
  /** Called once the request has waited on VICIdial a while: it gives its place in the operation gate to others. */
  waitingOnVici?: () => void;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (and everything it starts) as part of an API request with these limits. */
export function runInRequest<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The API request the caller runs for, if any. */
export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

/** Background work kicked by a request (the pusher, a job) must not inherit the request's limits. */
export function outsideRequests<T>(fn: () => T): T {
  return storage.exit(fn);
}
