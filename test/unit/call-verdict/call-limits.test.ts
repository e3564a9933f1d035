import { buildContext } from "../../../src/vici/rules/call-verdict/context";
import {
  callLimitNotes,
  effective24hLimit,
  viciCallLimitReasons,
} from "../../../src/vici/rules/call-verdict/vici-call-limits.rule";
import {
  CallReasonCode as C,
  type Call24h,
  type CampaignFacts,
  type CampaignRow,
  type LeadRowFacts,
  type NumberFacts,
} from "../../../src/vici/rules/call-verdict";
import { campaign, facts, iso, number, RULES } from "../../helpers/call-facts";

/** VICIdial's later call-count limits (r3939): daily per lead, daily per phone, rolling 24 hours with state overrides. */

const AT = Date.parse("2024-07-10T15:00:00Z"); // 11:00 EDT
const call = (callDate: string, over: Partial<Call24h> = {}): Call24h => ({
  leadId: 1,
  listId: 1001,
  phoneNumber: "7275550101",
  phoneCode: "1",
  callDate,
  ...over,
});
const limit24h = (method: string, limit: number, scope = "SYSTEM_WIDE", override = "DISABLED") => ({
  limit24h: { method, scope, limit, override },
});

function run(
  c: Partial<CampaignRow>,
  n: Partial<NumberFacts>,
  row: Partial<LeadRowFacts> = {},
  cf: Partial<CampaignFacts> = {},
) {
  const f = facts(campaign(cf, c), number("7275550101", n), [{ gmtOffsetNow: -4, ...row }]);
  const ctx = buildContext(f, RULES);
  return viciCallLimitReasons(ctx, f.number.rows[0], AT).map((r) => [r.code, iso(r.until)]);
}

describe("daily limits", () => {
  it.each([
    [
      "lead: auto calls at the limit",
      { dailyCallCountLimit: 2, dailyLimitManual: "DISABLED" },
      {},
      { dailyCounts: { total: 3, auto: 2 } },
      {},
      [[C.DAILY_CALL_LIMIT, null]],
    ],
    [
      "lead: under the limit by auto calls",
      { dailyCallCountLimit: 3, dailyLimitManual: "DISABLED" },
      {},
      { dailyCounts: { total: 3, auto: 2 } },
      {},
      [],
    ],
    [
      "lead: COUNT counts manual calls too",
      { dailyCallCountLimit: 3, dailyLimitManual: "COUNT_RESTRICT" },
      {},
      { dailyCounts: { total: 3, auto: 2 } },
      {},
      [[C.DAILY_CALL_LIMIT, null]],
    ],
    ["lead: limit 0 = off", { dailyCallCountLimit: 0 }, {}, { dailyCounts: { total: 9, auto: 9 } }, {}, []],
    [
      "lead: the system switch off",
      { dailyCallCountLimit: 1 },
      {},
      { dailyCounts: { total: 9, auto: 9 } },
      { systemDailyCallCountLimit: false },
      [],
    ],
    [
      "lead: the server lacks the table",
      { dailyCallCountLimit: 1 },
      {},
      { dailyCounts: null },
      { leadCallDailyCounts: false },
      [],
    ],
    [
      "phone: at the system-wide limit",
      { dailyPhoneNumberCallLimit: 4 },
      { phoneDailyCounts: { "7275550101": 4 } },
      {},
      {},
      [[C.DAILY_CALL_LIMIT, null]],
    ],
    ["phone: under it", { dailyPhoneNumberCallLimit: 4 }, { phoneDailyCounts: { "7275550101": 3 } }, {}, {}, []],
  ] as const)("%s", (_c, c, n, row, caps, expected) => {
    const capabilities = { ...campaign().capabilities, ...caps };
    expect(
      run(c as Partial<CampaignRow>, n as Partial<NumberFacts>, row as Partial<LeadRowFacts>, { capabilities }),
    ).toEqual(expected);
  });
});

