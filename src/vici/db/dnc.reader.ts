import type { DataSource } from "typeorm";
import type { ViciPhone } from "../rules/phone";
import { DncEntries, dncEntriesOf, type DncEntry } from "../rules/dnc";
import { viciQuery } from "./vici-query";

/**
 * The DNC entries that can hold any of `phones` (each number and, for a NANP number, its
 * area-code wildcard: rules/dnc.ts) in ONE statement by vicidial_dnc's and
 * vicidial_campaign_dnc's phone_number indexes, whatever the number of phones: the system
 * entries, and every campaign entry with the campaigns that share its list
 * (use_other_campaign_dnc). Which campaigns count is asked per number afterwards
 * (DncEntries.hitsOf), so the read needs only the numbers and can run next to the read of
 * their rows.
 */
export async function readDncEntries(ds: DataSource, phones: Iterable<ViciPhone>): Promise<DncEntries> {
  const numbers = new Set<string>();
  for (const v of phones) for (const n of dncEntriesOf(v)) numbers.add(n);
  if (numbers.size === 0) return new DncEntries([]);
  const rows: { phone_number: string; campaign_id: string | null; owner: string | null }[] = await viciQuery(
    ds,
    `SELECT phone_number, NULL AS campaign_id, NULL AS owner FROM vicidial_dnc WHERE phone_number IN (?)
     UNION ALL
     SELECT d.phone_number, d.campaign_id, c.campaign_id FROM vicidial_campaign_dnc d
       LEFT JOIN vicidial_campaigns c ON c.use_other_campaign_dnc = d.campaign_id
      WHERE d.phone_number IN (?)`,
    [[...numbers], [...numbers]],
  );
  // One entry per (number, list); the join gives a row per campaign sharing a list.
  const entries = new Map<string, DncEntry>();
  for (const r of rows) {
    const key = `${r.phone_number}|${r.campaign_id ?? ""}`;
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { entry: String(r.phone_number), campaignId: r.campaign_id ?? null, sharedBy: [] }));
    if (r.owner) e.sharedBy.push(String(r.owner).toLowerCase());
  }
  return new DncEntries([...entries.values()]);
}
