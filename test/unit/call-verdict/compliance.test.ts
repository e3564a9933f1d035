import { buildContext } from "../../../src/vici/rules/call-verdict/context";
import { callCapReasons } from "../../../src/vici/rules/call-verdict/call-caps.rule";
import { dncReasons, statusIsDnc } from "../../../src/vici/rules/call-verdict/dnc.rule";
import { legalHoursReasons, legalZones, numberStates } from "../../../src/vici/rules/call-verdict/legal-hours.rule";
import { recentCallReasons } from "../../../src/vici/rules/call-verdict/recent-call.rule";
import {
  CallReasonCode as C,
  type CallRules,
  type CampaignRow,
  type LeadRowFacts,
  type NumberFacts,
} from "../../../src/vici/rules/call-verdict";
import { campaign, facts, iso, list, number, RULES } from "../../helpers/call-facts";

/** The COMPLIANCE rules, each on its own decision table. */

const ctxFor = (
  n: Partial<NumberFacts>,
  rows: Partial<LeadRowFacts>[] = [],
  c: Partial<CampaignRow> = {},
  rules: CallRules = RULES,
  national = "7275550101",
) => buildContext(facts(campaign({}, c), number(national, n), rows), rules);
const codes = (rs: { code: C; until: Date | null }[]) => rs.map((r) => [r.code, iso(r.until)]);

describe("DNC as the hopper applies it for the campaign", () => {
  const sys = (...e: string[]) => ({ dnc: { system: e, campaign: [] } });
  const camp = (campaignId: string, ...e: string[]) => ({
    dnc: { system: [], campaign: e.map((entry) => ({ campaignId, entry })) },
  });
  it.each([
    // [case, number facts, campaign settings, reasons, notes]
    ["nothing listed", {}, {}, [], 0],
    ["system exact, use_internal_dnc Y", sys("7275550101"), { useInternalDnc: "Y" }, [C.DNC_SYSTEM], 0],
    ["system exact, AREACODE", sys("7275550101"), { useInternalDnc: "AREACODE" }, [C.DNC_SYSTEM], 0],
    ["system exact, N", sys("7275550101"), { useInternalDnc: "N" }, [], 1],
    ["system wildcard, Y", sys("727XXXXXXX"), { useInternalDnc: "Y" }, [], 1],
    ["system wildcard, AREACODE", sys("727XXXXXXX"), { useInternalDnc: "AREACODE" }, [C.DNC_SYSTEM], 0],
    ["campaign list, use_campaign_dnc Y", camp("Auto2", "7275550101"), { useCampaignDnc: "Y" }, [C.DNC_CAMPAIGN], 0],
    ["campaign list, N", camp("Auto2", "7275550101"), { useCampaignDnc: "N" }, [], 1],
    ["campaign wildcard, Y", camp("Auto2", "727XXXXXXX"), { useCampaignDnc: "Y" }, [], 1],
    ["campaign wildcard, AREACODE", camp("Auto2", "727XXXXXXX"), { useCampaignDnc: "AREACODE" }, [C.DNC_CAMPAIGN], 0],
    ["another campaign's list is not this campaign's", camp("Survey1", "7275550101"), { useCampaignDnc: "Y" }, [], 0],
    [
      "use_other_campaign_dnc reads that list instead",
      camp("Survey1", "7275550101"),
      { useCampaignDnc: "Y", useOtherCampaignDnc: "Survey1" },
      [C.DNC_CAMPAIGN],
      0,
    ],
    [
      "… and no longer its own",
      camp("Auto2", "7275550101"),
      { useCampaignDnc: "Y", useOtherCampaignDnc: "Survey1" },
      [],
      0,
    ],
    [
      "campaign ids compare case-insensitively",
      camp("auto2", "7275550101"),
      { useCampaignDnc: "Y" },
      [C.DNC_CAMPAIGN],
      0,
    ],
    [
      "Brain's own do-not-call",
      { brainDoNotCall: { reason: "operator: asked not to be called" } },
      {},
      [C.BRAIN_DO_NOT_CALL],
      0,
    ],
  ] as const)("%s", (_c, n, c, reasons, notes) => {
    const r = dncReasons(ctxFor(n as Partial<NumberFacts>, [], c as Partial<CampaignRow>));
    expect(r.reasons.map((x) => x.code)).toEqual(reasons);
    expect(r.reasons.every((x) => x.until === null && x.kind === "COMPLIANCE")).toBe(true);
    expect(r.notes).toHaveLength(notes);
  });

  it.each([
    ["system DNC status", { status: "DNC" }, {}, true],
    ["a status the system does not flag", { status: "NA" }, {}, false],
    ["a campaign status flagged dnc", { status: "XDNC" }, { auto2: { XDNC: true } }, true],
    ["the campaign's own definition wins over the system's", { status: "DNC" }, { auto2: { DNC: false } }, false],
    ["another campaign's flag does not count", { status: "XDNC" }, { survey1: { XDNC: true } }, false],
  ] as const)("DNC status: %s", (_c, row, campaignStatuses, dnc) => {
    const c = campaign({
      dncStatuses: { system: { DNC: true }, campaign: campaignStatuses as Record<string, Record<string, boolean>> },
    });
    expect(statusIsDnc(c, { ...facts(c, number(), [row]).number.rows[0] })).toBe(dnc);
  });

  it("a DNC status on a row in any campaign makes the number DNC (ours), never lifting", () => {
    const r = dncReasons(
      ctxFor({}, [{ status: "NA" }, { leadId: 9, status: "DNC", list: list({ listId: 3001, campaignId: "Survey1" }) }]),
    );
    expect(r.reasons.map((x) => [x.code, x.until, x.detail])).toEqual([
      [C.DNC_STATUS, null, "Vici lead 9 has do-not-call status DNC"],
    ]);
  });
});

