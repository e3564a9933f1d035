import { callVerdict, CallReasonCode as C, type CallVerdict } from "../../../src/vici/rules/call-verdict";
import {
  callTime,
  campaign,
  facts,
  holiday,
  iso,
  list,
  number,
  RULES,
  STOCK_CALL_TIMES,
} from "../../helpers/call-facts";

/**
 * callVerdict end to end on facts built by hand: the cases issue 14 names, each a row of a
 * decision table (server in America/New_York throughout).
 */

const summary = (v: CallVerdict) => ({
  callable: v.callable,
  compliant: v.compliant,
  reasons: v.reasons.map((r) => [r.code, iso(r.until)]),
  callableAt: iso(v.callableAt),
  compliantAt: iso(v.compliantAt),
});

describe("DST inside the 30-day window: the window is 30 × 24 h, then the next opening of the lead's calling hours", () => {
  // Last call Tue 2024-02-20 12:30 EST (17:30Z); the US switched to EDT on 2024-03-10.
  const lastCallAt = new Date("2024-02-20T17:30:00Z");
  it.each([
    // [case, number, row, verdict at, expected]
    [
      "Arizona (no DST): lifts at 17:30Z = 10:30 MST, inside 9am-9pm",
      "4805550101",
      { gmtOffsetNow: -7, state: "AZ" },
      "2024-03-21T16:45:00Z",
      {
        reasons: [[C.RECENTLY_CALLED, "2024-03-21T17:30:00.000Z"]],
        callableAt: "2024-03-21T17:30:00.000Z",
        compliantAt: "2024-03-21T17:30:00.000Z",
      },
    ],
    [
      "Hawaii: lifts at 07:30 HST, then 9am-9pm opens at 19:00Z",
      "8085550101",
      { gmtOffsetNow: -10, state: "HI" },
      "2024-03-01T20:00:00Z",
      // 07:30 HST is before the legal 08:00 too.
      {
        reasons: [[C.RECENTLY_CALLED, "2024-03-21T17:30:00.000Z"]],
        callableAt: "2024-03-21T19:00:00.000Z",
        compliantAt: "2024-03-21T18:00:00.000Z",
      },
    ],
    [
      "New York: lifts at 13:30 EDT (not 12:30 EDT, the same wall-clock time)",
      "2125550101",
      { gmtOffsetNow: -4, state: "NY" },
      "2024-03-21T16:45:00Z",
      {
        reasons: [[C.RECENTLY_CALLED, "2024-03-21T17:30:00.000Z"]],
        callableAt: "2024-03-21T17:30:00.000Z",
        compliantAt: "2024-03-21T17:30:00.000Z",
      },
    ],
  ] as const)("%s", (_case, national, row, at, expected) => {
    const v = callVerdict(
      facts(campaign({ readAt: new Date(at) }), number(national, { lastCallAt }), [row]),
      RULES,
      new Date(at),
    );
    expect(summary(v)).toMatchObject({ callable: false, compliant: false, ...expected });
  });
});

describe("DST on the day of the verdict (server America/New_York)", () => {
  it("fall back, 2024-11-03 06:30Z: a Hawaii lead at 20:30 HST is legal, but the hopper reads 21:30 and skips it until 09:00 HST", () => {
    const at = new Date("2024-11-03T06:30:00Z");
    const v = callVerdict(
      facts(campaign({ readAt: at }), number("8085550101"), [{ gmtOffsetNow: -10, state: "HI" }]),
      RULES,
      at,
    );
    expect(summary(v)).toEqual({
      callable: false,
      compliant: true,
      reasons: [[C.CALL_TIME, "2024-11-03T19:00:00.000Z"]],
      callableAt: "2024-11-03T19:00:00.000Z",
      compliantAt: at.toISOString(),
    });
    expect(v.reasons[0].detail).toContain("Saturday 21:30");
  });

  it("spring forward, 2024-03-10 07:30Z: the hopper would dial a Hawaii lead at 21:30 HST (it reads 20:30); the legal floor does not", () => {
    const at = new Date("2024-03-10T07:30:00Z");
    const v = callVerdict(
      facts(campaign({ readAt: at }), number("8085550101"), [{ gmtOffsetNow: -10, state: "HI" }]),
      RULES,
      at,
    );
    expect(summary(v)).toEqual({
      callable: false,
      compliant: false,
      reasons: [[C.LEGAL_HOURS, "2024-03-10T18:00:00.000Z"]],
      // 08:00 HST is legal, VICIdial's 9am-9pm opens an hour later.
      callableAt: "2024-03-10T19:00:00.000Z",
      compliantAt: "2024-03-10T18:00:00.000Z",
    });
    expect(v.reasons[0].source).toMatch(/47 CFR 64\.1200/);
  });

  it.each([
    ["Arizona 08:59 MST: closed for a minute", "2024-03-10T15:59:00Z", [[C.CALL_TIME, "2024-03-10T16:00:00.000Z"]]],
    ["Arizona 09:30 MST: open", "2024-03-10T16:30:00Z", []],
  ] as const)("spring-forward day, %s", (_c, at, reasons) => {
    const v = callVerdict(
      facts(campaign({ readAt: new Date(at) }), number("4805550101"), [{ gmtOffsetNow: -7, state: "AZ" }]),
      RULES,
      new Date(at),
    );
    expect(summary(v).reasons).toEqual(reasons);
  });

  it("a New York lead still stored at -5.00 (read before the switch) follows VICIdial's 07:01 time-zone run: opens 09:00 EDT, not 10:00", () => {
    const readAt = new Date("2024-03-10T06:00:00Z");
    const at = new Date("2024-03-10T10:30:00Z");
    const v = callVerdict(
      facts(campaign({ readAt }), number("2125550101"), [{ gmtOffsetNow: -5, state: "NY" }]),
      RULES,
      at,
    );
    expect(summary(v)).toMatchObject({
      reasons: [
        [C.LEGAL_HOURS, "2024-03-10T12:00:00.000Z"],
        [C.CALL_TIME, "2024-03-10T13:00:00.000Z"],
      ],
      callableAt: "2024-03-10T13:00:00.000Z",
    });
  });
});

