import type { Logger as TypeOrmLogger, QueryRunner } from "typeorm";
import type { Logger } from "pino";

/**
 * TypeORM logger that counts every SQL statement sent on one DataSource. The count is how
 * tests prove DataLoader batching (a page costs a fixed number of statements) and what the
 * metrics endpoint will export. Parameters are never logged: they hold phone numbers.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  constructor(private readonly name: string, private readonly log?: Logger) {}

  logQuery(query: string, _parameters?: unknown[], _qr?: QueryRunner): void {
    this.count++;
    this.log?.trace({ db: this.name, sql: query.slice(0, 500) }, "sql");
  }
  logQueryError(error: string | Error, query: string): void {
    this.log?.warn({ db: this.name, err: String(error), sql: query.slice(0, 500) }, "sql error");
  }
  logQuerySlow(time: number, query: string): void {
    this.log?.warn({ db: this.name, ms: time, sql: query.slice(0, 500) }, "slow sql");
  }
  logSchemaBuild(message: string): void {
    this.log?.debug({ db: this.name }, message);
  }
  logMigration(message: string): void {
    this.log?.info({ db: this.name }, message);
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.log?.warn({ db: this.name }, String(message));
    else this.log?.debug({ db: this.name }, String(message));
  }
}
