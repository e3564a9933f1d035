import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Follow mode (issue 15): the follower's lease and watermarks in one row, advanced in the same
 * transaction as the Brain writes they cover, and the calls already applied within the
 * overlap window (vicidial_log is re-read a little behind its watermark for late rows).
 */
export class CreateFollowState1765500000000 implements MigrationInterface {
  name = "CreateFollowState1765500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vici_follow_state (
        id                   smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        owner                text,
        lease_until          timestamptz,
        lead_id_after        bigint,
        calls_since          text,
        dnc_since            text,
        dnc_counts           text,
        reconcile_after      bigint,
        reconcile_started_at timestamptz,
        reconcile_done_at    timestamptz,
        last_cycle_at        timestamptz,
        caught_up_at         timestamptz,
        last_cycle           jsonb NOT NULL DEFAULT '{}'::jsonb,
        totals               jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO vici_follow_state (id) VALUES (1)`);
    // Calls the follower applied, kept while they are inside the overlap window.
    await q.query(`
      CREATE TABLE vici_follow_seen_calls (
        uniqueid  varchar(20) PRIMARY KEY,
        call_date text NOT NULL
      )`);
    await q.query(`CREATE INDEX vici_follow_seen_calls_date_idx ON vici_follow_seen_calls (call_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE vici_follow_seen_calls`);
    await q.query(`DROP TABLE vici_follow_state`);
  }
}
