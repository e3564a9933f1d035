import type { DataSource } from "typeorm";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { ViciPhone } from "../rules/phone";
import { hasInsertReturning, timedVici } from "../db/vici-query";
import { instantToViciLocal } from "../rules/vici-time";
import { storedPhoneVariants } from "../db/vici-leads.reader";
import type { ViciContactColumn } from "../rules/contact-columns";
import type { ContactUpdateOutcome, NewViciLead, VendorCodeOutcome, ViciWriter } from "./vici-writer";
import { deleteUntouchedRow, type PushedRowGuard } from "../db/pushed-rows";
import { VendorCodeWriter } from "../db/vendor-code.writer";
import type { ManagedCampaigns } from "../db/managed-campaigns";
import { ReadBatcher } from "../db/read-batcher";

/** VICIdial's DST_range codes we can evaluate, mapped to a zone that follows the same rule. */
const DST_RULE_ZONES: Record<string, string> = {
  "SSM-FSN": "America/New_York", // second Sunday March – first Sunday November (US/CA)
  "LSM-LSO": "Europe/London", // last Sunday March – last Sunday October (EU)
};

/** A new vicidial_list row, with the columns VICIdial's own add_lead sets; ROW once per lead. */
const INSERT_LEADS = `INSERT INTO vicidial_list
  (entry_date, status, user, vendor_lead_code, source_id, list_id, gmt_offset_now, called_since_last_reset,
   phone_code, phone_number, first_name, last_name, address1, address2, city, state, postal_code, email,
   gender, called_count, last_local_call_time, \`rank\`, owner, entry_list_id) VALUES`;
const ROW = "(?, 'NEW', ?, ?, ?, ?, ?, 'N', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'U', 0, ?, 0, '', 0)";

/** How long a vicidial_phone_codes row is reused. */
const PHONE_CODES_TTL_MS = 5 * 60_000;

/**
 * Writes vicidial_list directly, with the columns VICIdial's own add_lead sets. Values are
 * valid under strict and lax sql_mode alike: no '' into DATE columns, sizes checked upstream.
 */
export class DbViciWriter implements ViciWriter {
  readonly kind = "db" as const;
  private hasPhoneCodes: Promise<boolean> | null = null;
  private readonly phoneCodes = new Map<
    string,
    { row: { GMT_offset: string; DST: string; DST_range: string } | null; until: number }
  >();
  private readonly vendorCodes: VendorCodeWriter;
  private readonly dst = new Map<string, { inDst: boolean; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly opts: { timeZone: string; user: string; log?: Logger; managed: ManagedCampaigns },
  ) {
    this.vendorCodes = new VendorCodeWriter(ds, opts.managed);
  }

  /** Every statement of the writer, timed for the Vici latency histogram. */
  private query(sql: string, params?: unknown[]): Promise<any> {
    return timedVici(this.ds, () => this.ds.query(sql, params));
  }

  async findByVendorCode(phone: ViciPhone, code: string): Promise<number | null> {
    const found = await this.earlierInserts.load(JSON.stringify([`+${phone.phoneCode}${phone.phoneNumber}`, code]));
    return found ?? null;
  }

  /**
   * The pushes' "inserted before?" checks of concurrent creates in one statement: each pair its
   * own SELECT (its number's stored forms, its code compared as the column compares it), so each
   * answers exactly what it would alone. phone_number is indexed; vendor_lead_code is not.
   */
  private readonly earlierInserts = new ReadBatcher<string, number | null>(
    async (keys) => {
      const pairs = keys.map((k) => JSON.parse(k) as [string, string]);
      const one =
        "SELECT 0 AS k, lead_id FROM vicidial_list WHERE phone_number IN (?) AND vendor_lead_code = ? ORDER BY lead_id LIMIT 1";
      const rows: { k: number; lead_id: unknown }[] = await this.query(
        pairs.length === 1
          ? one
          : pairs
              .map(
                (_, i) =>
                  `(SELECT ${i} AS k, lead_id FROM vicidial_list WHERE phone_number IN (?) AND vendor_lead_code = ? ORDER BY lead_id LIMIT 1)`,
              )
              .join(" UNION ALL "),
        pairs.flatMap(([e164, code]) => [storedPhoneVariants([e164]), code]),
      );
      const out = new Map<string, number | null>();
      for (const r of rows) out.set(keys[Number(r.k)], Number(r.lead_id));
      return out;
    },
    { maxKeys: 32, maxInFlight: 4 },
  );

  async insertLead(l: NewViciLead): Promise<number> {
    const now = instantToViciLocal(new Date(), this.opts.timeZone);
    const result = await this.query(`${INSERT_LEADS} ${ROW}`, await this.values(l, now));
    if (result.warningStatus)
      this.opts.log?.warn({ warnings: result.warningStatus }, "vicidial_list insert raised warnings");
    return Number(result.insertId);
  }

  /**
   * One multi-row INSERT. The new lead_ids come back by vendor code: with RETURNING on MariaDB
   * 10.5+, else read back by (phone, vendor code) as the "inserted before?" check reads them —
   * never guessed from consecutive auto-increment values.
   */
  async insertLeads(leads: NewViciLead[]): Promise<Map<string, number>> {
    if (leads.length === 0) return new Map();
    const now = instantToViciLocal(new Date(), this.opts.timeZone);
    const params = (await Promise.all(leads.map((l) => this.values(l, now)))).flat();
    const returning = await hasInsertReturning(this.ds);
    const result = await this.query(
      `${INSERT_LEADS} ${leads.map(() => ROW).join(", ")}${returning ? " RETURNING lead_id, vendor_lead_code" : ""}`,
      params,
    );
    const ids = new Map<string, number>();
    if (returning) {
      for (const r of result as { lead_id: unknown; vendor_lead_code: string }[])
        ids.set(r.vendor_lead_code, Number(r.lead_id));
    } else {
      if (result.warningStatus)
        this.opts.log?.warn({ warnings: result.warningStatus }, "vicidial_list insert raised warnings");
      const found = await Promise.all(leads.map((l) => this.findByVendorCode(l.phone, l.vendorLeadCode)));
      leads.forEach((l, i) => found[i] !== null && ids.set(l.vendorLeadCode, found[i]!));
    }
    return ids;
  }