it("an unknown area code takes VICIdial's first phone-code row (201 NJ) for a number not yet in VICIdial", () => {
  const at = new Date("2024-07-10T12:30:00Z"); // 08:30 EDT
  const v = callVerdict(facts(campaign({ readAt: at }), number("9995550101")), RULES, at);
  expect(summary(v)).toEqual({
    callable: false,
    compliant: true,
    reasons: [
      [C.NOT_IN_CAMPAIGN, null],
      [C.CALL_TIME, "2024-07-10T13:00:00.000Z"],
    ],
    callableAt: null,
    compliantAt: at.toISOString(),
  });
  expect(v.notes.map((n) => n.code)).toContain("ZONE_FALLBACK");
  expect(v.notes.find((n) => n.code === "ZONE_FALLBACK")!.detail).toContain("area code 201");
});

describe("VICIdial call times", () => {
  const closedWednesday = callTime("closedwed", [900, 2100], { days: { 3: [2400, 2400] } });
  const july4 = callTime("9am-9pm", [900, 2100], { holidays: "|july4|" });
  const withIllinois = callTime("9am-9pm", [900, 2100], { stateRules: "|illinois|" });
  const cases: [
    string,
    Parameters<typeof campaign>[0],
    Parameters<typeof campaign>[1],
    string,
    object,
    string,
    [string, string | null][],
  ][] = [
    [
      "a weekday closed 2400/2400 opens the next morning",
      { callTimes: { closedwed: closedWednesday } },
      { localCallTime: "closedwed" },
      "7275550101",
      { gmtOffsetNow: -4 },
      "2024-07-10T15:00:00Z",
      [[C.CALL_TIME, "2024-07-11T13:00:00.000Z"]],
    ],
    [
      "a holiday 10:00-16:00 narrows the morning",
      { callTimes: { "9am-9pm": july4 }, holidays: { july4: holiday("july4", "2024-07-04", [1000, 1600]) } },
      {},
      "7275550101",
      { gmtOffsetNow: -4 },
      "2024-07-04T13:30:00Z",
      [[C.CALL_TIME, "2024-07-04T14:00:00.000Z"]],
    ],
    [
      "a holiday 10:00-16:00 closes the evening until the next day",
      { callTimes: { "9am-9pm": july4 }, holidays: { july4: holiday("july4", "2024-07-04", [1000, 1600]) } },
      {},
      "7275550101",
      { gmtOffsetNow: -4 },
      "2024-07-04T20:30:00Z",
      [[C.CALL_TIME, "2024-07-05T13:00:00.000Z"]],
    ],
    [
      "a holiday ends at the SERVER's midnight: Hawaii 17:30 is closed until 00:00 EDT (18:00 HST)",
      { callTimes: { "9am-9pm": july4 }, holidays: { july4: holiday("july4", "2024-07-04", [1000, 1600]) } },
      {},
      "8085550101",
      { gmtOffsetNow: -10, state: "HI" },
      "2024-07-05T03:30:00Z",
      [[C.CALL_TIME, "2024-07-05T04:00:00.000Z"]],
    ],
    [
      "an inactive holiday narrows nothing",
      {
        callTimes: { "9am-9pm": july4 },
        holidays: { july4: holiday("july4", "2024-07-04", [1000, 1600], "INACTIVE") },
      },
      {},
      "7275550101",
      { gmtOffsetNow: -4 },
      "2024-07-04T13:30:00Z",
      [],
    ],
    [
      "a state rule widens the default: an Illinois lead at 08:30",
      { callTimes: { "9am-9pm": withIllinois } },
      {},
      "3125550101",
      { gmtOffsetNow: -5, state: "IL" },
      "2024-07-10T13:30:00Z",
      [],
    ],
    [
      "… a Florida lead at 08:30 keeps the default",
      { callTimes: { "9am-9pm": withIllinois } },
      {},
      "7275550101",
      { gmtOffsetNow: -4, state: "FL" },
      "2024-07-10T12:30:00Z",
      [[C.CALL_TIME, "2024-07-10T13:00:00.000Z"]],
    ],
    [
      "… a lead without state is never dialed while the call time has state rules",
      { callTimes: { "9am-9pm": withIllinois } },
      {},
      "7275550101",
      { gmtOffsetNow: -4, state: null },
      "2024-07-10T15:00:00Z",
      [[C.CALL_TIME, null]],
    ],
    [
      "… an empty state gets the default window",
      { callTimes: { "9am-9pm": withIllinois } },
      {},
      "7275550101",
      { gmtOffsetNow: -4, state: "" },
      "2024-07-10T15:00:00Z",
      [],
    ],
    [
      "a list call time 9am-5pm narrows the campaign's 9am-9pm",
      { lists: [list({ localCallTime: "9am-5pm" })] },
      {},
      "7275550101",
      { gmtOffsetNow: -4, list: list({ localCallTime: "9am-5pm" }) },
      "2024-07-10T21:30:00Z",
      [[C.CALL_TIME, "2024-07-11T13:00:00.000Z"]],
    ],
    [
      "a list call time that does not exist leaves the campaign's",
      {},
      {},
      "7275550101",
      { gmtOffsetNow: -4, list: list({ localCallTime: "nosuch" }) },
      "2024-07-10T21:30:00Z",
      [],
    ],
    [
      "a campaign call time that does not exist: never",
      {},
      { localCallTime: "nosuch" },
      "7275550101",
      { gmtOffsetNow: -4 },
      "2024-07-10T15:00:00Z",
      [[C.CALL_TIME, null]],
    ],
    [
      "gmt_offset_now 99 passes every window (the hopper's '99')",
      {},
      {},
      "7275550101",
      { gmtOffsetNow: 99 },
      "2024-07-10T06:00:00Z",
      [[C.LEGAL_HOURS, "2024-07-10T12:00:00.000Z"]],
    ],
    [
      "gmt_offset_now off the quarter-hour grid: not until VICIdial's time-zone run rewrites it (01:01), then 09:00",
      { readAt: new Date("2024-07-10T16:00:00Z") },
      {},
      "7275550101",
      { gmtOffsetNow: -4.1 },
      "2024-07-10T15:00:00Z",
      [[C.CALL_TIME, "2024-07-11T13:00:00.000Z"]],
    ],
  ];
  it.each(cases)("%s", (_case, c, row, national, r, at, reasons) => {
    const v = callVerdict(
      facts(campaign({ readAt: new Date(at), ...c }, row), number(national), [r]),
      RULES,
      new Date(at),
    );
    expect(summary(v).reasons).toEqual(reasons);
  });

  it("a list call time's reason names the list", () => {
    const at = new Date("2024-07-10T21:30:00Z");
    const v = callVerdict(
      facts(campaign({ readAt: at }), number(), [{ gmtOffsetNow: -4, list: list({ localCallTime: "9am-5pm" }) }]),
      RULES,
      at,
    );
    expect(v.reasons[0].source).toContain("9am-5pm (vicidial_lists.local_call_time of list 1001)");
    expect(v.reasons[0].detail).toContain("list call time 9am-5pm");
  });

  it("the stock alabama rule bans Sunday (2400/2400) for AL leads", () => {
    const ct = callTime("9am-9pm", [900, 2100], { stateRules: "|alabama|" });
    const at = new Date("2024-07-14T15:00:00Z"); // Sunday 10:00 CDT
    const v = callVerdict(
      facts(campaign({ readAt: at, callTimes: { ...STOCK_CALL_TIMES, "9am-9pm": ct } }), number("2055550101"), [
        { gmtOffsetNow: -5, state: "AL" },
      ]),
      RULES,
      at,
    );
    expect(summary(v).reasons).toEqual([[C.CALL_TIME, "2024-07-15T13:00:00.000Z"]]);
  });
});

