import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indexes on `leads` that match the queries we run, and no others: every index costs each
 * imported lead an entry (a 1M-lead VICI_IMPORT spends most of its Brain time in index
 * maintenance).
 * - vici_lead_id (bigint) and vici_lead_ids (GIN): no query looks a lead up by them.
 * - vici_campaign_id: the campaign filter compares lower(...), which this index never
 *   served; a campaign is a large share of the leads anyway, where an index does not help.
 * - origin: a handful of values; the filter rides on the ordering index.
 * - last_call_date: replaced by (coalesce(...), id), the LAST_CALL_AT ordering's keyset,
 *   which the calledWithinDays filter uses too.
 */
export class FitLeadIndexes1764250000000 implements MigrationInterface {
  name = "FitLeadIndexes1764250000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads_vici_lead_id_idx`);
    await q.query(`DROP INDEX IF EXISTS leads_vici_lead_ids_idx`);
    await q.query(`DROP INDEX IF EXISTS leads_vici_campaign_idx`);
    await q.query(`DROP INDEX IF EXISTS leads_origin_idx`);
    await q.query(`DROP INDEX IF EXISTS leads_last_call_date_idx`);
    await q.query(`CREATE INDEX leads_last_call_at_id_idx ON leads ((coalesce(meta->>'last_call_date', '')), id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads_last_call_at_id_idx`);
    await q.query(`CREATE INDEX leads_vici_lead_id_idx ON leads (((meta->>'vici_lead_id')::bigint))`);
    await q.query(`CREATE INDEX leads_vici_lead_ids_idx ON leads USING gin ((meta->'vici_lead_ids') jsonb_path_ops)`);
    await q.query(`CREATE INDEX leads_vici_campaign_idx ON leads ((meta->>'vici_campaign_id'))`);
    await q.query(`CREATE INDEX leads_origin_idx ON leads (origin)`);
    await q.query(`CREATE INDEX leads_last_call_date_idx ON leads ((meta->>'last_call_date'))`);
  }
}
