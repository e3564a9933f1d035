import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateApiKeys1764300000000 implements MigrationInterface {
  name = "CreateApiKeys1764300000000";

  async up(q: QueryRunner): Promise<void> {
    // API keys: looked up by their public id; only sha256 of the secret is kept. Revoked keys
    // stay (revoked_at) so `keys list` still shows who had access.
    await q.query(`
      CREATE TABLE api_keys (
        id           varchar(16) PRIMARY KEY,
        name         varchar(100) NOT NULL,
        role         varchar(10) NOT NULL,
        scopes       text[] NOT NULL DEFAULT '{}',
        secret_hash  bytea NOT NULL,
        created_by   varchar(100),
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz,
        CONSTRAINT api_keys_role CHECK (role IN ('reader', 'writer', 'operator', 'admin')),
        CONSTRAINT api_keys_scopes CHECK (scopes <@ ARRAY['pii']::text[]),
        CONSTRAINT api_keys_secret_hash CHECK (octet_length(secret_hash) = 32)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
