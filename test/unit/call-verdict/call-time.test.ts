import {
  callTimeClauseOpen,
  dayPair,
  narrow,
  pipeIds,
  resolveCallTime,
} from "../../../src/vici/rules/call-verdict/call-time";
import { callTime, holiday, stateRule } from "../../helpers/call-facts";

/** VICIdial call times, one rule of the hopper's gmt clause per row. */

describe("windows", () => {
  const w = callTime("x", [900, 2100], { days: { 0: [1200, 1700], 3: [2400, 2400], 5: [0, 2400] } });
  it.each([
    [1, 900, true], // Monday: 0/0 → default 900-2100, start inclusive
    [1, 2059, true],
    [1, 2100, false], // stop exclusive
    [1, 859, false],
    [0, 1159, false], // Sunday's own pair
    [0, 1200, true],
    [3, 1200, false], // Wednesday 2400/2400: closed
    [5, 0, true], // Friday 0/2400: all day
    [5, 2359, true],
  ] as const)("weekday %s at %s → %s", (day, hhmm, open) => {
    expect(
      callTimeClauseOpen(
        resolveCallTime("x", { callTimes: { x: w }, stateCallTimes: {}, holidays: {} }, "2024-07-10", "campaign"),
        null,
        day,
        hhmm,
      ),
    ).toBe(open);
  });

  it.each([
    [
      "default and weekday pairs with stop > 0 are narrowed",
      { default: { start: 900, stop: 2100 }, days: [{ start: 800, stop: 2000 }] },
      { start: 1000, stop: 1600 },
      { default: { start: 1000, stop: 1600 }, days: [{ start: 1000, stop: 1600 }] },
    ],
    [
      "a 0/0 weekday stays 0/0 (it falls back to the narrowed default)",
      { default: { start: 900, stop: 2100 }, days: [{ start: 0, stop: 0 }] },
      { start: 1000, stop: 1600 },
      { default: { start: 1000, stop: 1600 }, days: [{ start: 0, stop: 0 }] },
    ],
    [
      "a holiday 2400/2400 closes the day",
      { default: { start: 900, stop: 2100 }, days: [] },
      { start: 2400, stop: 2400 },
      { default: { start: 2400, stop: 2100 }, days: [] },
    ],
    [
      "a narrower call time is not widened",
      { default: { start: 1100, stop: 1500 }, days: [] },
      { start: 1000, stop: 1600 },
      { default: { start: 1100, stop: 1500 }, days: [] },
    ],
  ])("holiday narrowing: %s", (_c, windows, by, expected) => {
    expect(narrow(windows, by)).toEqual(expected);
    expect(dayPair(narrow(windows, by), 0)).toEqual(
      expected.days[0]?.start === 0 && expected.days[0]?.stop === 0
        ? expected.default
        : (expected.days[0] ?? expected.default),
    );
  });

  it.each([
    ["|a|b|", 1, ["a", "b"]],
    ["|a|", 1, ["a"]],
    ["ab", 1, null], // 2 characters or fewer: ignored
    ["|x|illinois|", 2, ["illinois"]], // one-letter state rule ids are skipped
    [null, 1, null],
  ] as const)("pipe lists: %s", (raw, min, ids) => {
    expect(pipeIds(raw, min)).toEqual(ids);
  });
});

describe("holidays and state rules on a server date", () => {
  const facts = {
    callTimes: {
      ct: callTime("ct", [900, 2100], { stateRules: "|illinois|texas|", holidays: "|b-hol|a-hol|off|" }),
    },
    stateCallTimes: {
      illinois: stateRule("illinois", "IL", [800, 2100]),
      texas: stateRule("texas", "TX", [900, 2100], { holidays: "|tx-only|", comments: "1300 quirk" }),
    },
    holidays: {
      "a-hol": holiday("a-hol", "2024-12-25", [1000, 1500]),
      "b-hol": holiday("b-hol", "2024-12-25", [1100, 1400]),
      off: holiday("off", "2024-12-25", [2400, 2400], "INACTIVE"),
      "tx-only": holiday("tx-only", "2024-12-24", [1200, 1300]),
    },
  };
  it.each([
    // [server date, level, state, weekday, hhmm, open]
    ["2024-12-25", "campaign", "FL", 3, 1000, true], // a-hol (first by id) 1000-1500
    ["2024-12-25", "campaign", "FL", 3, 1459, true],
    ["2024-12-25", "campaign", "FL", 3, 1500, false],
    ["2024-12-25", "campaign", "IL", 3, 900, false], // IL lists no holidays: the call time's applies (1000-1500)
    ["2024-12-25", "campaign", "IL", 3, 1000, true],
    ["2024-12-25", "campaign", "TX", 3, 900, true], // TX lists its own holidays: none today, the call time's is not applied
    ["2024-12-24", "campaign", "TX", 2, 1100, false], // its own holiday 1200-1300
    ["2024-12-24", "campaign", "TX", 2, 1200, true],
    ["2024-12-24", "campaign", "IL", 2, 800, true], // no holiday on the 24th for IL
    // A list's own call time: a state holiday narrows with the rule's comments (1300) and sct_default_start (900).
    ["2024-12-24", "list", "TX", 2, 1200, false],
    ["2024-12-24", "list", "TX", 2, 1300, false],
    ["2024-12-24", "list", "IL", 2, 800, true],
  ] as const)("%s %s level, %s lead, day %s %s → %s", (date, level, state, day, hhmm, open) => {
    expect(callTimeClauseOpen(resolveCallTime("ct", facts, date, level), state, day, hhmm)).toBe(open);
  });

  it("ids are compared case-insensitively, as MySQL does", () => {
    const r = resolveCallTime("CT", facts, "2024-12-25", "campaign");
    expect(r.exists).toBe(true);
    expect(r.holiday?.id).toBe("a-hol");
  });
});
