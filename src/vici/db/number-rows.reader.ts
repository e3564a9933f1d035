import type { DataSource } from "typeorm";
import type { CountryCode } from "libphonenumber-js";
import { viciQuery } from "../../services/errors-vici";
import { fromViciPhone } from "../../services/phone";
import { storedPhoneVariants } from "../../services/vici-lead.service";
import { viciLocalToInstant } from "../../services/vici-time";

/** One vicidial_list row stored with a number, as the rules about the number read it. */
export interface NumberRow {
  leadId: number;
  listId: number;
  /** The list's campaign (vicidial_lists.campaign_id); null when the list has no vicidial_lists row or names none. */
  campaignId: string | null;
  status: string | null;
  /** vendor_lead_code as stored ('' read as null). */
  vendorLeadCode: string | null;
  /** This row's latest vicidial_log.call_date, as an instant. */
  lastCallAt: Date | null;
}

/** What VICIdial holds about one number: every row with it, and its last call. */
export interface NumberRows {
  /** Every vicidial_list row stored with the number — any list, any campaign, managed or not — in lead_id order. */
  rows: NumberRow[];
  /** Leads (other rows) holding the number as an alternate phone (vicidial_list_alt_phones), ascending. */
  altLeadIds: number[];
  /** The latest call that dialed the number as one of those leads' alternate phone. */
  altDialAt: Date | null;
  /** The recent-call rule's fact about the number: lastCallOfNumber(rows, altDialAt). */
  lastCallAt: Date | null;
}

/**
 * The recent-call rule's fact about a number: the latest vicidial_log.call_date over every
 * vicidial_list row with that number (any list, any campaign, managed or not, manual dials
 * included), and over the calls that dialed it as another lead's alternate phone. The one
 * definition: the import, createLead, CSV, `Lead.lastCallAt` and the call facts all take it.
 */
export function lastCallOfNumber(rows: readonly { lastCallAt: Date | null }[], altDialAt: Date | null = null): Date | null {
  let best: Date | null = altDialAt;
  for (const r of rows) if (r.lastCallAt && (!best || r.lastCallAt > best)) best = r.lastCallAt;
  return best;
}

/**
 * Reads every vicidial_list row of some numbers with each row's last call, and the numbers'
 * dials as alternate phones, in one statement: the rows by the phone_number index (both ways
 * VICIdial stores a number: national digits, or with the country code glued on), the alternate
 * phones by theirs, the calls by vicidial_log's lead_id index (it has no phone_number index).
 */
export class NumberRowsReader {
  constructor(
    private readonly ds: DataSource,
    private readonly opts: { timeZone: string; defaultRegion: CountryCode },
  ) {}

  /** By E.164 number, one entry per number asked (no rows: empty, lastCallAt null). */
  async read(e164s: readonly string[]): Promise<Map<string, NumberRows>> {
    const out = new Map<string, NumberRows>(e164s.map((p) => [p, { rows: [], altLeadIds: [], altDialAt: null, lastCallAt: null }]));
    if (out.size === 0) return out;
    const stored = storedPhoneVariants([...out.keys()]);
    const found: Record<string, any>[] = await viciQuery(
      this.ds,
      `SELECT 'row' AS kind, vl.lead_id, vl.list_id, l.campaign_id, vl.status, vl.vendor_lead_code, vl.phone_code, vl.phone_number,
              (SELECT MAX(lg.call_date) FROM vicidial_log lg WHERE lg.lead_id = vl.lead_id) AS last_call
         FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
        WHERE vl.phone_number IN (?)
       UNION ALL
       SELECT 'alt', ap.lead_id, NULL, NULL, NULL, NULL, ap.phone_code, ap.phone_number,
              (SELECT MAX(lg.call_date) FROM vicidial_log lg
                WHERE lg.lead_id = ap.lead_id AND lg.phone_number IN (ap.phone_number, CONCAT(COALESCE(ap.phone_code, ''), ap.phone_number)))
         FROM vicidial_list_alt_phones ap
        WHERE ap.phone_number IN (?)`,
      [stored, stored],
    );
    for (const r of found) {
      // A variant may be another number's stored form: each row goes to the number it is.
      const phone = fromViciPhone(r.phone_code || null, String(r.phone_number ?? ""), this.opts.defaultRegion);
      const entry = phone ? out.get(phone) : undefined;
      if (!entry) continue;
      if (r.kind === "alt") {
        const at = viciLocalToInstant(r.last_call ?? null, this.opts.timeZone);
        if (!entry.altLeadIds.includes(Number(r.lead_id))) entry.altLeadIds.push(Number(r.lead_id));
        if (at && (!entry.altDialAt || at > entry.altDialAt)) entry.altDialAt = at;
        continue;
      }
      entry.rows.push({
        leadId: Number(r.lead_id),
        listId: Number(r.list_id),
        campaignId: r.campaign_id || null,
        status: r.status ?? null,
        vendorLeadCode: r.vendor_lead_code || null,
        lastCallAt: viciLocalToInstant(r.last_call ?? null, this.opts.timeZone),
      });
    }
    for (const entry of out.values()) {
      entry.rows.sort((a, b) => a.leadId - b.leadId);
      entry.altLeadIds = entry.altLeadIds.filter((id) => !entry.rows.some((r) => r.leadId === id)).sort((a, b) => a - b);
      entry.lastCallAt = lastCallOfNumber(entry.rows, entry.altDialAt);
    }
    return out;
  }
}
