import type { DataSource } from "typeorm";
import { viciQuery } from "../../services/errors-vici";
import type { ViciPhone } from "../../services/phone";
import type { DncHit } from "../rules/call-verdict/held-number";

/**
 * What the import (VICI_IMPORT, and the follower through the same batch path) reads of
 * VICIdial besides the numbers' rows (NumberRowsReader) and the keyset pages (ViciLeadSource):
 * the columns of a batch's rows, and the DNC lists of its numbers.
 */

/** A vicidial_list row as the import reads it (IMPORT_COLUMNS). */
export interface ViciRow {
  lead_id: number;
  list_id: string | number;
  status: string | null;
  vendor_lead_code: string | null;
  phone_code: string | null;
  phone_number: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  source_id: string | null;
  entry_date: string | null;
}

export const IMPORT_COLUMNS =
  "lead_id, list_id, status, vendor_lead_code, phone_code, phone_number, first_name, last_name, email, address1, address2, city, state, postal_code, source_id, entry_date";

/** Which DNC entries hold a number, given the campaigns of its rows (any list, managed or not). */
export type DncMatcher = (number: ViciPhone, campaigns: Iterable<string | null>) => DncHit[];

/**
 * The import's DNC lookup, in one place (one statement per batch, read next to its numbers'
 * rows): the system DNC entries (exact and US area-code wildcards) and every campaign DNC entry
 * of the numbers, each with the campaigns that share its list (use_other_campaign_dnc). The
 * matcher it returns says which hold a number: the system list's, or the DNC list of the
 * campaign of any of its rows or one that campaign shares (DNC is about the number wherever it
 * sits).
 */
export async function readDncLists(ds: DataSource, phones: readonly ViciPhone[]): Promise<DncMatcher> {
  const numbers = new Set<string>();
  for (const v of phones) dncNumbers(v).forEach((n) => numbers.add(n));
  const hits: DncEntry[] = numbers.size
    ? await viciQuery(
        ds,
        `SELECT phone_number, NULL AS campaign_id, NULL AS owner FROM vicidial_dnc WHERE phone_number IN (?)
         UNION ALL
         SELECT d.phone_number, d.campaign_id, c.campaign_id FROM vicidial_campaign_dnc d
           LEFT JOIN vicidial_campaigns c ON c.use_other_campaign_dnc = d.campaign_id
          WHERE d.phone_number IN (?)`,
        [[...numbers], [...numbers]],
      )
    : [];
  if (hits.length === 0) return () => [];
  // By entry, keeping the statement's order (the reasons list the hits in it).
  const byEntry = new Map<string, number[]>();
  hits.forEach((h, i) => byEntry.set(h.phone_number, [...(byEntry.get(h.phone_number) ?? []), i]));
  return (number, campaignsOfRows) => {
    const at = dncNumbers(number).flatMap((e) => byEntry.get(e) ?? []);
    if (at.length === 0) return [];
    const held = at.sort((a, b) => a - b).map((i) => hits[i]);
    const campaigns = new Set<string>();
    for (const c of campaignsOfRows) if (c) campaigns.add(c.toLowerCase());
    return held
      .filter((h) => h.campaign_id === null || campaigns.has(h.campaign_id.toLowerCase()) || (h.owner !== null && campaigns.has(h.owner.toLowerCase())))
      .map((h) => ({ list: h.campaign_id === null ? "system" : "campaign", campaignId: h.campaign_id, entry: h.phone_number }));
  };
}

/** A DNC entry of a batch's numbers: the system list's (campaign null) or a campaign's, with a campaign sharing it. */
interface DncEntry {
  phone_number: string;
  campaign_id: string | null;
  owner: string | null;
}

/** The DNC entries that hold a number: itself, and for a US number its area-code wildcard. */
function dncNumbers(v: ViciPhone): string[] {
  return v.phoneCode === "1" && v.phoneNumber.length === 10 ? [v.phoneNumber, `${v.phoneNumber.slice(0, 3)}XXXXXXX`] : [v.phoneNumber];
}
