import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Brain → VICIdial field updates: outbox records of kind UPDATE_FIELDS, and the state CONFLICT
 * (delivered, but VICIdial kept a value it changed after Brain's change). The checks are added
 * NOT VALID and validated after, so the outbox is not locked against the pusher while its rows
 * are checked.
 */
export class OutboxFieldUpdates1765150000000 implements MigrationInterface {
  name = "OutboxFieldUpdates1765150000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vici_outbox DROP CONSTRAINT vici_outbox_kind, DROP CONSTRAINT vici_outbox_state`);
    await q.query(`
      ALTER TABLE vici_outbox
        ADD CONSTRAINT vici_outbox_kind CHECK (kind IN ('PUSH_LEAD', 'SET_VENDOR_CODE', 'UPDATE_FIELDS')) NOT VALID,
        ADD CONSTRAINT vici_outbox_state CHECK (state IN ('PENDING', 'DONE', 'SKIPPED', 'FAILED', 'CONFLICT')) NOT VALID`);
    await q.query(`ALTER TABLE vici_outbox VALIDATE CONSTRAINT vici_outbox_kind`);
    await q.query(`ALTER TABLE vici_outbox VALIDATE CONSTRAINT vici_outbox_state`);
    // viciOutbox.conflicts counts these.
    await q.query(`CREATE INDEX vici_outbox_conflict_idx ON vici_outbox (id) WHERE state = 'CONFLICT'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX vici_outbox_conflict_idx`);
    await q.query(`DELETE FROM vici_outbox WHERE kind = 'UPDATE_FIELDS'`);
    await q.query(`ALTER TABLE vici_outbox DROP CONSTRAINT vici_outbox_kind, DROP CONSTRAINT vici_outbox_state`);
    await q.query(`
      ALTER TABLE vici_outbox
        ADD CONSTRAINT vici_outbox_kind CHECK (kind IN ('PUSH_LEAD', 'SET_VENDOR_CODE')),
        ADD CONSTRAINT vici_outbox_state CHECK (state IN ('PENDING', 'DONE', 'SKIPPED', 'FAILED'))`);
  }
}