  /** One row's values for INSERT_LEADS / ROW. */
  private async values(l: NewViciLead, now: string): Promise<unknown[]> {
    const gmt = await this.gmtOffset(l.phone);
    return [
      now,
      this.opts.user,
      l.vendorLeadCode,
      l.sourceId,
      l.listId,
      gmt.toFixed(2),
      l.phone.phoneCode,
      l.phone.phoneNumber,
      l.firstName,
      l.lastName,
      l.address1,
      l.address2,
      l.city,
      l.state,
      l.postalCode,
      l.email,
      now, // as VICIdial's API does for a new lead
    ];
  }

  /** Through the one vendor-code writer: guarded to managed rows and the ownership rule. */
  setVendorCodeIfEmpty(leadId: number, code: string): Promise<VendorCodeOutcome> {
    return this.vendorCodes.setIfEmpty(leadId, code);
  }

  /**
   * One guarded UPDATE (MyISAM has no transactions: the guard is the compare-and-set). The
   * guard compares bytes: the column's collation would call "smith" and "Smith " equal.
   * modify_date is left to the server, which bumps it as for any change.
   */
  async updateContactFields(
    leadId: number,
    values: Partial<Record<ViciContactColumn, string>>,
    expected: Partial<Record<ViciContactColumn, string | null>>,
  ): Promise<ContactUpdateOutcome> {
    const sets = Object.keys(values) as ViciContactColumn[];
    const guards = Object.keys(expected) as ViciContactColumn[];
    const result = await this.query(
      `UPDATE vicidial_list SET ${sets.map((c) => `${c} = ?`).join(", ")}
        WHERE lead_id = ? ${guards.map((c) => `AND BINARY ${c} <=> BINARY ?`).join(" ")}`,
      [...sets.map((c) => values[c]), leadId, ...guards.map((c) => expected[c])],
    );
    // mysql2 reports matched rows (FOUND_ROWS): 1 even when the values were there already.
    if (result.affectedRows === 1) return "UPDATED";
    const [row] = await this.query("SELECT 1 AS found FROM vicidial_list WHERE lead_id = ?", [leadId]);
    return row ? "CHANGED" : "MISSING";
  }

  async deleteLead(leadId: number, guard: PushedRowGuard): Promise<"DELETED" | "MISSING" | "KEPT"> {
    if (await deleteUntouchedRow(this.ds, leadId, guard)) return "DELETED";
    const [row] = await this.query("SELECT 1 AS found FROM vicidial_list WHERE lead_id = ?", [leadId]);
    return row ? "KEPT" : "MISSING";
  }

  /**
   * Is `zone` on summer time now? Both rules' zones change at a whole UTC hour (New York at
   * 07:00/06:00 UTC, London at 01:00 UTC), so an answer holds until the next one: luxon's
   * zone arithmetic once an hour, not once per push.
   */
  private inDst(zone: string): boolean {
    const now = Date.now();
    let known = this.dst.get(zone);
    if (!known || now >= known.until) {
      known = {
        inDst: DateTime.fromMillis(now).setZone(zone).isInDST,
        until: (Math.floor(now / 3_600_000) + 1) * 3_600_000,
      };
      this.dst.set(zone, known);
    }
    return known.inDst;
  }

  /**
   * The lead's UTC offset now, as add_lead computes it: vicidial_phone_codes by country and
   * area code (NANP/MX), else the country's first row; +1 when its DST rule is in effect.
   * 0 when the table is absent (schema-only databases) or has no match, as VICIdial stores.
   */
  async gmtOffset(phone: ViciPhone): Promise<number> {
    this.hasPhoneCodes ??= this.ds
      .query(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'vicidial_phone_codes'",
      )
      .then((r: unknown[]) => r.length > 0);
    if (!(await this.hasPhoneCodes)) return 0;
    const areacode = ["1", "52"].includes(phone.phoneCode) ? phone.phoneNumber.slice(0, 3) : "";
    // A reference table (filled by VICIdial's ADMIN_area_code_populate.pl): its rows are kept a
    // few minutes per country and area code, a round trip less per push. DST is judged anew each time.
    const cacheKey = `${phone.phoneCode}|${areacode}`;
    let cached = this.phoneCodes.get(cacheKey);
    if (!cached || cached.until < Date.now()) {
      const [found] = await this.query(
        `SELECT GMT_offset, DST, DST_range FROM vicidial_phone_codes
          WHERE country_code = ? ORDER BY (areacode = ?) DESC LIMIT 1`,
        [phone.phoneCode, areacode],
      );
      if (this.phoneCodes.size >= 5_000) this.phoneCodes.clear();
      cached = { row: found ?? null, until: Date.now() + PHONE_CODES_TTL_MS };
      this.phoneCodes.set(cacheKey, cached);
    }
    const row = cached.row;
    if (!row) return 0;
    const base = Number(row.GMT_offset);
    if (!Number.isFinite(base)) return 0;
    const zone = row.DST === "Y" ? DST_RULE_ZONES[row.DST_range] : undefined;
    return zone && this.inDst(zone) ? base + 1 : base;
  }
}