describe("VICIdial's 24-hour limit", () => {
  const at = new Date("2024-07-10T15:00:00Z"); // 11:00 EDT
  const calls = [
    { leadId: 1, listId: 1001, phoneNumber: "7275550101", phoneCode: "1", callDate: "2024-07-10 08:00:00" },
    { leadId: 1, listId: 1001, phoneNumber: "7275550101", phoneCode: "1", callDate: "2024-07-10 09:00:00" },
  ];
  const limited = { limit24h: { method: "PHONE_NUMBER", scope: "SYSTEM_WIDE", limit: 2, override: "DISABLED" } };

  it("table absent: the rule is skipped, and the verdict says so", () => {
    const c = campaign({ readAt: at, capabilities: { ...campaign().capabilities, lead24hourCalls: false } });
    const v = callVerdict(facts(c, number("7275550101", { calls24h: null }), [{ gmtOffsetNow: -4 }]), RULES, at);
    expect(v.callable).toBe(true);
    expect(v.notes.map((n) => n.code)).toContain("CALL_LIMIT_24H_NOT_CHECKED");
  });

  it("table present and two calls in 24 h with a limit of 2: blocked until the older one is a day old, then the next opening", () => {
    const v = callVerdict(
      facts(campaign({ readAt: at }, limited), number("7275550101", { calls24h: calls }), [{ gmtOffsetNow: -4 }]),
      RULES,
      at,
    );
    expect(summary(v)).toMatchObject({
      callable: false,
      compliant: true,
      reasons: [[C.CALL_LIMIT_24H, "2024-07-11T12:00:01.000Z"]],
      callableAt: "2024-07-11T13:00:00.000Z",
    });
    expect(v.notes.map((n) => n.code)).not.toContain("CALL_LIMIT_24H_NOT_CHECKED");
  });

  it("a CALL_LIMITS_OVERRIDE container raising Florida area codes to 3 lets the third call through", () => {
    const c = campaign(
      { readAt: at, limit24hOverride: "method => state_areacode\nstate => USA,FL,3\nstate => USA,GA,4\n" },
      { limit24h: { ...limited.limit24h, override: "FLORIDA" } },
    );
    const v = callVerdict(facts(c, number("7275550101", { calls24h: calls }), [{ gmtOffsetNow: -4 }]), RULES, at);
    expect(v.callable).toBe(true);
  });
});