describe("the rolling 24-hour limit", () => {
  it.each([
    [
      "PHONE_NUMBER, 2 calls, limit 2: until the older is a day old (server clock)",
      limit24h("PHONE_NUMBER", 2),
      [call("2024-07-10 08:00:00"), call("2024-07-10 09:00:00")],
      [[C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"]],
    ],
    [
      "… 3 calls, limit 2: until the second most recent is a day old",
      limit24h("PHONE_NUMBER", 2),
      [call("2024-07-09 12:00:00"), call("2024-07-10 08:00:00"), call("2024-07-10 09:00:00")],
      [[C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"]],
    ],
    [
      "… a call 24 h ago exactly still counts (call_date >= NOW() - INTERVAL 1 DAY)",
      limit24h("PHONE_NUMBER", 1),
      [call("2024-07-09 11:00:00")],
      [[C.CALL_LIMIT_24H, "2024-07-10T15:00:01.000Z"]],
    ],
    ["… a second older does not", limit24h("PHONE_NUMBER", 1), [call("2024-07-09 10:59:59")], []],
    [
      "… limit 0 with a method set blocks after one call",
      limit24h("PHONE_NUMBER", 0),
      [call("2024-07-10 08:00:00")],
      [[C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"]],
    ],
    [
      "PHONE_NUMBER counts the number's calls under any lead",
      limit24h("PHONE_NUMBER", 2),
      [call("2024-07-10 08:00:00", { leadId: 77 }), call("2024-07-10 09:00:00")],
      [[C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"]],
    ],
    [
      "LEAD counts only this lead's",
      limit24h("LEAD", 2),
      [call("2024-07-10 08:00:00", { leadId: 77 }), call("2024-07-10 09:00:00")],
      [],
    ],
    [
      "PHONE_NUMBER needs the same phone_code",
      limit24h("PHONE_NUMBER", 1),
      [call("2024-07-10 08:00:00", { phoneCode: "44" })],
      [],
    ],
    [
      "CAMPAIGN_LISTS counts only the campaign's lists",
      limit24h("PHONE_NUMBER", 2, "CAMPAIGN_LISTS"),
      [call("2024-07-10 08:00:00", { listId: 3001 }), call("2024-07-10 09:00:00")],
      [],
    ],
    ["DISABLED", limit24h("DISABLED", 1), [call("2024-07-10 08:00:00")], []],
  ] as const)("%s", (_c, c, calls, expected) => {
    expect(run(c, { calls24h: [...calls] })).toEqual(expected);
  });

  it("across the server's fall-back night a day is 25 hours (INTERVAL 1 DAY on the wall clock)", () => {
    const f = facts(
      campaign({}, limit24h("PHONE_NUMBER", 1)),
      number("7275550101", { calls24h: [call("2024-11-02 12:00:00")] }),
      [{ gmtOffsetNow: -5 }],
    );
    const ctx = buildContext(f, RULES);
    const [r] = viciCallLimitReasons(ctx, f.number.rows[0], Date.parse("2024-11-03T12:00:00Z"));
    expect(iso(r.until)).toBe("2024-11-03T17:00:01.000Z"); // 12:00:01 EST, 25 h after 12:00 EDT
  });

  it.each([
    ["no container: the campaign's limit", "DISABLED", null, {}, 2],
    ["an area-code state line replaces it, even upward", "C1", "method => state_areacode\nstate => USA,FL,5", {}, 5],
    ["… and downward", "C1", "method => state_areacode\nstate => USA,FL,1\nstate => USA,GA,4", {}, 1],
    ["a line of another country is ignored", "C1", "state => CAN,FL,1", {}, 2],
    ["comments and tabs are stripped", "C1", "; Florida\n\tstate => USA,FL,3 ; three", {}, 3],
    [
      "the lead's state only lowers, and only with a *_state method and a differing state",
      "C1",
      "method => state_areacode_state\nstate => USA,GA,1",
      { state: "GA" },
      1,
    ],
    ["… not upward", "C1", "method => state_areacode_state\nstate => USA,GA,9", { state: "GA" }, 2],
    ["… not without the method", "C1", "method => state_areacode\nstate => USA,GA,1", { state: "GA" }, 2],
    [
      "the postal code's state lowers with a postcode method",
      "C1",
      "method => state_areacode_postcode\nstate => USA,GA,1",
      { postalCode: "30301-1234" },
      1,
    ],
  ] as const)("override container: %s", (_c, override, entry, row, limit) => {
    const f = facts(
      campaign({ limit24hOverride: entry }, limit24h("PHONE_NUMBER", 2, "SYSTEM_WIDE", override)),
      number("7275550101", { postalStates: { "30301": "GA" } }),
      [{ state: "FL", ...row }],
    );
    expect(effective24hLimit(buildContext(f, RULES), f.number.rows[0], 2).limit).toBe(limit);
  });
});

it.each([
  ["every table present", {}, [], []],
  ["no 24-hour table", { lead24hourCalls: false }, [], ["CALL_LIMIT_24H_NOT_CHECKED"]],
  [
    "no daily tables",
    { leadCallDailyCounts: false, phoneNumberCallDailyCounts: false },
    [],
    ["DAILY_CALL_LIMIT_NOT_CHECKED", "DAILY_PHONE_LIMIT_NOT_CHECKED"],
  ],
  [
    "a 24-hour method without a readable system switch",
    { systemCallLimit24h: null },
    limit24h("LEAD", 1),
    ["SYSTEM_SETTING_UNKNOWN"],
  ],
] as const)("notes: %s", (_c, caps, c, notes) => {
  const f = facts(
    campaign({ capabilities: { ...campaign().capabilities, ...caps } }, c as Partial<CampaignRow>),
    number(),
  );
  expect(callLimitNotes(buildContext(f, RULES)).map((n) => n.code)).toEqual(notes);
});
