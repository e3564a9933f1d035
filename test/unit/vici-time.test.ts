import { instantToViciLocal, parseViciLocalDateTime, viciLocalToInstant } from "../../src/vici/rules/vici-time";

const NY = "America/New_York";

describe("viciLocalToInstant", () => {
  it.each<[string, string, string]>([
    // Vici DATETIME, server zone, instant
    ["2024-01-15 09:30:00", NY, "2024-01-15T14:30:00.000Z"], // winter, EST -5
    ["2024-07-15 09:30:00", NY, "2024-07-15T13:30:00.000Z"], // summer, EDT -4
    ["2024-12-31 23:59:59", NY, "2025-01-01T04:59:59.000Z"], // crosses the UTC year
    ["2024-01-15 09:30:00", "Asia/Kolkata", "2024-01-15T04:00:00.000Z"], // +5:30, no DST
    ["2024-07-15 00:15:00", "Asia/Kolkata", "2024-07-14T18:45:00.000Z"], // previous UTC day
    ["2024-01-15 09:30:00", "UTC", "2024-01-15T09:30:00.000Z"],
    ["2024-07-15 09:30:00", "Europe/London", "2024-07-15T08:30:00.000Z"], // BST +1
    ["2024-02-29 12:00:00", NY, "2024-02-29T17:00:00.000Z"], // leap day
    ["2024-01-15", NY, "2024-01-15T05:00:00.000Z"], // DATE: local midnight
    ["2024-01-15 09:30:00.250", NY, "2024-01-15T14:30:00.250Z"], // DATETIME(3)
    ["2024-01-15T09:30:00", NY, "2024-01-15T14:30:00.000Z"],
    [" 2024-01-15 09:30:00 ", NY, "2024-01-15T14:30:00.000Z"],
  ])("%j in %s → %s", (value, zone, iso) => {
    expect(viciLocalToInstant(value, zone)?.toISOString()).toBe(iso);
  });

  it.each<[string, string, string, string]>([
    // DST edges: the wall-clock time, the zone, the instant, why
    ["2024-03-10 01:59:59", NY, "2024-03-10T06:59:59.000Z", "last second before spring-forward (EST)"],
    ["2024-03-10 02:00:00", NY, "2024-03-10T07:00:00.000Z", "gap start: read as EST, = 03:00 EDT"],
    ["2024-03-10 02:30:00", NY, "2024-03-10T07:30:00.000Z", "inside the gap: read as EST, = 03:30 EDT"],
    ["2024-03-10 03:00:00", NY, "2024-03-10T07:00:00.000Z", "first wall-clock time after the gap (EDT)"],
    ["2024-11-03 00:59:59", NY, "2024-11-03T04:59:59.000Z", "before the repeated hour (EDT)"],
    ["2024-11-03 01:00:00", NY, "2024-11-03T05:00:00.000Z", "repeated hour: the earlier instant (EDT)"],
    ["2024-11-03 01:30:00", NY, "2024-11-03T05:30:00.000Z", "repeated hour: the earlier instant (EDT)"],
    ["2024-11-03 01:59:59", NY, "2024-11-03T05:59:59.000Z", "repeated hour: the earlier instant (EDT)"],
    ["2024-11-03 02:00:00", NY, "2024-11-03T07:00:00.000Z", "after the repeated hour (EST)"],
    ["2024-10-27 01:30:00", "Europe/London", "2024-10-27T00:30:00.000Z", "London repeated hour: earlier (BST)"],
    ["2024-03-31 01:30:00", "Europe/London", "2024-03-31T01:30:00.000Z", "London gap: read as GMT"],
    ["2024-04-07 02:30:00", "Australia/Sydney", "2024-04-06T15:30:00.000Z", "Sydney repeated hour: earlier (AEDT)"],
    ["2024-10-06 02:30:00", "Australia/Sydney", "2024-10-05T16:30:00.000Z", "Sydney gap: read as AEST"],
    ["2024-10-06 02:15:00", "Australia/Lord_Howe", "2024-10-05T15:45:00.000Z", "30-minute gap: read as +10:30"],
  ])("%j in %s → %s (%s)", (value, zone, iso) => {
    expect(viciLocalToInstant(value, zone)?.toISOString()).toBe(iso);
  });

  it.each<[string | null | undefined]>([
    [null],
    [undefined],
    [""],
    ["   "],
    ["0000-00-00 00:00:00"],
    ["0000-00-00"],
    ["2024-05-00 00:00:00"], // partial zero date (no NO_ZERO_IN_DATE)
    ["2024-00-15"],
  ])("%j → null", (value) => {
    expect(viciLocalToInstant(value, NY)).toBeNull();
  });

  it("returns a Date as the instant it already is (a copy)", () => {
    const d = new Date("2024-01-15T14:30:00.000Z");
    const out = viciLocalToInstant(d, NY);
    expect(out?.toISOString()).toBe("2024-01-15T14:30:00.000Z");
    expect(out).not.toBe(d);
  });

  it.each<[unknown, string]>([
    ["2024-02-30 12:00:00", NY], // no such day
    ["2024-01-15 25:00:00", NY],
    ["15/01/2024 09:30", NY],
    ["2024-01-15 09:30", NY], // seconds are always there in a DATETIME
    ["yesterday", NY],
    ["2024-01-15 09:30:00", "Mars/Olympus"],
    ["2024-01-15 09:30:00", ""],
    ["2024-01-15 09:30:00", "local"], // host-dependent zones are refused
    [new Date(NaN), NY],
  ])("%j in %j → RangeError", (value, zone) => {
    expect(() => viciLocalToInstant(value as string, zone)).toThrow(RangeError);
  });

  it("does not depend on the host's time zone", () => {
    // The result is fixed by the zone argument; process.env.TZ is whatever the runner has.
    expect(viciLocalToInstant("2024-07-15 09:30:00", NY)!.getTime()).toBe(Date.UTC(2024, 6, 15, 13, 30));
  });
});

