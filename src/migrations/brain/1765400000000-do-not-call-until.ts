import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Do-not-call lifts by itself: `leads.do_not_call_until` (null = never) is the end of a recency
 * flag. Existing `recently_called` flags get the end of their window: the number's last call as
 * Brain knows it (meta.last_call_date) + RECENT_CALL_DAYS. Where Brain knows no last call, the
 * end is updated_at + RECENT_CALL_DAYS: the flag was set no later than updated_at, for a call
 * less than RECENT_CALL_DAYS old then, so the true end is no later (the call verdict and the
 * outbox read VICIdial's own last call anyway). Other reasons stay permanent.
 *
 * The outbox gains the state DEFERRED: a create whose only obstacle was a recent call waits
 * there until its window ends (next_attempt_at), then every check runs again before the push.
 * And sync_job_issues the kind HELD: an imported lead stored, but not to be called (yet).
 */
export class DoNotCallUntil1765400000000 implements MigrationInterface {
  name = "DoNotCallUntil1765400000000";

  async up(q: QueryRunner): Promise<void> {
    const days = recentCallDays();
    await q.query(`ALTER TABLE leads ADD COLUMN do_not_call_until timestamptz`);
    await q.query(
      `UPDATE leads
          SET do_not_call_until = CASE
                WHEN meta->>'last_call_date' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$'
                  THEN (meta->>'last_call_date')::timestamptz + make_interval(days => $1)
                ELSE updated_at + make_interval(days => $1) END
        WHERE do_not_call AND do_not_call_reason = 'recently_called'`,
      [days],
    );
    await q.query(`ALTER TABLE vici_outbox DROP CONSTRAINT vici_outbox_state`);
    await q.query(
      `ALTER TABLE vici_outbox ADD CONSTRAINT vici_outbox_state CHECK (state IN ('PENDING', 'DEFERRED', 'DONE', 'SKIPPED', 'FAILED', 'CONFLICT')) NOT VALID`,
    );
    await q.query(`ALTER TABLE vici_outbox VALIDATE CONSTRAINT vici_outbox_state`);
    // What the pusher polls besides PENDING: deferred pushes whose window has ended.
    await q.query(
      `CREATE INDEX vici_outbox_deferred_idx ON vici_outbox (next_attempt_at, id) WHERE state = 'DEFERRED'`,
    );
    await q.query(`ALTER TABLE sync_job_issues DROP CONSTRAINT sync_job_issues_kind`);
    await q.query(
      `ALTER TABLE sync_job_issues ADD CONSTRAINT sync_job_issues_kind CHECK (kind IN ('CONFLICT', 'ERROR', 'SKIPPED', 'CHANGED', 'NOTICE', 'HELD')) NOT VALID`,
    );
    await q.query(`ALTER TABLE sync_job_issues VALIDATE CONSTRAINT sync_job_issues_kind`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sync_job_issues WHERE kind = 'HELD'`);
    await q.query(`ALTER TABLE sync_job_issues DROP CONSTRAINT sync_job_issues_kind`);
    await q.query(
      `ALTER TABLE sync_job_issues ADD CONSTRAINT sync_job_issues_kind CHECK (kind IN ('CONFLICT', 'ERROR', 'SKIPPED', 'CHANGED', 'NOTICE'))`,
    );
    await q.query(`DROP INDEX vici_outbox_deferred_idx`);
    // A deferred push goes back to what it was before: skipped, the lead flagged for good.
    await q.query(
      `UPDATE vici_outbox SET state = 'SKIPPED', done_at = now(), updated_at = now() WHERE state = 'DEFERRED'`,
    );
    await q.query(`ALTER TABLE vici_outbox DROP CONSTRAINT vici_outbox_state`);
    await q.query(
      `ALTER TABLE vici_outbox ADD CONSTRAINT vici_outbox_state CHECK (state IN ('PENDING', 'DONE', 'SKIPPED', 'FAILED', 'CONFLICT'))`,
    );
    await q.query(`ALTER TABLE leads DROP COLUMN do_not_call_until`);
  }
}

/** RECENT_CALL_DAYS as the gateway reads it (src/config/app-config.ts: 0 to 3650, default 30). */
function recentCallDays(): number {
  const raw = process.env.RECENT_CALL_DAYS?.trim();
  const n = raw ? Number(raw) : 30;
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new Error(`RECENT_CALL_DAYS must be a whole number from 0 to 3650, not "${raw}"`);
  return n;
}
