import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * One name for one thing (issue 13): a lead's way to VICIdial is a "push" everywhere (GraphQL
 * ViciPush, the ViciPusher that delivers it), so its table `vici_outbox` becomes `vici_pushes`.
 * A rename keeps every row, id and index; the constraints, indexes and identity sequence named
 * after the table follow it (vici_outbox_* → vici_pushes_*). Stop every gateway and worker of
 * the old version before it runs: they name the old table.
 */
export class RenameOutboxToViciPushes1765613000000 implements MigrationInterface {
  name = "RenameOutboxToViciPushes1765613000000";

  async up(q: QueryRunner): Promise<void> {
    await renameTable(q, "vici_outbox", "vici_pushes");
  }

  async down(q: QueryRunner): Promise<void> {
    await renameTable(q, "vici_pushes", "vici_outbox");
  }
}

async function renameTable(q: QueryRunner, from: string, to: string): Promise<void> {
  await q.query(`ALTER TABLE ${from} RENAME TO ${to}`);
  // Constraints first (a primary key's or unique constraint's index follows its constraint), then
  // the indexes and the sequence still named after the old table.
  await q.query(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = '${to}'::regclass AND conname LIKE '${from}\\_%' LOOP
        EXECUTE format('ALTER TABLE ${to} RENAME CONSTRAINT %I TO %I', r.conname, '${to}' || substr(r.conname, ${from.length + 1}));
      END LOOP;
      FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('i', 'S') AND c.relname LIKE '${from}\\_%' LOOP
        EXECUTE format('ALTER %s %I RENAME TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'INDEX' END,
          r.relname, '${to}' || substr(r.relname, ${from.length + 1}));
      END LOOP;
    END $$`);
}
