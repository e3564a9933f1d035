import { buildContext } from "../../../src/vici/rules/call-verdict/context";
import {
  campaignReasons,
  dialStatusCodes,
  recycleFlags,
  rowStateReasons,
} from "../../../src/vici/rules/call-verdict/dialer-state.rule";
import {
  callVerdict,
  CallReasonCode as C,
  type CampaignRow,
  type LeadRowFacts,
} from "../../../src/vici/rules/call-verdict";
import { campaign, facts, iso, list, number, RULES } from "../../helpers/call-facts";

/** The hopper's lead selection apart from time, DNC and the later limits (CALLTIMES.md §0 rows 1-3, 5). */

const AT = Date.parse("2024-07-10T15:00:00Z"); // Wednesday 11:00 EDT

function reasonsFor(
  row: Partial<LeadRowFacts>,
  c: Partial<CampaignRow> = {},
  extra: Parameters<typeof campaign>[0] = {},
  at = AT,
) {
  const f = facts(campaign({ readAt: new Date(at), ...extra }, c), number(), [row]);
  const ctx = buildContext(f, RULES);
  return [...campaignReasons(ctx), ...rowStateReasons(ctx, f.number.rows[0], at)].map((r) => [r.code, iso(r.until)]);
}

it.each([
  [" NEW NA -", ["NEW", "NA"]],
  [" NEW -", ["NEW"]],
  ["NEW NA -", ["NA"]], // no leading space: the hopper skips the first status
  [" NEW  NA -", ["NEW", "", "NA"]],
  ["", []],
  [" -", []],
])("dial_statuses %j → %j", (raw, codes) => {
  expect(dialStatusCodes(raw)).toEqual(codes);
});

it.each([
  [1, ["Y"]],
  [2, ["Y", "Y1"]],
  [4, ["Y", "Y1", "Y2", "Y3"]],
])("a recycle rule with attempt_maximum %s re-dials %j", (max, flags) => {
  expect(recycleFlags(max)).toEqual(flags);
});

