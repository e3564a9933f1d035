import type { DataSource } from "typeorm";
import type { ViciPhone } from "../rules/phone";
import { DncEntries, dncEntriesOf, type DncEntry } from "../rules/dnc";
import { viciQuery } from "./vici-query";

/**
 * The DNC entries that can hold any of `phones` (each number and, for a NANP number, its
 * area-code wildcard: rules/dnc.ts) in ONE statement by vicidial_dnc's and
 * vicidial_campaign_dnc's phone_number indexes, whatever the number of phones (`scanSmallLists`,
 * the import's batches: short lists read whole first, narrowBySmallLists): the system
 * entries, and every campaign entry with the campaigns that share its list
 * (use_other_campaign_dnc). Which campaigns count is asked per number afterwards
 * (DncEntries.hitsOf), so the read needs only the numbers and can run next to the read of
 * their rows.
 */
export async function readDncEntries(
  ds: DataSource,
  phones: Iterable<ViciPhone>,
  opts: { scanSmallLists?: boolean } = {},
): Promise<DncEntries> {
  const numbers = new Set<string>();
  for (const v of phones) for (const n of dncEntriesOf(v)) numbers.add(n);
  if (numbers.size === 0) return new DncEntries([]);
  let system = [...numbers];
  let campaign = system;
  if (opts.scanSmallLists) ({ system, campaign } = await narrowBySmallLists(ds, numbers));
  const parts: string[] = [];
  const params: unknown[] = [];
  if (system.length) {
    parts.push("SELECT phone_number, NULL AS campaign_id, NULL AS owner FROM vicidial_dnc WHERE phone_number IN (?)");
    params.push(system);
  }
  if (campaign.length) {
    parts.push(`SELECT d.phone_number, d.campaign_id, c.campaign_id FROM vicidial_campaign_dnc d
       LEFT JOIN vicidial_campaigns c ON c.use_other_campaign_dnc = d.campaign_id
      WHERE d.phone_number IN (?)`);
    params.push(campaign);
  }
  if (parts.length === 0) return new DncEntries([]);
  const rows: { phone_number: string; campaign_id: string | null; owner: string | null }[] = await viciQuery(
    ds,
    parts.join(" UNION ALL "),
    params,
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

/** A DNC table with at most this many entries per number asked is read whole instead of probed. */
const SCAN_PER_NUMBER = 2;

/**
 * For a batch of thousands of numbers (the import): a DNC list no longer than twice the
 * numbers asked is read whole (an index-only scan, ~1 µs an entry) instead of probed by
 * phone_number (~6 µs a value; 5,000 numbers cost MariaDB ~30 ms a batch, measured), and only
 * the numbers some entry may equal are then asked by the usual statement, so what is found
 * stays exactly what `IN (...)` finds under the column's collation: the scan only rules
 * numbers out. (Comparisons here are looser than any collation VICIdial uses: case and
 * trailing spaces ignored, Unicode compatibility forms folded.) Longer lists are probed as before.
 */
async function narrowBySmallLists(
  ds: DataSource,
  numbers: ReadonlySet<string>,
): Promise<{ system: string[]; campaign: string[] }> {
  const all = [...numbers];
  const cap = all.length * SCAN_PER_NUMBER;
  const [size] = (await viciQuery(
    ds,
    `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM vicidial_dnc LIMIT ?) s) AS system,
            (SELECT COUNT(*) FROM (SELECT 1 FROM vicidial_campaign_dnc LIMIT ?) c) AS campaign`,
    [cap + 1, cap + 1],
  )) as { system: unknown; campaign: unknown }[];
  const scanSystem = Number(size.system) <= cap;
  const scanCampaign = Number(size.campaign) <= cap;
  if (!scanSystem && !scanCampaign) return { system: all, campaign: all };
  const fold = (x: string) => (/[^\x00-\x7f]/.test(x) ? x.normalize("NFKC") : x).trimEnd().toUpperCase();
  const scans: string[] = [];
  if (scanSystem) scans.push("SELECT 's' AS list, phone_number FROM vicidial_dnc");
  if (scanCampaign) scans.push("SELECT 'c' AS list, phone_number FROM vicidial_campaign_dnc");
  const held = { s: new Set<string>(), c: new Set<string>() };
  for (const r of (await viciQuery(ds, scans.join(" UNION ALL "))) as { list: "s" | "c"; phone_number: unknown }[])
    held[r.list].add(fold(String(r.phone_number ?? "")));
  return {
    system: scanSystem ? all.filter((n) => held.s.has(fold(n))) : all,
    campaign: scanCampaign ? all.filter((n) => held.c.has(fold(n))) : all,
  };
}
