import { maskPhone } from "../../util/phone";
import type { ApiLine } from "./lines";
import { ViciApiInputError } from "./errors";

/**
 * The Non-Agent API's parameters: the lead fields add_lead and update_lead write, what each
 * accepts unchanged (FIELD_SPECS), and the local checks that refuse, before anything is sent,
 * a value the API would silently mangle (ViciApiInputError; never a full phone in a message).
 */

/** Lead columns add_lead and update_lead can write (API parameter names in FIELD_SPECS). */
export interface ViciLeadFields {
  vendorLeadCode?: string;
  sourceId?: string;
  title?: string;
  firstName?: string;
  middleInitial?: string;
  lastName?: string;
  address1?: string;
  address2?: string;
  address3?: string;
  city?: string;
  state?: string;
  province?: string;
  postalCode?: string;
  /** ISO-ish 3-letter country (`USA`), not the dialing code. */
  countryCode?: string;
  gender?: "M" | "F" | "U";
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  altPhone?: string;
  email?: string;
  securityPhrase?: string;
  comments?: string;
  /** 0–32767 (the API deletes a minus sign). */
  rank?: number;
  owner?: string;
  entryListId?: number;
}

export const DUPLICATE_CHECKS = [
  "DUPLIST",
  "DUPCAMP",
  "DUPSYS",
  "DUPTITLEALTPHONELIST",
  "DUPTITLEALTPHONECAMP",
  "DUPTITLEALTPHONESYS",
  "DUPNAMEPHONELIST",
  "DUPNAMEPHONECAMP",
  "DUPNAMEPHONESYS",
] as const;
export type DuplicateCheck = (typeof DUPLICATE_CHECKS)[number] | `${(typeof DUPLICATE_CHECKS)[number]}90DAY`;

export interface AltPhone {
  phoneNumber: string;
  phoneCode: string;
  /** Letters, digits and spaces, up to 30 characters. */
  note?: string;
}

export interface AddLeadParams extends ViciLeadFields {
  /** National number, digits only, 6–16 (the API's limits). */
  phoneNumber: string;
  /** Country calling code, digits only (`1` US/CA). */
  phoneCode: string;
  /** 3 digits or more (the API silently uses 999 otherwise). */
  listId: number;
  duplicateCheck?: DuplicateCheck[];
  dncCheck?: "Y" | "AREACODE";
  /** Needs `campaignId` (the API does not derive the campaign from the list). */
  campaignDncCheck?: "Y" | "AREACODE";
  campaignId?: string;
  usacanPrefixCheck?: boolean;
  usacanAreacodeCheck?: boolean;
  tzMethod?: "POSTAL" | "TZCODE" | "NANPA";
  lookupState?: boolean;
  addToHopper?: boolean;
  /** -99..99. */
  hopperPriority?: number;
  multiAltPhones?: AltPhone[];
}

export interface AddLeadResult {
  leadId: number;
  listId: number;
  /** The offset the API computed (`-5.00`), null when no time zone matched (stored 0.00). */
  gmtOffset: string | null;
  /** NOTICE lines (hopper, multi-alt-phones, NANPA...), before or after the SUCCESS line. */
  notices: ApiLine[];
}

export interface FindLeadBy {
  leadId?: number;
  vendorLeadCode?: string;
  phoneNumber?: string;
}

/**
 * From `NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |user|lead_id|vlc|phone|list_id|entry_list_id`.
 * leadId, listId and entryListId are the first match's; vendorLeadCode and phoneNumber are the
 * API's ECHO of the request (API.md: "lead_id/vlc/phone echo the request where given"): null
 * when that key was not searched, not the lead's stored value. Use leadFieldInfo for those.
 */
export interface FoundLead {
  leadId: number;
  vendorLeadCode: string | null;
  phoneNumber: string | null;
  listId: number;
  entryListId: number;
}