describe("dialer state", () => {
  const cases: [
    string,
    Partial<LeadRowFacts>,
    Partial<CampaignRow>,
    Parameters<typeof campaign>[0],
    [string, string | null][],
  ][] = [
    ["a NEW lead, flag N, active list", {}, {}, {}, []],
    ["status NA is dialed", { status: "NA" }, {}, {}, []],
    ["status names compare case-insensitively", { status: "na" }, {}, {}, []],
    ["status SALE is not", { status: "SALE" }, {}, {}, [[C.STATUS_NOT_DIALABLE, null]]],
    ["NULL status", { status: null }, {}, {}, [[C.STATUS_NOT_DIALABLE, null]]],
    ["dialed since the last reset", { calledSinceLastReset: "Y1" }, {}, {}, [[C.CALLED_SINCE_RESET, null]]],
    [
      "both",
      { status: "SALE", calledSinceLastReset: "Y" },
      {},
      {},
      [
        [C.STATUS_NOT_DIALABLE, null],
        [C.CALLED_SINCE_RESET, null],
      ],
    ],
    [
      "held by the 24-hour limit (D): back an hour after its last change",
      { calledSinceLastReset: "D", modifyDate: new Date("2024-07-10T14:30:00Z") },
      {},
      {},
      [[C.CALL_LIMIT_24H, "2024-07-10T15:30:00.000Z"]],
    ],
    ["inactive list", { list: list({ active: "N" }) }, {}, {}, [[C.LIST_INACTIVE, null]]],
    [
      "list expired yesterday (server date)",
      { list: list({ expirationDate: "2024-07-09" }) },
      {},
      {},
      [[C.LIST_EXPIRED, null]],
    ],
    ["list expiring today is still dialed", { list: list({ expirationDate: "2024-07-10" }) }, {}, {}, []],
    ["list without expiration date", { list: list({ expirationDate: null }) }, {}, {}, [[C.LIST_EXPIRED, null]]],
    ["campaign inactive", {}, { active: "N" }, {}, [[C.CAMPAIGN_INACTIVE, null]]],
    ["no hopper dialing", {}, { noHopperDialing: "Y" }, {}, [[C.CAMPAIGN_INACTIVE, null]]],
    ["lifetime limit reached", { calledCount: 5 }, { callCountLimit: 5 }, {}, [[C.CALL_COUNT_LIMIT, null]]],
    ["lifetime limit not reached", { calledCount: 4 }, { callCountLimit: 5 }, {}, []],
    ["limit 0 = none", { calledCount: 500 }, { callCountLimit: 0 }, {}, []],
    ["lead filter excludes it", { passesLeadFilter: false }, { leadFilterId: "onlyFL" }, {}, [[C.LEAD_FILTER, null]]],
    // Drop lockout: last_local_call_time < NOW() - N h on the SERVER clock (11:00 EDT now).
    [
      "DROP within the lockout",
      { status: "DROP", lastLocalCallTime: "2024-07-10 10:00:00" },
      { dropLockoutHours: 2, dialStatuses: " NEW DROP -" },
      {},
      [[C.DROP_LOCKOUT, "2024-07-10T16:00:01.000Z"]],
    ],
    [
      "DROP past the lockout",
      { status: "DROP", lastLocalCallTime: "2024-07-10 08:59:59" },
      { dropLockoutHours: 2, dialStatuses: " NEW DROP -" },
      {},
      [],
    ],
    [
      "XDROP without a last call",
      { status: "XDROP", lastLocalCallTime: null },
      { dropLockoutHours: 2, dialStatuses: " XDROP -" },
      {},
      [],
    ],
    [
      "lockout 0 = none",
      { status: "DROP", lastLocalCallTime: "2024-07-10 10:59:00" },
      { dropLockoutHours: 0, dialStatuses: " DROP -" },
      {},
      [],
    ],
    // Recycling: status NA re-dialed 1800 s after the last (lead-local) call, flags Y and Y1.
    [
      "recycled NA, delay passed",
      { status: "NA", calledSinceLastReset: "Y", lastLocalCallTime: "2024-07-10 10:29:00" },
      { dialStatuses: " NEW -" },
      { recycle: [{ status: "NA", attemptDelay: 1800, attemptMaximum: 2 }] },
      [],
    ],
    [
      "recycled NA, delay not passed",
      { status: "NA", calledSinceLastReset: "Y1", lastLocalCallTime: "2024-07-10 10:45:00" },
      { dialStatuses: " NEW -" },
      { recycle: [{ status: "NA", attemptDelay: 1800, attemptMaximum: 2 }] },
      [[C.RECYCLE_DELAY, "2024-07-10T15:15:01.000Z"]],
    ],
    [
      "recycled NA beyond attempt_maximum",
      { status: "NA", calledSinceLastReset: "Y2", lastLocalCallTime: "2024-07-10 08:00:00" },
      { dialStatuses: " NEW -" },
      { recycle: [{ status: "NA", attemptDelay: 1800, attemptMaximum: 2 }] },
      [
        [C.STATUS_NOT_DIALABLE, null],
        [C.CALLED_SINCE_RESET, null],
      ],
    ],
    [
      "recycled without a last call: never (NULL < date is false)",
      { status: "NA", calledSinceLastReset: "Y", lastLocalCallTime: null },
      { dialStatuses: " NEW -" },
      { recycle: [{ status: "NA", attemptDelay: 1800, attemptMaximum: 2 }] },
      [[C.RECYCLE_DELAY, null]],
    ],
  ];
  it.each(cases)("%s", (_c, row, c, extra, expected) => {
    expect(reasonsFor({ gmtOffsetNow: -4, ...row }, c, extra)).toEqual(expected);
  });

  it("a recycle delay counts calling time only: the hopper skips the no-call gap of the call time", () => {
    // 9am-9pm, gap 21:00 → 09:00. Last call 20:50 local, delay 1800 s. The delay has passed at
    // 21:20:01 (call time closed by then); from 21:31 the gap is subtracted again, so the next
    // morning it has passed only from 09:20:01, twenty minutes after the call time opens.
    const at = new Date("2024-07-11T01:00:00Z");
    const f = facts(
      campaign(
        { readAt: at, recycle: [{ status: "NA", attemptDelay: 1800, attemptMaximum: 2 }] },
        { dialStatuses: " NEW -" },
      ),
      number(),
      [{ gmtOffsetNow: -4, status: "NA", calledSinceLastReset: "Y", lastLocalCallTime: "2024-07-10 20:50:00" }],
    );
    const v = callVerdict(f, RULES, at);
    expect(v.reasons.map((r) => [r.code, iso(r.until)])).toEqual([
      [C.LEGAL_HOURS, "2024-07-11T12:00:00.000Z"],
      [C.RECYCLE_DELAY, "2024-07-11T01:20:01.000Z"],
      [C.CALL_TIME, "2024-07-11T13:00:00.000Z"],
    ]);
    expect(iso(v.callableAt)).toBe("2024-07-11T13:20:01.000Z");
  });
});
