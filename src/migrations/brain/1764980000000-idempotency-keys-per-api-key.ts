import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Idempotency keys are scoped per API key (scope `createLead:<key id>`; the webhook's are
 * `webhook`), so one client cannot read another's answer by replaying its key. A key's answer
 * is `final` once the create is over (its push tried); until then a repeat waits for it,
 * at most until `owner_until` (a crashed first request leaves its committed answer).
 */
export class IdempotencyKeysPerApiKey1764980000000 implements MigrationInterface {
  name = "IdempotencyKeysPerApiKey1764980000000";

  async up(q: QueryRunner): Promise<void> {
    // Keys stored before were shared by every client: they answer no one now.
    await q.query(`DELETE FROM idempotency_keys WHERE scope = 'createLead'`);
    await q.query(
      `ALTER TABLE idempotency_keys ADD COLUMN final boolean NOT NULL DEFAULT true, ADD COLUMN owner_until timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN final, DROP COLUMN owner_until`);
  }
}