export interface UpdateLeadFields extends ViciLeadFields {
  /** `[A-Z0-9]{1,6}` (the API does not clean it; a `"` breaks its SQL). */
  status?: string;
  /** Move the lead to this list (`list_id_field`); 3 digits or more. */
  listId?: number;
  /** New phone (`update_phone_number=Y`), digits only, 6–16. */
  phoneNumber?: string;
  /** `reset_lead=Y`: called_since_last_reset back to 'N'. */
  resetLead?: boolean;
  calledCount?: number;
}

export interface ViciVersion {
  version: string;
  build: string;
  /** Server local time, `YYYY-MM-DD HH:MM:SS`. */
  date: string;
  epoch: number;
  dst: boolean;
  /** `local_gmt` of the first active server, e.g. `-5.00`. */
  tz: string;
  /** The current offset (tz + 1 during DST). */
  tzNow: string;
}

export interface FieldSpec {
  param: string;
  max: number;
  /** Characters the API keeps unchanged (use_non_latin=0). */
  allowed: RegExp;
  rule: string;
}

// Free text: the API deletes ; and #, turns + into a space; " and \ break its SQL.
const FREE_TEXT = /^[\x20-\x7E]*$/;
const FREE_TEXT_BAD = /[;#+"\\]/;
const NAME = /^[A-Za-z0-9 '_.-]*$/;
const ADDRESS = /^[A-Za-z0-9 '.:/@_-]*$/;

export const FIELD_SPECS: Record<
  keyof Omit<ViciLeadFields, "gender" | "dateOfBirth" | "rank" | "entryListId">,
  FieldSpec
> = {
  vendorLeadCode: {
    param: "vendor_lead_code",
    max: 20,
    allowed: FREE_TEXT,
    rule: 'printable ASCII without ; # + " \\',
  },
  sourceId: { param: "source_id", max: 50, allowed: FREE_TEXT, rule: 'printable ASCII without ; # + " \\' },
  comments: { param: "comments", max: 255, allowed: FREE_TEXT, rule: 'printable ASCII without ; # + " \\' },
  title: { param: "title", max: 4, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  firstName: { param: "first_name", max: 30, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  middleInitial: { param: "middle_initial", max: 1, allowed: /^[A-Za-z0-9]*$/, rule: "a letter or digit" },
  lastName: { param: "last_name", max: 30, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  address1: { param: "address1", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  address2: { param: "address2", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  address3: { param: "address3", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  city: { param: "city", max: 50, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  province: { param: "province", max: 50, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  securityPhrase: {
    param: "security_phrase",
    max: 100,
    allowed: ADDRESS,
    rule: "letters, digits, space, - ' . : / @ _",
  },
  owner: { param: "owner", max: 20, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  state: { param: "state", max: 2, allowed: /^[A-Za-z0-9 -]*$/, rule: "letters, digits, space, -" },
  postalCode: { param: "postal_code", max: 10, allowed: /^[A-Za-z0-9 '-]*$/, rule: "letters, digits, space, - '" },
  countryCode: { param: "country_code", max: 3, allowed: /^[A-Z]*$/, rule: "upper-case letters" },
  email: {
    param: "email",
    max: 70,
    allowed: /^[A-Za-z0-9 '.:/@_%-]*$/,
    rule: "letters, digits, space, - ' . : / @ _ % (no +)",
  },
  altPhone: { param: "alt_phone", max: 12, allowed: /^[A-Za-z0-9 '+_.-]*$/, rule: "letters, digits, space, - ' + _ ." },
};

export const MAX_LEAD_ID = 4294967295;
export const MAX_LIST_ID = 99999999999999; // BIGINT(14) as VICIdial uses it

export function checkPhone(fn: string, field: string, v: unknown, min: number, max: number): string {
  if (typeof v !== "string" || !new RegExp(`^[0-9]{${min},${max}}$`).test(v)) {
    const shown = typeof v === "string" ? ` ("${maskPhone(v)}")` : "";
    throw new ViciApiInputError(
      field,
      `must be the national number as ${min}-${max} digits only${shown}; send the country code as phoneCode`,
      fn,
    );
  }
  return v;
}

export function checkPhoneCode(fn: string, field: string, v: unknown): string {
  if (typeof v !== "string" || !/^[0-9]{1,10}$/.test(v)) throw new ViciApiInputError(field, "must be 1-10 digits", fn);
  return v;
}

export function checkListId(fn: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > MAX_LIST_ID) {
    throw new ViciApiInputError(
      field,
      "must be an integer of 3 to 14 digits (the API silently uses 999 for shorter ids)",
      fn,
    );
  }
  return v;
}

export function checkLeadId(fn: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_LEAD_ID) {
    throw new ViciApiInputError(field, `must be an integer from 1 to ${MAX_LEAD_ID}`, fn);
  }
  return v;
}

export function checkText(fn: string, field: string, v: unknown, spec: FieldSpec): string {
  if (typeof v !== "string") throw new ViciApiInputError(field, "must be a string", fn);
  if (v.length > spec.max) {
    throw new ViciApiInputError(
      field,
      `is ${v.length} characters, the column holds ${spec.max} (the API would truncate it)`,
      fn,
    );
  }
  if (!spec.allowed.test(v) || (spec.allowed === FREE_TEXT && FREE_TEXT_BAD.test(v))) {
    throw new ViciApiInputError(field, `may only contain ${spec.rule} (the API would alter the value)`, fn);
  }
  return v;
}

export function oneOf<T extends string>(fn: string, field: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new ViciApiInputError(field, `must be one of ${allowed.join(", ")}`, fn);
  return v as T;
}

function isValidDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * API parameters for the lead columns. `add`: "" is allowed (stored as ''). `update`: "" and
 * `--BLANK--` are refused (the API skips empty values and stores `--BLANK--` literally).
 */
export function leadFieldParams(fn: string, p: ViciLeadFields, mode: "add" | "update"): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (field: string, param: string, value: string) => {
    if (mode === "update" && value === "") {
      throw new ViciApiInputError(
        field,
        "is empty: update_lead skips empty values (a field cannot be cleared through the API)",
        fn,
      );
    }
    if (value === "--BLANK--")
      throw new ViciApiInputError(field, "is --BLANK--, which this API build stores literally", fn);
    if (value !== "") out[param] = value;
  };
  for (const [field, spec] of Object.entries(FIELD_SPECS) as [keyof typeof FIELD_SPECS, FieldSpec][]) {
    const v = p[field];
    if (v === undefined) continue;
    put(field, spec.param, checkText(fn, field, v, spec));
  }
  if (p.gender !== undefined) put("gender", "gender", oneOf(fn, "gender", p.gender, ["M", "F", "U"]));
  if (p.dateOfBirth !== undefined) {
    if (typeof p.dateOfBirth !== "string" || !isValidDate(p.dateOfBirth)) {
      throw new ViciApiInputError(
        "dateOfBirth",
        "must be a valid YYYY-MM-DD date (the API stores 0000-00-00 otherwise)",
        fn,
      );
    }
    put("dateOfBirth", "date_of_birth", p.dateOfBirth);
  }
  if (p.rank !== undefined) {
    if (!Number.isInteger(p.rank) || p.rank < 0 || p.rank > 32767) {
      throw new ViciApiInputError("rank", "must be an integer from 0 to 32767 (the API deletes a minus sign)", fn);
    }
    put("rank", "rank", String(p.rank));
  }
  if (p.entryListId !== undefined) {
    if (!Number.isInteger(p.entryListId) || p.entryListId < 0 || p.entryListId > MAX_LIST_ID) {
      throw new ViciApiInputError("entryListId", "must be a non-negative integer of up to 14 digits", fn);
    }
    put("entryListId", "entry_list_id", String(p.entryListId));
  }
  return out;
}