describe("instantToViciLocal", () => {
  it.each<[string, string, string]>([
    ["2024-01-15T14:30:00.000Z", NY, "2024-01-15 09:30:00"],
    ["2024-07-15T13:30:00.000Z", NY, "2024-07-15 09:30:00"],
    ["2025-01-01T04:59:59.000Z", NY, "2024-12-31 23:59:59"],
    ["2024-01-15T04:00:00.000Z", "Asia/Kolkata", "2024-01-15 09:30:00"],
    ["2024-07-14T18:45:00.000Z", "Asia/Kolkata", "2024-07-15 00:15:00"],
    ["2024-01-15T09:30:00.000Z", "UTC", "2024-01-15 09:30:00"],
    ["2024-01-15T14:30:00.999Z", NY, "2024-01-15 09:30:00"], // milliseconds truncated
    ["2024-03-10T06:59:59.000Z", NY, "2024-03-10 01:59:59"],
    ["2024-03-10T07:00:00.000Z", NY, "2024-03-10 03:00:00"], // clocks jump 02:00 → 03:00
    ["2024-11-03T05:30:00.000Z", NY, "2024-11-03 01:30:00"], // first 01:30 (EDT)
    ["2024-11-03T06:30:00.000Z", NY, "2024-11-03 01:30:00"], // second 01:30 (EST)
    ["2024-11-03T07:00:00.000Z", NY, "2024-11-03 02:00:00"],
  ])("%s in %s → %j", (iso, zone, local) => {
    expect(instantToViciLocal(new Date(iso), zone)).toBe(local);
  });

  it.each<[Date, string]>([
    [new Date(NaN), NY],
    [new Date("2024-01-15T14:30:00Z"), "Not/AZone"],
  ])("%s in %j → RangeError", (d, zone) => {
    expect(() => instantToViciLocal(d, zone)).toThrow(RangeError);
  });
});

describe("round trip instant → Vici DATETIME → instant", () => {
  it.each<[string, string]>([
    ["2024-01-15T14:30:00.000Z", NY],
    ["2024-07-15T13:30:00.000Z", NY],
    ["2024-03-10T06:59:59.000Z", NY],
    ["2024-03-10T07:00:00.000Z", NY],
    ["2024-11-03T05:30:00.000Z", NY], // first pass of the repeated hour
    ["2024-11-03T07:00:00.000Z", NY],
    ["2024-01-15T04:00:00.000Z", "Asia/Kolkata"],
    ["2024-07-14T18:45:00.000Z", "Asia/Kolkata"],
    ["2024-06-01T00:00:00.000Z", "UTC"],
    ["2024-10-27T00:30:00.000Z", "Europe/London"],
  ])("%s in %s comes back unchanged", (iso, zone) => {
    const d = new Date(iso);
    expect(viciLocalToInstant(instantToViciLocal(d, zone), zone)?.toISOString()).toBe(iso);
  });

  it("every 15 minutes across both 2024 New York transitions, except the second pass of the repeated hour", () => {
    const secondPass = (t: number) => t >= Date.UTC(2024, 10, 3, 6) && t < Date.UTC(2024, 10, 3, 7);
    const failures: string[] = [];
    for (const [from, to] of [
      [Date.UTC(2024, 2, 10, 4), Date.UTC(2024, 2, 10, 10)],
      [Date.UTC(2024, 10, 3, 3), Date.UTC(2024, 10, 3, 9)],
    ]) {
      for (let t = from; t <= to; t += 15 * 60_000) {
        const back = viciLocalToInstant(instantToViciLocal(new Date(t), NY), NY)!.getTime();
        const expected = secondPass(t) ? t - 3_600_000 : t; // read back as the first pass
        if (back !== expected) failures.push(new Date(t).toISOString());
      }
    }
    expect(failures).toEqual([]);
  });

  it("milliseconds are lost (DATETIME has whole seconds)", () => {
    const d = new Date("2024-01-15T14:30:00.750Z");
    expect(viciLocalToInstant(instantToViciLocal(d, NY), NY)?.toISOString()).toBe("2024-01-15T14:30:00.000Z");
  });
});

describe("parseViciLocalDateTime (the lead's local time, no zone)", () => {
  it.each<[string | null | undefined, string | null]>([
    ["2024-01-15 09:30:00", "2024-01-15T09:30:00"],
    ["2024-03-10 02:30:00", "2024-03-10T02:30:00"], // a gap in New York, but no zone applies here
    ["2024-11-03 01:30:00", "2024-11-03T01:30:00"],
    ["2024-01-15 09:30:00.123456", "2024-01-15T09:30:00"],
    ["2024-01-15", "2024-01-15T00:00:00"],
    ["2024-01-15T09:30:00", "2024-01-15T09:30:00"],
    ["0000-00-00 00:00:00", null],
    ["0000-00-00", null],
    ["2024-05-00 00:00:00", null],
    ["", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (value, expected) => {
    expect(parseViciLocalDateTime(value)).toBe(expected);
  });

  it.each(["2024-02-30 00:00:00", "2024-01-15 24:00:00", "not a date", "20240115093000"])(
    "%j → RangeError",
    (value) => {
      expect(() => parseViciLocalDateTime(value)).toThrow(RangeError);
    },
  );

  it("refuses a Date (the driver must return DATETIMEs as strings)", () => {
    expect(() => parseViciLocalDateTime(new Date() as unknown as string)).toThrow(RangeError);
  });
});
