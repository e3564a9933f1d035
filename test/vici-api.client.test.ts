import { createServer } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { connectServer } from "../src/vici/vici-ddl";
import {
  ViciApiAuthError,
  ViciApiClient,
  ViciApiError,
  ViciApiInputError,
  ViciApiRejectedError,
  isAuthLine,
  parseApiLines,
  type ApiLine,
  type ViciApiOptions,
} from "../src/vici/api";
import { ViciUnavailableError } from "../src/vici/errors";
import { dbNameFor, freshViciDb } from "./helpers/databases";
import { FAKE_API_PATH, startFakeViciApi, type FakeViciApi } from "./helpers/fake-vici-api";

/**
 * ViciApiClient against the fake Non-Agent API (test/helpers/fake-vici-api.ts) on a real
 * MariaDB database, plus the fake's own protocol behaviour (raw HTTP), both per API.md.
 */

// ---------------------------------------------------------------------------------------------
// parseApiLines: the literal lines of API.md
// ---------------------------------------------------------------------------------------------

type Expect = [ApiLine["kind"], string, string, string[]];

describe("parseApiLines: every line form of API.md", () => {
  it.each<[string, Expect]>([
    // add_lead
    [
      "SUCCESS: add_lead LEAD HAS BEEN ADDED - 7275550101|1001|8|-5.00|apiuser",
      ["SUCCESS", "add_lead", "LEAD HAS BEEN ADDED", ["7275550101", "1001", "8", "-5.00", "apiuser"]],
    ],
    [
      "SUCCESS: add_lead LEAD HAS BEEN ADDED - 4415550141|1001|32||apiuser",
      ["SUCCESS", "add_lead", "LEAD HAS BEEN ADDED", ["4415550141", "1001", "32", "", "apiuser"]],
    ],
    [
      "ERROR: add_lead LEAD HAS NOT BEEN ADDED - 7275550101|1001|INSERT INTO vicidial_list (phone_number) values('7275550101')|apiuser",
      [
        "ERROR",
        "add_lead",
        "LEAD HAS NOT BEEN ADDED",
        ["7275550101", "1001", "INSERT INTO vicidial_list (phone_number) values('7275550101')", "apiuser"],
      ],
    ],
    [
      "NOTICE: add_lead ADDED TO HOPPER - 3125550130|24|1|apiuser",
      ["NOTICE", "add_lead", "ADDED TO HOPPER", ["3125550130", "24", "1", "apiuser"]],
    ],
    [
      "NOTICE: add_lead NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME - 3125550130|24|-6.00|0|apiuser",
      [
        "NOTICE",
        "add_lead",
        "NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME",
        ["3125550130", "24", "-6.00", "0", "apiuser"],
      ],
    ],
    [
      "NOTICE: add_lead SCHEDULED CALLBACK ADDED - 26|Auto2|2026-11-23 19:24:40|ANYONE||CALLBK",
      [
        "NOTICE",
        "add_lead",
        "SCHEDULED CALLBACK ADDED",
        ["26", "Auto2", "2026-11-23 19:24:40", "ANYONE", "", "CALLBK"],
      ],
    ],
    [
      "NOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|27|apiuser",
      ["NOTICE", "add_lead", "MULTI-ALT-PHONE NUMBERS LOADED", ["2", "27", "apiuser"]],
    ],
    [
      "NOTICE: add_lead CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED - 3125550136|28|Y|0",
      ["NOTICE", "add_lead", "CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED", ["3125550136", "28", "Y", "0"]],
    ],
    [
      "NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 0|apiuser",
      ["NOTICE", "add_lead", "NANPA options disabled, NANPA prefix data not loaded", ["0", "apiuser"]],
    ],
    [
      "ERROR: add_lead INVALID PHONE NUMBER LENGTH - 12345|apiuser",
      ["ERROR", "add_lead", "INVALID PHONE NUMBER LENGTH", ["12345", "apiuser"]],
    ],
    [
      "ERROR: add_lead INVALID PHONE NUMBER LENGTH - |apiuser",
      ["ERROR", "add_lead", "INVALID PHONE NUMBER LENGTH", ["", "apiuser"]],
    ],
    [
      "ERROR: add_lead INVALID PHONE NUMBER PREFIX - 3121550138|apiuser",
      ["ERROR", "add_lead", "INVALID PHONE NUMBER PREFIX", ["3121550138", "apiuser"]],
    ],
    [
      "ERROR: add_lead INVALID PHONE NUMBER AREACODE - 9995550139|apiuser",
      ["ERROR", "add_lead", "INVALID PHONE NUMBER AREACODE", ["9995550139", "apiuser"]],
    ],
    [
      "ERROR: add_lead PHONE NUMBER IN DNC - 2025550199|apiuser",
      ["ERROR", "add_lead", "PHONE NUMBER IN DNC", ["2025550199", "apiuser"]],
    ],
    [
      "ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - 2025550198|Autodial|apiuser",
      ["ERROR", "add_lead", "PHONE NUMBER IN CAMPAIGN DNC", ["2025550198", "Autodial", "apiuser"]],
    ],
    [
      "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 7275550101|1001|8",
      ["ERROR", "add_lead", "DUPLICATE PHONE NUMBER IN LIST", ["7275550101", "1001", "8"]],
    ],
    [
      "ERROR: add_lead DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS - 7275550101|1002|8|1001",
      ["ERROR", "add_lead", "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS", ["7275550101", "1002", "8", "1001"]],
    ],
    [
      "ERROR: add_lead DUPLICATE PHONE NUMBER IN SYSTEM - 7275551212|1001|1|101",
      ["ERROR", "add_lead", "DUPLICATE PHONE NUMBER IN SYSTEM", ["7275551212", "1001", "1", "101"]],
    ],
    // authentication
    [
      "ERROR: Login incorrect, please try again: |apiuser|wrong|BAD|",
      ["ERROR", "", "Login incorrect, please try again", ["apiuser", "wrong", "BAD", ""]],
    ],
    [
      "ERROR: Too many login attempts, try again in 15 minutes: |apinolead|LOCK|",
      ["ERROR", "", "Too many login attempts, try again in 15 minutes", ["apinolead", "LOCK", ""]],
    ],
    [
      "ERROR: Your IP Address is not allowed: 10.1.2.3: ||IPBLOCK|",
      ["ERROR", "", "Your IP Address is not allowed: 10.1.2.3", ["", "IPBLOCK", ""]],
    ],
    [
      "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |apiuser|add_lead|",
      ["ERROR", "auth", "USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION", ["apiuser", "add_lead", ""]],
    ],
    [
      "ERROR: add_lead USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM: |apinolead|0|",
      ["ERROR", "add_lead", "USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM", ["apinolead", "0", ""]],
    ],
    [
      "ERROR: update_lead USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM: |apinolead|0|",
      ["ERROR", "update_lead", "USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM", ["apinolead", "0", ""]],
    ],
    ["ERROR: Invalid Source - x", ["ERROR", "", "Invalid Source", ["x"]]],
    ["ERROR: Invalid Source: |x|", ["ERROR", "", "Invalid Source", ["x", ""]]],
    ["ERROR: NO FUNCTION SPECIFIED", ["ERROR", "", "NO FUNCTION SPECIFIED", []]],
    [
      "ERROR: user_group DOES NOT EXIST: |apiuser|AGENTS|",
      ["ERROR", "user_group", "DOES NOT EXIST", ["apiuser", "AGENTS", ""]],
    ],
    // update_lead
    [
      "ERROR: update_lead NO VALID SEARCH METHOD - apiuser|LEAD_ID||X1|",
      ["ERROR", "update_lead", "NO VALID SEARCH METHOD", ["apiuser", "LEAD_ID", "", "X1", ""]],
    ],
    [
      "SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|8|1",
      ["SUCCESS", "update_lead", "LEAD HAS BEEN UPDATED", ["apiuser", "8", "1"]],
    ],
    [
      "SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|10|-1",
      ["SUCCESS", "update_lead", "LEAD HAS BEEN UPDATED", ["apiuser", "10", "-1"]],
    ],
    [
      "SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - apiuser|22|1",
      ["SUCCESS", "update_lead", "LEAD HAS BEEN DELETED 0|0", ["apiuser", "22", "1"]],
    ],
    [
      "NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |apiuser|8|EXT-000000000001||1001|0",
      ["NOTICE", "update_lead", "LEADS FOUND IN THE SYSTEM", ["apiuser", "8", "EXT-000000000001", "", "1001", "0"]],
    ],
    [
      "NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |apiuser|8|A - B: |x||1001|0", // a vendor code with " - " and ": |"
      ["NOTICE", "update_lead", "LEADS FOUND IN THE SYSTEM", ["apiuser", "8", "A - B: ", "x", "", "1001", "0"]],
    ],
    [
      "NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser||ABCDEFGHIJKLMNOPQRSTUVWXY|",
      ["NOTICE", "update_lead", "NO MATCHES FOUND IN THE SYSTEM", ["apiuser", "", "ABCDEFGHIJKLMNOPQRSTUVWXY", ""]],
    ],
    [
      "ERROR: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser|999999|X|",
      ["ERROR", "update_lead", "NO MATCHES FOUND IN THE SYSTEM", ["apiuser", "999999", "X", ""]],
    ],
    [
      "NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser||BRAIN-0009|3125550123",
      ["NOTICE", "update_lead", "NO MATCHES FOUND IN THE SYSTEM", ["apiuser", "", "BRAIN-0009", "3125550123"]],
    ],
    [
      "SUCCESS: update_lead LEAD HAS BEEN ADDED - 3125550123|1001|10|-6.00|apiuser",
      ["SUCCESS", "update_lead", "LEAD HAS BEEN ADDED", ["3125550123", "1001", "10", "-6.00", "apiuser"]],
    ],
    // lead_field_info and others ("reason: data" without a pipe after the colon)
    [
      "ERROR: lead_field_info LEAD NOT FOUND: apiuser|99",
      ["ERROR", "lead_field_info", "LEAD NOT FOUND", ["apiuser", "99"]],
    ],
    [
      "ERROR: lead_field_info LIST NOT FOUND: apiuser|1",
      ["ERROR", "lead_field_info", "LIST NOT FOUND", ["apiuser", "1"]],
    ],
    [
      "ERROR: lead_field_info LIST FIELD NOT FOUND: apiuser|8",
      ["ERROR", "lead_field_info", "LIST FIELD NOT FOUND", ["apiuser", "8"]],
    ],
    [
      "ERROR: lead_field_info INVALID SEARCH PARAMETERS: apiuser|8|",
      ["ERROR", "lead_field_info", "INVALID SEARCH PARAMETERS", ["apiuser", "8", ""]],
    ],
    [
      "ERROR: lead_status_search NO RESULTS FOUND: apiuser|8||",
      ["ERROR", "lead_status_search", "NO RESULTS FOUND", ["apiuser", "8", "", ""]],
    ],
    [
      "NOTICE: phone_number_log NO RECORDS FOUND FOR THIS PHONE NUMBER - apiuser|7275550101||",
      ["NOTICE", "phone_number_log", "NO RECORDS FOUND FOR THIS PHONE NUMBER", ["apiuser", "7275550101", "", ""]],
    ],
    [
      "ERROR: check_phone_number THIS IS NOT A VALID CALL TIME: |apiuser|9am-9pm|",
      ["ERROR", "check_phone_number", "THIS IS NOT A VALID CALL TIME", ["apiuser", "9am-9pm", ""]],
    ],
    [
      "SUCCESS: add_list LIST HAS BEEN ADDED - apiuser|1005|Leads 5|Auto2",
      ["SUCCESS", "add_list", "LIST HAS BEEN ADDED", ["apiuser", "1005", "Leads 5", "Auto2"]],
    ],
  ])("%s", (line, [kind, fn, reason, fields]) => {
    const parsed = parseApiLines(line + "\n");
    expect(parsed).toEqual([{ kind, fn, reason, fields, raw: line }]);
  });

  it("finds a NOTICE glued to multi_alt_phones debug text (no newline before it)", () => {
    const body =
      "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550133|1001|27|-6.00|apiuser\n3125550134|1|cell3125550135|1|workNOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|27|apiuser\n";
    const lines = parseApiLines(body);
    expect(lines.map((l) => [l.kind, l.reason, l.fields])).toEqual([
      ["SUCCESS", "LEAD HAS BEEN ADDED", ["3125550133", "1001", "27", "-6.00", "apiuser"]],
      ["NOTICE", "MULTI-ALT-PHONE NUMBERS LOADED", ["2", "27", "apiuser"]],
    ]);
    expect(lines[1].raw).toBe("NOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|27|apiuser");
  });

  it("keeps several lines in order (NANPA notice before SUCCESS, the two Invalid Source lines), CRLF too", () => {
    expect(
      parseApiLines(
        "NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 0|apiuser\r\nSUCCESS: add_lead LEAD HAS BEEN ADDED - 7275550101|1001|8|-5.00|apiuser\r\n",
      ).map((l) => `${l.kind} ${l.reason} ${l.fields.join("|")}`),
    ).toEqual([
      "NOTICE NANPA options disabled, NANPA prefix data not loaded 0|apiuser",
      "SUCCESS LEAD HAS BEEN ADDED 7275550101|1001|8|-5.00|apiuser",
    ]);
    expect(parseApiLines("ERROR: Invalid Source - x\nERROR: Invalid Source: |x|\n").map((l) => l.fields)).toEqual([
      ["x"],
      ["x", ""],
    ]);
  });

  it("a marker inside an already matched line stays part of it", () => {
    const lines = parseApiLines(
      "ERROR: add_lead LEAD HAS NOT BEEN ADDED - 7275550101|1001|INSERT ... 'ERROR: x'|apiuser\n",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toEqual(["7275550101", "1001", "INSERT ... 'ERROR: x'", "apiuser"]);
  });

  it.each([
    ["", "empty body"],
    ["EXT-000000000001", "lead_field_info value"],
    [
      "VERSION: 2.14-107|BUILD: 180301-2301|DATE: 2026-11-23 19:22:35|EPOCH: 1795479755|DST: 0|TZ: -5.00|TZNOW: -5.00|\n",
      "version",
    ],
    ["7275550101|2026-11-22 19:24:34|1001|95|SALE|CALLER|SALE||6666\n", "phone_number_log data"],
    ["<html><body>Service Unavailable</body></html>", "html"],
  ])("no result line in %j (%s)", (body) => {
    expect(parseApiLines(body)).toEqual([]);
  });

  it("isAuthLine: login, lockout, IP, permission and user-group lines only", () => {
    const kinds = (body: string) => parseApiLines(body).map(isAuthLine);
    expect(
      kinds(
        [
          "ERROR: Login incorrect, please try again: |apiuser|wrong|BAD|",
          "ERROR: Too many login attempts, try again in 15 minutes: |apinolead|LOCK|",
          "ERROR: Your IP Address is not allowed: 10.1.2.3: ||IPBLOCK|",
          "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |u|add_lead|",
          "ERROR: add_lead USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM: |apinolead|0|",
          "ERROR: lead_field_info USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |u|0|",
          "ERROR: user_group DOES NOT EXIST: |u|g|",
        ].join("\n"),
      ),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(
      kinds(
        [
          "ERROR: add_lead INVALID PHONE NUMBER LENGTH - 12345|apiuser",
          "ERROR: add_lead NOT AN ALLOWED LIST ID - 7275550101|1001",
          "ERROR: Invalid Source - x",
          "ERROR: NO FUNCTION SPECIFIED",
          "NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser||X|",
        ].join("\n"),
      ),
    ).toEqual([false, false, false, false, false]);
  });
});

// ---------------------------------------------------------------------------------------------
// Client against the fake, real MariaDB
// ---------------------------------------------------------------------------------------------

const PASS = "S3cret_Pass-9";
const WRONG = "Wr0ng_Pass-1";
const USERS = [
  { user: "apiuser", pass: PASS },
  { user: "apiwrong", pass: "Right_Pass-2" },
  { user: "apinolead", pass: "NoLead_Pass-3", modifyLeads: false },
  { user: "apilevel7", pass: "Level7_Pass-4", level: 7 },
  { user: "apionlyinfo", pass: "OnlyInfo_Pass-5", apiAllowedFunctions: ["lead_field_info"] },
  { user: "apilock", pass: "Lock_Pass-6" },
];
const SECRETS = [PASS, WRONG, ...USERS.map((u) => u.pass)];
/** Every full phone number the client tests send: none may show up in logs or error messages. */
const PHONES = new Set<string>();
const phone = (n: number) => {
  const p = `727555${String(n).padStart(4, "0")}`;
  PHONES.add(p);
  return p;
};

let mysqlUrl: string;
let db: Connection;
let fake: FakeViciApi;
const logLines: string[] = [];
const log = pino(
  { level: "debug" },
  new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  }),
);
const thrown: unknown[] = [];

