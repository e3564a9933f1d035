import type { DataSource } from "typeorm";
import { createViciDataSource } from "../src/data-sources/vici.data-source";
import { queryCounter } from "../src/data-sources/query-counter";
import { callRules, loadCallRulesFile } from "../src/config/call-rules";
import { CallFactsReader, hopperFilterSql, MAX_NUMBERS } from "../src/vici/db/call-facts.reader";
import { callVerdict, CallReasonCode as C, COMPLIANCE_CODES, type CallVerdict } from "../src/vici/rules/call-verdict";
import { viciCallLimitsDdl, viciDdl } from "../src/vici/vici-ddl";
import { packageRoot } from "../src/util/package-root";
import { dbNameFor, freshViciDb, viciRootUrl } from "./helpers/databases";
import { insertVici } from "./helpers/fixtures";
import { phoneCodeTableRows } from "./helpers/call-facts";

/**
 * The facts reader on a real MariaDB (strict mode, the project's DDL), run as a VICIdial-style
 * user with SELECT, INSERT, UPDATE, DELETE and LOCK TABLES only — and the verdicts it feeds,
 * compared lead by lead with what VICIdial's hopper would load (computed by hand from
 * AST_VDhopper.pl, CALLTIMES.md §0).
 */

const TZ = "America/New_York";
const RULES = callRules(30, loadCallRulesFile(`${packageRoot()}/config/call-rules.example.json`));
const AT_MORNING = new Date("2024-07-10T13:30:00Z"); // Wednesday 09:30 EDT, 08:30 CDT, 06:30 MST, 03:30 HST
const AT_EVENING = new Date("2024-07-10T21:30:00Z"); // Wednesday 17:30 EDT, 16:30 CDT, 14:30 MST, 11:30 HST

/** Root: the fixtures' DDL (system_settings); the reader itself runs as the dialer's user (freshViciDb). */
let root: DataSource;
let rootLater: DataSource;
let vici: DataSource;
let viciLater: DataSource;
let reader: CallFactsReader;

/** The seeded campaign HOPR: one lead per hopper condition (CALLTIMES.md §0). */
const LEADS = [
  // lead, phone, list, status, called_since_last_reset, called_count, gmt_offset_now, state, last_local_call_time
  [1, "7275550001", 5001, "NEW", "N", 0, "-4.00", "FL", null],
  [2, "3125550002", 5001, "NEW", "N", 0, "-5.00", "IL", null],
  [3, "5125550003", 5001, "NEW", "N", 0, "-5.00", "TX", null],
  [4, "7275550004", 5001, "SALE", "N", 1, "-4.00", "FL", null],
  [5, "7275550005", 5001, "NA", "Y", 1, "-4.00", "FL", null],
  [6, "7275550006", 5003, "NEW", "N", 0, "-4.00", "FL", null],
  [7, "7275550007", 5004, "NEW", "N", 0, "-4.00", "FL", null],
  [8, "7275550008", 5001, "NA", "N", 5, "-4.00", "FL", null],
  [9, "7275550009", 5001, "NEW", "N", 0, "-4.00", "FL", null],
  [10, "3055550010", 5001, "NEW", "N", 0, "-4.00", "FL", null],
  [11, "2125550011", 5001, "NEW", "N", 0, "-4.00", "NY", null],
  [12, "7275550012", 5002, "NEW", "N", 0, "-4.00", "FL", null],
  [13, "7275550013", 5001, "DROP", "N", 1, "-4.00", "FL", "2024-07-10 08:45:00"],
  [14, "7275550014", 5001, "A", "Y", 1, "-4.00", "FL", "2024-07-10 09:00:00"],
  [15, "7275550015", 5001, "NEW", "N", 0, null, "FL", null],
  [16, "7275550016", 5001, "NEW", "N", 0, "-4.00", null, null],
  [17, "7275550017", 5001, "NEW", "N", 1, "-4.00", "FL", null],
  [18, "8085550018", 5001, "NEW", "N", 0, "-10.00", "HI", null],
  [19, "7275550019", 9001, "NEW", "N", 0, "-4.00", "FL", null],
  [20, "7275550001", 5003, "NEW", "N", 0, "-4.00", "FL", null],
  [21, "4805550021", 5001, "NEW", "N", 0, "-7.00", "AZ", null],
  [22, "8085550022", 5001, "NEW", "N", 0, "-4.00", "HI", null],
  [23, "7275550023", 5001, "NA", "N", 3, "-4.00", "FL", null],
] as const;

