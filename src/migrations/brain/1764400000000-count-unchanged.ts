import type { MigrationInterface, QueryRunner } from "typeorm";

/** Rows a job looked at and left as they were: with it, a job's counters add up to `processed`. */
export class CountUnchanged1764400000000 implements MigrationInterface {
  name = "CountUnchanged1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE sync_jobs ADD COLUMN unchanged bigint NOT NULL DEFAULT 0");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE sync_jobs DROP COLUMN unchanged");
  }
}