describe("the 30-day rule", () => {
  const at = Date.parse("2024-07-10T15:00:00Z");
  it.each([
    ["never called", null, 30, null],
    ["called 29 days 23 h ago", "2024-06-10T16:00:00Z", 30, "2024-07-10T16:00:00.000Z"],
    ["called exactly 30 days ago", "2024-06-10T15:00:00Z", 30, null],
    ["called 31 days ago", "2024-06-09T15:00:00Z", 30, null],
    ["RECENT_CALL_DAYS 7", "2024-07-05T15:00:00Z", 7, "2024-07-12T15:00:00.000Z"],
    ["RECENT_CALL_DAYS 0 turns it off", "2024-07-10T14:00:00Z", 0, null],
  ] as const)("%s", (_c, last, days, until) => {
    const ctx = ctxFor({ lastCallAt: last ? new Date(last) : null }, [], {}, { ...RULES, recentCallDays: days });
    expect(codes(recentCallReasons(ctx, at))).toEqual(until ? [[C.RECENTLY_CALLED, until]] : []);
  });
});

describe("legal and state hours", () => {
  it.each([
    // [case, number, rows, zones (std / label)]
    ["the area code's zone", "7275550101", [], [[-5, "area code 727 (FL)"]]],
    [
      "a row's state elsewhere adds that state's zones",
      "7275550101",
      [{ state: "AZ" }],
      [
        [-5, "area code 727 (FL)"],
        [-7, "state AZ"],
      ],
    ],
    ["a row's state the area code covers adds nothing", "7275550101", [{ state: "fl" }], [[-5, "area code 727 (FL)"]]],
    [
      "a state with two zones adds both",
      "2125550101",
      [{ state: "FL" }],
      [
        [-5, "area code 212 (NY)"],
        [-6, "state FL"],
      ],
    ],
    [
      "unknown area code, stored offsets",
      "9995550101",
      [{ state: null, gmtOffsetNow: -6 }],
      [[-6, "stored gmt_offset_now of Vici lead 1"]],
    ],
    [
      "unknown area code, stored 0.00 is ignored: VICIdial's fallback row",
      "9995550101",
      [{ state: null, gmtOffsetNow: 0 }],
      [[-5, "first phone-code row of country 1 (area code 201), VICIdial's fallback"]],
    ],
  ] as const)("zones: %s", (_c, national, rows, zones) => {
    const ctx = ctxFor({}, [...rows] as Partial<LeadRowFacts>[], {}, RULES, national);
    expect(legalZones(ctx).map((z) => [z.std, z.label])).toEqual(zones);
  });

  it("the number's states: its rows' and its area code's", () => {
    expect(numberStates(ctxFor({}, [{ state: "az" }, { leadId: 2, state: "" }, { leadId: 3, state: null }]))).toEqual([
      "AZ",
      "FL",
    ]);
  });

  const texas: CallRules = {
    ...RULES,
    stateWindows: [
      {
        id: "TX-hours",
        states: ["TX"],
        hours: [
          { days: ["mon", "tue", "wed", "thu", "fri", "sat"], start: 540, end: 1260 },
          { days: ["sun"], start: 720, end: 1260 },
        ],
        citation: "Tex. Bus. & Com. Code § 301.051",
      },
    ],
  };
  it.each([
    // [case, number, rows, rules, at, reasons]
    [
      "Florida 07:59 EDT",
      "7275550101",
      [],
      RULES,
      "2024-07-10T11:59:00Z",
      [[C.LEGAL_HOURS, "2024-07-10T12:00:00.000Z"]],
    ],
    ["Florida 08:00 EDT", "7275550101", [], RULES, "2024-07-10T12:00:00Z", []],
    ["Florida 20:59 EDT", "7275550101", [], RULES, "2024-07-11T00:59:00Z", []],
    [
      "Florida 21:00 EDT: closed until 08:00",
      "7275550101",
      [],
      RULES,
      "2024-07-11T01:00:00Z",
      [[C.LEGAL_HOURS, "2024-07-11T12:00:00.000Z"]],
    ],
    [
      "a Florida number of an Arizona lead waits for Arizona too",
      "7275550101",
      [{ state: "AZ" }],
      RULES,
      "2024-07-10T14:00:00Z",
      [[C.LEGAL_HOURS, "2024-07-10T15:00:00.000Z"]],
    ],
    [
      "Texas weekday 08:30: legal, but before Texas's 09:00",
      "5125550101",
      [],
      texas,
      "2024-07-10T13:30:00Z",
      [[C.STATE_HOURS, "2024-07-10T14:00:00.000Z"]],
    ],
    [
      "Texas Sunday 10:00: before noon",
      "5125550101",
      [],
      texas,
      "2024-07-14T15:00:00Z",
      [[C.STATE_HOURS, "2024-07-14T17:00:00.000Z"]],
    ],
    ["a Texas window does not touch a Florida number", "7275550101", [], texas, "2024-07-14T13:00:00Z", []],
    [
      "a Florida number of a Texas lead gets the Texas window (in both zones)",
      "7275550101",
      [{ state: "TX" }],
      texas,
      "2024-07-10T13:30:00Z",
      [[C.STATE_HOURS, "2024-07-10T14:00:00.000Z"]],
    ],
  ] as const)("%s", (_c, national, rows, rules, at, reasons) => {
    const ctx = ctxFor({}, [...rows] as Partial<LeadRowFacts>[], {}, rules, national);
    expect(codes(legalHoursReasons(ctx, Date.parse(at)))).toEqual(reasons);
  });

  it.each([
    ["Wednesday 21:30", "2024-07-11T01:30:00Z", [[C.LEGAL_HOURS, "2024-07-11T12:00:00.000Z"]]],
    ["Wednesday 06:30", "2024-07-17T10:30:00Z", [[C.LEGAL_HOURS, "2024-07-17T12:00:00.000Z"]]],
    [
      "Thursday 10:00: the state window is Wednesdays only",
      "2024-07-11T14:00:00Z",
      [[C.STATE_HOURS, "2024-07-17T10:00:00.000Z"]],
    ],
  ])("no configuration widens the floor: a Wednesday window of 06:00-23:00 at %s", (_c, at, reasons) => {
    const wide: CallRules = {
      ...RULES,
      stateWindows: [{ id: "wide", states: ["FL"], hours: [{ days: ["wed"], start: 360, end: 1380 }], citation: "x" }],
    };
    expect(codes(legalHoursReasons(ctxFor({}, [], {}, wide), Date.parse(at)))).toEqual(reasons);
  });
});