/**
 * What the hopper loads at each instant (by hand from AST_VDhopper.pl), and our verdict: the
 * same, except where our own rules are stricter — then those reasons, all COMPLIANCE, say so.
 * [phone, hopper loads a row at 09:30 EDT, our reasons then, hopper at 17:30 EDT, our reasons then]
 */
const TABLE: [string, boolean, C[], boolean, C[]][] = [
  ["+17275550001", true, [], true, []], // leads 1 (and 20 on an inactive list)
  ["+13125550002", true, [], true, []], // Illinois: the state rule opens at 08:00
  ["+15125550003", false, [C.STATE_HOURS, C.CALL_TIME], true, []], // Texas 08:30 CDT: before 09:00 (VICIdial, and the rule file)
  ["+17275550004", false, [C.STATUS_NOT_DIALABLE], false, [C.STATUS_NOT_DIALABLE]],
  ["+17275550005", false, [C.CALLED_SINCE_RESET], false, [C.CALLED_SINCE_RESET]],
  ["+17275550006", false, [C.LIST_INACTIVE], false, [C.LIST_INACTIVE]],
  ["+17275550007", false, [C.LIST_EXPIRED], false, [C.LIST_EXPIRED]],
  ["+17275550008", false, [C.CALL_COUNT_LIMIT], false, [C.CALL_COUNT_LIMIT]],
  ["+17275550009", false, [C.DNC_SYSTEM], false, [C.DNC_SYSTEM]],
  ["+13055550010", false, [C.DNC_CAMPAIGN], false, [C.DNC_CAMPAIGN]], // campaign DNC 305XXXXXXX, use_campaign_dnc=AREACODE
  ["+12125550011", true, [], true, []], // vicidial_dnc 212XXXXXXX only, use_internal_dnc=Y: dialed
  ["+17275550012", true, [], false, [C.CALL_TIME]], // its list's 9am-5pm
  ["+17275550013", false, [C.DROP_LOCKOUT], true, []], // DROP at 08:45, 2 h lockout
  ["+17275550014", false, [C.RECYCLE_DELAY], true, []], // recycled A, 1 h of calling time after 09:00
  ["+17275550015", false, [C.CALL_TIME], false, [C.CALL_TIME]], // gmt_offset_now NULL
  ["+17275550016", false, [C.CALL_TIME], false, [C.CALL_TIME]], // no state while the call time has state rules
  ["+17275550017", true, [C.RECENTLY_CALLED], true, [C.RECENTLY_CALLED]], // ours: called 10 days ago
  ["+18085550018", false, [C.LEGAL_HOURS, C.CALL_TIME], true, []], // Hawaii 03:30 / 11:30
  ["+14805550021", false, [C.LEGAL_HOURS, C.CALL_TIME], true, []], // Arizona 06:30 / 14:30
  ["+18085550022", true, [C.LEGAL_HOURS], true, []], // a Hawaii number stored at -4.00: VICIdial dials it at 03:30 HST
  ["+17275550023", true, [C.RECENTLY_CALLED, C.CALL_CAP], true, [C.RECENTLY_CALLED]], // 3 calls in the 24 h before 09:30 (Florida cap); by 17:30 the first is older
];

