import http from "node:http";
import type { AddressInfo } from "node:net";
import mysql, { type Pool, type ResultSetHeader, type RowDataPacket } from "mysql2/promise";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";

/**
 * The project's only test double for VICIdial's Non-Agent API: a local HTTP server speaking
 * `/vicidial/non_agent_api.php` (2.14-107, build 180301-2301) as the shared VICIdial notes (vici/API.md)
 * documents it, with the literal response lines, backed by a REAL MariaDB database loaded
 * with the project DDL (test/helpers/databases.ts freshViciDb).
 *
 * Implemented: version; add_lead (input cleaning per API.md §3, phone length, usacan prefix
 * check, system/campaign DNC checks, every duplicate_check option incl. 90DAY, multi_alt_phones
 * with its debug text); update_lead (LEAD_ID / VENDOR_LEAD_CODE / PHONE_NUMBER search in API
 * order, SYSTEM/LIST/CAMPAIGN locations, records, no_update=Y NOTICE lines, updates with
 * affected rows, delete_lead, reset_lead, empty body when nothing to change, `"` in status →
 * affected rows -1); lead_field_info; authentication (in-memory users, failed_login_count,
 * 10-failure lockout for 15 minutes, api_allowed_functions, per-function rights), source
 * check, NO FUNCTION SPECIFIED.
 *
 * Not implemented: insert_if_not_found, callbacks, hopper, custom fields, tz_method/area-code
 * time zones (gmt comes from the `gmtOffset` option, default: no match → '' answered, 0.00
 * stored), usacan_areacode_check / NANPA (no phone-code tables in the DDL), IP lists, list
 * restrictions, api logging tables. Parameters of those are ignored. Functions API.md lists
 * but the fake lacks (lead_status_search, phone_number_log, check_phone_number, add_list,
 * update_list, coffee) answer HTTP 501 so a test cannot mistake them for real answers.
 *
 * Deviations forced by the strict sql_mode of the test database (the real API runs on a lax
 * server and lets MySQL coerce): values are truncated to the column size by the fake itself;
 * missing/invalid date_of_birth is stored as '0000-00-00' (NULL if sql_mode has NO_ZERO_DATE),
 * never ''; an invalid gender letter is stored as NULL (the real API stores '').
 *
 * lead_field_info, like the real one, answers `LIST NOT FOUND` for a lead whose list has no
 * vicidial_lists row: tests must create the list row.
 */

export interface FakeViciUser {
  user: string;
  pass: string;
  /** vicidial_users.user_level; default 9. Login needs ≥ 7, add_lead/update_lead ≥ 8. */
  level?: number;
  /** default true */
  active?: boolean;
  /** modify_leads='1' (with vdc_agent_api_access='1'); default true. */
  modifyLeads?: boolean;
  /** api_allowed_functions; default ["ALL_FUNCTIONS"]. */
  apiAllowedFunctions?: string[];
}

export type FakeFailMode =
  /** destroy the connection without answering (network error) */
  | "close"
  | "503"
  | "500"
  /** HTTP 200, empty body */
  | "empty"
  /** never answer (until the client gives up or the fake closes) */
  | "hang"
  /** HTTP 200, an HTML error page without any result line */
  | "garbage"
  /** answer exactly this (e.g. an observed line the fake cannot produce) */
  | { status?: number; body: string };

export interface FakeViciCall {
  at: Date;
  method: string;
  /** Path and query string as received, with the `pass` value replaced by [REDACTED]. */
  url: string;
  contentType: string;
  /** Query-string parameters (pass redacted). */
  query: Record<string, string>;
  /** Urlencoded POST body parameters (pass redacted). */
  body: Record<string, string>;
  /** Effective parameters, query string first (pass redacted). */
  params: Record<string, string>;
  fn: string;
  /** A `pass` parameter was in the query string. */
  passInQuery: boolean;
  /** The URL contained a `pass` parameter or any configured user's password. */
  secretInUrl: boolean;
  /** HTTP status answered; undefined if the connection was dropped or never answered. */
  status?: number;
  /** Body answered (passwords redacted). */
  response?: string;
  /** Set when a fail mode / down state / crash decided the outcome. */
  failed?: string;
}

export interface FakeInsertContext {
  /** Column values about to be inserted into vicidial_list (mutable in beforeInsert). */
  row: Record<string, string | number | null>;
  /** Effective request parameters (pass redacted). */
  params: Record<string, string>;
  user: string;
}

/** A hook that throws simulates a crash: the connection is dropped without an answer. */
export type InsertHook = (ctx: FakeInsertContext) => void | Promise<void>;
export type AfterInsertHook = (ctx: FakeInsertContext & { leadId: number }) => void | Promise<void>;

