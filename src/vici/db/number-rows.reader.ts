import type { DataSource } from "typeorm";
import type { CountryCode } from "libphonenumber-js";
import { viciQuery } from "./vici-query";
import { fromViciPhone, toViciPhone, type ViciPhone } from "../rules/phone";
import { viciLocalToInstant } from "../rules/vici-time";

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
export function lastCallOfNumber(
  rows: readonly { lastCallAt: Date | null }[],
  altDialAt: Date | null = null,
): Date | null {
  let best: Date | null = altDialAt;
  for (const r of rows) if (r.lastCallAt && (!best || r.lastCallAt > best)) best = r.lastCallAt;
  return best;
}

/** A row a caller has read already (the import's batch): the reader fetches only the others. */
export interface HeldRow extends Omit<NumberRow, "lastCallAt"> {
  phoneCode: string | null;
  phoneNumber: string;
}

/**
 * Reads every vicidial_list row of some numbers with each row's last call, and the numbers'
 * dials as alternate phones: the rows by the phone_number index (both ways VICIdial stores a
 * number: national digits, or with the country code glued on), the alternate phones by theirs,
 * the calls by vicidial_log's lead_id index (it has no phone_number index).
 *
 * A caller that holds rows already (`held`: the import's batch, most of whose numbers have no
 * other row) has them counted per number from the phone_number index alone, and only the rows
 * of numbers with more are fetched (the forms with the code 1 glued on from one short range of
 * the index, the alternate phones only when that table has a row); else all rows come in one
 * statement.
 */
