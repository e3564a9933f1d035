import type { Logger } from "pino";
import { maskPhone } from "../../util/phone";
import type { ViciCallObserver } from "../db/vici-query";
import { ViciUnavailableError } from "../errors";
import { isAuthLine, parseApiLines, type ApiLine } from "./lines";
import { ViciApiAuthError, ViciApiInputError, ViciApiRejectedError } from "./errors";
import {
  DUPLICATE_CHECKS,
  FIELD_SPECS,
  checkLeadId,
  checkListId,
  checkPhone,
  checkPhoneCode,
  checkText,
  leadFieldParams,
  oneOf,
  type AddLeadParams,
  type AddLeadResult,
  type FindLeadBy,
  type FoundLead,
  type UpdateLeadFields,
  type ViciVersion,
} from "./fields";

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

const REDACTED = "[redacted]";

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
      throw new RangeError(
        "ViciApiOptions.user must be 2-20 characters of [-_0-9a-zA-Z] (the API deletes any other character)",
      );
    }
    if (typeof opts.pass !== "string" || !/^[-_0-9a-zA-Z]{2,100}$/.test(opts.pass)) {
      // Never echo the value.
      throw new RangeError(
        "ViciApiOptions.pass must be at least 2 characters of [-_0-9a-zA-Z] (the API deletes any other character)",
      );
    }
    if (typeof opts.source !== "string" || !/^[A-Za-z0-9]{2,20}$/.test(opts.source)) {
      throw new RangeError("ViciApiOptions.source must be 2-20 letters or digits");
    }
    const timeoutMs = opts.timeoutMs ?? 10_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new RangeError("ViciApiOptions.timeoutMs must be a positive number");
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
      /VERSION: ([^|\n]*)\|BUILD: ([^|\n]*)\|DATE: ([^|\n]*)\|EPOCH: (\d+)\|DST: (\d+)\|TZ: ([^|\n]*)\|TZNOW: ([^|\n]*)\|/.exec(
        body,
      );
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
        throw new ViciApiInputError(
          "campaignDncCheck",
          "needs campaignId (the API silently skips the check without it)",
          fn,
        );
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
      const err = new ViciApiRejectedError(
        `VICIdial ${fn}: the update failed on the server (affected rows ${affected}): ${line.raw}`,
        line,
        fn,
      );
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
    const deleted = lines.find(
      (l) => l.kind === "SUCCESS" && l.fn === fn && l.reason.startsWith("LEAD HAS BEEN DELETED"),
    );
    if (deleted) {
      // user|lead_id|rows
      if (deleted.fields[1] !== String(leadId) || !/^\d+$/.test(deleted.fields[2] ?? "")) {
        throw this.unavailable(fn, "malformed update_lead DELETED line", this.sanitize(deleted, []));
      }
      return Number(deleted.fields[2]) > 0;
    }
    if (
      lines.some((l) => l.kind === "ERROR" && l.fn === fn && l.reason.startsWith("NO MATCHES FOUND") && !isAuthLine(l))
    )
      return false;
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

  /** POSTs one call; returns the body of an HTTP 200 response, else ViciUnavailableError. */
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
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          accept: "text/html, text/plain",
        },
        body: form.toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      body = await res.text();
    } catch (err) {
      const e = this.unavailable(fn, describeFetchError(err, this.timeoutMs));
      this.onCall?.({
        via: "api",
        operation: fn,
        seconds: (performance.now() - started) / 1000,
        outcome: "unavailable",
      });
      this.log?.warn(
        { viciFn: fn, ms: Math.round(performance.now() - started), err: e.message },
        "vici api unavailable",
      );
      throw e;
    }
    const ms = Math.round(performance.now() - started);
    this.onCall?.({ via: "api", operation: fn, seconds: ms / 1000, outcome: status === 200 ? "ok" : "unavailable" });
    if (status !== 200) {
      const e = this.unavailable(
        fn,
        `HTTP ${status}${status >= 300 && status < 400 ? " (redirect not followed: configure the final URL)" : ""}`,
      );
      this.log?.warn({ viciFn: fn, ms, status }, "vici api unavailable");
      throw e;
    }
    if (this.log?.isLevelEnabled("debug")) {
      const first = parseApiLines(body)[0];
      this.log.debug(
        {
          viciFn: fn,
          ms,
          bytes: body.length,
          result: first ? `${first.kind} ${first.fn} ${first.reason}`.replace(/\s+/g, " ") : null,
        },
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
      this.log?.error(
        { viciFn: fn, err: err.message },
        "vici api auth error: client latched, no further calls until resetAuthLatch()",
      );
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

  private unavailable(fn: string, detail: string, line: ApiLine | null = null): ViciUnavailableError {
    return new ViciUnavailableError(detail, { apiFunction: fn, line });
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
      if (/^[0-9,]{6,18}$/.test(v) && ((phoneLine && i === 0) || digitsSent.includes(v.replace(/,/g, ""))))
        return maskPhone(v);
      for (const p of digitsSent) v = v.split(p).join(maskPhone(p));
      return v;
    });
    const prefix = line.raw.slice(0, line.raw.length - line.fields.join("|").length);
    return { ...line, fields, raw: prefix + fields.join("|") };
  }
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no complete response within ${timeoutMs} ms`;
  const code = e?.cause?.code;
  return `network error${code ? ` (${code})` : e?.cause?.message ? ` (${e.cause.message})` : ""}`;
}
