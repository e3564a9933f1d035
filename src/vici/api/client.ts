import type { Logger } from "pino";
import { maskPhone } from "../../services/phone";
import type { ViciCallObserver } from "../db/vici-query";

/**
 * Client for VICIdial's Non-Agent API (`/vicidial/non_agent_api.php`, 2.14-107 build 180301-2301).
 * The contract is the shared VICIdial notes (vici/API.md); every line form parsed here is quoted there.
 *
 * Rules this client enforces (each one is tested in test/vici-api.client.test.ts):
 * - Always POST, `application/x-www-form-urlencoded`: the password never sits in a URL we build
 *   (VICIdial still stores the URL it received in `vicidial_api_urls`, which for a POST has no
 *   parameters). `DB` (debug mode, echoes SQL) is never sent. Redirects are not followed (a
 *   followed 301/302 turns a POST into a parameterless GET).
 * - Values the API would silently mangle are refused before anything is sent
 *   (ViciApiInputError): vendor codes over 20 characters or with `; # +`, phones that are not
 *   6–16 digits, list ids under 3 digits (the API silently uses 999), characters the API's
 *   input cleaning deletes, values over the column size (MySQL truncates), `"` (breaks the
 *   API's SQL), empty update values (silently skipped), `--BLANK--` (stored literally).
 * - The API answers HTTP 200 for everything: results are read from the body's
 *   `SUCCESS:` / `NOTICE:` / `ERROR:` lines, found anywhere in the body.
 * - Auth errors (login, lockout, IP, permission, user group) LATCH: 10 failed logins lock the
 *   API user for 15 minutes even with the right password, so after one auth error every later
 *   authenticated call throws that same error without sending anything, until
 *   `resetAuthLatch()`. `version()` sends no credentials and is not blocked.
 * - Error messages, the `line` attached to errors, and logs never contain the password (the
 *   login error echoes it) or a full phone number (maskPhone).
 */

export interface ViciApiOptions {
  /** Full URL of non_agent_api.php, e.g. https://vici.example.com/vicidial/non_agent_api.php. */
  url: string;
  /** API user: `[-_0-9a-zA-Z]`, 2–20 characters (the API silently deletes anything else). */
  user: string;
  /** API password: `[-_0-9a-zA-Z]`, at least 2 characters (same cleaning as `user`). */
  pass: string;
  /** Caller name logged by VICIdial: letters and digits, 2–20 characters. */
  source: string;
  /** Per-call timeout including reading the body; default 10000. */
  timeoutMs?: number;
  log?: Logger;
  /** Told the duration of every call sent (the Vici latency metric). */
  onCall?: ViciCallObserver;
}

// ---------------------------------------------------------------------------------------------
// Result lines
// ---------------------------------------------------------------------------------------------

export type ApiLineKind = "SUCCESS" | "NOTICE" | "ERROR";

/** One result line of the API body. */
export interface ApiLine {
  kind: ApiLineKind;
  /** The function named at the start of the message (`add_lead`, `update_lead`, `auth`,
   * `user_group`...), "" for lines without one (`Login incorrect...`, `NO FUNCTION SPECIFIED`). */
  fn: string;
  /** The text between the function and the data, e.g. `LEAD HAS BEEN ADDED`. */
  reason: string;
  /**
   * The data: after ` - ` split on `|`, or after `: |` (the leading `|` dropped) split on `|`,
   * or after `: ` split on `|`. Positions are kept exactly: a trailing `|` gives a trailing ""
   * (`|apiuser|wrong|BAD|` → ["apiuser", "wrong", "BAD", ""]), because in some lines the last
   * position is a real, empty value (update_lead's `|user|lead_id|vlc|phone` with no phone).
   */
  fields: string[];
  /** The line from its marker to the end of the line (no newline). */
  raw: string;
}

const LINE_RE = /(SUCCESS|NOTICE|ERROR): ([^\n]*)/g;
const FN_RE = /^([a-z][a-z0-9_]*) /;

/**
 * Finds every `SUCCESS: ` / `NOTICE: ` / `ERROR: ` in the body — anywhere, not only at line
 * starts (multi_alt_phones prints debug text right before its NOTICE, without a newline) —
 * and splits each into kind, function, reason and fields. A line runs to the next newline;
 * markers inside an already matched line are part of that line. Pure; never throws.
 */
