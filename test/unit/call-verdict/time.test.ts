import { isViciDst } from "../../../src/vici/rules/dst-rules";
import {
  cronZone,
  insertZone,
  ServerClock,
  trueLocalWallMs,
  viciZoneOffset,
} from "../../../src/vici/rules/call-verdict/lead-clock";
import { US_PHONE_CODES } from "../../helpers/call-facts";

/** VICIdial's notion of time: DST rules, the hopper's rendering, the time-zone cron, zones of new numbers. */

const wall = (s: string) => Date.parse(s + "Z");
const show = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

describe("VICIdial DST rules (isViciDst on a wall clock)", () => {
  it.each([
    ["SSM-FSN", "2024-03-10T01:59:59", false],
    ["SSM-FSN", "2024-03-10T02:00:00", true],
    ["SSM-FSN", "2024-03-09T12:00:00", false],
    ["SSM-FSN", "2024-07-01T12:00:00", true],
    ["SSM-FSN", "2024-11-03T01:59:59", true],
    ["SSM-FSN", "2024-11-03T02:00:00", false],
    ["SSM-FSN", "2025-03-09T02:00:00", true], // second Sunday of March 2025 is the 9th
    ["SSM-FSN", "2025-03-08T23:00:00", false],
    ["FSA-LSO", "2024-04-07T02:00:00", true], // first Sunday of April
    ["FSA-LSO", "2024-04-06T12:00:00", false],
    ["FSA-LSO", "2024-10-27T01:00:00", true], // last Sunday of October
    ["FSA-LSO", "2024-10-27T02:00:00", false],
    ["LSM-LSO", "2024-03-31T00:59:00", false],
    ["LSM-LSO", "2024-03-31T01:00:00", true],
    ["FSO-FSA", "2024-01-15T12:00:00", true], // southern summer
    ["FSO-FSA", "2024-07-15T12:00:00", false],
    ["", "2024-07-01T12:00:00", false], // Arizona, Hawaii: no rule, no DST
    ["LTA-LTS", "2024-07-01T12:00:00", false], // a code the cron does not evaluate
  ] as const)("%s at %s → %s", (rule, at, dst) => {
    expect(isViciDst(rule, wall(at))).toBe(dst);
  });
});

describe("the hopper's lead-local clock (server America/New_York)", () => {
  const ny = ServerClock.of("America/New_York");
  it.each([
    // [instant, offset, what the hopper reads]
    ["2024-07-10T16:00:00Z", -4, "2024-07-10 12:00"],
    ["2024-07-10T16:00:00Z", -7, "2024-07-10 09:00"],
    ["2024-07-10T16:00:00Z", -10, "2024-07-10 06:00"],
    ["2024-01-10T16:00:00Z", 5.5, "2024-01-10 21:30"],
    // Fall back (06:00Z): for 5 hours the Hawaii reading is an hour ahead of the truth.
    ["2024-11-03T05:59:00Z", -10, "2024-11-02 19:59"],
    ["2024-11-03T06:30:00Z", -10, "2024-11-02 21:30"],
    ["2024-11-03T10:59:00Z", -10, "2024-11-03 01:59"],
    ["2024-11-03T11:00:00Z", -10, "2024-11-03 01:00"],
    // Spring forward (07:00Z): for 6 hours it is an hour behind.
    ["2024-03-10T07:30:00Z", -10, "2024-03-09 20:30"],
    ["2024-03-10T12:59:00Z", -10, "2024-03-10 01:59"],
    ["2024-03-10T13:00:00Z", -10, "2024-03-10 03:00"],
    ["2024-03-10T16:30:00Z", -7, "2024-03-10 09:30"],
  ] as const)("%s, gmt_offset_now %s → %s", (at, p, expected) => {
    expect(show(ny.hopperWallMs(Date.parse(at), p))).toBe(expected);
  });

  it("finds the zone's offset changes and the time-zone cron's runs (01:01 and 07:01 server time)", () => {
    expect(
      ny
        .transitions(Date.parse("2024-01-01T00:00:00Z"), Date.parse("2024-12-31T00:00:00Z"))
        .map((t) => new Date(t).toISOString()),
    ).toEqual(["2024-03-10T07:00:00.000Z", "2024-11-03T06:00:00.000Z"]);
    expect(new Date(ny.nextCronRun(Date.parse("2024-03-10T06:30:00Z"))).toISOString()).toBe("2024-03-10T11:01:00.000Z");
    expect(new Date(ny.lastCronRun(Date.parse("2024-03-10T06:30:00Z"))).toISOString()).toBe("2024-03-10T06:01:00.000Z");
    expect(ny.date(Date.parse("2024-07-05T03:59:59Z"))).toBe("2024-07-04");
    expect(new Date(ny.nextMidnight(Date.parse("2024-07-05T03:30:00Z"))).toISOString()).toBe(
      "2024-07-05T04:00:00.000Z",
    );
  });
});

