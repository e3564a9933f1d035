import { DataSource } from "typeorm";
import { dbNameFor, freshBrainDb } from "./helpers/databases";
import { brainMigrations } from "../src/migrations/brain";
import { RenameOutboxToViciPushes1765613000000 } from "../src/migrations/brain/1765613000000-rename-outbox-to-vici-pushes";

/**
 * The migration that renames `vici_outbox` to `vici_pushes` (issue 13: one name for one thing),
 * run on a Brain that already holds pushes: every row stays, ids go on from where they were,
 * the indexes and constraints (one push per lead, the state check) still hold under their new
 * names, and `down` gives the old table back.
 */
describe("the vici_outbox → vici_pushes migration on an existing Brain", () => {
  it("keeps the pushes, their ids and their rules; down restores the old name", async () => {
    const ds = new DataSource({
      type: "postgres",
      url: await freshBrainDb(dbNameFor(__filename)),
      migrations: brainMigrations,
      migrationsTableName: "brain_migrations",
    });
    await ds.initialize();
    try {
      const runner = ds.createQueryRunner();
      for (const M of brainMigrations.slice(0, brainMigrations.indexOf(RenameOutboxToViciPushes1765613000000)))
        await new M().up(runner);
      const [lead] = await ds.query(
        `INSERT INTO leads (external_lead_id, phone) VALUES ('P-1', '+15125550001') RETURNING id::text AS id`,
      );
      await ds.query(
        `INSERT INTO vici_outbox (lead_id, kind, state, payload, vici_lead_id) VALUES ($1, 'PUSH_LEAD', 'DONE', '{"listId": 1001}', 42), ($1, 'SET_VENDOR_CODE', 'PENDING', '{}', NULL)`,
        [lead.id],
      );
      const before = await ds.query(
        `SELECT id::text, lead_id::text, kind, state, payload, vici_lead_id::text FROM vici_outbox ORDER BY id`,
      );

      await new RenameOutboxToViciPushes1765613000000().up(runner);
      expect(
        await ds.query(
          `SELECT id::text, lead_id::text, kind, state, payload, vici_lead_id::text FROM vici_pushes ORDER BY id`,
        ),
      ).toEqual(before);
      expect((await ds.query(`SELECT to_regclass('vici_outbox') AS t`))[0].t).toBeNull();
      // Nothing is left named after the old table.
      const names = await ds.query(
        `SELECT relname AS name FROM pg_class WHERE relname LIKE 'vici\\_outbox%' UNION ALL SELECT conname FROM pg_constraint WHERE conname LIKE 'vici\\_outbox%'`,
      );
      expect(names).toEqual([]);
      // Ids go on from the old ones; the rules hold: one PUSH_LEAD per lead, states checked.
      const [next] = await ds.query(
        `INSERT INTO vici_pushes (lead_id, kind) VALUES ($1, 'UPDATE_FIELDS') RETURNING id::text AS id`,
        [lead.id],
      );
      expect(BigInt(next.id)).toBeGreaterThan(BigInt(before[1].id));
      await expect(
        ds.query(`INSERT INTO vici_pushes (lead_id, kind) VALUES ($1, 'PUSH_LEAD')`, [lead.id]),
      ).rejects.toThrow(/vici_pushes_one_push_idx/);
      await expect(ds.query(`UPDATE vici_pushes SET state = 'LOST' WHERE id = $1`, [next.id])).rejects.toThrow(
        /vici_pushes_state/,
      );

      await new RenameOutboxToViciPushes1765613000000().down(runner);
      expect(
        await ds.query(
          `SELECT id::text, lead_id::text, kind, state, payload, vici_lead_id::text FROM vici_outbox WHERE id <> $1 ORDER BY id`,
          [next.id],
        ),
      ).toEqual(before);
      await expect(
        ds.query(`INSERT INTO vici_outbox (lead_id, kind) VALUES ($1, 'PUSH_LEAD')`, [lead.id]),
      ).rejects.toThrow(/vici_outbox_one_push_idx/);
      await runner.release();
    } finally {
      await ds.destroy();
    }
  });
});
