import type { ViciPhone } from "../rules/phone";
import { patiently } from "../db/vici-query";
import { ViciApiRejectedError, type UpdateLeadFields, type ViciApiClient } from "../api";
import type { ViciContactColumn } from "../rules/contact-columns";
import type { ContactUpdateOutcome, NewViciLead, VendorCodeOutcome, ViciWriter } from "./vici-writer";
import type { PushedRowGuard } from "../db/pushed-rows";

/** update_lead's parameters for the contact columns (the client's names). */
const API_FIELD = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  address1: "address1",
  address2: "address2",
  city: "city",
  state: "state",
  postal_code: "postalCode",
  source_id: "sourceId",
} as const satisfies Record<ViciContactColumn, keyof UpdateLeadFields>;

/**
 * Writes through VICIdial's Non-Agent API (add_lead / update_lead), for installations that
 * allow no direct database writes. The API runs no DNC or duplicate checks of its own here:
 * the gateway has already run them (and serialises creates of one phone). Each call waits
 * `patiently` (an API request stuck on it gives its gate slot up, as on the database).
 */
export class ApiViciWriter implements ViciWriter {
  readonly kind = "api" as const;
  constructor(private readonly api: ViciApiClient) {}

  async findByVendorCode(_phone: ViciPhone, code: string): Promise<number | null> {
    return (await patiently(() => this.api.findLead({ vendorLeadCode: code })))?.leadId ?? null;
  }

  async insertLead(l: NewViciLead): Promise<number> {
    const opt = (v: string | null) => v ?? undefined;
    const { leadId } = await patiently(() =>
      this.api.addLead({
        phoneNumber: l.phone.phoneNumber,
        phoneCode: l.phone.phoneCode,
        listId: l.listId,
        vendorLeadCode: l.vendorLeadCode,
        sourceId: opt(l.sourceId),
        firstName: opt(l.firstName),
        lastName: opt(l.lastName),
        email: opt(l.email),
        address1: opt(l.address1),
        address2: opt(l.address2),
        city: opt(l.city),
        state: opt(l.state),
        postalCode: opt(l.postalCode),
      }),
    );
    return leadId;
  }

  async setVendorCodeIfEmpty(leadId: number, code: string): Promise<VendorCodeOutcome> {
    let current: string;
    try {
      current = await patiently(() => this.api.leadFieldInfo(leadId, "vendor_lead_code"));
    } catch (e) {
      if (e instanceof ViciApiRejectedError && /LEAD NOT FOUND/.test(e.line?.reason ?? e.message))
        return { outcome: "MISSING" };
      throw e;
    }
    if (current === code) return { outcome: "ALREADY" };
    if (current !== "") return { outcome: "CONFLICT", current };
    // Search by LEAD_ID: a vendor code is both a search key and a field (API.md).
    await patiently(() => this.api.updateLead(leadId, { vendorLeadCode: code }));
    return { outcome: "SET" };
  }

  /**
   * update_lead by LEAD_ID. The API has no conditional update: the pusher's read (database)
   * and this write are two steps, so an edit landing between them is not seen (the db writer
   * guards its UPDATE instead).
   */
  async updateContactFields(
    leadId: number,
    values: Partial<Record<ViciContactColumn, string>>,
  ): Promise<ContactUpdateOutcome> {
    const fields: UpdateLeadFields = {};
    for (const [column, value] of Object.entries(values) as [ViciContactColumn, string][])
      fields[API_FIELD[column]] = value;
    try {
      await patiently(() => this.api.updateLead(leadId, fields));
    } catch (e) {
      if (e instanceof ViciApiRejectedError && /NO MATCHES FOUND/.test(e.line?.reason ?? e.message)) return "MISSING";
      throw e;
    }
    return "UPDATED";
  }

  /**
   * update_lead `delete_lead=Y` by LEAD_ID. The API deletes unconditionally: the guard is the
   * caller's read of the row just before (an edit landing in between is not seen).
   */
  async deleteLead(leadId: number, _guard: PushedRowGuard): Promise<"DELETED" | "MISSING" | "KEPT"> {
    return (await patiently(() => this.api.deleteLead(leadId))) ? "DELETED" : "MISSING";
  }
}
