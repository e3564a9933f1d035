import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../src/config/app-config";
import { CallRulesError, loadCallRulesFile, NO_CALL_RULES, parseCallRules } from "../../src/config/call-rules";
import { packageRoot } from "../../src/util/package-root";

/** The rule file: our state windows and caps, validated with zod at load, each with its citation. */

const EXAMPLE = join(packageRoot(), "config", "call-rules.example.json");

it("the shipped example loads: state windows and caps, every rule cited, documented as examples", () => {
  const rules = loadCallRulesFile(EXAMPLE);
  expect(rules.stateWindows.map((w) => w.id)).toEqual(["FL-hours", "OK-hours", "MD-hours", "TX-hours"]);
  expect(rules.callCaps.map((c) => [c.id, c.states, c.maxCalls, c.hours])).toEqual([
    ["FL-3-per-24h", ["FL"], 3, 24],
    ["OK-3-per-24h", ["OK"], 3, 24],
    ["MD-3-per-24h", ["MD"], 3, 24],
  ]);
  expect(rules.stateWindows.find((w) => w.id === "TX-hours")!.hours).toEqual([
    { days: ["mon", "tue", "wed", "thu", "fri", "sat"], start: 540, end: 1260 },
    { days: ["sun"], start: 720, end: 1260 },
  ]);
  for (const r of [...rules.stateWindows, ...rules.callCaps]) expect(r.citation.length).toBeGreaterThan(10);
  expect(JSON.parse(readFileSync(EXAMPLE, "utf8")).about).toMatch(/^EXAMPLES, NOT LEGAL ADVICE/);
});

it("no file: no rules of our own", () => {
  expect(loadCallRulesFile(null)).toBe(NO_CALL_RULES);
});

const window = (over: object = {}) => ({
  id: "w",
  states: ["fl"],
  hours: [{ days: ["mon"], start: "08:00", end: "20:00" }],
  citation: "Some Law § 1",
  ...over,
});
const cap = (over: object = {}) => ({ id: "c", maxCalls: 3, hours: 24, citation: "Some Law § 2", ...over });

it.each([
  [
    "a window without citation",
    { stateWindows: [window({ citation: "" })] },
    "stateWindows.0.citation: every rule needs its citation",
  ],
  ["a cap without citation", { callCaps: [cap({ citation: undefined })] }, "callCaps.0.citation"],
  [
    "a bad time",
    { stateWindows: [window({ hours: [{ days: ["mon"], start: "8am", end: "20:00" }] })] },
    "stateWindows.0.hours.0.start: must be HH:MM",
  ],
  [
    "start after end",
    { stateWindows: [window({ hours: [{ days: ["mon"], start: "20:00", end: "08:00" }] })] },
    "stateWindows.0.hours.0.end: start must be before end",
  ],
  [
    "an unknown day",
    { stateWindows: [window({ hours: [{ days: ["monday"], start: "08:00", end: "20:00" }] })] },
    "stateWindows.0.hours.0.days.0",
  ],
  [
    "a bad state",
    { stateWindows: [window({ states: ["Florida"] })] },
    "stateWindows.0.states.0: must be a two-letter state code",
  ],
  ["a cap of 0 calls", { callCaps: [cap({ maxCalls: 0 })] }, "callCaps.0.maxCalls"],
  ["a typo in a key", { callCaps: [cap({ maxcalls: 3 })] }, "callCaps.0"],
  ["an unknown top-level key", { stateWindow: [] }, "file"],
  [
    "a duplicate id",
    { stateWindows: [window({ id: "x" })], callCaps: [cap({ id: "x" })] },
    'rule id "x" is used twice',
  ],
])("refuses %s, naming where", (_c, value, problem) => {
  let err: unknown;
  try {
    parseCallRules(value, "rules.json");
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CallRulesError);
  expect((err as CallRulesError).problems.join("\n")).toContain(problem);
  expect((err as Error).message).toContain("rules.json");
});

it("normalises states to upper case and times to minutes", () => {
  expect(
    parseCallRules({ stateWindows: [window({ hours: [{ days: ["sun"], start: "00:00", end: "24:00" }] })] })
      .stateWindows[0],
  ).toEqual({
    id: "w",
    states: ["FL"],
    hours: [{ days: ["sun"], start: 0, end: 1440 }],
    citation: "Some Law § 1",
  });
});

it("a missing or non-JSON file is a CallRulesError", () => {
  const dir = mkdtempSync(join(tmpdir(), "call-rules-"));
  expect(() => loadCallRulesFile(join(dir, "missing.json"))).toThrow(/cannot be read/);
  writeFileSync(join(dir, "bad.json"), "{ stateWindows: ");
  expect(() => loadCallRulesFile(join(dir, "bad.json"))).toThrow(/is not JSON/);
});

it("CALL_RULES_FILE is an optional setting of the typed configuration, resolved to an absolute path", () => {
  expect(loadConfig({}).callRules).toEqual({ file: null });
  expect(loadConfig({ CALL_RULES_FILE: "" }).callRules).toEqual({ file: null });
  expect(loadConfig({ CALL_RULES_FILE: "config/call-rules.example.json" }).callRules).toEqual({
    file: resolve("config/call-rules.example.json"),
  });
});