export function parseApiLines(body: string): ApiLine[] {
  const out: ApiLine[] = [];
  if (typeof body !== "string" || body === "") return out;
  for (const m of body.matchAll(LINE_RE)) {
    const kind = m[1] as ApiLineKind;
    const rest = m[2].replace(/\r$/, "");
    out.push(splitLine(kind, rest, `${kind}: ${rest}`));
  }
  return out;
}

function splitLine(kind: ApiLineKind, rest: string, raw: string): ApiLine {
  let fn = "";
  let text = rest;
  const f = FN_RE.exec(rest);
  if (f) {
    fn = f[1];
    text = rest.slice(f[0].length);
  }
  const dash = text.indexOf(" - ");
  const colonPipe = text.indexOf(": |");
  let reason: string;
  let data: string | null;
  if (dash >= 0 && (colonPipe < 0 || dash < colonPipe)) {
    reason = text.slice(0, dash);
    data = text.slice(dash + 3);
  } else if (colonPipe >= 0) {
    reason = text.slice(0, colonPipe);
    data = text.slice(colonPipe + 3);
  } else {
    const colon = text.indexOf(": ");
    if (colon >= 0) {
      reason = text.slice(0, colon);
      data = text.slice(colon + 2);
    } else {
      reason = text;
      data = null;
    }
  }
  return { kind, fn, reason: reason.trim(), fields: data === null ? [] : data.split("|"), raw };
}