export class NumberRowsReader {
  /** This dialer stores many numbers with the code 1 glued on: they are probed, not read as a range. */
  private gluedRangeLong = false;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: { timeZone: string; defaultRegion: CountryCode },
  ) {}

  /**
   * By E.164 number, one entry per number asked (no rows: empty, lastCallAt null). `viciForms`:
   * the numbers' VICIdial forms when the caller has them (the import parsed its rows already;
   * parsing 5,000 numbers again cost it ~130 ms a batch).
   */
  async read(
    e164s: readonly string[],
    opts: { held?: readonly HeldRow[]; viciForms?: ReadonlyMap<string, ViciPhone> } = {},
  ): Promise<Map<string, NumberRows>> {
    const held = opts.held ?? [];
    const out = new Map<string, NumberRows>(
      e164s.map((p) => [p, { rows: [], altLeadIds: [], altDialAt: null, lastCallAt: null }]),
    );
    if (out.size === 0) return out;
    // Each number's canonical stored form: rows stored so need no parsing to be placed. (Keyed
    // by the digits alone for phone_code 1, the bulk of a US dialer: no key string per row.)
    const formKey = (code: string | null, digits: string) => (code === "1" ? digits : `${code ?? ""}|${digits}`);
    const canonical = new Map<string, NumberRows>();
    const stored = new Set<string>();
    for (const [p, entry] of out) {
      const v = opts.viciForms?.get(p) ?? toViciPhone(p);
      canonical.set(formKey(v.phoneCode, v.phoneNumber), entry);
      stored.add(v.phoneNumber).add(v.phoneCode + v.phoneNumber);
    }
    const place = (code: string | null, digits: string) => {
      const entry = canonical.get(formKey(code, digits));
      if (entry) return entry;
      const phone = fromViciPhone(code || null, digits, this.opts.defaultRegion);
      return phone ? out.get(phone) : undefined;
    };
    const addRow = (r: Record<string, any>, lastCall: unknown) =>
      addFields(
        r.lead_id,
        r.list_id,
        r.campaign_id,
        r.status,
        r.vendor_lead_code,
        r.phone_code,
        String(r.phone_number ?? ""),
        lastCall,
      );
    const addFields = (
      leadId: unknown,
      listId: unknown,
      campaignId: unknown,
      status: unknown,
      code: unknown,
      phoneCode: string | null,
      phoneNumber: string,
      lastCall: unknown,
    ) => {
      // A variant may be another number's stored form: each row goes to the number it is.
      const entry = place(phoneCode, phoneNumber);
      if (!entry) return;
      entry.rows.push({
        leadId: Number(leadId),
        listId: Number(listId),
        campaignId: (campaignId as string | null) || null,
        status: (status as string | null) ?? null,
        vendorLeadCode: (code as string | null) || null,
        lastCallAt: viciLocalToInstant((lastCall as string | null) ?? null, this.opts.timeZone),
      });
    };
    const alts: Record<string, any>[] = [];
    const keep = (found: Record<string, any>[]) => {
      for (const r of found) {
        if (r.kind === "alt") alts.push(r);
        else addRow(r, r.last_call);
      }
    };
    const ALT = `SELECT 'alt' AS kind, ap.lead_id, NULL AS list_id, NULL AS campaign_id, NULL AS status, NULL AS vendor_lead_code, ap.phone_code, ap.phone_number,
              (SELECT MAX(lg.call_date) FROM vicidial_log lg
                WHERE lg.lead_id = ap.lead_id AND lg.phone_number IN (ap.phone_number, CONCAT(COALESCE(ap.phone_code, ''), ap.phone_number))) AS last_call
         FROM vicidial_list_alt_phones ap WHERE ap.phone_number IN (?)`;
    const ROWS = `SELECT 'row' AS kind, vl.lead_id, vl.list_id, l.campaign_id, vl.status, vl.vendor_lead_code, vl.phone_code, vl.phone_number,
              (SELECT MAX(lg.call_date) FROM vicidial_log lg WHERE lg.lead_id = vl.lead_id) AS last_call
         FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
        WHERE vl.phone_number IN (?)`;

    if (held.length === 0) {
      keep(await viciQuery(this.ds, `${ROWS} UNION ALL ${ALT}`, [[...stored], [...stored]]));
    } else {
      // Rows per stored number (an index-only read) and the alternate phones, next to the held rows' calls.
      const heldIds = new Set<number>();
      let lo = Infinity;
      let hi = -Infinity;
      for (const h of held) {
        heldIds.add(h.leadId);
        if (h.leadId < lo) lo = h.leadId;
        if (h.leadId > hi) hi = h.leadId;
      }
      // A batch's lead ids are mostly one dense run (a keyset page): then its calls are one
      // range of the lead_id index (2-3x cheaper for MariaDB than thousands of IN values);
      // sparse ids keep the IN list, so a range never reads many calls of other rows.
      const dense = hi - lo < 2 * heldIds.size;
      // Numbers with phone_code 1 (the bulk of a US dialer) stored with the code glued on
      // start with '1', which no national NANP number does: that one range of the index,
      // when short (most dialers store none), replaces thousands of probes of absent values
      // (~8 ms of MariaDB a batch). Every stored form starting with '1' (another country's
      // national number too) is taken from the range. A dialer that stores many that way
      // gets them probed (and this reader remembers it: the range is not read again).
      const probe: string[] = [];
      const glued = new Set<string>();
      for (const v of stored) {
        if (v.startsWith("1") && !this.gluedRangeLong) glued.add(v);
        else probe.push(v);
      }
      const cap = glued.size;
      const [counted, calls, extra] = await Promise.all([
        probe.length
          ? viciQuery(
              this.ds,
              "SELECT COUNT(*) AS n, phone_number FROM vicidial_list WHERE phone_number IN (?) GROUP BY phone_number",
              [probe],
            )
          : Promise.resolve([]),
        dense
          ? viciQuery(
              this.ds,
              "SELECT lead_id, MAX(call_date) AS last_call FROM vicidial_log WHERE lead_id BETWEEN ? AND ? GROUP BY lead_id",
              [lo, hi],
            )
          : viciQuery(
              this.ds,
              "SELECT lead_id, MAX(call_date) AS last_call FROM vicidial_log WHERE lead_id IN (?) GROUP BY lead_id",
              [[...heldIds]],
            ),
        // The glued range (at most `cap` + 1 groups) and whether any alternate phone exists at all.
        viciQuery(
          this.ds,
          `${
            cap
              ? `(SELECT 'range' AS kind, COUNT(*) AS n, phone_number FROM vicidial_list
                   WHERE phone_number >= '1' AND phone_number < '2' GROUP BY phone_number LIMIT ${cap + 1}) UNION ALL `
              : ""
          }(SELECT 'alt' AS kind, COUNT(*) AS n, NULL AS phone_number FROM (SELECT 1 FROM vicidial_list_alt_phones LIMIT 1) a)`,
        ),
      ]);
      const counts = counted as { n: unknown; phone_number: unknown }[];
      const ranged = (extra as { kind: string; n: unknown; phone_number: unknown }[]).filter((r) => r.kind === "range");
      if (cap && ranged.length > cap) {
        this.gluedRangeLong = true;
        counts.push(
          ...((await viciQuery(
            this.ds,
            "SELECT COUNT(*) AS n, phone_number FROM vicidial_list WHERE phone_number IN (?) GROUP BY phone_number",
            [[...glued]],
          )) as { n: unknown; phone_number: unknown }[]),
        );
      } else {
        // A group is the number's when IN would have found it: VICIdial's collations ignore trailing spaces.
        for (const r of ranged) if (glued.has(String(r.phone_number ?? "").trimEnd())) counts.push(r);
      }
      if ((extra as { kind: string; n: unknown }[]).some((r) => r.kind === "alt" && Number(r.n) > 0))
        alts.push(...((await viciQuery(this.ds, ALT, [[...stored]])) as Record<string, any>[]));
      const callOf = new Map<number, unknown>();
      for (const c of calls as { lead_id: unknown; last_call: unknown }[]) {
        const id = Number(c.lead_id);
        if (heldIds.has(id)) callOf.set(id, c.last_call);
      }
      const heldPer = new Map<string, number>();
      for (const h of held) {
        heldPer.set(h.phoneNumber, (heldPer.get(h.phoneNumber) ?? 0) + 1);
        addFields(
          h.leadId,
          h.listId,
          h.campaignId,
          h.status,
          h.vendorLeadCode,
          h.phoneCode,
          String(h.phoneNumber ?? ""),
          callOf.get(h.leadId) ?? null,
        );
      }
      const more: unknown[] = [];
      for (const c of counts) if (Number(c.n) > (heldPer.get(String(c.phone_number)) ?? 0)) more.push(c.phone_number);
      if (more.length) {
        // The held rows of those numbers are left out in SQL too: their last call (a subquery per
        // row) is known already. (Only a shortcut: rows are still checked against heldIds.)
        const asked = new Set(more.map(String));
        const skip = held.filter((h) => asked.has(h.phoneNumber)).map((h) => h.leadId);
        const rows = skip.length
          ? await viciQuery(this.ds, `${ROWS} AND vl.lead_id NOT IN (?)`, [more, skip])
          : await viciQuery(this.ds, ROWS, [more]);
        for (const r of rows as Record<string, any>[]) if (!heldIds.has(Number(r.lead_id))) addRow(r, r.last_call);
      }
    }

    for (const r of alts) {
      const entry = place(r.phone_code, String(r.phone_number ?? ""));
      if (!entry) continue;
      const at = viciLocalToInstant(r.last_call ?? null, this.opts.timeZone);
      if (!entry.altLeadIds.includes(Number(r.lead_id))) entry.altLeadIds.push(Number(r.lead_id));
      if (at && (!entry.altDialAt || at > entry.altDialAt)) entry.altDialAt = at;
    }
    for (const entry of out.values()) {
      entry.rows.sort((a, b) => a.leadId - b.leadId);
      if (entry.altLeadIds.length)
        entry.altLeadIds = entry.altLeadIds
          .filter((id) => !entry.rows.some((r) => r.leadId === id))
          .sort((a, b) => a - b);
      entry.lastCallAt = lastCallOfNumber(entry.rows, entry.altDialAt);
    }
    return out;
  }
}