function client(over: Partial<ViciApiOptions> = {}): ViciApiClient {
  return new ViciApiClient({
    url: fake.url,
    user: "apiuser",
    pass: PASS,
    source: "gwtest",
    timeoutMs: 5000,
    log,
    ...over,
  });
}

/** Runs `p`, expects a rejection, records the error for the redaction checks and returns it. */
async function failure(p: Promise<unknown>): Promise<ViciApiError | ViciUnavailableError> {
  try {
    await p;
  } catch (err) {
    thrown.push(err);
    // A refusal (ViciApiError) or "cannot reach it": the one unavailable error, VICI_UNAVAILABLE.
    if (!(err instanceof ViciUnavailableError)) expect(err).toBeInstanceOf(ViciApiError);
    else expect(err.extensions.code).toBe("VICI_UNAVAILABLE");
    return err as ViciApiError | ViciUnavailableError;
  }
  throw new Error("expected a rejection");
}

async function lead(leadId: number): Promise<RowDataPacket> {
  const [rows] = await db.query<RowDataPacket[]>("SELECT * FROM vicidial_list WHERE lead_id = ?", [leadId]);
  return rows[0];
}

beforeAll(async () => {
  mysqlUrl = await freshViciDb(dbNameFor(__filename));
  const t = parseMysqlUrl(mysqlUrl);
  db = await connectServer(t, t.database);
  await db.query(
    `INSERT INTO vicidial_lists (list_id, list_name, campaign_id, active) VALUES
       (1001, 'Gateway A', 'TESTCAMP', 'Y'), (1002, 'Gateway B', 'TESTCAMP', 'Y'), (2001, 'Other', 'OTHER', 'Y')`,
  );
  fake = await startFakeViciApi({ mysqlUrl, users: USERS });
});