export interface StartFakeViciApiOptions {
  /** mysql URL of a database loaded with the project DDL. */
  mysqlUrl: string;
  users?: FakeViciUser[];
  /** gmt_offset_now for new leads ("-5.00"), or null for "no time-zone match" (default). */
  gmtOffset?: string | null | ((lead: { phoneCode: string; phoneNumber: string }) => string | null);
  /** version's TZ/TZNOW; default "-5.00". */
  tz?: string;
  delayMs?: number;
  beforeInsert?: InsertHook;
  afterInsert?: AfterInsertHook;
  /** Clock for the login lockout (ms); default Date.now. */
  now?: () => number;
}

export const DEFAULT_FAKE_USERS: FakeViciUser[] = [{ user: "apiuser", pass: "apipass1" }];
export const FAKE_API_PATH = "/vicidial/non_agent_api.php";

const VERSION = "2.14-107";
const BUILD = "180301-2301";
const LOCK_AFTER = 10;
const LOCK_MS = 15 * 60 * 1000;
const BIGINT_MAX = 18446744073709551615n;
const NOT_IMPLEMENTED = new Set([
  "lead_status_search",
  "phone_number_log",
  "check_phone_number",
  "add_list",
  "update_list",
  "coffee",
]);

// ----- input cleaning, API.md §3 (use_non_latin=0) ----------------------------------------

