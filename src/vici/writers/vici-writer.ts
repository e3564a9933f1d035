import type { ViciContactColumn } from "../rules/contact-columns";
import type { ViciPhone } from "../rules/phone";
import type { PushedRowGuard } from "../db/pushed-rows";

/** A new vicidial_list row, already validated to fit VICIdial's columns. */
export interface NewViciLead {
  phone: ViciPhone;
  listId: number;
  /** Brain's external_lead_id: the link, and how a retried push finds its earlier insert. */
  vendorLeadCode: string;
  sourceId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

export type { VendorCodeOutcome } from "../db/vendor-code.writer";
import type { VendorCodeOutcome } from "../db/vendor-code.writer";

/**
 * A contact-field write: UPDATED, MISSING (the row is gone), or CHANGED (the row no longer holds
 * what the decision read: someone wrote it meanwhile; decide again).
 */
export type ContactUpdateOutcome = "UPDATED" | "MISSING" | "CHANGED";

/**
 * How the gateway writes to VICIdial: straight into its database, or through its Non-Agent
 * API. Chosen by VICI_WRITE_MODE. Every method is safe to repeat after a crash: there are no
 * transactions in MyISAM to lean on, so each write is found again by its vendor code.
 */
export interface ViciWriter {
  readonly kind: "db" | "api";
  /** The lead_id of an earlier insert of this lead (same phone and vendor code), if any. */
  findByVendorCode(phone: ViciPhone, vendorLeadCode: string): Promise<number | null>;
  /** Inserts a NEW lead and returns its lead_id. */
  insertLead(lead: NewViciLead): Promise<number>;
  /**
   * Several NEW leads in one statement (each with its own vendor code): their lead_ids by vendor
   * code. A writer without it inserts one at a time. A failed statement may have landed some rows
   * (MyISAM): each is found again by its vendor code (findByVendorCode) before a retry inserts.
   */
  insertLeads?(leads: NewViciLead[]): Promise<Map<string, number>>;
  /** Writes the vendor code only where none is set; never overwrites another. */
  setVendorCodeIfEmpty(leadId: number, vendorLeadCode: string): Promise<VendorCodeOutcome>;
  /**
   * Sets contact columns of one row (non-empty values that fit the columns), where the row
   * still holds `expected` (the values the decision read). Repeating it changes nothing.
   */
  updateContactFields(
    leadId: number,
    values: Partial<Record<ViciContactColumn, string>>,
    expected: Partial<Record<ViciContactColumn, string | null>>,
  ): Promise<ContactUpdateOutcome>;
  /**
   * Deletes a row the gateway pushed (a rollback): `db` with one DELETE guarded by `guard`
   * (still in its list, untouched since the push: src/vici/db/pushed-rows.ts); `api` with
   * update_lead `delete_lead=Y` by LEAD_ID, which has no condition: the caller reads the row
   * right before. DELETED, MISSING (no such row), or KEPT (the guard refused: touched).
   */
  deleteLead(leadId: number, guard: PushedRowGuard): Promise<"DELETED" | "MISSING" | "KEPT">;
}