describe("our call caps", () => {
  const at = Date.parse("2024-07-10T15:00:00Z");
  const cap = (maxCalls: number, hours: number, states: string[] = []): CallRules => ({
    ...RULES,
    callCaps: [{ id: "cap", states, maxCalls, hours, citation: "cite" }],
  });
  const calls = (...iso: string[]) => ({ recentCalls: iso.map((s) => new Date(s)) });
  it.each([
    ["under the cap", calls("2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z"), cap(3, 24), []],
    [
      "at the cap: lifts when the oldest of the last 3 is 24 h old",
      calls("2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z", "2024-07-10T12:00:00Z"),
      cap(3, 24),
      [[C.CALL_CAP, "2024-07-11T10:00:00.000Z"]],
    ],
    [
      "above the cap: waits until only 2 remain",
      calls("2024-07-09T16:00:00Z", "2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z", "2024-07-10T12:00:00Z"),
      cap(3, 24),
      [[C.CALL_CAP, "2024-07-11T10:00:00.000Z"]],
    ],
    [
      "calls older than the window do not count",
      calls("2024-07-09T14:00:00Z", "2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z"),
      cap(3, 24),
      [],
    ],
    [
      "a cap for other states does not apply",
      calls("2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z", "2024-07-10T12:00:00Z"),
      cap(3, 24, ["TX"]),
      [],
    ],
    [
      "a cap for the number's state applies",
      calls("2024-07-10T10:00:00Z", "2024-07-10T11:00:00Z", "2024-07-10T12:00:00Z"),
      cap(3, 24, ["FL"]),
      [[C.CALL_CAP, "2024-07-11T10:00:00.000Z"]],
    ],
    ["one call a week", calls("2024-07-05T10:00:00Z"), cap(1, 168), [[C.CALL_CAP, "2024-07-12T10:00:00.000Z"]]],
  ] as const)("%s", (_c, n, rules, reasons) => {
    expect(codes(callCapReasons(ctxFor(n, [], {}, rules), at))).toEqual(reasons);
  });
});
