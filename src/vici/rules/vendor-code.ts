import { isExternalLeadId } from "../../util/external-lead-id";

/**
 * The one vendor-code rule, for the import and createLead alike: when a number's VICIdial
 * vendor code becomes its Brain lead's external_lead_id. A pure function of facts the callers
 * read; the result depends on no batch, range or row order.
 */

/** How VICIdial's collation compares vendor codes: case-insensitively, trailing spaces ignored. */
export function vendorCodeKey(code: string): string {
  return code.replace(/ +$/, "").toLowerCase();
}

/** A row's code is "another code" than the lead's id: non-empty and not equal as VICIdial compares. */
export function holdsOtherCode(rowCode: string | null | undefined, externalLeadId: string): boolean {
  return !!rowCode?.trim() && vendorCodeKey(rowCode) !== vendorCodeKey(externalLeadId);
}

export interface VendorCodeFacts {
  /** Every managed row of the number (whatever batch, range or job scope it is read in). */
  rows: readonly { leadId: number; vendorLeadCode: string | null }[];
  /** Whether a managed row of another number carries this code (a vendorCodeKey). */
  onAnotherNumber: (key: string) => boolean;
  /** Whether another Brain lead holds this code as its external_lead_id. */
  heldByAnotherLead: (code: string) => boolean;
}

/** Why a number's vendor code was not adopted. */
export type NotAdopted = "NO_CODE" | "SEVERAL_CODES" | "DOES_NOT_FIT" | "ON_ANOTHER_NUMBER" | "HELD_BY_ANOTHER_LEAD";

export interface VendorCodeDecision {
  /** The code that becomes external_lead_id (trailing spaces cut); null: Brain generates one. */
  adopt: string | null;
  /** Why nothing was adopted (null when adopted). */
  notAdopted: NotAdopted | null;
  /** Rows holding another code than the lead's id: reported as conflicts and left alone. */
  conflicts: { leadId: number; code: string }[];
  /** Rows with an empty code: the write-back gives them the lead's id. */
  emptyRows: number[];
}

/**
 * A number's vendor code becomes its external_lead_id only when its managed rows carry exactly
 * one distinct non-empty code (as VICIdial compares), the code fits external_lead_id (1–20 of
 * `[A-Za-z0-9_.-]`), no managed row of another number carries it, and no other Brain lead
 * holds it. Otherwise the lead gets a generated id and every row holding a code is a conflict.
 * Of spellings equal but for case, the first in code-unit order ("ABC" before "abc") is adopted.
 */
export function decideVendorCode(f: VendorCodeFacts): VendorCodeDecision {
  const emptyRows: number[] = [];
  const coded: { leadId: number; code: string }[] = [];
  for (const r of [...f.rows].sort((a, b) => a.leadId - b.leadId)) {
    const code = r.vendorLeadCode?.replace(/ +$/, "") ?? "";
    if (code.trim() === "") emptyRows.push(r.leadId);
    else coded.push({ leadId: r.leadId, code });
  }
  const keys = new Set(coded.map((c) => vendorCodeKey(c.code)));
  let notAdopted: NotAdopted | null = null;
  if (keys.size === 0) notAdopted = "NO_CODE";
  else if (keys.size > 1) notAdopted = "SEVERAL_CODES";
  // Spellings of one code (case) sort by code unit: the pick does not depend on row order.
  const code = coded.map((c) => c.code).sort()[0];
  if (notAdopted === null) {
    if (!isExternalLeadId(code)) notAdopted = "DOES_NOT_FIT";
    else if (f.onAnotherNumber(vendorCodeKey(code))) notAdopted = "ON_ANOTHER_NUMBER";
    else if (f.heldByAnotherLead(code)) notAdopted = "HELD_BY_ANOTHER_LEAD";
  }
  if (notAdopted === null) return { adopt: code, notAdopted: null, conflicts: [], emptyRows };
  return { adopt: null, notAdopted, conflicts: coded, emptyRows };
}

/**
 * A conflict's reason, as jobs report it and createLead answers it. It names no generated id
 * (the issue's brainLeadId says which lead): the same input gives the same report.
 */
export function conflictReason(code: string, why: NotAdopted | null, linked = true): string {
  const because: Record<NotAdopted, string> = {
    NO_CODE: "",
    SEVERAL_CODES: "the number's rows carry several vendor codes",
    DOES_NOT_FIT: "it cannot be an external_lead_id (1-20 of A-Z a-z 0-9 _ . -)",
    ON_ANOTHER_NUMBER: "rows of another number carry it too",
    HELD_BY_ANOTHER_LEAD: "it is already another Brain lead's external_lead_id",
  };
  const lead = linked ? " is not its Brain lead's external_lead_id" : " was not adopted";
  return `vendor_lead_code "${code}"${lead}${why && because[why] ? ` (${because[why]})` : ""}: left alone`;
}