beforeAll(async () => {
  const name = dbNameFor(__filename);
  const laterName = dbNameFor(__filename, "later");
  const url = await freshViciDb(name);
  const laterUrl = await freshViciDb(laterName, viciDdl() + "\n" + viciCallLimitsDdl());
  root = createViciDataSource(viciRootUrl(name));
  rootLater = createViciDataSource(viciRootUrl(laterName));
  vici = createViciDataSource(url);
  viciLater = createViciDataSource(laterUrl);
  await Promise.all([root.initialize(), rootLater.initialize(), vici.initialize(), viciLater.initialize()]);
  const [{ mode }] = await root.query("SELECT @@GLOBAL.sql_mode AS mode");
  expect(mode).toMatch(/STRICT_(TRANS|ALL)_TABLES/);

  for (const ds of [root, rootLater]) {
    await insertVici(ds, "vicidial_campaigns", [
      {
        campaign_id: "HOPR",
        campaign_name: "Hopper table",
        active: "Y",
        dial_statuses: " NEW NA B DROP -",
        local_call_time: "9am-9pm",
        use_internal_dnc: "Y",
        use_campaign_dnc: "AREACODE",
        call_count_limit: 5,
        drop_lockout_time: "2",
        lead_filter_id: "NONE",
      },
      {
        campaign_id: "Survey",
        campaign_name: "Another",
        active: "Y",
        dial_statuses: " NEW -",
        local_call_time: "9am-9pm",
      },
    ]);
    await insertVici(ds, "vicidial_lists", [
      {
        list_id: 5001,
        list_name: "main",
        campaign_id: "HOPR",
        active: "Y",
        expiration_date: "2099-12-31",
        local_call_time: "campaign",
      },
      {
        list_id: 5002,
        list_name: "day",
        campaign_id: "HOPR",
        active: "Y",
        expiration_date: "2099-12-31",
        local_call_time: "9am-5pm",
      },
      {
        list_id: 5003,
        list_name: "off",
        campaign_id: "HOPR",
        active: "N",
        expiration_date: "2099-12-31",
        local_call_time: "campaign",
      },
      {
        list_id: 5004,
        list_name: "old",
        campaign_id: "HOPR",
        active: "Y",
        expiration_date: "2024-07-01",
        local_call_time: "campaign",
      },
      {
        list_id: 9001,
        list_name: "survey",
        campaign_id: "Survey",
        active: "Y",
        expiration_date: "2099-12-31",
        local_call_time: "campaign",
      },
    ]);
    await insertVici(ds, "vicidial_call_times", [
      {
        call_time_id: "9am-9pm",
        call_time_name: "default",
        ct_default_start: 900,
        ct_default_stop: 2100,
        ct_state_call_times: "|illinois|",
        ct_holidays: "",
      },
      {
        call_time_id: "9am-5pm",
        call_time_name: "day",
        ct_default_start: 900,
        ct_default_stop: 1700,
        ct_state_call_times: "",
        ct_holidays: "",
      },
    ]);
    await insertVici(ds, "vicidial_state_call_times", [
      {
        state_call_time_id: "illinois",
        state_call_time_state: "IL",
        state_call_time_name: "Illinois",
        sct_default_start: 800,
        sct_default_stop: 2100,
        ct_holidays: "",
      },
    ]);
    await insertVici(ds, "vicidial_lead_recycle", [
      { campaign_id: "HOPR", status: "A", attempt_delay: 3600, attempt_maximum: 3, active: "Y" },
    ]);
    await insertVici(ds, "vicidial_statuses", [
      { status: "NEW", status_name: "New", dnc: "N" },
      { status: "DNC", status_name: "Do not call", dnc: "Y" },
    ]);
    await insertVici(ds, "vicidial_phone_codes", phoneCodeTableRows());
    await insertVici(ds, "vicidial_dnc", [{ phone_number: "7275550009" }, { phone_number: "212XXXXXXX" }]);
    await insertVici(ds, "vicidial_campaign_dnc", [{ phone_number: "305XXXXXXX", campaign_id: "HOPR" }]);
    await insertVici(
      ds,
      "vicidial_list",
      LEADS.map(
        ([
          lead_id,
          phone_number,
          list_id,
          status,
          called_since_last_reset,
          called_count,
          gmt_offset_now,
          state,
          last_local_call_time,
        ]) => ({
          lead_id,
          entry_date: "2024-06-01 10:00:00",
          phone_code: "1",
          phone_number,
          list_id,
          status,
          called_since_last_reset,
          called_count,
          gmt_offset_now,
          state,
          last_local_call_time,
        }),
      ),
    );
    await insertVici(ds, "vicidial_log", [
      {
        uniqueid: "1.1",
        lead_id: 1,
        list_id: 5001,
        call_date: "2024-05-01 10:00:00",
        status: "NA",
        phone_number: "7275550001",
      },
      {
        uniqueid: "1.17",
        lead_id: 17,
        list_id: 5001,
        call_date: "2024-06-30 10:00:00",
        status: "NA",
        phone_number: "7275550017",
      },
      {
        uniqueid: "1.23a",
        lead_id: 23,
        list_id: 5001,
        call_date: "2024-07-09 14:00:00",
        status: "NA",
        phone_number: "7275550023",
      },
      {
        uniqueid: "1.23b",
        lead_id: 23,
        list_id: 5001,
        call_date: "2024-07-09 18:00:00",
        status: "NA",
        phone_number: "7275550023",
      },
      {
        uniqueid: "1.23c",
        lead_id: 23,
        list_id: 5001,
        call_date: "2024-07-10 08:00:00",
        status: "NA",
        phone_number: "7275550023",
      },
    ]);
  }
  reader = new CallFactsReader(vici, { timeZone: TZ, defaultRegion: "US" });
}, 60_000);

