import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A job that cannot reach a database is not FAILED: it is WAITING (a running job's state, with
 * the reason and since when), retried with backoff, and resumes from its checkpoint; the first
 * batch it commits again makes it RUNNING. A WAITING job holds its lease like a RUNNING one.
 */
export class JobsWaitForDatabases1764970000000 implements MigrationInterface {
  name = "JobsWaitForDatabases1764970000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_jobs DROP CONSTRAINT sync_jobs_state`);
    await q.query(
      `ALTER TABLE sync_jobs ADD CONSTRAINT sync_jobs_state CHECK (state IN ('QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))`,
    );
    await q.query(`ALTER TABLE sync_jobs ADD COLUMN wait_reason text, ADD COLUMN waiting_since timestamptz`);
    await q.query(`DROP INDEX sync_jobs_open_idx`);
    await q.query(`CREATE INDEX sync_jobs_open_idx ON sync_jobs (id) WHERE state IN ('QUEUED', 'RUNNING', 'WAITING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE sync_jobs SET state = 'RUNNING' WHERE state = 'WAITING'`);
    await q.query(`DROP INDEX sync_jobs_open_idx`);
    await q.query(`CREATE INDEX sync_jobs_open_idx ON sync_jobs (id) WHERE state IN ('QUEUED', 'RUNNING')`);
    await q.query(`ALTER TABLE sync_jobs DROP COLUMN wait_reason, DROP COLUMN waiting_since`);
    await q.query(`ALTER TABLE sync_jobs DROP CONSTRAINT sync_jobs_state`);
    await q.query(
      `ALTER TABLE sync_jobs ADD CONSTRAINT sync_jobs_state CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))`,
    );
  }
}
