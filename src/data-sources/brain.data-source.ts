import { DataSource } from "typeorm";
import type { Logger } from "pino";
import { ApiKeyEntity } from "../entities/brain/api-key.entity";
import { LeadEntity } from "../entities/brain/lead.entity";
import { brainMigrations } from "../migrations/brain";
import { QueryCounter } from "./query-counter";
import { TimedPgClient } from "./timed-pg-client";

export const brainEntities = [LeadEntity, ApiKeyEntity];

/** Brain's PostgreSQL. Its schema is ours, changed only by migrations (never synchronize). */
export function createBrainDataSource(url: string, log?: Logger): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: brainEntities,
    migrations: brainMigrations,
    migrationsTableName: "brain_migrations",
    synchronize: false,
    logging: true,
    logger: new QueryCounter("brain", log),
    // TimedPgClient: an API request's statements run under its statement_timeout.
    extra: { max: 10, application_name: "vici-brain-gateway", Client: TimedPgClient },
  });
}