/** Login, lockout, IP, permission and user-group lines: the API user itself is refused. */
export function isAuthLine(line: ApiLine): boolean {
  if (line.kind !== "ERROR") return false;
  const r = line.reason;
  return (
    /^Login incorrect/i.test(r) ||
    /^Too many login attempts/i.test(r) ||
    /^Your IP Address is not allowed/i.test(r) ||
    /USER DOES NOT HAVE PERMISSION/.test(r) ||
    (line.fn === "user_group" && /DOES NOT EXIST/.test(r))
  );
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export class ViciApiError extends Error {
  readonly retryable: boolean;
  /** The (redacted) result line that caused the error; null for transport and local errors. */
  readonly line: ApiLine | null;
  /** The API function that was called. */
  readonly apiFunction: string;
  constructor(message: string, opts: { retryable: boolean; line?: ApiLine | null; apiFunction: string }) {
    super(message);
    this.name = new.target.name;
    this.retryable = opts.retryable;
    this.line = opts.line ?? null;
    this.apiFunction = opts.apiFunction;
  }
}

/** The API user was refused (login, lockout, IP, permission, user group). Latches the client. */
export class ViciApiAuthError extends ViciApiError {
  constructor(message: string, line: ApiLine, apiFunction: string) {
    super(message, { retryable: false, line, apiFunction });
  }
}

/** Any other ERROR line (invalid phone, duplicate, not found, NO FUNCTION SPECIFIED...). */
export class ViciApiRejectedError extends ViciApiError {
  constructor(message: string, line: ApiLine | null, apiFunction: string) {
    super(message, { retryable: false, line, apiFunction });
  }
}

/** Refused locally, nothing sent: the API would have mangled or ignored the value. */
export class ViciApiInputError extends ViciApiRejectedError {
  /** The offending parameter, in the client's naming (e.g. `vendorLeadCode`). */
  readonly field: string;
  constructor(field: string, problem: string, apiFunction: string) {
    super(`VICIdial ${apiFunction}: ${field} ${problem} (not sent)`, null, apiFunction);
    this.field = field;
  }
}

/** Network error, timeout, HTTP status other than 200, or a body without the expected result. */
export class ViciApiUnavailableError extends ViciApiError {
  constructor(message: string, apiFunction: string, line: ApiLine | null = null) {
    super(message, { retryable: true, line, apiFunction });
  }
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

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

interface FieldSpec {
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

const FIELD_SPECS: Record<keyof Omit<ViciLeadFields, "gender" | "dateOfBirth" | "rank" | "entryListId">, FieldSpec> = {
  vendorLeadCode: { param: "vendor_lead_code", max: 20, allowed: FREE_TEXT, rule: "printable ASCII without ; # + \" \\" },
  sourceId: { param: "source_id", max: 50, allowed: FREE_TEXT, rule: "printable ASCII without ; # + \" \\" },
  comments: { param: "comments", max: 255, allowed: FREE_TEXT, rule: "printable ASCII without ; # + \" \\" },
  title: { param: "title", max: 4, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  firstName: { param: "first_name", max: 30, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  middleInitial: { param: "middle_initial", max: 1, allowed: /^[A-Za-z0-9]*$/, rule: "a letter or digit" },
  lastName: { param: "last_name", max: 30, allowed: NAME, rule: "letters, digits, space, - ' _ ." },
  address1: { param: "address1", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  address2: { param: "address2", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  address3: { param: "address3", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  city: { param: "city", max: 50, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  province: { param: "province", max: 50, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  securityPhrase: { param: "security_phrase", max: 100, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  owner: { param: "owner", max: 20, allowed: ADDRESS, rule: "letters, digits, space, - ' . : / @ _" },
  state: { param: "state", max: 2, allowed: /^[A-Za-z0-9 -]*$/, rule: "letters, digits, space, -" },
  postalCode: { param: "postal_code", max: 10, allowed: /^[A-Za-z0-9 '-]*$/, rule: "letters, digits, space, - '" },
  countryCode: { param: "country_code", max: 3, allowed: /^[A-Z]*$/, rule: "upper-case letters" },
  email: { param: "email", max: 70, allowed: /^[A-Za-z0-9 '.:/@_%-]*$/, rule: "letters, digits, space, - ' . : / @ _ % (no +)" },
  altPhone: { param: "alt_phone", max: 12, allowed: /^[A-Za-z0-9 '+_.-]*$/, rule: "letters, digits, space, - ' + _ ." },
};

const MAX_LEAD_ID = 4294967295;
const MAX_LIST_ID = 99999999999999; // BIGINT(14) as VICIdial uses it
const REDACTED = "[redacted]";

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export class ViciApiClient {
  private readonly url: string;
  private readonly user: string;
  readonly #pass: string;
  private readonly source: string;
  private readonly timeoutMs: number;
  private readonly log?: Logger;
  private readonly onCall?: ViciCallObserver;
  #authLatch: ViciApiAuthError | null = null;

  constructor(opts: ViciApiOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new RangeError("ViciApiOptions.url is not a URL");
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new RangeError("ViciApiOptions.url must be http(s)");
    if (u.username || u.password) throw new RangeError("ViciApiOptions.url must not contain credentials");
    for (const k of u.searchParams.keys()) {
      if (["user", "pass", "DB", "function", "source"].includes(k)) {
        throw new RangeError(`ViciApiOptions.url must not carry the parameter "${k}"`);
      }
    }
    if (typeof opts.user !== "string" || !/^[-_0-9a-zA-Z]{2,20}$/.test(opts.user)) {
      throw new RangeError("ViciApiOptions.user must be 2-20 characters of [-_0-9a-zA-Z] (the API deletes any other character)");
    }
    if (typeof opts.pass !== "string" || !/^[-_0-9a-zA-Z]{2,100}$/.test(opts.pass)) {
      // Never echo the value.
      throw new RangeError("ViciApiOptions.pass must be at least 2 characters of [-_0-9a-zA-Z] (the API deletes any other character)");
    }
    if (typeof opts.source !== "string" || !/^[A-Za-z0-9]{2,20}$/.test(opts.source)) {
      throw new RangeError("ViciApiOptions.source must be 2-20 letters or digits");
    }
    const timeoutMs = opts.timeoutMs ?? 10_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError("ViciApiOptions.timeoutMs must be a positive number");
    this.url = u.toString();
    this.user = opts.user;
    this.#pass = opts.pass;
    this.source = opts.source;
    this.timeoutMs = timeoutMs;
    this.log = opts.log?.child({ component: "vici-api" });
    this.onCall = opts.onCall;
  }

  /** The latched auth error, if any: authenticated calls throw it without sending anything. */
  get authLatch(): ViciApiAuthError | null {
    return this.#authLatch;
  }

  /** Allows authenticated calls again (after the credentials or the user row were fixed). */
  resetAuthLatch(): void {
    this.#authLatch = null;
  }

  // ----- version --------------------------------------------------------------------------

  /** `function=version` (no credentials sent): API version, server time and time zone. */
  async version(): Promise<ViciVersion> {
    const fn = "version";
    const body = await this.send(fn, {}, false);
    const m =
      /VERSION: ([^|\n]*)\|BUILD: ([^|\n]*)\|DATE: ([^|\n]*)\|EPOCH: (\d+)\|DST: (\d+)\|TZ: ([^|\n]*)\|TZNOW: ([^|\n]*)\|/.exec(body);
    if (!m) {
      this.throwOnErrorLines(fn, parseApiLines(body), []);
      throw this.unavailable(fn, body === "" ? "empty response" : "no VERSION line in the response");
    }
    return {
      version: m[1],
      build: m[2],
      date: m[3],
      epoch: Number(m[4]),
      dst: m[5] !== "0",
      tz: m[6].trim(),
      tzNow: m[7].trim(),
    };
  }

  // ----- add_lead -------------------------------------------------------------------------

  /** `function=add_lead`. Throws ViciApiInputError (nothing sent) for values the API would mangle. */
  async addLead(p: AddLeadParams): Promise<AddLeadResult> {
    const fn = "add_lead";
    const params: Record<string, string> = {};
    const phones: string[] = [];

    params.phone_number = checkPhone(fn, "phoneNumber", p.phoneNumber, 6, 16);
    phones.push(p.phoneNumber);
    params.phone_code = checkPhoneCode(fn, "phoneCode", p.phoneCode);
    params.list_id = String(checkListId(fn, "listId", p.listId));
    Object.assign(params, leadFieldParams(fn, p, "add"));

    if (p.duplicateCheck !== undefined) {
      if (!Array.isArray(p.duplicateCheck) || p.duplicateCheck.length === 0) {
        throw new ViciApiInputError("duplicateCheck", "must be a non-empty list", fn);
      }
      for (const d of p.duplicateCheck) {
        const base = String(d).replace(/90DAY$/, "");
        if (!(DUPLICATE_CHECKS as readonly string[]).includes(base)) {
          throw new ViciApiInputError("duplicateCheck", `has an unknown option (the API ignores those silently)`, fn);
        }
      }
      params.duplicate_check = p.duplicateCheck.join("-");
    }
    if (p.campaignId !== undefined) {
      if (!/^[-_0-9a-zA-Z]{1,8}$/.test(p.campaignId)) {
        throw new ViciApiInputError("campaignId", "must be 1-8 characters of [-_0-9a-zA-Z]", fn);
      }
      params.campaign_id = p.campaignId;
    }
    if (p.dncCheck !== undefined) params.dnc_check = oneOf(fn, "dncCheck", p.dncCheck, ["Y", "AREACODE"]);
    if (p.campaignDncCheck !== undefined) {
      params.campaign_dnc_check = oneOf(fn, "campaignDncCheck", p.campaignDncCheck, ["Y", "AREACODE"]);
      if (p.campaignId === undefined) {
        throw new ViciApiInputError("campaignDncCheck", "needs campaignId (the API silently skips the check without it)", fn);
      }
    }
    if (p.usacanPrefixCheck) params.usacan_prefix_check = "Y";
    if (p.usacanAreacodeCheck) params.usacan_areacode_check = "Y";
    if (p.lookupState) params.lookup_state = "Y";
    if (p.tzMethod !== undefined) params.tz_method = oneOf(fn, "tzMethod", p.tzMethod, ["POSTAL", "TZCODE", "NANPA"]);
    if (p.addToHopper) params.add_to_hopper = "Y";
    if (p.hopperPriority !== undefined) {
      if (!Number.isInteger(p.hopperPriority) || p.hopperPriority < -99 || p.hopperPriority > 99) {
        throw new ViciApiInputError("hopperPriority", "must be an integer from -99 to 99", fn);
      }
      params.hopper_priority = String(p.hopperPriority);
    }
    if (p.multiAltPhones !== undefined && p.multiAltPhones.length > 0) {
      params.multi_alt_phones = p.multiAltPhones
        .map((a, i) => {
          const number = checkPhone(fn, `multiAltPhones[${i}].phoneNumber`, a.phoneNumber, 6, 16);
          phones.push(a.phoneNumber);
          const code = checkPhoneCode(fn, `multiAltPhones[${i}].phoneCode`, a.phoneCode);
          const note = a.note ?? "";
          if (!/^[A-Za-z0-9 ]{0,30}$/.test(note)) {
            throw new ViciApiInputError(`multiAltPhones[${i}].note`, "must be up to 30 letters, digits or spaces", fn);
          }
          return `${number}_${code}_${note}`;
        })
        .join("!");
    }

    const body = await this.send(fn, params, true);
    const lines = parseApiLines(body);
    const success = lines.find((l) => l.kind === "SUCCESS" && l.fn === fn && l.reason === "LEAD HAS BEEN ADDED");
    if (!success) {
      this.throwOnErrorLines(fn, lines, phones);
      throw this.unavailable(fn, body === "" ? "empty response" : "no add_lead result line in the response");
    }
    // phone|list_id|lead_id|gmt_offset_now|user
    const listId = Number(success.fields[1]);
    const leadId = Number(success.fields[2]);
    if (!/^\d+$/.test(success.fields[1] ?? "") || !/^\d+$/.test(success.fields[2] ?? "") || leadId < 1) {
      throw this.unavailable(fn, "malformed add_lead SUCCESS line", this.sanitize(success, phones));
    }
    const gmt = (success.fields[3] ?? "").trim();
    return {
      leadId,
      listId,
      gmtOffset: gmt === "" ? null : gmt,
      notices: lines.filter((l) => l !== success).map((l) => this.sanitize(l, phones)),
    };
  }

  // ----- update_lead (search only) --------------------------------------------------------

  /**
   * Looks a lead up through `update_lead` with `no_update=Y`, `search_location=SYSTEM`, the
   * search methods of the keys given (API order: lead_id → vendor_lead_code → phone_number,
   * stopping at the first key that matches). Null when nothing matches. With several leads
   * matching, the most recently loaded one (entry_date) is returned.
   */
  async findLead(by: FindLeadBy): Promise<FoundLead | null> {
    const fn = "update_lead";
    const params: Record<string, string> = {};
    const methods: string[] = [];
    const phones: string[] = [];
    if (by.leadId !== undefined) {
      params.lead_id = String(checkLeadId(fn, "leadId", by.leadId));
      methods.push("LEAD_ID");
    }
    if (by.vendorLeadCode !== undefined) {
      params.vendor_lead_code = checkText(fn, "vendorLeadCode", by.vendorLeadCode, FIELD_SPECS.vendorLeadCode);
      if (params.vendor_lead_code === "") throw new ViciApiInputError("vendorLeadCode", "must not be empty", fn);
      methods.push("VENDOR_LEAD_CODE");
    }
    if (by.phoneNumber !== undefined) {
      params.phone_number = checkPhone(fn, "phoneNumber", by.phoneNumber, 6, 18);
      phones.push(by.phoneNumber);
      methods.push("PHONE_NUMBER");
    }
    if (methods.length === 0) throw new ViciApiInputError("by", "needs leadId, vendorLeadCode or phoneNumber", fn);
    params.search_method = methods.join("_");
    params.search_location = "SYSTEM";
    params.no_update = "Y";
    params.records = "1";

    const body = await this.send(fn, params, true);
    const lines = parseApiLines(body);
    const found = lines.find((l) => l.kind === "NOTICE" && l.fn === fn && l.reason.startsWith("LEADS FOUND"));
    if (found) {
      // |user|lead_id|vendor_lead_code|phone_number|list_id|entry_list_id
      const [, lead, vlc, phone, list, entryList] = found.fields;
      if (!/^\d+$/.test(lead ?? "") || !/^\d+$/.test(list ?? "")) {
        throw this.unavailable(fn, "malformed LEADS FOUND line", this.sanitize(found, phones));
      }
      return {
        leadId: Number(lead),
        vendorLeadCode: vlc ? vlc : null,
        phoneNumber: phone ? phone : null,
        listId: Number(list),
        entryListId: /^\d+$/.test(entryList ?? "") ? Number(entryList) : 0,
      };
    }
    if (lines.some((l) => l.fn === fn && l.reason.startsWith("NO MATCHES FOUND") && !isAuthLine(l))) return null;
    this.throwOnErrorLines(fn, lines, phones);
    throw this.unavailable(fn, body === "" ? "empty response" : "no update_lead result line in the response");
  }

  // ----- update_lead (write) --------------------------------------------------------------

  /**
   * Updates one lead found by LEAD_ID only (a vendor-code search would treat a new
   * vendor_lead_code as the search key). affectedRows: 1 changed, 0 found but nothing changed
   * (same value; also an empty body, which the API sends when there is nothing to change).
   * A lead that does not exist → ViciApiRejectedError (`NO MATCHES FOUND`); affected rows -1
   * (the API's UPDATE failed, still prefixed SUCCESS) → ViciApiRejectedError.
   */
  async updateLead(leadId: number, fields: UpdateLeadFields): Promise<{ affectedRows: number }> {
    const fn = "update_lead";
    const params: Record<string, string> = {
      lead_id: String(checkLeadId(fn, "leadId", leadId)),
      search_method: "LEAD_ID",
      search_location: "SYSTEM",
      records: "1",
    };
    const phones: string[] = [];
    const writes = leadFieldParams(fn, fields, "update");
    if (fields.status !== undefined) {
      if (typeof fields.status !== "string" || !/^[A-Z0-9]{1,6}$/.test(fields.status)) {
        throw new ViciApiInputError("status", "must be 1-6 characters of [A-Z0-9]", fn);
      }
      writes.status = fields.status;
    }
    if (fields.listId !== undefined) writes.list_id_field = String(checkListId(fn, "listId", fields.listId));
    if (fields.phoneNumber !== undefined) {
      writes.phone_number = checkPhone(fn, "phoneNumber", fields.phoneNumber, 6, 16);
      writes.update_phone_number = "Y";
      phones.push(fields.phoneNumber);
    }
    if (fields.calledCount !== undefined) {
      if (!Number.isInteger(fields.calledCount) || fields.calledCount < 0 || fields.calledCount > 65535) {
        throw new ViciApiInputError("calledCount", "must be an integer from 0 to 65535", fn);
      }
      writes.called_count = String(fields.calledCount);
    }
    if (fields.resetLead) writes.reset_lead = "Y";
    if (Object.keys(writes).length === 0) throw new ViciApiInputError("fields", "has nothing to update", fn);
    Object.assign(params, writes);

    const body = await this.send(fn, params, true);
    if (body.trim() === "") return { affectedRows: 0 }; // API.md: found, nothing to change
    const lines = parseApiLines(body);
    const updated = lines.find((l) => l.kind === "SUCCESS" && l.fn === fn && l.reason === "LEAD HAS BEEN UPDATED");
    if (!updated) {
      this.throwOnErrorLines(fn, lines, phones);
      throw this.unavailable(fn, "no update_lead result line in the response");
    }
    // user|lead_id|affected_rows
    const affected = Number(updated.fields[2]);
    if (!/^-?\d+$/.test(updated.fields[2] ?? "")) {
      throw this.unavailable(fn, "malformed update_lead SUCCESS line", this.sanitize(updated, phones));
    }
    if (affected < 0) {
      const line = this.sanitize(updated, phones);
      const err = new ViciApiRejectedError(`VICIdial ${fn}: the update failed on the server (affected rows ${affected}): ${line.raw}`, line, fn);
      this.log?.warn({ viciFn: fn, err: err.message }, "vici api update failed");
      throw err;
    }
    return { affectedRows: affected };
  }

  /**
   * Deletes one lead found by LEAD_ID (`update_lead` with `delete_lead=Y`, `records=1`):
   * true on `SUCCESS: update_lead LEAD HAS BEEN DELETED <callbacks>|<archived> - user|lead_id|rows`,
   * false when no lead has that id (`ERROR: update_lead NO MATCHES FOUND`). VICIdial deletes
   * unconditionally: a caller that must not delete a changed lead reads it just before.
   */
  async deleteLead(leadId: number): Promise<boolean> {
    const fn = "update_lead";
    const params: Record<string, string> = {
      lead_id: String(checkLeadId(fn, "leadId", leadId)),
      search_method: "LEAD_ID",
      search_location: "SYSTEM",
      records: "1",
      delete_lead: "Y",
    };
    const body = await this.send(fn, params, true);
    const lines = parseApiLines(body);
    const deleted = lines.find((l) => l.kind === "SUCCESS" && l.fn === fn && l.reason.startsWith("LEAD HAS BEEN DELETED"));
    if (deleted) {
      // user|lead_id|rows
      if (deleted.fields[1] !== String(leadId) || !/^\d+$/.test(deleted.fields[2] ?? "")) {
        throw this.unavailable(fn, "malformed update_lead DELETED line", this.sanitize(deleted, []));
      }
      return Number(deleted.fields[2]) > 0;
    }
    if (lines.some((l) => l.kind === "ERROR" && l.fn === fn && l.reason.startsWith("NO MATCHES FOUND") && !isAuthLine(l))) return false;
    this.throwOnErrorLines(fn, lines, []);
    throw this.unavailable(fn, body === "" ? "empty response" : "no update_lead result line in the response");
  }

  // ----- lead_field_info ------------------------------------------------------------------

  /** One column of one lead, as the API returns it (raw; an empty field is ""). */
  async leadFieldInfo(leadId: number, fieldName: string): Promise<string> {
    const fn = "lead_field_info";
    const params = {
      lead_id: String(checkLeadId(fn, "leadId", leadId)),
      field_name: fieldName,
    };
    if (typeof fieldName !== "string" || !/^[A-Za-z0-9_]{1,64}$/.test(fieldName)) {
      throw new ViciApiInputError("fieldName", "must be a column name ([A-Za-z0-9_], 1-64)", fn);
    }
    const body = await this.send(fn, params, true);
    // Success is the bare value without prefix or newline; errors are ERROR: lines.
    if (body.startsWith("ERROR: ")) {
      this.throwOnErrorLines(fn, parseApiLines(body), []);
    }
    return body;
  }

  // ----- plumbing -------------------------------------------------------------------------

  /** POSTs one call; returns the body of an HTTP 200 response, else ViciApiUnavailableError. */
  private async send(fn: string, params: Record<string, string>, auth: boolean): Promise<string> {
    if (auth && this.#authLatch) throw this.#authLatch;
    const form = new URLSearchParams();
    form.set("function", fn);
    form.set("source", this.source);
    if (auth) {
      form.set("user", this.user);
      form.set("pass", this.#pass);
    }
    for (const [k, v] of Object.entries(params)) {
      if (["function", "source", "user", "pass", "DB"].includes(k)) throw new Error(`parameter ${k} is reserved`);
      form.set(k, v);
    }
    const started = performance.now();
    let status: number;
    let body: string;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", accept: "text/html, text/plain" },
        body: form.toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      body = await res.text();
    } catch (err) {
      const e = this.unavailable(fn, describeFetchError(err, this.timeoutMs));
      this.onCall?.({ via: "api", operation: fn, seconds: (performance.now() - started) / 1000, outcome: "unavailable" });
      this.log?.warn({ viciFn: fn, ms: Math.round(performance.now() - started), err: e.message }, "vici api unavailable");
      throw e;
    }
    const ms = Math.round(performance.now() - started);
    this.onCall?.({ via: "api", operation: fn, seconds: ms / 1000, outcome: status === 200 ? "ok" : "unavailable" });
    if (status !== 200) {
      const e = this.unavailable(fn, `HTTP ${status}${status >= 300 && status < 400 ? " (redirect not followed: configure the final URL)" : ""}`);
      this.log?.warn({ viciFn: fn, ms, status }, "vici api unavailable");
      throw e;
    }
    if (this.log?.isLevelEnabled("debug")) {
      const first = parseApiLines(body)[0];
      this.log.debug(
        { viciFn: fn, ms, bytes: body.length, result: first ? `${first.kind} ${first.fn} ${first.reason}`.replace(/\s+/g, " ") : null },
        "vici api call",
      );
    }
    return body;
  }

  /** Throws for the first ERROR line (auth errors first, and they latch); returns if there is none. */
  private throwOnErrorLines(fn: string, lines: ApiLine[], phones: string[]): void {
    const auth = lines.find(isAuthLine);
    if (auth) {
      const line = this.sanitize(auth, phones);
      const err = new ViciApiAuthError(`VICIdial ${fn}: the API user was refused: ${line.raw}`, line, fn);
      this.#authLatch = err;
      this.log?.error({ viciFn: fn, err: err.message }, "vici api auth error: client latched, no further calls until resetAuthLatch()");
      throw err;
    }
    const error = lines.find((l) => l.kind === "ERROR");
    if (error) {
      const line = this.sanitize(error, phones);
      const err = new ViciApiRejectedError(`VICIdial ${fn}: ${line.raw}`, line, fn);
      this.log?.info({ viciFn: fn, err: err.message }, "vici api rejected the call");
      throw err;
    }
  }

  private unavailable(fn: string, detail: string, line: ApiLine | null = null): ViciApiUnavailableError {
    return new ViciApiUnavailableError(`VICIdial ${fn} unavailable: ${detail}`, fn, line);
  }

  /**
   * A copy of the line safe for messages and logs (errors carry it, addLead returns its
   * notices this way): the password (echoed by the login error) replaced, the phones of this
   * request and the first field of PHONE/DNC lines masked with maskPhone, SQL echoed by
   * `LEAD HAS NOT BEEN ADDED` dropped (it holds the whole lead). Lead/list ids stay readable.
   */
  private sanitize(line: ApiLine, phones: string[]): ApiLine {
    const secret = this.#pass;
    const digitsSent = phones.map((p) => p.replace(/\D/g, "")).filter((p) => p.length >= 6);
    const loginLine = /^Login incorrect/i.test(line.reason);
    const phoneLine = /PHONE|DNC/.test(line.reason);
    const fields = line.fields.map((f, i) => {
      if (loginLine && i === 1) return REDACTED;
      let v = f.split(secret).join(REDACTED);
      if (/NOT BEEN ADDED|NOT ADDED/.test(line.reason) && /\b(insert|update|select)\b/i.test(v)) return "[sql omitted]";
      // Phones in error lines are the ones we sent; the first field of a phone/DNC line is a phone.
      if (/^[0-9,]{6,18}$/.test(v) && ((phoneLine && i === 0) || digitsSent.includes(v.replace(/,/g, "")))) return maskPhone(v);
      for (const p of digitsSent) v = v.split(p).join(maskPhone(p));
      return v;
    });
    const prefix = line.raw.slice(0, line.raw.length - line.fields.join("|").length);
    return { ...line, fields, raw: prefix + fields.join("|") };
  }
}

// ---------------------------------------------------------------------------------------------
// Local checks (throw ViciApiInputError; never include a full phone in the message)
// ---------------------------------------------------------------------------------------------

function checkPhone(fn: string, field: string, v: unknown, min: number, max: number): string {
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

function checkPhoneCode(fn: string, field: string, v: unknown): string {
  if (typeof v !== "string" || !/^[0-9]{1,10}$/.test(v)) throw new ViciApiInputError(field, "must be 1-10 digits", fn);
  return v;
}

function checkListId(fn: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > MAX_LIST_ID) {
    throw new ViciApiInputError(field, "must be an integer of 3 to 14 digits (the API silently uses 999 for shorter ids)", fn);
  }
  return v;
}

function checkLeadId(fn: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_LEAD_ID) {
    throw new ViciApiInputError(field, `must be an integer from 1 to ${MAX_LEAD_ID}`, fn);
  }
  return v;
}

function checkText(fn: string, field: string, v: unknown, spec: FieldSpec): string {
  if (typeof v !== "string") throw new ViciApiInputError(field, "must be a string", fn);
  if (v.length > spec.max) {
    throw new ViciApiInputError(field, `is ${v.length} characters, the column holds ${spec.max} (the API would truncate it)`, fn);
  }
  if (!spec.allowed.test(v) || (spec.allowed === FREE_TEXT && FREE_TEXT_BAD.test(v))) {
    throw new ViciApiInputError(field, `may only contain ${spec.rule} (the API would alter the value)`, fn);
  }
  return v;
}

function oneOf<T extends string>(fn: string, field: string, v: unknown, allowed: readonly T[]): T {
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
function leadFieldParams(fn: string, p: ViciLeadFields, mode: "add" | "update"): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (field: string, param: string, value: string) => {
    if (mode === "update" && value === "") {
      throw new ViciApiInputError(field, "is empty: update_lead skips empty values (a field cannot be cleared through the API)", fn);
    }
    if (value === "--BLANK--") throw new ViciApiInputError(field, "is --BLANK--, which this API build stores literally", fn);
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
      throw new ViciApiInputError("dateOfBirth", "must be a valid YYYY-MM-DD date (the API stores 0000-00-00 otherwise)", fn);
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

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no complete response within ${timeoutMs} ms`;
  const code = e?.cause?.code;
  return `network error${code ? ` (${code})` : e?.cause?.message ? ` (${e.cause.message})` : ""}`;
}
