import type { GatewayApp } from "../../src/app";
import { COUNTER_NAMES } from "../../src/jobs/sync-job.types";

/**
 * What an import leaves in Brain, without what differs run to run (times, generated ids):
 * tests that interrupt an import compare it with an uninterrupted run's.
 */
export async function importSnapshot(app: GatewayApp) {
  const leads = await app.brain.query(
    `SELECT phone, CASE WHEN external_lead_id ~ '^[0-9A-Z]{20}$' THEN 'generated' ELSE external_lead_id END AS ext,
            first_name, do_not_call, do_not_call_reason, meta - 'synced_at' AS meta
       FROM leads ORDER BY phone`,
  );
  const issues = await app.brain.query(
    "SELECT kind, vici_lead_id, reason FROM sync_job_issues ORDER BY kind, vici_lead_id",
  );
  return { leads, issues };
}

/** A job's state and counters. */
export const jobCounters = (j: any) => ({ state: j.state, ...Object.fromEntries(COUNTER_NAMES.map((c) => [c, j[c]])) });

/**
 * The Vici rows an import of every campaign reads: rows of lists with a vicidial_lists row
 * naming a campaign (the demo's orphan list is never managed).
 */
export async function managedViciRows(app: GatewayApp): Promise<number> {
  const [{ n }] = await app.vici.query(
    "SELECT COUNT(*) AS n FROM vicidial_list vl JOIN vicidial_lists l ON l.list_id = vl.list_id WHERE l.campaign_id IS NOT NULL AND l.campaign_id <> ''",
  );
  return Number(n);
}