describe("time zones from vicidial_phone_codes", () => {
  const ny = ServerClock.of("America/New_York");
  it.each([
    ["7275550101", "1", { label: "area code 727", std: -5 }, false],
    ["8085550101", "1", { label: "area code 808", std: -10 }, false],
    ["9995550101", "1", { std: -5 }, true], // unknown area code: the country's first row (201 NJ)
  ] as const)("add_lead's zone for %s", (national, code, zone, fallback) => {
    const z = insertZone(US_PHONE_CODES, code, national);
    expect(z?.fallback).toBe(fallback);
    expect(z?.zone).toMatchObject(zone);
    if (fallback) expect(z?.zone.label).toContain("area code 201");
  });

  it("no row of the country: no zone (VICIdial stores 0.00)", () => {
    expect(insertZone([], "44", "2071234567")).toBeNull();
  });

  it.each([
    [
      "the area code's row",
      [{ areacode: "727", state: "FL", gmtOffset: -5 }],
      { phoneNumber: "7275550101", state: "FL" },
      -5,
    ],
    [
      "a later matching row wins",
      [
        { areacode: "727", state: "FL", gmtOffset: -5 },
        { areacode: "72", state: "XX", gmtOffset: -6 },
      ],
      { phoneNumber: "7275550101", state: "FL" },
      -6,
    ],
    [
      "'*' matches every number",
      [{ areacode: "*", state: "", gmtOffset: 1 }],
      { phoneNumber: "2071234567", state: null },
      1,
    ],
    [
      "an S row needs the lead's state",
      [
        { areacode: "727", state: "FL", gmtOffset: -5 },
        { areacode: "727S", state: "GA", gmtOffset: -6 },
      ],
      { phoneNumber: "7275550101", state: "FL" },
      -5,
    ],
    [
      "an S row with the lead's state",
      [
        { areacode: "727", state: "FL", gmtOffset: -5 },
        { areacode: "727S", state: "GA", gmtOffset: -6 },
      ],
      { phoneNumber: "7275550101", state: "ga" },
      -6,
    ],
    [
      "no match: the stored value stays",
      [{ areacode: "212", state: "NY", gmtOffset: -5 }],
      { phoneNumber: "7275550101", state: "FL" },
      null,
    ],
  ] as const)("the time-zone cron's area-code pass: %s", (_c, rows, lead, std) => {
    const full = rows.map((r) => ({ countryCode: "1", country: "USA", dstRange: "SSM-FSN", ...r }));
    expect(cronZone(full, lead)?.std ?? null).toBe(std);
  });

  it.each([
    ["Florida in July", { std: -5, dstRange: "SSM-FSN" }, "2024-07-10T16:00:00Z", -4],
    ["Florida in January", { std: -5, dstRange: "SSM-FSN" }, "2024-01-10T16:00:00Z", -5],
    ["Arizona in July", { std: -7, dstRange: "" }, "2024-07-10T16:00:00Z", -7],
    ["Hawaii in July", { std: -10, dstRange: null }, "2024-07-10T16:00:00Z", -10],
    // The cron's 01:01 run on switch day still sees standard time; its 07:01 run sees DST.
    ["New York, 01:01 EST on 2024-03-10", { std: -5, dstRange: "SSM-FSN" }, "2024-03-10T06:01:00Z", -5],
    ["New York, 07:01 EDT on 2024-03-10", { std: -5, dstRange: "SSM-FSN" }, "2024-03-10T11:01:00Z", -4],
  ] as const)("the offset VICIdial computes: %s", (_c, zone, at, offset) => {
    expect(viciZoneOffset({ ...zone, label: "" }, Date.parse(at), ny)).toBe(offset);
  });

  it("the called party's real clock follows its DST rule", () => {
    expect(show(trueLocalWallMs({ std: -5, dstRange: "SSM-FSN", label: "" }, Date.parse("2024-03-10T07:30:00Z")))).toBe(
      "2024-03-10 03:30",
    );
    expect(show(trueLocalWallMs({ std: -5, dstRange: "SSM-FSN", label: "" }, Date.parse("2024-03-10T06:30:00Z")))).toBe(
      "2024-03-10 01:30",
    );
    expect(show(trueLocalWallMs({ std: -10, dstRange: "", label: "" }, Date.parse("2024-03-10T07:30:00Z")))).toBe(
      "2024-03-09 21:30",
    );
  });
});