afterAll(async () => {
  await fake?.close();
  await db?.end();
});

describe("ViciApiClient: construction", () => {
  it.each<[Partial<ViciApiOptions>, RegExp]>([
    [{ source: "gw-test" }, /source/],
    [{ source: "x" }, /source/],
    [{ source: "a".repeat(21) }, /source/],
    [{ user: "api@user" }, /user/],
    [{ pass: "pa ss!" }, /pass/],
    [{ url: "ftp://127.0.0.1/vicidial/non_agent_api.php" }, /url/],
    [{ url: "http://apiuser:pw@127.0.0.1/vicidial/non_agent_api.php" }, /credentials/],
    [{ url: "http://127.0.0.1/vicidial/non_agent_api.php?pass=x" }, /pass/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])("refuses %j", (over, re) => {
    expect(
      () =>
        new ViciApiClient({
          url: "http://127.0.0.1/vicidial/non_agent_api.php",
          user: "apiuser",
          pass: PASS,
          source: "gwtest",
          ...over,
        }),
    ).toThrow(re);
  });

  it("never echoes the password when refusing it", () => {
    let message = "";
    try {
      new ViciApiClient({ url: "http://127.0.0.1/x", user: "apiuser", pass: "sec ret#", source: "gwtest" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/pass/);
    expect(message).not.toContain("sec ret#");
  });
});

describe("ViciApiClient.version", () => {
  it("parses the VERSION line and sends no credentials", async () => {
    const v = await client().version();
    expect(v).toEqual({
      version: "2.14-107",
      build: "180301-2301",
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      epoch: expect.any(Number),
      dst: false,
      tz: "-5.00",
      tzNow: "-5.00",
    });
    expect(Math.abs(v.epoch - Date.now() / 1000)).toBeLessThan(60);
    const call = fake.calls[fake.calls.length - 1];
    expect(call.fn).toBe("version");
    expect(call.params.user).toBeUndefined();
    expect(call.params.pass).toBeUndefined();
  });
});

describe("ViciApiClient.addLead", () => {
  it("stores the lead in vicidial_list as add_lead does and returns its lead_id", async () => {
    const api = client();
    const r = await api.addLead({
      phoneNumber: phone(101),
      phoneCode: "1",
      listId: 1001,
      vendorLeadCode: "BRAIN-0001",
      sourceId: "brain",
      firstName: "Ada",
      lastName: "O'Neil",
      email: "ada@example.com",
      address1: "1 Main St.",
      city: "Tampa",
      state: "FL",
      postalCode: "33601",
    });
    expect(r).toEqual({ leadId: expect.any(Number), listId: 1001, gmtOffset: null, notices: [] });
    const row = await lead(r.leadId);
    expect(row).toMatchObject({
      status: "NEW",
      user: "apiuser",
      phone_code: "1",
      phone_number: phone(101),
      list_id: 1001,
      vendor_lead_code: "BRAIN-0001",
      source_id: "brain",
      first_name: "Ada",
      last_name: "O'Neil",
      email: "ada@example.com",
      state: "FL",
      called_since_last_reset: "N",
      called_count: 0,
      gmt_offset_now: "0.00",
      gender: "U",
      date_of_birth: "0000-00-00",
      rank: 0,
      entry_list_id: 0,
    });
    const [[now]] = await db.query<RowDataPacket[]>("SELECT NOW() AS now");
    expect(row.entry_date).toBe(row.last_local_call_time);
    expect(Math.abs(Date.parse(String(now.now)) - Date.parse(String(row.entry_date)))).toBeLessThan(60_000);

    const call = fake.calls[fake.calls.length - 1];
    expect(call.method).toBe("POST");
    expect(call.params).toMatchObject({
      function: "add_lead",
      source: "gwtest",
      user: "apiuser",
      pass: "[REDACTED]",
      phone_number: phone(101),
      phone_code: "1",
      list_id: "1001",
    });
  });

  it("returns the computed gmt offset when the API found a time zone", async () => {
    fake.gmtOffset = "-5.00";
    try {
      const r = await client().addLead({ phoneNumber: phone(102), phoneCode: "1", listId: 1001 });
      expect(r.gmtOffset).toBe("-5.00");
      expect((await lead(r.leadId)).gmt_offset_now).toBe("-5.00");
    } finally {
      fake.gmtOffset = null;
    }
  });

  it("a duplicate is a ViciApiRejectedError whose message and line mask the phone", async () => {
    const api = client();
    const first = await api.addLead({
      phoneNumber: phone(103),
      phoneCode: "1",
      listId: 1001,
      duplicateCheck: ["DUPLIST"],
    });
    const err = await failure(
      api.addLead({ phoneNumber: phone(103), phoneCode: "1", listId: 1001, duplicateCheck: ["DUPLIST"] }),
    );
    expect(err).toBeInstanceOf(ViciApiRejectedError);
    expect(err.retryable).toBe(false);
    expect(err.line).toMatchObject({
      kind: "ERROR",
      fn: "add_lead",
      reason: "DUPLICATE PHONE NUMBER IN LIST",
      fields: ["******0103", "1001", String(first.leadId)],
    });
    expect(err.message).toContain("DUPLICATE PHONE NUMBER IN LIST");
    expect(err.message).not.toContain(phone(103));
    expect(err.line!.raw).not.toContain(phone(103));
    // Campaign-wide: list 1002 belongs to the same campaign.
    const camp = await failure(
      api.addLead({ phoneNumber: phone(103), phoneCode: "1", listId: 1002, duplicateCheck: ["DUPCAMP"] }),
    );
    expect(camp.line).toMatchObject({
      reason: "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS",
      fields: ["******0103", "1002", String(first.leadId), "1001"],
    });
    // Another campaign's list is no duplicate for DUPCAMP.
    await expect(
      api.addLead({ phoneNumber: phone(103), phoneCode: "1", listId: 2001, duplicateCheck: ["DUPCAMP"] }),
    ).resolves.toMatchObject({ listId: 2001 });
  });

  it("system DNC check (sent only when asked) is a ViciApiRejectedError", async () => {
    await db.query("INSERT INTO vicidial_dnc (phone_number) VALUES (?)", [phone(104)]);
    const err = await failure(
      client().addLead({ phoneNumber: phone(104), phoneCode: "1", listId: 1001, dncCheck: "Y" }),
    );
    expect(err).toBeInstanceOf(ViciApiRejectedError);
    expect(err.line).toMatchObject({ reason: "PHONE NUMBER IN DNC", fields: ["******0104", "apiuser"] });
  });

  it("debug text before a NOTICE (multi_alt_phones) is parsed; the NOTICE comes back in notices", async () => {
    const r = await client().addLead({
      phoneNumber: phone(105),
      phoneCode: "1",
      listId: 1001,
      multiAltPhones: [
        { phoneNumber: phone(106), phoneCode: "1", note: "cell" },
        { phoneNumber: phone(107), phoneCode: "1", note: "work" },
      ],
    });
    const response = fake.calls[fake.calls.length - 1].response!;
    expect(response).toContain(
      `${phone(106)}|1|cell${phone(107)}|1|workNOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|${r.leadId}|apiuser\n`,
    );
    expect(r.notices).toEqual([
      {
        kind: "NOTICE",
        fn: "add_lead",
        reason: "MULTI-ALT-PHONE NUMBERS LOADED",
        fields: ["2", String(r.leadId), "apiuser"],
        raw: `NOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|${r.leadId}|apiuser`,
      },
    ]);
    const [alts] = await db.query<RowDataPacket[]>(
      "SELECT phone_number, alt_phone_note, alt_phone_count FROM vicidial_list_alt_phones WHERE lead_id = ? ORDER BY alt_phone_count",
      [r.leadId],
    );
    expect(alts).toEqual([
      { phone_number: phone(106), alt_phone_note: "cell", alt_phone_count: 1 },
      { phone_number: phone(107), alt_phone_note: "work", alt_phone_count: 2 },
    ]);
  });

  describe("refuses locally what the API would mangle: nothing is sent", () => {
    const base = { phoneNumber: "7275550199", phoneCode: "1", listId: 1001 };
    it.each<[string, Record<string, unknown>, string]>([
      [
        "25-character vendor code (API truncates to 20)",
        { vendorLeadCode: "BRAIN-" + "X".repeat(19) },
        "vendorLeadCode",
      ],
      ["vendor code with ;", { vendorLeadCode: "a;b" }, "vendorLeadCode"],
      ["vendor code with #", { vendorLeadCode: "a#b" }, "vendorLeadCode"],
      ["vendor code with + (becomes a space)", { vendorLeadCode: "a+b" }, "vendorLeadCode"],
      ['vendor code with " (breaks the SQL)', { vendorLeadCode: 'a"b' }, "vendorLeadCode"],
      ["E.164 phone +17275550104 (stored as 17275550104)", { phoneNumber: "+17275550104" }, "phoneNumber"],
      ["phone with country code glued on, 11 digits OK but + not", { phoneNumber: "+1 727 555 0104" }, "phoneNumber"],
      ["formatted phone", { phoneNumber: "(727) 555-0103" }, "phoneNumber"],
      ["phone with letters (API deletes them)", { phoneNumber: "727ABC0102" }, "phoneNumber"],
      ["5-digit phone", { phoneNumber: "12345" }, "phoneNumber"],
      ["17-digit phone", { phoneNumber: "12345678901234567" }, "phoneNumber"],
      ["2-digit list id (API uses 999)", { listId: 99 }, "listId"],
      ["fractional list id", { listId: 1001.5 }, "listId"],
      ["phone code with +", { phoneCode: "+1" }, "phoneCode"],
      ["non-ASCII first name (API drops letters)", { firstName: "Jörg" }, "firstName"],
      ["email with + (becomes a space)", { email: "a+b@x.com" }, "email"],
      ["state longer than 2 (truncated)", { state: "Florida" }, "state"],
      ["invalid date of birth (stored 0000-00-00)", { dateOfBirth: "1980-02-30" }, "dateOfBirth"],
      ["negative rank (minus deleted)", { rank: -1 }, "rank"],
      ["unknown duplicate check (ignored by the API)", { duplicateCheck: ["DUPPHONE"] }, "duplicateCheck"],
      ["campaign DNC check without campaign (skipped by the API)", { campaignDncCheck: "Y" }, "campaignDncCheck"],
      ["--BLANK-- (stored literally)", { comments: "--BLANK--" }, "comments"],
    ])("%s", async (_name, over, field) => {
      const before = fake.calls.length;
      const err = await failure(client().addLead({ ...base, ...over } as never));
      expect(err).toBeInstanceOf(ViciApiInputError);
      expect(err).toBeInstanceOf(ViciApiRejectedError);
      expect((err as ViciApiInputError).field).toBe(field);
      expect(err.retryable).toBe(false);
      expect(err.message).not.toMatch(/\d{7,}/); // no full phone in the message
      expect(fake.calls.length).toBe(before);
    });
  });
});

describe("ViciApiClient.findLead", () => {
  let leadId: number;
  beforeAll(async () => {
    leadId = (
      await client().addLead({ phoneNumber: phone(201), phoneCode: "1", listId: 1002, vendorLeadCode: "BRAIN-0201" })
    ).leadId;
  });

  it("by vendor code (update_lead, no_update=Y, search_location=SYSTEM)", async () => {
    await expect(client().findLead({ vendorLeadCode: "BRAIN-0201" })).resolves.toEqual({
      leadId,
      vendorLeadCode: "BRAIN-0201",
      phoneNumber: null, // the API echoes only the keys that were searched
      listId: 1002,
      entryListId: 0,
    });
    expect(fake.calls[fake.calls.length - 1].params).toMatchObject({
      function: "update_lead",
      search_method: "VENDOR_LEAD_CODE",
      vendor_lead_code: "BRAIN-0201",
      no_update: "Y",
      search_location: "SYSTEM",
    });
    expect(await lead(leadId)).toMatchObject({ vendor_lead_code: "BRAIN-0201", status: "NEW" }); // no_update: untouched
  });

  it("by lead id", async () => {
    await expect(client().findLead({ leadId })).resolves.toEqual({
      leadId,
      vendorLeadCode: null,
      phoneNumber: null,
      listId: 1002,
      entryListId: 0,
    });
    expect(fake.calls[fake.calls.length - 1].params).toMatchObject({
      search_method: "LEAD_ID",
      lead_id: String(leadId),
    });
  });

  it("by phone", async () => {
    await expect(client().findLead({ phoneNumber: phone(201) })).resolves.toMatchObject({
      leadId,
      phoneNumber: phone(201),
      listId: 1002,
    });
  });

  it("combined keys are tried in API order: lead_id, then vendor code", async () => {
    await expect(client().findLead({ leadId: 999999, vendorLeadCode: "BRAIN-0201" })).resolves.toMatchObject({
      leadId,
    });
    expect(fake.calls[fake.calls.length - 1].params.search_method).toBe("LEAD_ID_VENDOR_LEAD_CODE");
  });

  it("null when nothing matches", async () => {
    await expect(client().findLead({ vendorLeadCode: "NO-SUCH-CODE" })).resolves.toBeNull();
    await expect(client().findLead({ leadId: 999999 })).resolves.toBeNull();
    await expect(client().findLead({ phoneNumber: phone(299) })).resolves.toBeNull();
  });

  it("refuses locally: no key, a vendor code the API would clean, a bad lead id", async () => {
    const before = fake.calls.length;
    for (const by of [
      {},
      { vendorLeadCode: "A+B" },
      { vendorLeadCode: "" },
      { leadId: 0 },
      { phoneNumber: "+17275550201" },
    ]) {
      expect(await failure(client().findLead(by))).toBeInstanceOf(ViciApiInputError);
    }
    expect(fake.calls.length).toBe(before);
  });
});

describe("ViciApiClient.updateLead and leadFieldInfo", () => {
  let leadId: number;
  beforeAll(async () => {
    leadId = (
      await client().addLead({ phoneNumber: phone(301), phoneCode: "1", listId: 1001, vendorLeadCode: "OLD-0301" })
    ).leadId;
  });

  it("changes the vendor code searching by LEAD_ID only; same value again → affectedRows 0", async () => {
    const api = client();
    await expect(api.updateLead(leadId, { vendorLeadCode: "BRAIN-0301" })).resolves.toEqual({ affectedRows: 1 });
    const call = fake.calls[fake.calls.length - 1];
    expect(call.params).toMatchObject({
      function: "update_lead",
      search_method: "LEAD_ID",
      lead_id: String(leadId),
      vendor_lead_code: "BRAIN-0301",
    });
    expect(call.params.no_update).toBeUndefined();
    expect((await lead(leadId)).vendor_lead_code).toBe("BRAIN-0301");
    await expect(api.updateLead(leadId, { vendorLeadCode: "BRAIN-0301" })).resolves.toEqual({ affectedRows: 0 });
    await expect(api.leadFieldInfo(leadId, "vendor_lead_code")).resolves.toBe("BRAIN-0301");
  });

  it("updates status and names", async () => {
    await expect(
      client().updateLead(leadId, { status: "SALE", firstName: "Grace", lastName: "Hopper" }),
    ).resolves.toEqual({ affectedRows: 1 });
    expect(await lead(leadId)).toMatchObject({ status: "SALE", first_name: "Grace", last_name: "Hopper" });
  });

  it("a lead that does not exist is a ViciApiRejectedError (NO MATCHES FOUND)", async () => {
    const err = await failure(client().updateLead(999999, { status: "SALE" }));
    expect(err).toBeInstanceOf(ViciApiRejectedError);
    expect(err.line).toMatchObject({ kind: "ERROR", fn: "update_lead", reason: "NO MATCHES FOUND IN THE SYSTEM" });
  });

  it("affected rows -1 (SQL failure, still prefixed SUCCESS) is an error", async () => {
    fake.failNext(1, { body: `SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${leadId}|-1\n` });
    const err = await failure(client().updateLead(leadId, { status: "SALE" }));
    expect(err).toBeInstanceOf(ViciApiRejectedError);
    expect(err.message).toMatch(/-1/);
  });

  it("an empty body (found, nothing to change) is affectedRows 0", async () => {
    fake.failNext(1, "empty");
    await expect(client().updateLead(leadId, { status: "SALE" })).resolves.toEqual({ affectedRows: 0 });
  });

  it("deleteLead: update_lead by LEAD_ID with delete_lead=Y; true when deleted, false when no lead has the id; other answers are errors", async () => {
    const api = client();
    const doomed = (await api.addLead({ phoneNumber: phone(303), phoneCode: "1", listId: 1001 })).leadId;
    await expect(api.deleteLead(doomed)).resolves.toBe(true);
    const call = fake.calls[fake.calls.length - 1];
    expect(call.params).toMatchObject({
      function: "update_lead",
      search_method: "LEAD_ID",
      search_location: "SYSTEM",
      records: "1",
      lead_id: String(doomed),
      delete_lead: "Y",
    });
    expect(await lead(doomed)).toBeUndefined();
    await expect(api.deleteLead(doomed)).resolves.toBe(false); // ERROR: update_lead NO MATCHES FOUND IN THE SYSTEM
    // The real API archives the lead's callbacks first and says how many: still a delete.
    fake.failNext(1, { body: `SUCCESS: update_lead LEAD HAS BEEN DELETED 1|1 - apiuser|${doomed}|1\n` });
    await expect(api.deleteLead(doomed)).resolves.toBe(true);
    fake.failNext(1, { body: `SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - apiuser|${doomed + 1}|1\n` });
    expect(await failure(api.deleteLead(doomed))).toBeInstanceOf(ViciUnavailableError); // another lead's line: never taken as ours
    fake.failNext(1, "empty");
    expect(await failure(api.deleteLead(doomed))).toBeInstanceOf(ViciUnavailableError);
    fake.failNext(1, {
      body: "ERROR: update_lead USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM: |apiuser|0|\n",
    });
    expect(await failure(api.deleteLead(doomed))).toBeInstanceOf(ViciApiAuthError);
    const before = fake.calls.length;
    expect(await failure(api.deleteLead(0))).toBeInstanceOf(ViciApiInputError);
    expect(fake.calls.length).toBe(before);
  });

  it("refuses locally what update_lead would skip or mangle", async () => {
    const before = fake.calls.length;
    for (const f of [
      {},
      { vendorLeadCode: "" },
      { vendorLeadCode: "--BLANK--" },
      { vendorLeadCode: "X".repeat(21) },
      { status: "sale" },
      { status: 'A"B' },
      { status: "TOOLONG" },
      { listId: 12 },
    ]) {
      expect(await failure(client().updateLead(leadId, f as never))).toBeInstanceOf(ViciApiInputError);
    }
    expect(fake.calls.length).toBe(before);
  });

  it("leadFieldInfo: raw value, empty value, and the ERROR lines", async () => {
    const api = client();
    await expect(api.leadFieldInfo(leadId, "phone_number")).resolves.toBe(phone(301));
    await expect(api.leadFieldInfo(leadId, "address3")).resolves.toBe("");
    await expect(api.leadFieldInfo(leadId, "list_id")).resolves.toBe("1001");
    const unknownField = await failure(api.leadFieldInfo(leadId, "campaign_id"));
    expect(unknownField).toBeInstanceOf(ViciApiRejectedError);
    expect(unknownField.line).toMatchObject({
      fn: "lead_field_info",
      reason: "LIST FIELD NOT FOUND",
      fields: ["apiuser", String(leadId)],
    });
    expect((await failure(api.leadFieldInfo(999999, "status"))).line).toMatchObject({ reason: "LEAD NOT FOUND" });
    const orphan = await api.addLead({ phoneNumber: phone(302), phoneCode: "1", listId: 5555 }); // no vicidial_lists row
    expect((await failure(api.leadFieldInfo(orphan.leadId, "status"))).line).toMatchObject({
      reason: "LIST NOT FOUND",
    });
  });
});

describe("ViciApiClient: authentication errors latch", () => {
  it("a login error is a ViciApiAuthError without the password; the next call sends nothing", async () => {
    const api = client({ user: "apiwrong", pass: WRONG });
    const before = fake.calls.length;
    const err = await failure(api.addLead({ phoneNumber: phone(401), phoneCode: "1", listId: 1001 }));
    expect(err).toBeInstanceOf(ViciApiAuthError);
    expect(err.retryable).toBe(false);
    expect(err.line).toMatchObject({
      kind: "ERROR",
      fn: "",
      reason: "Login incorrect, please try again",
      fields: ["apiwrong", "[redacted]", "BAD", ""],
    });
    expect(err.message).toContain("Login incorrect");
    expect(err.message).not.toContain(WRONG);
    expect(JSON.stringify(err.line)).not.toContain(WRONG);
    expect(fake.calls.length).toBe(before + 1);
    expect(fake.calls[before].response).toBe("ERROR: Login incorrect, please try again: |apiwrong|[REDACTED]|BAD|\n");
    expect(fake.failedLogins("apiwrong")).toBe(1);

    // Latched: same error, nothing sent, whatever the function.
    await expect(api.findLead({ leadId: 1 })).rejects.toBe(err);
    await expect(api.updateLead(1, { status: "SALE" })).rejects.toBe(err);
    await expect(api.leadFieldInfo(1, "status")).rejects.toBe(err);
    await expect(api.addLead({ phoneNumber: phone(401), phoneCode: "1", listId: 1001 })).rejects.toBe(err);
    expect(api.authLatch).toBe(err);
    expect(fake.calls.length).toBe(before + 1);
    expect(fake.failedLogins("apiwrong")).toBe(1);

    // version sends no credentials, so it is not blocked.
    await expect(api.version()).resolves.toMatchObject({ version: "2.14-107" });

    api.resetAuthLatch();
    expect(await failure(api.findLead({ leadId: 1 }))).toBeInstanceOf(ViciApiAuthError);
    expect(fake.failedLogins("apiwrong")).toBe(2);
  });

  it("10 failed logins lock the user for 15 minutes even with the right password", async () => {
    for (let i = 0; i < 10; i++) {
      api401(
        await client({ user: "apilock", pass: WRONG })
          .findLead({ leadId: 1 })
          .catch((e: unknown) => e),
      );
    }
    expect(fake.failedLogins("apilock")).toBe(10);
    const err = await failure(client({ user: "apilock", pass: "Lock_Pass-6" }).findLead({ leadId: 1 }));
    expect(err).toBeInstanceOf(ViciApiAuthError);
    expect(err.line).toMatchObject({
      reason: "Too many login attempts, try again in 15 minutes",
      fields: ["apilock", "LOCK", ""],
    });

    function api401(e: unknown) {
      expect(e).toBeInstanceOf(ViciApiAuthError);
    }
  });

  it("a permission error (no modify_leads) is a ViciApiAuthError and latches", async () => {
    const api = client({ user: "apinolead", pass: "NoLead_Pass-3" });
    const err = await failure(api.addLead({ phoneNumber: phone(402), phoneCode: "1", listId: 1001 }));
    expect(err).toBeInstanceOf(ViciApiAuthError);
    expect(err.line).toMatchObject({
      fn: "add_lead",
      reason: "USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM",
      fields: ["apinolead", "0", ""],
    });
    const before = fake.calls.length;
    await expect(api.findLead({ leadId: 1 })).rejects.toBe(err);
    expect(fake.calls.length).toBe(before);
    const [[n]] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = ?", [
      phone(402),
    ]);
    expect(Number(n.n)).toBe(0);
  });

  it("user level 7 may read (lead_field_info) but not write; api_allowed_functions is enforced", async () => {
    const seven = client({ user: "apilevel7", pass: "Level7_Pass-4" });
    await expect(seven.leadFieldInfo(1, "status")).resolves.toBe("NEW");
    const err = await failure(seven.updateLead(1, { status: "SALE" }));
    expect(err).toBeInstanceOf(ViciApiAuthError);
    expect(err.line).toMatchObject({
      fn: "update_lead",
      reason: "USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM",
    });

    const only = client({ user: "apionlyinfo", pass: "OnlyInfo_Pass-5" });
    const denied = await failure(only.findLead({ leadId: 1 }));
    expect(denied).toBeInstanceOf(ViciApiAuthError);
    expect(denied.line).toMatchObject({
      fn: "auth",
      reason: "USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION",
      fields: ["apionlyinfo", "update_lead", ""],
    });
  });
});

describe("ViciApiClient: unavailable", () => {
  afterEach(() => {
    fake.setDown(false);
    fake.delayMs = 0;
  });

  const expectUnavailable = async (p: Promise<unknown>, re: RegExp) => {
    const err = await failure(p);
    expect(err).toBeInstanceOf(ViciUnavailableError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(re);
    return err;
  };

  it("server down: connection dropped, or HTTP 503", async () => {
    fake.setDown(true);
    await expectUnavailable(
      client().addLead({ phoneNumber: phone(501), phoneCode: "1", listId: 1001 }),
      /network error/,
    );
    fake.setDown(true, "503");
    await expectUnavailable(client().findLead({ leadId: 1 }), /HTTP 503/);
    fake.setDown(false);
    await expect(client().findLead({ leadId: 1 })).resolves.toMatchObject({ leadId: 1 });
  });

  it("nothing listening: connection refused", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await expectUnavailable(
      client({ url: `http://127.0.0.1:${port}${FAKE_API_PATH}` }).findLead({ leadId: 1 }),
      /network error \(ECONNREFUSED\)/,
    );
  });

  it("timeout: a slow server, and a server that never answers", async () => {
    fake.delayMs = 1500;
    const started = Date.now();
    await expectUnavailable(client({ timeoutMs: 200 }).findLead({ leadId: 1 }), /within 200 ms/);
    expect(Date.now() - started).toBeLessThan(1400);
    fake.delayMs = 0;
    fake.failNext(1, "hang");
    await expectUnavailable(client({ timeoutMs: 200 }).version(), /within 200 ms/);
  });

  it("HTTP 500, a redirect, an empty body where a result is required, a body without a result line", async () => {
    fake.failNext(1, "500");
    await expectUnavailable(client().addLead({ phoneNumber: phone(502), phoneCode: "1", listId: 1001 }), /HTTP 500/);
    fake.failNext(1, { status: 302, body: "" });
    await expectUnavailable(client().findLead({ leadId: 1 }), /HTTP 302/);
    fake.failNext(1, "empty");
    await expectUnavailable(
      client().addLead({ phoneNumber: phone(502), phoneCode: "1", listId: 1001 }),
      /empty response/,
    );
    fake.failNext(1, "empty");
    await expectUnavailable(client().findLead({ leadId: 1 }), /empty response/);
    fake.failNext(1, "empty");
    await expectUnavailable(client().version(), /empty response/);
    fake.failNext(1, "garbage");
    await expectUnavailable(
      client().addLead({ phoneNumber: phone(502), phoneCode: "1", listId: 1001 }),
      /no add_lead result line/,
    );
    fake.failNext(1, { body: "NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 0|apiuser\n" });
    await expectUnavailable(
      client().addLead({ phoneNumber: phone(502), phoneCode: "1", listId: 1001 }),
      /no add_lead result line/,
    );
    // None of these inserted anything: the fake failed before running add_lead.
    const [[n]] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = ?", [
      phone(502),
    ]);
    expect(Number(n.n)).toBe(0);
  });

  it("a crash after the insert: Unavailable for the client, but the lead exists (afterInsert hook)", async () => {
    fake.afterInsert = () => {
      throw new Error("simulated crash");
    };
    try {
      await expectUnavailable(
        client().addLead({ phoneNumber: phone(503), phoneCode: "1", listId: 1001, vendorLeadCode: "BRAIN-0503" }),
        /network error/,
      );
    } finally {
      fake.afterInsert = undefined;
    }
    await expect(client().findLead({ vendorLeadCode: "BRAIN-0503" })).resolves.toMatchObject({ listId: 1001 });
  });

  it("two concurrent DUPLIST add_leads both pass the check (beforeInsert race), as observed on the real API", async () => {
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((r) => (release = r));
    fake.beforeInsert = async () => {
      if (++arrived === 2) release();
      await bothThere;
    };
    try {
      const p = { phoneNumber: phone(504), phoneCode: "1", listId: 1001, duplicateCheck: ["DUPLIST" as const] };
      const [a, b] = await Promise.all([client().addLead(p), client().addLead(p)]);
      expect(a.leadId).not.toBe(b.leadId);
    } finally {
      fake.beforeInsert = undefined;
    }
    const [[n]] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = ?", [
      phone(504),
    ]);
    expect(Number(n.n)).toBe(2);
  });
});