describe("DNC as the campaign applies it", () => {
  const at = new Date("2024-07-10T15:00:00Z");
  it.each([
    [
      "area-code wildcard only, use_internal_dnc=Y: callable (and noted)",
      "Y",
      ["727XXXXXXX"],
      [],
      "DNC_NOT_CHECKED_BY_CAMPAIGN",
    ],
    ["area-code wildcard, use_internal_dnc=AREACODE: DNC", "AREACODE", ["727XXXXXXX"], [[C.DNC_SYSTEM, null]], null],
    ["exact entry, use_internal_dnc=Y: DNC", "Y", ["7275550101"], [[C.DNC_SYSTEM, null]], null],
    [
      "exact entry, use_internal_dnc=N: the hopper dials it (noted)",
      "N",
      ["7275550101"],
      [],
      "DNC_NOT_CHECKED_BY_CAMPAIGN",
    ],
  ] as const)("%s", (_c, mode, entries, reasons, note) => {
    const v = callVerdict(
      facts(
        campaign({ readAt: at }, { useInternalDnc: mode }),
        number("7275550101", { dnc: { system: [...entries], campaign: [] } }),
        [{ gmtOffsetNow: -4 }],
      ),
      RULES,
      at,
    );
    expect(summary(v).reasons).toEqual(reasons);
    expect(v.callableAt === null).toBe(reasons.length > 0);
    if (note) expect(v.notes.map((n) => n.code)).toContain(note);
  });
});

