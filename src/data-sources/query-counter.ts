import type { DataSource, Logger as TypeOrmLogger, QueryRunner } from "typeorm";
import type { Logger } from "pino";

/**
 * TypeORM logger that counts every SQL statement sent on one DataSource. The count is how
 * tests prove DataLoader batching (a page costs a fixed number of statements) and what the
 * metrics endpoint will export. Parameters are never logged: they hold phone numbers.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  /** The last RECENT statements' text (no parameters), so a test can count one kind of statement while background work runs. */
  private readonly recent: string[] = [];
  private static readonly RECENT = 500;
  constructor(
    private readonly name: string,
    private readonly out?: Logger,
  ) {}

  logQuery(query: string, _parameters?: unknown[], _qr?: QueryRunner): void {
    this.count++;
    if (this.recent.push(query) > QueryCounter.RECENT) this.recent.shift();
    this.out?.trace({ db: this.name, sql: query.slice(0, 500) }, "sql");
  }
  /** A mark to pass to sinceMatching later. */
  mark(): number {
    return this.count;
  }
  /** How many statements since `mark` match `pattern` (only the last RECENT are kept). */
  sinceMatching(mark: number, pattern: RegExp): number {
    const n = this.count - mark;
    if (n > QueryCounter.RECENT) throw new Error(`more than ${QueryCounter.RECENT} statements since the mark`);
    return this.recent.slice(this.recent.length - n).filter((q) => pattern.test(q)).length;
  }
  logQueryError(error: string | Error, query: string): void {
    this.out?.warn({ db: this.name, err: String(error), sql: query.slice(0, 500) }, "sql error");
  }
  logQuerySlow(time: number, query: string): void {
    this.out?.warn({ db: this.name, ms: time, sql: query.slice(0, 500) }, "slow sql");
  }
  logSchemaBuild(message: string): void {
    this.out?.debug({ db: this.name }, message);
  }
  logMigration(message: string): void {
    this.out?.info({ db: this.name }, message);
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.out?.warn({ db: this.name }, String(message));
    else this.out?.debug({ db: this.name }, String(message));
  }
}

/** The statement counter of a DataSource built by this project. */
export function queryCounter(ds: DataSource): QueryCounter {
  if (!(ds.logger instanceof QueryCounter)) throw new Error("DataSource has no QueryCounter logger");
  return ds.logger;
}