describe("ViciApiClient: what it sent and logged", () => {
  it("every request was a form POST to the bare URL: no password in any URL, never DB=1", () => {
    const fromClient = fake.calls;
    expect(fromClient.length).toBeGreaterThan(40);
    for (const c of fromClient) {
      expect(c.method).toBe("POST");
      expect(c.url).toBe(FAKE_API_PATH);
      expect(c.query).toEqual({});
      expect(c.passInQuery).toBe(false);
      expect(c.secretInUrl).toBe(false);
      expect(c.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(c.params.DB).toBeUndefined();
      expect(Object.keys(c.params).some((k) => k.toUpperCase() === "DB")).toBe(false);
    }
  });

  it("the fake saw nothing it could not handle", () => {
    expect(fake.errors).toEqual([]);
  });

  it("no password and no full phone number in logs or error messages", () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(thrown.length).toBeGreaterThan(20);
    const texts = [
      ...logLines,
      ...thrown.map((e) => `${(e as Error).message} ${JSON.stringify((e as ViciApiError).line)}`),
    ];
    for (const t of texts) {
      for (const s of SECRETS) expect(t).not.toContain(s);
      for (const p of PHONES) expect(t).not.toContain(p);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The fake itself, raw HTTP (its own instance: the checks above cover only client traffic)
// ---------------------------------------------------------------------------------------------

describe("fake Non-Agent API: protocol per API.md", () => {
  let proto: FakeViciApi;
  beforeAll(async () => {
    proto = await startFakeViciApi({
      mysqlUrl,
      users: [
        { user: "apiuser", pass: "apipass1" },
        { user: "apilock2", pass: "lockpass2" },
      ],
    });
  });
  afterAll(async () => {
    await proto?.close();
    expect(proto.errors).toEqual([]);
  });

  const AUTH = { user: "apiuser", pass: "apipass1", source: "rawtest" };
  async function raw(params: Record<string, string>, query?: Record<string, string>) {
    const url = proto.url + (query ? "?" + new URLSearchParams(query).toString() : "");
    const res = await fetch(url, { method: "POST", body: new URLSearchParams(params) });
    return { status: res.status, contentType: res.headers.get("content-type"), body: await res.text() };
  }
  async function addRaw(params: Record<string, string>) {
    const r = await raw({ ...AUTH, function: "add_lead", ...params });
    const m = /LEAD HAS BEEN ADDED - [^|]*\|[^|]*\|(\d+)\|/.exec(r.body);
    return { ...r, leadId: m ? Number(m[1]) : null };
  }

  it("HTTP 200 text/html for success and errors alike", async () => {
    for (const r of [await raw({ function: "version" }), await raw({ ...AUTH, pass: "nope", function: "add_lead" })]) {
      expect(r.status).toBe(200);
      expect(r.contentType).toBe("text/html; charset=utf-8");
    }
  });

  it("GET works; the query string wins over the POST body", async () => {
    const get = await fetch(proto.url + "?function=version");
    expect(await get.text()).toMatch(
      /^VERSION: 2\.14-107\|BUILD: 180301-2301\|DATE: [^|]+\|EPOCH: \d+\|DST: 0\|TZ: -5\.00\|TZNOW: -5\.00\|\n$/,
    );
    const mixed = await raw({ ...AUTH, function: "add_lead" }, { function: "version" });
    expect(mixed.body).toMatch(/^VERSION: /);
    const c = proto.calls[proto.calls.length - 1];
    expect(c.params.function).toBe("version");
    expect(c.body.pass).toBe("[REDACTED]");
  });

  it("records a password sent in the query string (redacted) so tests can catch it", async () => {
    await raw({ function: "add_lead" }, { ...AUTH });
    const c = proto.calls[proto.calls.length - 1];
    expect(c.passInQuery).toBe(true);
    expect(c.secretInUrl).toBe(true);
    expect(c.url).not.toContain("apipass1");
    expect(c.query.pass).toBe("[REDACTED]");
  });

  it("source, unknown function, unimplemented function", async () => {
    expect((await raw({ ...AUTH, source: "x", function: "add_lead" })).body).toBe(
      "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|\n",
    );
    expect((await raw({ ...AUTH, source: "g-", function: "update_lead" })).body).toBe(
      "ERROR: Invalid Source - g\nERROR: Invalid Source: |g|\n",
    );
    expect((await raw({ ...AUTH, function: "lead_search" })).body).toBe("ERROR: NO FUNCTION SPECIFIED\n");
    expect((await raw({ ...AUTH })).body).toBe("ERROR: NO FUNCTION SPECIFIED\n");
    expect((await raw({ ...AUTH, function: "phone_number_log" })).status).toBe(501);
  });

  it("login: BAD echoes the (cleaned) password; 10 failures lock even the right password", async () => {
    expect((await raw({ ...AUTH, user: "apilock2", pass: "wr#ong!", function: "add_lead" })).body).toBe(
      "ERROR: Login incorrect, please try again: |apilock2|wrong|BAD|\n",
    );
    for (let i = 0; i < 9; i++) await raw({ ...AUTH, user: "apilock2", pass: "wrong", function: "add_lead" });
    expect(proto.failedLogins("apilock2")).toBe(10);
    expect((await raw({ ...AUTH, user: "apilock2", pass: "lockpass2", function: "add_lead" })).body).toBe(
      "ERROR: Too many login attempts, try again in 15 minutes: |apilock2|LOCK|\n",
    );
    proto.resetLockouts();
    expect((await raw({ ...AUTH, user: "apilock2", pass: "lockpass2", function: "lead_field_info" })).body).toBe(
      "ERROR: lead_field_info INVALID SEARCH PARAMETERS: apilock2||\n",
    );
  });

  it("add_lead input cleaning, as observed on the real API (API.md §3, §7)", async () => {
    const cases: [Record<string, string>, Record<string, unknown>][] = [
      [
        { phone_number: "(727) 555-0603", list_id: "1001" },
        { phone_number: "7275550603", phone_code: "1" },
      ],
      [{ phone_number: "727ABC0602", list_id: "1001" }, { phone_number: "7270602" }],
      [
        { phone_number: "+17275550604", list_id: "1001" },
        { phone_number: "17275550604", phone_code: "1" },
      ],
      [{ phone_number: "7275550605" }, { list_id: 999 }],
      [{ phone_number: "7275550606", list_id: "12" }, { list_id: 999 }],
      [
        { phone_number: "7275550607", list_id: "5555", phone_code: "44" },
        { list_id: 5555, phone_code: "44" },
      ],
      [
        { phone_number: "7275550608", vendor_lead_code: "ABCDEFGHIJKLMNOPQRSTUVWXY" },
        { vendor_lead_code: "ABCDEFGHIJKLMNOPQRST" },
      ],
      [{ phone_number: "7275550609", vendor_lead_code: "a;b#c+d" }, { vendor_lead_code: "abc d" }],
      [
        {
          phone_number: "7275550610",
          state: "Florida",
          gender: "X",
          email: "a+b@x.com",
          first_name: "Jörg",
          date_of_birth: "1980-02-30",
        },
        { state: "Fl", gender: null, email: "a b@x.com", first_name: "Jrg", date_of_birth: "0000-00-00" },
      ],
      [
        { phone_number: "7275550611", date_of_birth: "1980-02-28", gender: "F", rank: "-5" },
        { date_of_birth: "1980-02-28", gender: "F", rank: 5 },
      ],
      [{ phone_number: "72755,50612" }, { phone_number: "72755,50612" }],
    ];
    for (const [params, expected] of cases) {
      const r = await addRaw(params);
      expect(r.body).toMatch(/^SUCCESS: add_lead LEAD HAS BEEN ADDED - /);
      expect(await lead(r.leadId!)).toMatchObject({
        status: "NEW",
        user: "apiuser",
        called_count: 0,
        called_since_last_reset: "N",
        ...expected,
      });
    }
    expect((await addRaw({ phone_number: "ABCDEFGHIJ" })).body).toBe(
      "ERROR: add_lead INVALID PHONE NUMBER LENGTH - |apiuser\n",
    );
    expect((await addRaw({ phone_number: "12345" })).body).toBe(
      "ERROR: add_lead INVALID PHONE NUMBER LENGTH - 12345|apiuser\n",
    );
    expect((await addRaw({ phone_number: "12345678901234567" })).body).toBe(
      "ERROR: add_lead INVALID PHONE NUMBER LENGTH - 12345678901234567|apiuser\n",
    );
    expect((await addRaw({ phone_number: "3121550138", usacan_prefix_check: "Y" })).body).toBe(
      "ERROR: add_lead INVALID PHONE NUMBER PREFIX - 3121550138|apiuser\n",
    );
  });

  it("add_lead: the SUCCESS line's fields; DNC and duplicate lines", async () => {
    const a = await addRaw({ phone_number: "7275550620", list_id: "1001" });
    expect(a.body).toBe(`SUCCESS: add_lead LEAD HAS BEEN ADDED - 7275550620|1001|${a.leadId}||apiuser\n`);
    expect((await addRaw({ phone_number: "7275550620", list_id: "1001", duplicate_check: "DUPLIST" })).body).toBe(
      `ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 7275550620|1001|${a.leadId}\n`,
    );
    expect(
      (await addRaw({ phone_number: "7275550620", list_id: "1002", duplicate_check: "DUPLIST,DUPCAMP" })).body,
    ).toBe(`ERROR: add_lead DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS - 7275550620|1002|${a.leadId}|1001\n`);
    expect((await addRaw({ phone_number: "7275550620", list_id: "2001", duplicate_check: "DUPSYS90DAY" })).body).toBe(
      `ERROR: add_lead DUPLICATE PHONE NUMBER IN SYSTEM - 7275550620|2001|${a.leadId}|1001\n`,
    );
    // Unknown option ignored; a list without vicidial_lists row makes DUPCAMP find nothing.
    expect((await addRaw({ phone_number: "7275550620", list_id: "1001", duplicate_check: "DUPPHONE" })).body).toMatch(
      /^SUCCESS/,
    );
    expect((await addRaw({ phone_number: "7275550620", list_id: "5555", duplicate_check: "DUPCAMP" })).body).toMatch(
      /^SUCCESS/,
    );

    await db.query("INSERT INTO vicidial_dnc (phone_number) VALUES ('9005550100'), ('900XXXXXXX'), ('2025550199')");
    await db.query("INSERT INTO vicidial_campaign_dnc (phone_number, campaign_id) VALUES ('2025550198', 'Autodial')");
    expect((await addRaw({ phone_number: "2025550199", dnc_check: "Y" })).body).toBe(
      "ERROR: add_lead PHONE NUMBER IN DNC - 2025550199|apiuser\n",
    );
    expect((await addRaw({ phone_number: "9005550101", dnc_check: "Y" })).body).toMatch(/^SUCCESS/); // wildcard needs AREACODE
    expect((await addRaw({ phone_number: "9005550102", dnc_check: "AREACODE" })).body).toBe(
      "ERROR: add_lead PHONE NUMBER IN DNC - 9005550102|apiuser\n",
    );
    expect((await addRaw({ phone_number: "2025550198", campaign_dnc_check: "Y" })).body).toMatch(/^SUCCESS/); // no campaign_id
    expect((await addRaw({ phone_number: "2025550198", campaign_dnc_check: "Y", campaign_id: "Autodial" })).body).toBe(
      "ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - 2025550198|Autodial|apiuser\n",
    );
  });

  it("update_lead: search errors, no_update NOTICEs, truncation to the same value, -1, empty body, delete", async () => {
    const a = await addRaw({
      phone_number: "7275550630",
      list_id: "1001",
      vendor_lead_code: "ABCDEFGHIJKLMNOPQRSTUVWXY",
    });
    const id = a.leadId!;
    const upd = (p: Record<string, string>) => raw({ ...AUTH, function: "update_lead", ...p });
    expect((await upd({ search_method: "LEAD_ID", vendor_lead_code: "X1" })).body).toBe(
      "ERROR: update_lead NO VALID SEARCH METHOD - apiuser|LEAD_ID||X1|\n",
    );
    expect(
      (await upd({ search_method: "VENDOR_LEAD_CODE", vendor_lead_code: "ABCDEFGHIJKLMNOPQRSTUVWXY", no_update: "Y" }))
        .body,
    ).toBe("NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser||ABCDEFGHIJKLMNOPQRSTUVWXY|\n");
    expect(
      (await upd({ search_method: "VENDOR_LEAD_CODE", vendor_lead_code: "ABCDEFGHIJKLMNOPQRST", no_update: "Y" })).body,
    ).toBe(`NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |apiuser|${id}|ABCDEFGHIJKLMNOPQRST||1001|0\n`);
    expect((await upd({ lead_id: "999999", vendor_lead_code: "X" })).body).toBe(
      "ERROR: update_lead NO MATCHES FOUND IN THE SYSTEM: |apiuser|999999|X|\n",
    );
    // The 25-char value truncates to what is stored: matched, nothing changed.
    expect((await upd({ lead_id: String(id), vendor_lead_code: "ABCDEFGHIJKLMNOPQRSTUVWXY" })).body).toBe(
      `SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${id}|0\n`,
    );
    expect((await upd({ lead_id: String(id), status: 'A"B' })).body).toBe(
      `SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${id}|-1\n`,
    );
    expect((await lead(id)).status).toBe("NEW");
    expect((await upd({ lead_id: String(id), status: "sale" })).body).toBe(
      `SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${id}|1\n`,
    );
    expect((await lead(id)).status).toBe("sale"); // case kept
    expect((await upd({ lead_id: String(id), comments: "--BLANK--" })).body).toMatch(/\|1\n$/);
    expect((await lead(id)).comments).toBe("--BLANK--");
    expect((await upd({ lead_id: String(id), first_name: "" })).body).toBe(""); // nothing to change
    expect((await upd({ lead_id: String(id), list_id_field: "1002", reset_lead: "Y" })).body).toMatch(/\|1\n$/);
    expect((await lead(id)).list_id).toBe(1002);
    expect((await upd({ lead_id: String(id), delete_lead: "Y" })).body).toBe(
      `SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - apiuser|${id}|1\n`,
    );
    expect(await lead(id)).toBeUndefined();
  });

  it("update_lead by phone acts on the newest `records` matches across the system unless a location narrows it", async () => {
    const x = await addRaw({ phone_number: "7275550640", list_id: "1001" });
    const y = await addRaw({ phone_number: "7275550640", list_id: "2001" });
    await db.query("UPDATE vicidial_list SET entry_date = entry_date - INTERVAL 1 HOUR WHERE lead_id = ?", [x.leadId]);
    const upd = (p: Record<string, string>) =>
      raw({ ...AUTH, function: "update_lead", search_method: "PHONE_NUMBER", phone_number: "7275550640", ...p });
    expect((await upd({ no_update: "Y" })).body).toBe(
      `NOTICE: update_lead LEADS FOUND IN THE SYSTEM: |apiuser|${y.leadId}||7275550640|2001|0\n`,
    );
    expect((await upd({ no_update: "Y", search_location: "LIST", list_id: "1001" })).body).toMatch(
      new RegExp(`\\|apiuser\\|${x.leadId}\\|`),
    );
    expect((await upd({ status: "B", records: "5" })).body).toBe(
      `SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${y.leadId}|1\nSUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|${x.leadId}|1\n`,
    );
  });

  it("a beforeInsert hook that throws drops the connection and inserts nothing", async () => {
    proto.beforeInsert = () => {
      throw new Error("crash before insert");
    };
    try {
      await expect(raw({ ...AUTH, function: "add_lead", phone_number: "7275550650" })).rejects.toThrow();
    } finally {
      proto.beforeInsert = undefined;
    }
    const [[n]] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = '7275550650'",
    );
    expect(Number(n.n)).toBe(0);
    expect(proto.calls[proto.calls.length - 1].failed).toBe("crash");
  });
});
