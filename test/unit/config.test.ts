import { ConfigError, loadConfig } from "../../src/config/app-config";

describe("loadConfig", () => {
  it("has working defaults for a local machine", () => {
    const c = loadConfig({});
    expect(c.brain.url).toBe("postgres://postgres@127.0.0.1:5432/brain");
    expect(c.vici.url).toBe("mysql://root@127.0.0.1:3306/vici");
    expect(c.vici.timeZone).toBe("UTC");
    expect(c.http).toEqual({ host: "127.0.0.1", port: 4000 });
    expect(c.phone.defaultRegion).toBe("US");
    expect(c.push.writer).toBe("db");
    expect(c.recentCallDays).toBe(30);
    expect(c.vici.campaigns).toBeNull(); // every campaign
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", VICI_TIMEZONE: "" }).http.port).toBe(4000);
  });

  it("reads each variable", () => {
    const c = loadConfig({
      PORT: "8080",
      VICI_TIMEZONE: "America/New_York",
      PHONE_DEFAULT_REGION: "gb",
      VICI_DATABASE_URL: "mysql://gw:s3cret@localhost/vici?socketPath=/run/mysqld/mysqld.sock",
      VICI_CAMPAIGN_LISTS: "Auto2:1001, Autodial:2001",
      VICI_CAMPAIGNS: " Auto2, Autodial,auto2 ",
      MAX_PAGE_SIZE: "200",
    });
    expect(c.vici.campaigns).toEqual(["Auto2", "Autodial"]);
    expect(c.http.port).toBe(8080);
    expect(c.vici.timeZone).toBe("America/New_York");
    expect(c.phone.defaultRegion).toBe("GB");
    expect(c.push.campaignLists).toEqual({ auto2: 1001, autodial: 2001 });
    expect(c.pagination.maxPageSize).toBe(200);
  });

  it("names every bad variable in one error", () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: "http",
        VICI_TIMEZONE: "Mars/Olympus",
        BRAIN_DATABASE_URL: "mysql://x/y",
        PHONE_DEFAULT_REGION: "ZZ",
        VICI_CAMPAIGN_LISTS: "Auto2=1001",
        VICI_CAMPAIGNS: "Auto2,Campaign one",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join("\n");
    for (const v of [
      "PORT",
      "VICI_TIMEZONE",
      "BRAIN_DATABASE_URL",
      "PHONE_DEFAULT_REGION",
      "VICI_CAMPAIGN_LISTS",
      "VICI_CAMPAIGNS",
    ]) {
      expect(problems).toContain(v);
    }
    expect(problems).toContain("IANA time zone");
    expect(problems).toContain('VICI_CAMPAIGNS: "Campaign one" is not a VICIdial campaign id');
    expect(problems).toContain("PORT: must be a whole number from 0 to 65535");
  });

  it("checks settings against each other once each is valid", () => {
    expect(() => loadConfig({ DEFAULT_PAGE_SIZE: "900" })).toThrow(/DEFAULT_PAGE_SIZE: must not exceed MAX_PAGE_SIZE/);
  });

  it("VICI_CUTOVER_AT: an ISO date or date-time; unset, null (the first push decides)", () => {
    expect(loadConfig({ VICI_CUTOVER_AT: "2025-08-11T09:00:00-04:00" }).vici.cutoverAt).toEqual(
      new Date("2025-08-11T13:00:00Z"),
    );
    expect(loadConfig({ VICI_CUTOVER_AT: "2025-08-11" }).vici.cutoverAt).toEqual(new Date("2025-08-11T00:00:00Z"));
    expect(loadConfig({}).vici.cutoverAt).toBeNull();
    expect(() => loadConfig({ VICI_CUTOVER_AT: "last tuesday" })).toThrow(/VICI_CUTOVER_AT: must be an ISO 8601 date/);
    expect(() => loadConfig({ VICI_CUTOVER_AT: "2025-13-45" })).toThrow(/VICI_CUTOVER_AT/);
  });

  it("requires the API credentials when writing through the API", () => {
    expect(() => loadConfig({ VICI_WRITE_MODE: "api" })).toThrow(/VICI_API_URL, VICI_API_USER and VICI_API_PASS/);
  });
});
