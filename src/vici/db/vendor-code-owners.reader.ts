import type { DataSource } from "typeorm";
import type { CountryCode } from "libphonenumber-js";
import { viciQuery } from "./vici-query";
import { fromViciPhone } from "../rules/phone";
import { vendorCodeKey } from "../rules/vendor-code";

/**
 * Which numbers carry a vendor code, for the vendor-code rule's "no managed row of another
 * number carries it" (and the audit's shared codes). vendor_lead_code has no index in VICIdial:
 * each read here scans the lists it names, so the import asks once per job and createLead only
 * when it would adopt a code.
 */
export class VendorCodeOwners {
  constructor(
    private readonly ds: DataSource,
    private readonly defaultRegion: CountryCode,
  ) {}

  /**
   * Every code (vendorCodeKey) that rows of more than one number carry among these lists. One
   * GROUP BY over the lists' coded rows (VICIdial's collation groups codes as it compares them)
   * keeps the codes stored with more than one phone, with those phones; they are then compared
   * by real number identity, so a number stored with its country code glued on is not another.
   */
  async sharedCodes(listIds: readonly number[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (listIds.length === 0) return out;
    const rows: { code: string; phones: string | Buffer }[] = await viciQuery(
      this.ds,
      `SELECT vendor_lead_code AS code,
              GROUP_CONCAT(DISTINCT CONCAT(COALESCE(phone_code, ''), ':', phone_number) SEPARATOR ',') AS phones
         FROM vicidial_list
        WHERE list_id IN (?) AND vendor_lead_code IS NOT NULL AND vendor_lead_code <> ''
        GROUP BY vendor_lead_code
       HAVING COUNT(DISTINCT COALESCE(phone_code, ''), phone_number) > 1`,
      [listIds],
    );
    for (const r of rows) {
      const stored = String(r.phones).split(",");
      // One number has at most a few stored forms: past that (or a cut list) it is surely shared.
      const numbers = new Set(
        stored.map((s) => this.numberOf(s.slice(0, s.indexOf(":")), s.slice(s.indexOf(":") + 1))),
      );
      if (numbers.size > 1 || stored.length > 4) out.add(vendorCodeKey(String(r.code)));
    }
    return out;
  }

  /**
   * The numbers (E.164, else the stored form) whose rows in these lists carry each of the codes,
   * by vendorCodeKey. One scan (no index on vendor_lead_code): 120–240 ms at 300,000 rows on a
   * busy 2-core machine; reading it in lead_id ranges instead took 0.45–0.56 s per 50,000 (MyISAM
   * fetches each row through the primary key), so a range-cut scan would hold the table longer.
   */
  async numbersCarrying(codes: readonly string[], listIds: readonly number[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(codes.map((c) => [vendorCodeKey(c), new Set()]));
    if (codes.length === 0 || listIds.length === 0) return out;
    const rows: { code: string; phone_code: string | null; phone_number: string }[] = await viciQuery(
      this.ds,
      "SELECT vendor_lead_code AS code, phone_code, phone_number FROM vicidial_list WHERE vendor_lead_code IN (?) AND list_id IN (?)",
      [codes, listIds],
    );
    for (const r of rows)
      out.get(vendorCodeKey(String(r.code)))?.add(this.numberOf(r.phone_code, String(r.phone_number ?? "")));
    return out;
  }

  private numberOf(phoneCode: string | null, phoneNumber: string): string {
    return fromViciPhone(phoneCode || null, phoneNumber, this.defaultRegion) ?? `raw:${phoneCode ?? ""}:${phoneNumber}`;
  }
}
