import type { MigrationInterface, QueryRunner } from "typeorm";

/** The operations console's history and counts (issue 16). */
export class CreateDriftSnapshots1764960000000 implements MigrationInterface {
  name = "CreateDriftSnapshots1764960000000";

  async up(q: QueryRunner): Promise<void> {
    // One row per day (VICI_TIMEZONE's calendar) and campaign set ('' = the default set): the
    // audit's drift numbers, the last audit of the day winning. The console charts them.
    await q.query(`
      CREATE TABLE drift_snapshots (
        campaigns                       text NOT NULL,
        day                             date NOT NULL,
        vici_rows                       bigint NOT NULL,
        vici_not_in_brain               bigint NOT NULL,
        brain_not_in_vici               bigint NOT NULL,
        conflicting_links               bigint NOT NULL,
        phones_on_several_dialable_rows bigint NOT NULL,
        taken_at                        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaigns, day)
      )`);
    // The console counts failed pushes on every refresh; FAILED records are few, the outbox is not.
    await q.query(`CREATE INDEX vici_outbox_failed_idx ON vici_outbox (id) WHERE state = 'FAILED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX vici_outbox_failed_idx`);
    await q.query(`DROP TABLE drift_snapshots`);
  }
}
