import { Client } from "pg";
import { StatementTimeoutError } from "../errors/errors";
import { currentRequest } from "../util/request-scope";

/** PostgreSQL's query_canceled: the server stopped the statement (here: its statement_timeout). */
const QUERY_CANCELED = "57014";

/**
 * pg's Client (Brain's pool uses it), giving every statement of an API request the request's
 * statement_timeout: PostgreSQL itself cancels a statement that runs longer, and the request
 * gets STATEMENT_TIMEOUT. The setting is per connection and changes only when a connection
 * goes from an API request to background work (a job, the pusher, the CLI: the server's
 * default) or back, so a request's statements cost no extra round trip. A ROLLBACK may undo a
 * SET made inside its transaction: the next statement sets it again.
 */
export class TimedPgClient extends Client {
  /** The timeout this connection runs with: a number, null (the server's default) or undefined (unknown). */
  private timeoutMs: number | null | undefined = null;
  /**
   * A BEGIN or SAVEPOINT not sent yet: it goes out with the next statement. Each round trip
   * costs socket syscalls that dominate a short request's CPU on these machines (BENCHMARKS.md,
   * createLead), and neither answers anything the caller needs.
   */
  private pending: string[] = [];

  // pg's query() is overloaded (callbacks, config objects, streams); only TypeORM's form — SQL
  // text and values, answered by a promise — is timed, the rest passes through.
  override query(...args: any[]): any {
    const run = (Client.prototype.query as (...a: any[]) => any).bind(this);
    let text = args[0];
    if (typeof text !== "string" || args.some((a) => typeof a === "function")) return run(...args);
    const values: unknown[] | undefined = args[1];
    const bare = !values || values.length === 0;
    const done = (command: string) => Promise.resolve({ command, rowCount: null, rows: [], fields: [] });
    if (bare && (this.pending.length ? SAVEPOINT.test(text) : BEGIN.test(text) || SAVEPOINT.test(text))) {
      this.pending.push(text.trim().replace(/;$/, ""));
      return done("BEGIN");
    }
    let prefix: string | null = null;
    if (this.pending.length) {
      const last = this.pending[this.pending.length - 1];
      // A transaction, or a savepoint, that ran nothing: nothing to end or undo.
      if (bare && /^\s*(COMMIT|ROLLBACK)\s*;?\s*$/i.test(text) && BEGIN.test(this.pending[0])) {
        this.pending = [];
        return done(text.trim().toUpperCase());
      }
      const to = /^\s*(?:ROLLBACK\s+TO|RELEASE)\s+(?:SAVEPOINT\s+)?(\w+)\s*;?\s*$/i.exec(text);
      if (bare && to && SAVEPOINT.test(last) && last.split(/\s+/)[1] === to[1]) {
        this.pending.pop();
        return done("SAVEPOINT");
      }
      prefix = this.pending.join("; ");
      this.pending = [];
      if (bare) {
        // Simple protocol: several statements in one message, each with its own snapshot.
        text = `${prefix}; ${text}`;
        prefix = null;
      }
    }
    const want = currentRequest()?.statementTimeoutMs || null;
    const exec = () => {
      if (/^\s*ROLLBACK/i.test(text)) this.timeoutMs = undefined;
      const send = () => lastResult(run(text, ...args.slice(1)));
      const p: Promise<unknown> = prefix === null ? send() : run(prefix).then(send);
      return want === null
        ? p
        : p.catch((e: { code?: string; message?: string }) => {
            if (e?.code === QUERY_CANCELED && /statement timeout/i.test(e.message ?? ""))
              throw new StatementTimeoutError("Brain", want);
            throw e;
          });
    };
    if (want === this.timeoutMs) return exec();
    return run(want === null ? "RESET statement_timeout" : `SET statement_timeout = ${want}`).then(() => {
      this.timeoutMs = want;
      return exec();
    });
  }
}

const BEGIN = /^\s*(START TRANSACTION|BEGIN)\s*;?\s*$/i;
const SAVEPOINT = /^\s*SAVEPOINT\s+\w+\s*;?\s*$/i;

/** Several statements in one text answer with the last one's result (what its caller asked for). */
function lastResult(p: Promise<unknown>): Promise<unknown> {
  return p.then((r) => (Array.isArray(r) ? r[r.length - 1] : r));
}