afterAll(async () => {
  await Promise.all([vici, viciLater].filter(Boolean).map((ds) => ds.destroy()));
  await Promise.all([root, rootLater].filter((ds) => ds?.isInitialized).map((ds) => ds.destroy()));
});

const recentCallHours = Math.max(0, ...RULES.callCaps.map((c) => c.hours));
const codes = (v: CallVerdict) => v.reasons.map((r) => r.code);

describe("the seeded campaign: every number's verdict against what VICIdial's hopper loads", () => {
  it.each([
    ["09:30 EDT", AT_MORNING, 1],
    ["17:30 EDT", AT_EVENING, 3],
  ] as const)("at %s", async (_label, at, col) => {
    const batch = await reader.read({ phones: TABLE.map((r) => r[0]), campaignId: "HOPR", at, recentCallHours });
    const got = TABLE.map(([phone]) => {
      const v = callVerdict(CallFactsReader.factsOf(batch, phone), RULES, at);
      return [phone, v.callable, codes(v)];
    });
    const expected = TABLE.map((row) => [row[0], (row[col + 1] as C[]).length === 0, row[col + 1]]);
    expect(got).toEqual(expected);

    for (const row of TABLE) {
      const hopper = row[col] as boolean;
      const reasons = row[col + 1] as C[];
      if (hopper && reasons.length) {
        // The hopper would dial it; only our own, stricter rules hold it.
        expect(reasons.every((c) => COMPLIANCE_CODES.has(c) && c !== C.DNC_SYSTEM && c !== C.DNC_CAMPAIGN)).toBe(true);
      }
      if (!hopper) {
        // The hopper would not: a VICIdial reason (dialer state, call time, its DNC) says why.
        expect(reasons.some((c) => !COMPLIANCE_CODES.has(c) || c === C.DNC_SYSTEM || c === C.DNC_CAMPAIGN)).toBe(true);
      }
    }
  });

  it("reads every row of a number, whatever the list, and picks the one the hopper would load", async () => {
    const batch = await reader.read({ phones: ["+17275550001"], campaignId: "HOPR", at: AT_MORNING });
    const n = batch.numbers.get("+17275550001")!;
    expect(n.rows.map((r) => [r.leadId, r.list?.active])).toEqual([
      [1, "Y"],
      [20, "N"],
    ]);
    expect(callVerdict(CallFactsReader.factsOf(batch, "+17275550001"), RULES, AT_MORNING).leadId).toBe(1);
    expect(n.lastCallAt?.toISOString()).toBe("2024-05-01T14:00:00.000Z");
  });

  it("a number only in another campaign's list, and a number VICIdial does not have", async () => {
    const batch = await reader.read({ phones: ["+17275550019", "+17275559999"], campaignId: "HOPR", at: AT_MORNING });
    for (const phone of ["+17275550019", "+17275559999"]) {
      const v = callVerdict(CallFactsReader.factsOf(batch, phone), RULES, AT_MORNING);
      expect([v.callable, v.compliant, codes(v)]).toEqual([false, true, [C.NOT_IN_CAMPAIGN]]);
    }
  });

  it("the wildcard-only DNC number carries a note, and the facts hold the entry", async () => {
    const batch = await reader.read({ phones: ["+12125550011"], campaignId: "HOPR", at: AT_MORNING });
    expect(batch.numbers.get("+12125550011")!.dnc.system).toEqual(["212XXXXXXX"]);
    const v = callVerdict(CallFactsReader.factsOf(batch, "+12125550011"), RULES, AT_MORNING);
    expect(v.notes.map((n) => n.code)).toContain("DNC_NOT_CHECKED_BY_CAMPAIGN");
  });

  it("an unknown campaign", async () => {
    const batch = await reader.read({ phones: ["+17275550001"], campaignId: "NOPE", at: AT_MORNING });
    expect(codes(callVerdict(CallFactsReader.factsOf(batch, "+17275550001"), RULES, AT_MORNING))).toEqual([
      C.CAMPAIGN_NOT_FOUND,
    ]);
  });

  it("Brain's do-not-call comes in with the request", async () => {
    const batch = await reader.read({
      phones: ["+17275550001"],
      campaignId: "HOPR",
      at: AT_MORNING,
      brainDoNotCall: new Map([["+17275550001", "operator"]]),
    });
    expect(codes(callVerdict(CallFactsReader.factsOf(batch, "+17275550001"), RULES, AT_MORNING))).toEqual([
      C.BRAIN_DO_NOT_CALL,
    ]);
  });

  it("this server has no later call-count tables: the verdict says those limits were not checked", async () => {
    const batch = await reader.read({ phones: ["+17275550001"], campaignId: "HOPR", at: AT_MORNING });
    expect(batch.campaign.capabilities).toMatchObject({
      lead24hourCalls: false,
      leadCallDailyCounts: false,
      phoneNumberCallDailyCounts: false,
    });
    expect(batch.numbers.get("+17275550001")!.calls24h).toBeNull();
    const v = callVerdict(CallFactsReader.factsOf(batch, "+17275550001"), RULES, AT_MORNING);
    expect(v.callable).toBe(true);
    expect(v.notes.map((n) => n.code)).toEqual(
      expect.arrayContaining(["CALL_LIMIT_24H_NOT_CHECKED", "DAILY_CALL_LIMIT_NOT_CHECKED"]),
    );
  });
});