describe("several rows of the number in the campaign", () => {
  it("is callable when one row is, and reports that row", () => {
    const at = new Date("2024-07-10T15:00:00Z");
    const v = callVerdict(
      facts(campaign({ readAt: at }), number(), [
        { leadId: 10, status: "SALE" },
        { leadId: 11, status: "NA", gmtOffsetNow: -4 },
      ]),
      RULES,
      at,
    );
    expect(summary(v)).toMatchObject({ callable: true, reasons: [] });
    expect(v.leadId).toBe(11);
  });

  it("reports the row that becomes callable first, and rows outside the campaign do not count", () => {
    const at = new Date("2024-07-10T11:00:00Z"); // 07:00 EDT
    const v = callVerdict(
      facts(campaign({ readAt: at }), number(), [
        { leadId: 20, status: "NA", calledSinceLastReset: "Y" },
        { leadId: 21, status: "NA", gmtOffsetNow: -4 },
        { leadId: 22, status: "NEW", list: list({ listId: 3001, campaignId: "Survey1" }), listId: 3001 },
      ]),
      RULES,
      at,
    );
    expect(v.leadId).toBe(21);
    expect(summary(v)).toMatchObject({
      reasons: [
        [C.LEGAL_HOURS, "2024-07-10T12:00:00.000Z"],
        [C.CALL_TIME, "2024-07-10T13:00:00.000Z"],
      ],
      callableAt: "2024-07-10T13:00:00.000Z",
    });
  });
});

it("combines our rules: the 30-day window, then a state window, then a cap", () => {
  // Florida: 8am-8pm (rule file) and at most 3 calls in 24 h.
  const rules = {
    ...RULES,
    stateWindows: [
      {
        id: "FL-hours",
        states: ["FL"],
        hours: [{ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const, start: 480, end: 1200 }].map(
          (w) => ({ ...w, days: [...w.days] }),
        ),
        citation: "Fla. Stat. § 501.616(6)(a)",
      },
    ],
    callCaps: [{ id: "FL-3-in-24h", states: ["FL"], maxCalls: 3, hours: 24, citation: "Fla. Stat. § 501.616(6)(b)" }],
  };
  const lastCallAt = new Date("2024-06-10T23:30:00Z"); // 19:30 EDT
  const at = new Date("2024-07-10T16:00:00Z");
  const v = callVerdict(
    facts(campaign({ readAt: at }), number("7275550101", { lastCallAt }), [{ gmtOffsetNow: -4 }]),
    rules,
    at,
  );
  // Lifts at 19:30 EDT on 07-10: inside 9am-9pm, the legal floor and Florida's 8am-8pm.
  expect(summary(v)).toMatchObject({
    reasons: [[C.RECENTLY_CALLED, "2024-07-10T23:30:00.000Z"]],
    callableAt: "2024-07-10T23:30:00.000Z",
  });

  const late = new Date("2024-06-11T00:30:00Z"); // 20:30 EDT: lifts after Florida's 8 pm
  const v2 = callVerdict(
    facts(campaign({ readAt: at }), number("7275550101", { lastCallAt: late }), [{ gmtOffsetNow: -4 }]),
    rules,
    at,
  );
  // Florida opens at 08:00 (compliant), VICIdial's 9am-9pm an hour later (callable).
  expect(summary(v2)).toMatchObject({
    callableAt: "2024-07-11T13:00:00.000Z",
    compliantAt: "2024-07-11T12:00:00.000Z",
  });

  const recent = [new Date("2024-07-10T13:00:00Z"), new Date("2024-07-10T14:00:00Z"), new Date("2024-07-10T15:00:00Z")];
  const v3 = callVerdict(
    facts(campaign({ readAt: at }), number("7275550101", { recentCalls: recent }), [{ gmtOffsetNow: -4 }]),
    rules,
    at,
  );
  expect(summary(v3)).toMatchObject({
    reasons: [[C.CALL_CAP, "2024-07-11T13:00:00.000Z"]],
    callableAt: "2024-07-11T13:00:00.000Z",
  });
  expect(v3.reasons[0].source).toBe("rule file FL-3-in-24h: Fla. Stat. § 501.616(6)(b)");
});

it("Brain's do-not-call never lifts", () => {
  const at = new Date("2024-07-10T15:00:00Z");
  const v = callVerdict(
    facts(campaign({ readAt: at }), number("7275550101", { brainDoNotCall: { reason: "operator" } }), [
      { gmtOffsetNow: -4 },
    ]),
    RULES,
    at,
  );
  expect(summary(v)).toMatchObject({
    callable: false,
    compliant: false,
    reasons: [[C.BRAIN_DO_NOT_CALL, null]],
    callableAt: null,
    compliantAt: null,
  });
});

it("an unknown campaign: not found, and DNC read the strictest way", () => {
  const at = new Date("2024-07-10T15:00:00Z");
  const c = campaign({ readAt: at, campaign: null, campaignId: "Nope" });
  const v = callVerdict(facts(c, number("7275550101", { dnc: { system: ["727XXXXXXX"], campaign: [] } })), RULES, at);
  expect(summary(v).reasons).toEqual([
    [C.DNC_SYSTEM, null],
    [C.CAMPAIGN_NOT_FOUND, null],
  ]);
});
