import {
  doNotCallAfter,
  heldIssue,
  heldReasons,
  mergedLeadState,
  type DoNotCallState,
  type ImportContext,
  type PhoneGroup,
} from "../../src/jobs/processors/import-merge";
import { doNotCallHolds, recentCallEnds } from "../../src/services/do-not-call";
import { group, row } from "../helpers/import-groups";

/** Brain's do-not-call as pure decisions: when a flag holds, and what an import makes of it (issue 14 §3). */
const NOW = new Date("2026-11-24T12:00:00Z");
const DAY = 86_400_000;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const ahead = (d: number) => new Date(NOW.getTime() + d * DAY);
const ctx: ImportContext = { now: NOW, recentCallDays: 30, syncedAt: NOW.toISOString() };
const flag = (doNotCall: boolean, doNotCallReason: string | null, doNotCallUntil: Date | null): DoNotCallState => ({
  doNotCall,
  doNotCallReason,
  doNotCallUntil,
});
const NONE = flag(false, null, null);

describe("doNotCallHolds: the one test of 'holds now'", () => {
  it.each<[string, DoNotCallState, Date, boolean]>([
    ["no flag", NONE, NOW, false],
    ["no flag, an end left over", flag(false, "recently_called", ahead(3)), NOW, false],
    ["permanent (dnc)", flag(true, "dnc", null), NOW, true],
    ["an operator's reason, years later", flag(true, "asked by lawyer", null), ahead(3650), true],
    ["recency, end ahead", flag(true, "recently_called", ahead(1)), NOW, true],
    [
      "recency, end exactly now: lifted (the end is the first callable instant)",
      flag(true, "recently_called", NOW),
      NOW,
      false,
    ],
    ["recency, end passed", flag(true, "recently_called", ago(1)), NOW, false],
  ])("%s → %s", (_n, f, at, holds) => {
    expect(doNotCallHolds(f, at)).toBe(holds);
  });

  it("a window ends RECENT_CALL_DAYS × 24 h after the call", () => {
    expect(recentCallEnds(new Date("2026-03-01T12:00:00Z"), 30)).toEqual(new Date("2026-03-31T12:00:00Z"));
  });
});

describe("doNotCallAfter: an import never sets a permanent flag for recency, never clears one", () => {
  it.each<[string, DoNotCallState, boolean, Date | null, DoNotCallState]>([
    // name, current, on DNC, the number's last call, after
    ["nothing, never called", NONE, false, null, NONE],
    [
      "nothing, called 10 days ago → recently_called until the call is 30 days old",
      NONE,
      false,
      ago(10),
      flag(true, "recently_called", ahead(20)),
    ],
    ["nothing, called 30 days ago → nothing", NONE, false, ago(30), NONE],
    ["on DNC → dnc for ever, whatever the call", NONE, true, ago(1), flag(true, "dnc", null)],
    [
      "recently_called, then DNC → dnc for ever",
      flag(true, "recently_called", ahead(5)),
      true,
      ago(25),
      flag(true, "dnc", null),
    ],
    ["dnc stays dnc", flag(true, "dnc", null), true, null, flag(true, "dnc", null)],
    [
      "dnc is not cleared when the lists no longer hold it",
      flag(true, "dnc", null),
      false,
      null,
      flag(true, "dnc", null),
    ],
    [
      "an operator's reason holds: a recent call does not replace it",
      flag(true, "asked", null),
      false,
      ago(3),
      flag(true, "asked", null),
    ],
    [
      "a later call moves the end out",
      flag(true, "recently_called", ahead(2)),
      false,
      ago(5),
      flag(true, "recently_called", ahead(25)),
    ],
    [
      "an earlier call never moves the end in",
      flag(true, "recently_called", ahead(25)),
      false,
      ago(20),
      flag(true, "recently_called", ahead(25)),
    ],
    [
      "a lifted recency flag is left as it is when no call is recent (nothing to clear)",
      flag(true, "recently_called", ago(3)),
      false,
      ago(33),
      flag(true, "recently_called", ago(3)),
    ],
    [
      "a lifted recency flag and a new call → a new end",
      flag(true, "recently_called", ago(3)),
      false,
      ago(1),
      flag(true, "recently_called", ahead(29)),
    ],
    [
      "a legacy recency flag without end and a recent call → the call's end",
      flag(true, "recently_called", null),
      false,
      ago(10),
      flag(true, "recently_called", ahead(20)),
    ],
  ])("%s", (_n, current, dnc, lastCallAt, after) => {
    expect(doNotCallAfter(current, dnc, lastCallAt, ctx)).toEqual(after);
  });
});

describe("heldReasons: an import's held numbers in callVerdict's codes", () => {
  it.each<[string, PhoneGroup, string[]]>([
    ["nothing holds it", group(), []],
    ["called 10 days ago", group({ lastCallAt: ago(10) }), ["RECENTLY_CALLED"]],
    ["called 31 days ago", group({ lastCallAt: ago(31) }), []],
    [
      "on the system list by area code",
      group({ onDncList: true, dncHits: [{ list: "system", campaignId: null, entry: "727XXXXXXX" }] }),
      ["DNC_SYSTEM"],
    ],
    [
      "on a campaign list, a DNC status, and recently called",
      group({
        onDncList: true,
        dncHits: [{ list: "campaign", campaignId: "Auto2", entry: "7275550101" }],
        statusIsDnc: true,
        rows: [row(4, { statusCode: "DNC", statusIsDnc: true })],
        lastCallAt: ago(2),
      }),
      ["DNC_CAMPAIGN", "DNC_STATUS", "RECENTLY_CALLED"],
    ],
  ])("%s → %j", (_n, g, codes) => {
    expect(heldReasons(g, ctx).map((r) => r.code)).toEqual(codes);
  });

  it("a HELD issue carries the reasons as lines and as data", () => {
    const reasons = heldReasons(group({ lastCallAt: ago(10) }), ctx);
    expect(heldIssue(reasons, "do-not-call", { viciLeadId: 1, brainLeadId: "9" })).toEqual({
      kind: "HELD",
      viciLeadId: 1,
      brainLeadId: "9",
      reason: `do-not-call: RECENTLY_CALLED: last called ${ago(10).toISOString()}, less than 30 days ago (lifts ${ahead(20).toISOString()})`,
      data: {
        callReasons: [
          {
            code: "RECENTLY_CALLED",
            detail: `last called ${ago(10).toISOString()}, less than 30 days ago`,
            until: ahead(20).toISOString(),
          },
        ],
      },
    });
  });

  it("a merge that only re-reads the same window changes nothing (no write, no issue)", () => {
    const current = {
      meta: {
        vici_lead_id: 1,
        vici_lead_ids: [1],
        vici_list_id: 1001,
        vici_campaign_id: "Auto2",
        vici_status: "NA",
        last_call_date: ago(10).toISOString(),
      },
      ...flag(true, "recently_called", ahead(20)),
    };
    expect(mergedLeadState(current, group({ lastCallAt: ago(10) }), ctx).changed).toBe(false);
  });
});
