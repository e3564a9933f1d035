import { calledLeadState, type BrainLeadState, type ImportContext } from "../../src/jobs/processors/import-merge";
import { shiftLocal } from "../../src/services/vici-follower";

/** Follow mode's pure parts: a Brain lead with no managed row after a call or a DNC entry, and its wall-clock windows. */
describe("calledLeadState", () => {
  const now = new Date("2026-12-02T15:00:00Z");
  const ctx: ImportContext = { now, recentCallDays: 30, syncedAt: now.toISOString() };
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const lead = (o: Partial<BrainLeadState> = {}): BrainLeadState => ({
    meta: { origin: "csv_import" },
    doNotCall: false,
    doNotCallReason: null,
    doNotCallUntil: null,
    ...o,
  });
  it.each<
    [
      string,
      BrainLeadState,
      { lastCallAt: Date | null; dnc: boolean },
      Partial<BrainLeadState> & { lastCall?: string | null; changed: boolean },
    ]
  >([
    [
      "called today: recently called until 30 days on, the call recorded",
      lead(),
      { lastCallAt: daysAgo(0), dnc: false },
      {
        doNotCall: true,
        doNotCallReason: "recently_called",
        doNotCallUntil: daysAgo(-30),
        lastCall: daysAgo(0).toISOString(),
        changed: true,
      },
    ],
    [
      "called 40 days ago: the call recorded, still callable",
      lead(),
      { lastCallAt: daysAgo(40), dnc: false },
      { doNotCall: false, doNotCallReason: null, lastCall: daysAgo(40).toISOString(), changed: true },
    ],
    [
      "on a DNC list: dnc",
      lead(),
      { lastCallAt: null, dnc: true },
      { doNotCall: true, doNotCallReason: "dnc", doNotCallUntil: null, lastCall: null, changed: true },
    ],
    [
      "DNC outranks recently called",
      lead({ doNotCall: true, doNotCallReason: "recently_called" }),
      { lastCallAt: daysAgo(1), dnc: true },
      { doNotCall: true, doNotCallReason: "dnc", lastCall: daysAgo(1).toISOString(), changed: true },
    ],
    [
      "an operator's do-not-call stays as it is",
      lead({ doNotCall: true, doNotCallReason: "operator" }),
      { lastCallAt: daysAgo(1), dnc: false },
      { doNotCall: true, doNotCallReason: "operator", lastCall: daysAgo(1).toISOString(), changed: true },
    ],
    [
      "the same call again changes nothing",
      lead({
        doNotCall: true,
        doNotCallReason: "recently_called",
        doNotCallUntil: daysAgo(-28),
        meta: { origin: "csv_import", last_call_date: daysAgo(2).toISOString() },
      }),
      { lastCallAt: daysAgo(2), dnc: false },
      { doNotCall: true, doNotCallReason: "recently_called", lastCall: daysAgo(2).toISOString(), changed: false },
    ],
    [
      "no call known: nothing written",
      lead(),
      { lastCallAt: null, dnc: false },
      { doNotCall: false, lastCall: undefined, changed: false },
    ],
  ])("%s", (_what, current, number, want) => {
    const next = calledLeadState(current, number, ctx);
    const { lastCall, ...rest } = want;
    expect(next).toMatchObject(rest);
    if (lastCall !== undefined) expect(next.meta.last_call_date ?? null).toBe(lastCall);
    else expect(next.meta).toBe(current.meta);
    expect(next.meta.origin).toBe("csv_import"); // nothing else in meta is touched
  });
});

describe("shiftLocal", () => {
  it.each([
    ["2026-12-02 10:00:00", -30, "2026-12-02 09:59:30"],
    ["2026-12-02 00:00:10", -30, "2026-12-01 23:59:40"],
    ["2026-12-31 23:58:00", 300, "2027-01-01 00:03:00"],
    // Wall-clock arithmetic: a DST change in VICI_TIMEZONE does not move a window by an hour.
    ["2026-03-08 01:59:00", 120, "2026-03-08 02:01:00"],
  ])("%s moved %s s → %s", (local, s, want) => {
    expect(shiftLocal(local, s)).toBe(want);
  });
});