const clean = {
  userPass: (v: string) => v.replace(/[^-_0-9a-zA-Z]/g, ""),
  source: (v: string) => v.replace(/[^0-9a-zA-Z]/g, ""),
  phone: (v: string) => v.replace(/[^0-9,]/g, ""),
  digits: (v: string) => v.replace(/[^0-9]/g, ""),
  freeText: (v: string) => v.replace(/[;#]/g, "").replace(/\+/g, " "),
  name: (v: string) => v.replace(/[^- '+_.0-9a-zA-Z]/g, "").replace(/\+/g, " "),
  title: (v: string) => v.replace(/[^- '_.0-9a-zA-Z]/g, ""),
  address: (v: string) => v.replace(/[^- '+.:/@_0-9a-zA-Z]/g, "").replace(/\+/g, " "),
  email: (v: string) => v.replace(/[^- '+.:/@_%0-9a-zA-Z]/g, "").replace(/\+/g, " "),
  altPhone: (v: string) => v.replace(/[^- '+_.0-9a-zA-Z]/g, ""),
  state: (v: string) => v.replace(/[^- 0-9a-zA-Z]/g, ""),
  postal: (v: string) => v.replace(/[^- '+0-9a-zA-Z]/g, ""),
  upper: (v: string) => v.replace(/[^A-Z]/g, ""),
  ident: (v: string) => v.replace(/[^-_0-9a-zA-Z]/g, ""),
  dob: (v: string) => v.replace(/[^-0-9]/g, ""),
  gmt: (v: string) => v.replace(/[^-_.0-9]/g, ""),
};

/** Text columns add_lead writes and update_lead may change: [parameter = column, cleaner]. */
const TEXT_FIELDS: [string, (v: string) => string][] = [
  ["vendor_lead_code", clean.freeText],
  ["source_id", clean.freeText],
  ["title", clean.title],
  ["first_name", clean.name],
  ["middle_initial", clean.name],
  ["last_name", clean.name],
  ["address1", clean.address],
  ["address2", clean.address],
  ["address3", clean.address],
  ["city", clean.address],
  ["state", clean.state],
  ["province", clean.address],
  ["postal_code", clean.postal],
  ["country_code", clean.upper],
  ["alt_phone", clean.altPhone],
  ["email", clean.email],
  ["security_phrase", clean.address],
  ["comments", clean.freeText],
  ["owner", clean.address],
];

const DUP_DEFS: { opt: string; scope: "LIST" | "CAMP" | "SYS"; match: "PHONE" | "TITLEALT" | "NAMEPHONE" }[] = [
  { opt: "DUPLIST", scope: "LIST", match: "PHONE" },
  { opt: "DUPCAMP", scope: "CAMP", match: "PHONE" },
  { opt: "DUPSYS", scope: "SYS", match: "PHONE" },
  { opt: "DUPTITLEALTPHONELIST", scope: "LIST", match: "TITLEALT" },
  { opt: "DUPTITLEALTPHONECAMP", scope: "CAMP", match: "TITLEALT" },
  { opt: "DUPTITLEALTPHONESYS", scope: "SYS", match: "TITLEALT" },
  { opt: "DUPNAMEPHONELIST", scope: "LIST", match: "NAMEPHONE" },
  { opt: "DUPNAMEPHONECAMP", scope: "CAMP", match: "NAMEPHONE" },
  { opt: "DUPNAMEPHONESYS", scope: "SYS", match: "NAMEPHONE" },
];

class Crash extends Error {}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

function lastWins(sp: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of sp) out[k] = v;
  return out;
}

function isValidDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y > 0 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function clampBig(digits: string, fallback: string): string {
  if (digits === "") return fallback;
  return BigInt(digits) > BIGINT_MAX ? BIGINT_MAX.toString() : BigInt(digits).toString();
}

function q(col: string): string {
  return "`" + col + "`";
}

export class FakeViciApi {
  readonly calls: FakeViciCall[] = [];
  /** Unexpected errors inside the fake (answered HTTP 500); a test should expect none. */
  readonly errors: Error[] = [];
  delayMs: number;
  beforeInsert?: InsertHook;
  afterInsert?: AfterInsertHook;
  gmtOffset: StartFakeViciApiOptions["gmtOffset"];
  url = "";

  private readonly users: Map<string, Required<FakeViciUser>>;
  private readonly logins = new Map<string, { failed: number; lastFailAt: number }>();
  private readonly server: http.Server;
  private readonly pool: Pool;
  private readonly now: () => number;
  private readonly tz: string;
  private down: false | "close" | "503" = false;
  private readonly failQueue: FakeFailMode[] = [];
  private readonly sleepers = new Set<() => void>();
  private readonly inflight = new Set<Promise<void>>();
  private closed = false;
  private columns = new Map<string, number | null>();
  private zeroDate: string | null = "0000-00-00";

  constructor(opts: StartFakeViciApiOptions) {
    this.delayMs = opts.delayMs ?? 0;
    this.beforeInsert = opts.beforeInsert;
    this.afterInsert = opts.afterInsert;
    this.gmtOffset = opts.gmtOffset ?? null;
    this.now = opts.now ?? Date.now;
    this.tz = opts.tz ?? "-5.00";
    this.users = new Map(
      (opts.users ?? DEFAULT_FAKE_USERS).map((u) => [
        u.user,
        {
          user: u.user,
          pass: u.pass,
          level: u.level ?? 9,
          active: u.active ?? true,
          modifyLeads: u.modifyLeads ?? true,
          apiAllowedFunctions: u.apiAllowedFunctions ?? ["ALL_FUNCTIONS"],
        },
      ]),
    );
    const t = parseMysqlUrl(opts.mysqlUrl);
    this.pool = mysql.createPool({
      ...(t.socketPath ? { socketPath: t.socketPath } : { host: t.host, port: t.port }),
      user: t.username,
      password: t.password,
      database: t.database,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      charset: "utf8mb4",
      // PHP's mysqli reports CHANGED rows as affected rows; mysql2 asks for FOUND rows by default.
      flags: ["-FOUND_ROWS"],
      connectionLimit: 4,
    });
    this.server = http.createServer((req, res) => {
      const p = this.handle(req, res).catch((err: unknown) => {
        this.errors.push(err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
          res.end(`fake-vici-api internal error: ${(err as Error)?.message ?? err}\n`);
        }
      });
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    });
  }

  /** Starts listening on 127.0.0.1 (free port). */
  async start(): Promise<this> {
    const [cols] = await this.pool.query<RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, CHARACTER_MAXIMUM_LENGTH AS len FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'vicidial_list'`,
    );
    if (cols.length === 0) {
      await this.pool.end();
      throw new Error("fake-vici-api: the database has no vicidial_list table (load the project DDL first)");
    }
    this.columns = new Map(cols.map((c) => [String(c.name), c.len === null ? null : Number(c.len)]));
    const [[mode]] = await this.pool.query<RowDataPacket[]>("SELECT @@SESSION.sql_mode AS m");
    this.zeroDate = /NO_ZERO_DATE/.test(String(mode.m)) ? null : "0000-00-00";
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${FAKE_API_PATH}`;
    return this;
  }

  /** Down: every request is dropped ("close") or answered HTTP 503, until setDown(false). */
  setDown(down: boolean, how: "close" | "503" = "close"): void {
    this.down = down ? how : false;
  }

  /** The next `n` requests fail in `mode` (after being recorded in `calls`). */
  failNext(n: number, mode: FakeFailMode): void {
    for (let i = 0; i < n; i++) this.failQueue.push(mode);
  }

  /** vicidial_users.failed_login_count of a user, as the fake keeps it. */
  failedLogins(user: string): number {
    return this.logins.get(user)?.failed ?? 0;
  }

  resetLockouts(): void {
    this.logins.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.sleepers) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.pool.end();
  }

  // ----- HTTP ------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const u = new URL(req.url ?? "/", "http://fake");
    const contentType = String(req.headers["content-type"] ?? "");
    const query = lastWins(u.searchParams);
    const body = /application\/x-www-form-urlencoded/i.test(contentType) ? lastWins(new URLSearchParams(raw)) : {};
    const params: Record<string, string> = { ...body, ...query }; // PHP: $_GET first, then $_POST

    let decodedUrl = req.url ?? "";
    try {
      decodedUrl = decodeURIComponent(decodedUrl.replace(/\+/g, " "));
    } catch {
      /* keep raw */
    }
    const redact = (r: Record<string, string>) => ("pass" in r ? { ...r, pass: "[REDACTED]" } : { ...r });
    const redactedUrl = u.searchParams.has("pass")
      ? (() => {
          const c = new URL(u.toString());
          c.searchParams.set("pass", "[REDACTED]");
          return c.pathname + c.search;
        })()
      : (req.url ?? "");
    const call: FakeViciCall = {
      at: new Date(),
      method: req.method ?? "",
      url: redactedUrl,
      contentType,
      query: redact(query),
      body: redact(body),
      params: redact(params),
      fn: params.function ?? "",
      passInQuery: u.searchParams.has("pass"),
      secretInUrl:
        u.searchParams.has("pass") ||
        [...this.users.values()].some((x) => x.pass.length >= 3 && decodedUrl.includes(x.pass)) ||
        (params.pass !== undefined && params.pass.length >= 3 && decodedUrl.includes(params.pass)),
    };
    this.calls.push(call);
    const secrets = [params.pass, params.pass === undefined ? undefined : clean.userPass(params.pass)].filter(
      (s): s is string => typeof s === "string" && s.length >= 2,
    );

    const drop = (why: string) => {
      call.failed = why;
      res.destroy();
    };
    const answer = (a: Answer, failed?: string) => {
      if (res.destroyed) return;
      let text = a.body;
      for (const s of secrets) text = text.split(s).join("[REDACTED]");
      call.status = a.status;
      call.response = text;
      if (failed) call.failed = failed;
      res.writeHead(a.status, { "Content-Type": a.contentType ?? "text/html; charset=utf-8" });
      res.end(a.body);
    };

    if (this.down === "close") return drop("down");
    if (this.down === "503") return answer({ status: 503, body: "Service Unavailable\n" }, "down");
    const fail = this.failQueue.shift();
    if (fail !== undefined) {
      if (fail === "close") return drop("close");
      if (fail === "hang") {
        call.failed = "hang";
        return; // never answered; close() drops the connection
      }
      if (fail === "503")
        return answer({ status: 503, body: "<html><body>Service Unavailable</body></html>\n" }, "503");
      if (fail === "500")
        return answer({ status: 500, body: "<html><body>Internal Server Error</body></html>\n" }, "500");
      if (fail === "empty") return answer({ status: 200, body: "" }, "empty");
      if (fail === "garbage") {
        return answer(
          { status: 200, body: "<html><head><title>Maintenance</title></head><body>Be right back</body></html>\n" },
          "garbage",
        );
      }
      return answer({ status: fail.status ?? 200, body: fail.body }, "scripted");
    }
    if (this.delayMs > 0) await this.sleep(this.delayMs);
    if (this.closed) return drop("closed");

    if (u.pathname !== FAKE_API_PATH) {
      return answer({ status: 404, body: "Not Found\n", contentType: "text/plain; charset=utf-8" });
    }
    try {
      return answer(await this.api(params));
    } catch (err) {
      if (err instanceof Crash) return drop("crash");
      throw err;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  // ----- the API ---------------------------------------------------------------------------

  private async api(params: Record<string, string>): Promise<Answer> {
    const P = (k: string) => params[k] ?? "";
    const fn = P("function");
    const ok = (body: string): Answer => ({ status: 200, body });
    if (fn === "version") return ok(await this.version());
    if (NOT_IMPLEMENTED.has(fn)) {
      return {
        status: 501,
        body: `fake-vici-api: ${fn} exists in VICIdial but the fake does not implement it\n`,
        contentType: "text/plain",
      };
    }

    // Authentication (every function but version).
    const user = clean.userPass(P("user"));
    const pass = clean.userPass(P("pass"));
    const auth = this.authenticate(user, pass);
    if (auth) return ok(auth);
    const u = this.users.get(user)!;

    if (fn !== "add_lead" && fn !== "update_lead" && fn !== "lead_field_info")
      return ok("ERROR: NO FUNCTION SPECIFIED\n");

    const source = clean.source(P("source")).slice(0, 20);
    if (source.length < 2) return ok(`ERROR: Invalid Source - ${source}\nERROR: Invalid Source: |${source}|\n`);
    const allowed = u.apiAllowedFunctions;
    if (!allowed.includes("ALL_FUNCTIONS") && !allowed.includes(fn)) {
      return ok(`ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |${user}|${fn}|\n`);
    }
    if (fn === "add_lead") return ok(await this.addLead(u, params));
    if (fn === "update_lead") return ok(await this.updateLead(u, params));
    return ok(await this.leadFieldInfo(u, params));
  }

  /** null when accepted, else the error body. */
  private authenticate(user: string, pass: string): string | null {
    const u = this.users.get(user);
    const state = this.logins.get(user) ?? { failed: 0, lastFailAt: 0 };
    const now = this.now();
    if (u && state.failed >= LOCK_AFTER && now - state.lastFailAt < LOCK_MS) {
      return `ERROR: Too many login attempts, try again in 15 minutes: |${user}|LOCK|\n`;
    }
    if (!u || user.length < 2 || pass.length < 2 || !u.active || u.level < 7 || u.pass !== pass) {
      if (u) this.logins.set(user, { failed: state.failed + 1, lastFailAt: now });
      return `ERROR: Login incorrect, please try again: |${user}|${pass}|BAD|\n`;
    }
    this.logins.set(user, { failed: 0, lastFailAt: state.lastFailAt });
    return null;
  }

  private async version(): Promise<string> {
    const [[r]] = await this.pool.query<RowDataPacket[]>(
      "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS d, UNIX_TIMESTAMP() AS e",
    );
    return `VERSION: ${VERSION}|BUILD: ${BUILD}|DATE: ${r.d}|EPOCH: ${r.e}|DST: 0|TZ: ${this.tz}|TZNOW: ${this.tz}|\n`;
  }

  private trunc(col: string, v: string): string {
    const max = this.columns.get(col);
    return max == null ? v : v.slice(0, max);
  }

  private async rows(sql: string, args: unknown[]): Promise<RowDataPacket[]> {
    const [r] = await this.pool.query<RowDataPacket[]>(sql, args);
    return r;
  }

  // ----- add_lead --------------------------------------------------------------------------

  private async addLead(u: Required<FakeViciUser>, params: Record<string, string>): Promise<string> {
    const P = (k: string) => params[k] ?? "";
    const user = u.user;
    if (!(u.level >= 8 && u.modifyLeads)) {
      return `ERROR: add_lead USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM: |${user}|0|\n`;
    }
    const phone = clean.phone(P("phone_number"));
    const phoneCode = clean.digits(P("phone_code")) || "1";
    let listId = clean.digits(P("list_id"));
    if (listId.length < 3) listId = "999";
    listId = clampBig(listId, "999");

    if (phone.length < 6 || phone.length > 16)
      return `ERROR: add_lead INVALID PHONE NUMBER LENGTH - ${phone}|${user}\n`;
    if (clean.upper(P("usacan_prefix_check")) === "Y" && !/^[2-9]$/.test(phone.charAt(3))) {
      return `ERROR: add_lead INVALID PHONE NUMBER PREFIX - ${phone}|${user}\n`;
    }
    const dnc = clean.upper(P("dnc_check"));
    if (dnc === "Y" || dnc === "AREACODE") {
      const keys = dnc === "AREACODE" ? [phone, phone.slice(0, 3) + "XXXXXXX"] : [phone];
      if ((await this.rows("SELECT 1 FROM vicidial_dnc WHERE phone_number IN (?)", [keys])).length > 0) {
        return `ERROR: add_lead PHONE NUMBER IN DNC - ${phone}|${user}\n`;
      }
    }
    const campDnc = clean.upper(P("campaign_dnc_check"));
    const campaignId = clean.ident(P("campaign_id"));
    if ((campDnc === "Y" || campDnc === "AREACODE") && campaignId !== "") {
      const keys = campDnc === "AREACODE" ? [phone, phone.slice(0, 3) + "XXXXXXX"] : [phone];
      const hit = await this.rows("SELECT 1 FROM vicidial_campaign_dnc WHERE phone_number IN (?) AND campaign_id = ?", [
        keys,
        campaignId,
      ]);
      if (hit.length > 0) return `ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - ${phone}|${campaignId}|${user}\n`;
    }

    const text: Record<string, string> = {};
    for (const [param, cleaner] of TEXT_FIELDS) text[param] = this.trunc(param, cleaner(P(param)));
    const gender = clean.upper(P("gender"));
    const dob = clean.dob(P("date_of_birth"));
    const rank = clean.digits(P("rank"));
    const row: Record<string, string | number | null> = {
      status: "NEW",
      user: this.trunc("user", user),
      vendor_lead_code: text.vendor_lead_code,
      source_id: text.source_id,
      list_id: listId,
      gmt_offset_now: "0.00",
      called_since_last_reset: "N",
      phone_code: this.trunc("phone_code", phoneCode),
      phone_number: this.trunc("phone_number", phone),
      title: text.title,
      first_name: text.first_name,
      middle_initial: text.middle_initial,
      last_name: text.last_name,
      address1: text.address1,
      address2: text.address2,
      address3: text.address3,
      city: text.city,
      state: text.state,
      province: text.province,
      postal_code: text.postal_code,
      country_code: text.country_code,
      gender: gender === "" ? "U" : ["M", "F", "U"].includes(gender) ? gender : null,
      date_of_birth: isValidDate(dob) ? dob : this.zeroDate,
      alt_phone: text.alt_phone,
      email: text.email,
      security_phrase: text.security_phrase,
      comments: text.comments,
      called_count: 0,
      rank: rank === "" ? 0 : Math.min(Number(rank), 32767),
      owner: text.owner,
      entry_list_id: clampBig(clean.digits(P("entry_list_id")), "0"),
    };
    const gmt =
      typeof this.gmtOffset === "function" ? this.gmtOffset({ phoneCode, phoneNumber: phone }) : this.gmtOffset;
    if (gmt) row.gmt_offset_now = gmt;

    const dupLine = await this.duplicateCheck(clean.ident(P("duplicate_check")), row, listId);
    if (dupLine) return dupLine;

    const ctx: FakeInsertContext = { row, params: { ...params, pass: "[REDACTED]" }, user };
    await this.hook(() => this.beforeInsert?.(ctx));
    const cols = Object.keys(row);
    const sql = `INSERT INTO vicidial_list (entry_date, last_local_call_time, ${cols.map(q).join(", ")}) VALUES (NOW(), NOW(), ${cols.map(() => "?").join(", ")})`;
    let leadId: number;
    try {
      const [r] = await this.pool.query<ResultSetHeader>(
        sql,
        cols.map((c) => row[c]),
      );
      leadId = r.insertId;
    } catch (err) {
      return `ERROR: add_lead LEAD HAS NOT BEEN ADDED - ${phone}|${listId}|${sql} -- ${(err as Error).message}|${user}\n`;
    }
    await this.hook(() => this.afterInsert?.({ ...ctx, leadId }));

    let out = `SUCCESS: add_lead LEAD HAS BEEN ADDED - ${row.phone_number}|${listId}|${leadId}|${gmt ?? ""}|${user}\n`;
    const multi = P("multi_alt_phones");
    if (multi !== "") {
      let count = 0;
      for (const entry of multi.split("!")) {
        const [num = "", code = "", note = ""] = entry.split("_");
        const number = clean.phone(num);
        if (number.length < 6) continue;
        count++;
        out += `${number}|${clean.digits(code)}|${note}`; // the real API's leftover debug output, no newline
        await this.pool.query(
          "INSERT INTO vicidial_list_alt_phones (lead_id, phone_code, phone_number, alt_phone_note, alt_phone_count, active) VALUES (?, ?, ?, ?, ?, 'Y')",
          [leadId, clean.digits(code).slice(0, 10) || "1", number.slice(0, 18), clean.name(note).slice(0, 30), count],
        );
      }
      out += `NOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - ${count}|${leadId}|${user}\n`;
    }
    return out;
  }

  private async hook(run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch {
      throw new Crash("hook crashed");
    }
  }

  private async duplicateCheck(
    option: string,
    row: Record<string, string | number | null>,
    listId: string,
  ): Promise<string | null> {
    if (option === "") return null;
    let campaignLists: string[] | null | undefined; // undefined = not looked up yet, null = list has no campaign row
    for (const d of DUP_DEFS) {
      const ninety = option.includes(d.opt + "90DAY");
      if (!ninety && !option.includes(d.opt)) continue;
      const where: string[] = [];
      const args: unknown[] = [];
      if (d.match === "PHONE") {
        where.push("phone_number = ?");
        args.push(row.phone_number);
      } else if (d.match === "TITLEALT") {
        where.push("title = ?", "alt_phone = ?");
        args.push(row.title, row.alt_phone);
      } else {
        where.push("first_name = ?", "last_name = ?", "phone_number = ?");
        args.push(row.first_name, row.last_name, row.phone_number);
      }
      if (d.scope === "LIST") {
        where.push("list_id = ?");
        args.push(listId);
      } else if (d.scope === "CAMP") {
        if (campaignLists === undefined) {
          const camp = await this.rows("SELECT campaign_id FROM vicidial_lists WHERE list_id = ?", [listId]);
          campaignLists =
            camp.length === 0
              ? null
              : (
                  await this.rows("SELECT list_id FROM vicidial_lists WHERE campaign_id = ?", [camp[0].campaign_id])
                ).map((r) => String(r.list_id));
        }
        if (campaignLists === null) continue; // real API: invalid query, silently nothing found
        where.push("list_id IN (?)");
        args.push(campaignLists);
      }
      if (ninety) where.push("entry_date > NOW() - INTERVAL 90 DAY");
      const hit = await this.rows(
        `SELECT lead_id, list_id FROM vicidial_list WHERE ${where.join(" AND ")} ORDER BY lead_id LIMIT 1`,
        args,
      );
      if (hit.length === 0) continue;
      const dupLead = hit[0].lead_id;
      const dupList = hit[0].list_id;
      const scope = d.scope === "LIST" ? "IN LIST" : d.scope === "CAMP" ? "IN CAMPAIGN LISTS" : "IN SYSTEM";
      const tail = d.scope === "LIST" ? `${dupLead}` : `${dupLead}|${dupList}`;
      if (d.match === "PHONE")
        return `ERROR: add_lead DUPLICATE PHONE NUMBER ${scope} - ${row.phone_number}|${listId}|${tail}\n`;
      if (d.match === "TITLEALT")
        return `ERROR: add_lead DUPLICATE TITLE ALT_PHONE ${scope} - ${row.title}|${row.alt_phone}|${listId}|${tail}\n`;
      return `ERROR: add_lead DUPLICATE NAME PHONE ${scope} - ${row.first_name}|${row.last_name}|${row.phone_number}|${listId}|${tail}\n`;
    }
    return null;
  }

  // ----- update_lead -----------------------------------------------------------------------

  private async updateLead(u: Required<FakeViciUser>, params: Record<string, string>): Promise<string> {
    const P = (k: string) => params[k] ?? "";
    const user = u.user;
    if (!(u.level >= 8 && u.modifyLeads)) {
      return `ERROR: update_lead USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM: |${user}|0|\n`;
    }
    const method = clean.ident(P("search_method")) || "LEAD_ID";
    const leadId = clean.digits(P("lead_id"));
    const vlc = clean.freeText(P("vendor_lead_code"));
    const phone = clean.phone(P("phone_number"));
    const byLead = method.includes("LEAD_ID") && leadId !== "";
    const byVlc = method.includes("VENDOR_LEAD_CODE") && vlc !== "";
    const byPhone = method.includes("PHONE_NUMBER") && phone.length >= 6 && phone.length <= 18;
    if (!byLead && !byVlc && !byPhone) {
      return `ERROR: update_lead NO VALID SEARCH METHOD - ${user}|${method}|${leadId}|${vlc}|${phone}\n`;
    }
    const records = Math.max(1, Number(clean.digits(P("records")) || "1"));
    let location = clean.upper(P("search_location")) || "SYSTEM";
    const listId = clean.digits(P("list_id"));
    if ((location === "LIST" || location === "CAMPAIGN") && listId.length < 3) location = "SYSTEM";
    if (location !== "LIST" && location !== "CAMPAIGN") location = "SYSTEM";
    let locSql = "";
    const locArgs: unknown[] = [];
    if (location === "LIST") {
      locSql = " AND list_id = ?";
      locArgs.push(listId);
    } else if (location === "CAMPAIGN") {
      locSql =
        " AND list_id IN (SELECT l.list_id FROM vicidial_lists l WHERE l.campaign_id = (SELECT c.campaign_id FROM vicidial_lists c WHERE c.list_id = ?))";
      locArgs.push(listId);
    }

    let matches: RowDataPacket[] = [];
    for (const [use, col, val] of [
      [byLead, "lead_id", leadId],
      [byVlc, "vendor_lead_code", vlc],
      [byPhone, "phone_number", phone],
    ] as [boolean, string, string][]) {
      if (!use) continue;
      matches = await this.rows(
        `SELECT lead_id, list_id, entry_list_id FROM vicidial_list WHERE ${col} = ?${locSql} ORDER BY entry_date DESC, lead_id DESC LIMIT ?`,
        [val, ...locArgs, records],
      );
      if (matches.length > 0) break;
    }
    const echo = `|${user}|${leadId}|${vlc}|${phone}`;
    if (matches.length === 0) {
      const kind = clean.upper(P("no_update")) === "Y" ? "NOTICE" : "ERROR";
      return `${kind}: update_lead NO MATCHES FOUND IN THE ${location}: ${echo}\n`;
    }
    if (clean.upper(P("no_update")) === "Y") {
      const m = matches[0];
      return `NOTICE: update_lead LEADS FOUND IN THE ${location}: |${user}|${m.lead_id}|${vlc}|${phone}|${m.list_id}|${m.entry_list_id}\n`;
    }
    if (clean.upper(P("delete_lead")) === "Y") {
      let out = "";
      for (const m of matches) {
        const [r] = await this.pool.query<ResultSetHeader>("DELETE FROM vicidial_list WHERE lead_id = ?", [m.lead_id]);
        out += `SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - ${user}|${m.lead_id}|${r.affectedRows}\n`;
      }
      return out;
    }

    const sets: [string, string | number | null][] = [];
    let sqlBreaks = false;
    for (const [param, cleaner] of TEXT_FIELDS) {
      const v = cleaner(P(param));
      if (v !== "") sets.push([param, this.trunc(param, v)]);
    }
    const status = P("status"); // not cleaned at all
    if (status !== "") {
      if (/["\\]/.test(status)) sqlBreaks = true;
      sets.push(["status", this.trunc("status", status)]);
    }
    const userField = clean.userPass(P("user_field"));
    if (userField !== "") sets.push(["user", this.trunc("user", userField)]);
    const listField = clean.digits(P("list_id_field"));
    if (listField !== "") sets.push(["list_id", clampBig(listField, "0")]);
    const gmt = clean.gmt(P("gmt_offset_now"));
    if (gmt !== "") {
      if (/^-?\d{1,2}(\.\d{1,2})?$/.test(gmt)) sets.push(["gmt_offset_now", gmt]);
      else sqlBreaks = true;
    }
    const gender = clean.upper(P("gender"));
    if (gender !== "") sets.push(["gender", ["M", "F", "U"].includes(gender) ? gender : null]);
    const dob = clean.dob(P("date_of_birth"));
    if (dob !== "") sets.push(["date_of_birth", isValidDate(dob) ? dob : this.zeroDate]);
    const rank = clean.digits(P("rank"));
    if (rank !== "") sets.push(["rank", Math.min(Number(rank), 32767)]);
    const calledCount = clean.digits(P("called_count"));
    if (calledCount !== "") sets.push(["called_count", Math.min(Number(calledCount), 65535)]);
    const entryList = clean.digits(P("entry_list_id"));
    if (entryList !== "") sets.push(["entry_list_id", clampBig(entryList, "0")]);
    if (clean.upper(P("update_phone_number")) === "Y" && phone !== "")
      sets.push(["phone_number", this.trunc("phone_number", phone)]);
    if (clean.upper(P("reset_lead")) === "Y") sets.push(["called_since_last_reset", "N"]);
    if (sets.length === 0) return ""; // a found lead with nothing to change: empty body

    let out = "";
    for (const m of matches) {
      let affected = -1;
      if (!sqlBreaks) {
        try {
          const [r] = await this.pool.query<ResultSetHeader>(
            `UPDATE vicidial_list SET ${sets.map(([c]) => `${q(c)} = ?`).join(", ")} WHERE lead_id = ?`,
            [...sets.map(([, v]) => v), m.lead_id],
          );
          affected = r.affectedRows;
        } catch {
          affected = -1;
        }
      }
      out += `SUCCESS: update_lead LEAD HAS BEEN UPDATED - ${user}|${m.lead_id}|${affected}\n`;
    }
    return out;
  }

  // ----- lead_field_info -------------------------------------------------------------------

  private async leadFieldInfo(u: Required<FakeViciUser>, params: Record<string, string>): Promise<string> {
    const P = (k: string) => params[k] ?? "";
    const user = u.user;
    if (!(u.level >= 7 && u.modifyLeads)) {
      return `ERROR: lead_field_info USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |${user}|0|\n`;
    }
    const leadId = clean.digits(P("lead_id"));
    const field = clean.ident(P("field_name"));
    if (leadId.length < 1 || leadId.length > 11 || field.length < 1) {
      return `ERROR: lead_field_info INVALID SEARCH PARAMETERS: ${user}|${leadId}|${field}\n`;
    }
    const lead = await this.rows("SELECT list_id FROM vicidial_list WHERE lead_id = ?", [leadId]);
    if (lead.length === 0) return `ERROR: lead_field_info LEAD NOT FOUND: ${user}|${leadId}\n`;
    const list = await this.rows("SELECT 1 FROM vicidial_lists WHERE list_id = ?", [lead[0].list_id]);
    if (list.length === 0) return `ERROR: lead_field_info LIST NOT FOUND: ${user}|${leadId}\n`;
    if (!this.columns.has(field)) return `ERROR: lead_field_info LIST FIELD NOT FOUND: ${user}|${leadId}\n`;
    const [r] = await this.rows(`SELECT ${q(field)} AS v FROM vicidial_list WHERE lead_id = ?`, [leadId]);
    return r.v === null || r.v === undefined ? "" : String(r.v);
  }
}

/** Starts a fake Non-Agent API on 127.0.0.1 (free port); `url` is the full non_agent_api.php URL. */
export async function startFakeViciApi(opts: StartFakeViciApiOptions): Promise<FakeViciApi> {
  return new FakeViciApi(opts).start();
}