describe("statements", () => {
  const run = async (phones: string[], ds = vici) => {
    const r = new CallFactsReader(ds, { timeZone: TZ, defaultRegion: "US" });
    await r.read({ phones: ["+17275550001"], campaignId: "HOPR", at: AT_MORNING }); // warms the schema probe
    const counter = queryCounter(ds);
    const before = counter.count;
    const batch = await r.read({ phones, campaignId: "HOPR", at: AT_MORNING, recentCallHours });
    return { statements: counter.count - before, batch };
  };

  it("a fixed handful for 1 number and for 1,000 (rows, DNC, calls and counts batched, never per number)", async () => {
    const thousand = Array.from({ length: MAX_NUMBERS }, (_, i) => `+1727555${String(i).padStart(4, "0")}`);
    const one = await run(["+17275550001"]);
    const many = await run(thousand);
    expect(many.batch.numbers.size).toBe(MAX_NUMBERS);
    expect(many.statements).toBe(one.statements);
    expect(many.statements).toBeLessThanOrEqual(8);
    const started = performance.now();
    for (const phone of thousand) callVerdict(CallFactsReader.factsOf(many.batch, phone), RULES, AT_MORNING);
    console.log(
      `call facts: ${one.statements} statements for 1 number and for ${MAX_NUMBERS}; ${MAX_NUMBERS} verdicts computed in ${Math.round(performance.now() - started)} ms`,
    );
  });

  it(`refuses more than ${MAX_NUMBERS} numbers`, async () => {
    const tooMany = Array.from({ length: MAX_NUMBERS + 1 }, (_, i) => `+1727556${String(i).padStart(4, "0")}`);
    await expect(reader.read({ phones: tooMany, campaignId: "HOPR" })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});

describe("a later VICIdial (call-count tables, settings, a lead filter)", () => {
  let laterReader: CallFactsReader;
  beforeAll(async () => {
    // system_settings is not in the project's DDL (this project maps none of it): the switches alone, as a later server has them.
    await rootLater.query(
      "CREATE TABLE system_settings (daily_call_count_limit ENUM('0','1') DEFAULT '0', call_limit_24hour ENUM('0','1') DEFAULT '0') ENGINE=MyISAM",
    );
    await rootLater.query("INSERT INTO system_settings VALUES ('1', '1')");
    await rootLater.query(
      "UPDATE vicidial_campaigns SET call_limit_24hour_method = 'PHONE_NUMBER', call_limit_24hour = 1, call_limit_24hour_override = 'FLOVR', daily_call_count_limit = 2 WHERE campaign_id = 'HOPR'",
    );
    await insertVici(rootLater, "vicidial_settings_containers", [
      {
        container_id: "FLOVR",
        container_type: "CALL_LIMITS_OVERRIDE",
        container_entry: "method => state_areacode\nstate => USA,FL,2\n",
      },
    ]);
    await insertVici(rootLater, "vicidial_lead_24hour_calls", [
      {
        lead_id: 2,
        list_id: 5001,
        call_date: "2024-07-10 08:00:00",
        phone_number: "3125550002",
        phone_code: "1",
        state: "IL",
        call_type: "AUTO",
      },
      {
        lead_id: 1,
        list_id: 5001,
        call_date: "2024-07-10 08:00:00",
        phone_number: "7275550001",
        phone_code: "1",
        state: "FL",
        call_type: "AUTO",
      },
      {
        lead_id: 1,
        list_id: 5001,
        call_date: "2024-07-08 08:00:00",
        phone_number: "7275550001",
        phone_code: "1",
        state: "FL",
        call_type: "AUTO",
      },
    ]);
    await insertVici(rootLater, "vicidial_lead_call_daily_counts", [
      { lead_id: 12, list_id: 5002, called_count_total: 2, called_count_auto: 2, modify_date: "2024-07-10 08:00:00" },
    ]);
    await insertVici(rootLater, "vicidial_lead_filters", [
      { lead_filter_id: "noTX", lead_filter_name: "no Texas", lead_filter_sql: "state <> 'TX'\n# not Texas\n" },
    ]);
    await rootLater.query("UPDATE vicidial_campaigns SET lead_filter_id = 'noTX' WHERE campaign_id = 'HOPR'");
    laterReader = new CallFactsReader(viciLater, { timeZone: TZ, defaultRegion: "US" });
  });

  it("reads the tables and switches it has and applies VICIdial's limits and filter", async () => {
    const batch = await laterReader.read({
      phones: ["+13125550002", "+17275550001", "+17275550012", "+15125550003"],
      campaignId: "HOPR",
      at: AT_EVENING,
    });
    expect(batch.campaign.capabilities).toEqual({
      leadCallDailyCounts: true,
      lead24hourCalls: true,
      phoneNumberCallDailyCounts: true,
      systemDailyCallCountLimit: true,
      systemCallLimit24h: true,
    });
    expect(batch.campaign.campaign?.limit24h).toEqual({
      method: "PHONE_NUMBER",
      scope: "SYSTEM_WIDE",
      limit: 1,
      override: "FLOVR",
    });
    const verdict = (phone: string) => callVerdict(CallFactsReader.factsOf(batch, phone), RULES, AT_EVENING);
    // Illinois: 1 call today, limit 1 → held until that call is a day old (08:00 EDT tomorrow).
    const il = verdict("+13125550002");
    expect(il.reasons.map((r) => [r.code, r.until?.toISOString()])).toEqual([
      [C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"],
    ]);
    // Florida: the override container raises the limit to 2; the call of the 8th is older than a day.
    expect(verdict("+17275550001").callable).toBe(true);
    // Two auto dials today, daily limit 2 (its list's 9am-5pm is closed too at 17:30).
    expect(codes(verdict("+17275550012"))).toEqual([C.CALL_TIME, C.DAILY_CALL_LIMIT]);
    // The lead filter "state <> 'TX'" drops the Texas lead, as the hopper's SQL would.
    expect(codes(verdict("+15125550003"))).toEqual([C.LEAD_FILTER]);
  });

  it("with the system switches off, the later limits do not apply", async () => {
    await rootLater.query("UPDATE system_settings SET daily_call_count_limit = '0', call_limit_24hour = '0'");
    try {
      const batch = await laterReader.read({
        phones: ["+13125550002", "+17275550012"],
        campaignId: "HOPR",
        at: AT_EVENING,
      });
      expect(codes(callVerdict(CallFactsReader.factsOf(batch, "+13125550002"), RULES, AT_EVENING))).toEqual([]);
      expect(codes(callVerdict(CallFactsReader.factsOf(batch, "+17275550012"), RULES, AT_EVENING))).toEqual([
        C.CALL_TIME,
      ]);
    } finally {
      await rootLater.query("UPDATE system_settings SET daily_call_count_limit = '1', call_limit_24hour = '1'");
    }
  });

  it("a lead filter that fails in MariaDB holds every lead of the campaign (the hopper's query fails too)", async () => {
    await rootLater.query(
      "UPDATE vicidial_lead_filters SET lead_filter_sql = 'no_such_column = 1' WHERE lead_filter_id = 'noTX'",
    );
    try {
      const batch = await laterReader.read({ phones: ["+17275550001"], campaignId: "HOPR", at: AT_EVENING });
      const v = callVerdict(CallFactsReader.factsOf(batch, "+17275550001"), RULES, AT_EVENING);
      expect(codes(v)).toEqual([C.LEAD_FILTER]);
      expect(v.reasons[0].detail).toContain("fails in the database");
    } finally {
      await rootLater.query(
        "UPDATE vicidial_lead_filters SET lead_filter_sql = \"state <> 'TX'\\n# not Texas\\n\" WHERE lead_filter_id = 'noTX'",
      );
    }
  });
});

it.each([
  ["state <> 'TX'", "state <> 'TX'"],
  ["and state <> 'TX'", " state <> 'TX'"],
  ["state IN ('FL')\n# a comment\nor", "state IN ('FL') "],
  ["called_count < 3\\", "called_count < 3"],
])("the hopper's reading of a lead filter: %j", (raw, sql) => {
  expect(hopperFilterSql(raw)).toBe(sql);
});
