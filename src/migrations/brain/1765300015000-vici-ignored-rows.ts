import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Rollback and follow mode agree:
 * - vici_ignored_rows: VICIdial rows a rollback left in the dialer (called, edited, outside the
 *   managed campaigns...) after removing their Brain lead. Imports (VICI_IMPORT's batch path,
 *   which the follower reuses) leave them alone instead of importing them again as new leads.
 * - sync_job_issues kind NOTICE: a row reported for information, in no counter (a rollback's
 *   deleted VICIdial row, an imported row loaded straight into VICIdial after the cut-over).
 * - vici_outbox by vici_lead_id: "was this row pushed by the gateway?" (createdOutsideBrain).
 */
export class ViciIgnoredRows1765300015000 implements MigrationInterface {
  name = "ViciIgnoredRows1765300015000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vici_ignored_rows (
        vici_lead_id bigint PRIMARY KEY,
        why          text NOT NULL,
        job_id       bigint REFERENCES sync_jobs(id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE sync_job_issues DROP CONSTRAINT sync_job_issues_kind`);
    await q.query(
      `ALTER TABLE sync_job_issues ADD CONSTRAINT sync_job_issues_kind CHECK (kind IN ('CONFLICT', 'ERROR', 'SKIPPED', 'CHANGED', 'NOTICE')) NOT VALID`,
    );
    await q.query(`ALTER TABLE sync_job_issues VALIDATE CONSTRAINT sync_job_issues_kind`);
    await q.query(
      `CREATE INDEX vici_outbox_pushed_row_idx ON vici_outbox (vici_lead_id) WHERE kind = 'PUSH_LEAD' AND state = 'DONE'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX vici_outbox_pushed_row_idx`);
    await q.query(`DELETE FROM sync_job_issues WHERE kind = 'NOTICE'`);
    await q.query(`ALTER TABLE sync_job_issues DROP CONSTRAINT sync_job_issues_kind`);
    await q.query(
      `ALTER TABLE sync_job_issues ADD CONSTRAINT sync_job_issues_kind CHECK (kind IN ('CONFLICT', 'ERROR', 'SKIPPED', 'CHANGED'))`,
    );
    await q.query(`DROP TABLE vici_ignored_rows`);
  }
}
