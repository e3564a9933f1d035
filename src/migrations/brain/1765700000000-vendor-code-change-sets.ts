import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * sync_job_changes.keys: a VENDOR_CODES job records each written chunk's before-values as one
 * change set (keys = the chunk's lead_ids, before/after = {"vendor_lead_code": [values]}, key =
 * the first lead_id) instead of one row per Vici row: the per-row inserts were a quarter to
 * half of the write-back's time (BENCHMARKS.md, issue 17). Rows recorded before stay as they
 * are (keys NULL): the rollback and every reader take both (src/jobs/vendor-code-changes.ts).
 * Down turns sets back into one row per lead_id, which the code before this migration reads.
 */
export class VendorCodeChangeSets1765700000000 implements MigrationInterface {
  name = "VendorCodeChangeSets1765700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_job_changes ADD COLUMN keys bigint[]`);
    await q.query(
      `ALTER TABLE sync_job_changes ADD CONSTRAINT sync_job_changes_keys CHECK (keys IS NULL OR (target = 'vici' AND keys[1] = key))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A set's own key is its first lead_id: the set is moved out of the way before its rows go in.
    await q.query(
      `CREATE TEMPORARY TABLE change_sets AS
         SELECT job_id, target, keys, before, after FROM sync_job_changes WHERE keys IS NOT NULL`,
    );
    await q.query(`DELETE FROM sync_job_changes WHERE keys IS NOT NULL`);
    await q.query(
      `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
       SELECT s.job_id, s.target, k.id, 'vendor_code',
              jsonb_build_object('vendor_lead_code', s.before->'vendor_lead_code'->(k.n::int - 1)),
              jsonb_build_object('vendor_lead_code', s.after->'vendor_lead_code'->(k.n::int - 1))
         FROM change_sets s CROSS JOIN LATERAL unnest(s.keys) WITH ORDINALITY AS k(id, n)
       ON CONFLICT DO NOTHING`,
    );
    await q.query(`DROP TABLE change_sets`);
    await q.query(`ALTER TABLE sync_job_changes DROP CONSTRAINT sync_job_changes_keys`);
    await q.query(`ALTER TABLE sync_job_changes DROP COLUMN keys`);
  }
}
