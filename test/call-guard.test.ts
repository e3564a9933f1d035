import { calledWithin, decideCreate, primaryRow, ViciAction, type GuardFacts, type ViciMatch } from "../src/services/call-guard";

const NOW = new Date("2026-11-24T12:00:00Z");
const daysAgo = (d: number, extraMs = 0) => new Date(NOW.getTime() - d * 86_400_000 - extraMs);

const row = (o: Partial<ViciMatch> & { leadId: number }): ViciMatch => ({
  listId: 1001,
  campaignId: "Auto2",
  vendorLeadCode: null,
  statusCode: "NA",
  statusIsDnc: false,
  lastCallAt: null,
  ...o,
});

const facts = (o: Partial<GuardFacts> = {}): GuardFacts => ({
  now: NOW,
  recentCallDays: 30,
  rows: [],
  altPhoneLeadIds: [],
  lastCallByNumber: null,
  dncHits: [],
  takenExternalIds: new Set(),
  ...o,
});

describe("decideCreate: the decision table", () => {
  it.each<[string, Partial<GuardFacts>, string, string | null, number | null]>([
    // name, facts, action, doNotCall, primary lead id
    ["not in Vici, never called → push", {}, "PUSH", null, null],
    ["in Vici, called 31 days ago → link", { rows: [row({ leadId: 7, lastCallAt: daysAgo(31) })] }, ViciAction.LINKED_EXISTING, null, 7],
    ["in Vici, never called → link, never a second lead", { rows: [row({ leadId: 7 })] }, ViciAction.LINKED_EXISTING, null, 7],
    ["in Vici, called 29 days ago → recently called", { rows: [row({ leadId: 7, lastCallAt: daysAgo(29) })] }, ViciAction.SKIPPED_RECENTLY_CALLED, "recently_called", 7],
    ["called exactly 30 days ago → may be called", { rows: [row({ leadId: 7, lastCallAt: daysAgo(30) })] }, ViciAction.LINKED_EXISTING, null, 7],
    ["called 30 days minus a second ago → recent", { rows: [row({ leadId: 7, lastCallAt: daysAgo(30, -1000) })] }, ViciAction.SKIPPED_RECENTLY_CALLED, "recently_called", 7],
    ["no Vici row, but the number was dialed 3 days ago as another lead's alt phone", { lastCallByNumber: daysAgo(3) }, ViciAction.SKIPPED_RECENTLY_CALLED, "recently_called", null],
    ["on system DNC → never pushed", { dncHits: ["vicidial_dnc 7275550101"] }, ViciAction.SKIPPED_DNC, "dnc", null],
    ["area-code wildcard → DNC", { dncHits: ["vicidial_dnc 727XXXXXXX"] }, ViciAction.SKIPPED_DNC, "dnc", null],
    ["a row with a DNC status → DNC, still linked", { rows: [row({ leadId: 9, statusCode: "DNC", statusIsDnc: true })] }, ViciAction.SKIPPED_DNC, "dnc", 9],
    ["DNC beats recently called", { rows: [row({ leadId: 9, lastCallAt: daysAgo(1) })], dncHits: ["vicidial_campaign_dnc (Auto2) 7275550101"] }, ViciAction.SKIPPED_DNC, "dnc", 9],
    ["recent call on any row counts, not only the primary", { rows: [row({ leadId: 1, lastCallAt: daysAgo(90) }), row({ leadId: 2, lastCallAt: daysAgo(2) })] }, ViciAction.SKIPPED_RECENTLY_CALLED, "recently_called", 2],
    ["window of 0 days: nothing is recent", { recentCallDays: 0, rows: [row({ leadId: 7, lastCallAt: daysAgo(0, 1000) })] }, ViciAction.LINKED_EXISTING, null, 7],
  ])("%s", (_name, f, action, dnc, primary) => {
    const d = decideCreate(facts(f));
    expect(d.action).toBe(action);
    expect(d.doNotCall).toBe(dnc);
    expect(d.primary?.leadId ?? null).toBe(primary);
  });

  it("reports why, including alt-phone matches", () => {
    const d = decideCreate(facts({ dncHits: ["vicidial_dnc 727XXXXXXX"], altPhoneLeadIds: [44] }));
    expect(d.reasons).toEqual(expect.arrayContaining(["on DNC: vicidial_dnc 727XXXXXXX", "number is an alternate phone of Vici lead(s) 44"]));
  });

  it("the last call is the latest over every row and the number's own log", () => {
    const d = decideCreate(facts({ rows: [row({ leadId: 1, lastCallAt: daysAgo(50) })], lastCallByNumber: daysAgo(40) }));
    expect(d.lastCallAt).toEqual(daysAgo(40));
  });
});

describe("decideCreate: external_lead_id from Vici's vendor_lead_code", () => {
  it.each<[string, ViciMatch[], string[], string | null, number[]]>([
    // name, rows, codes other Brain leads hold, adopted code, rows that get Brain's code
    ["adopts the primary's code", [row({ leadId: 1, vendorLeadCode: "VND-1", lastCallAt: daysAgo(40) })], [], "VND-1", []],
    ["empty code: generate, then write it to Vici", [row({ leadId: 1, vendorLeadCode: "" })], [], null, [1]],
    ["NULL code: same", [row({ leadId: 1, vendorLeadCode: null })], [], null, [1]],
    ["code held by another Brain lead: generate", [row({ leadId: 1, vendorLeadCode: "VND-1" })], ["vnd-1"], null, []],
    ["code that cannot be an id (space): generate", [row({ leadId: 1, vendorLeadCode: "AB 123" })], [], null, []],
    [
      "primary first, then the other rows; empty rows get the code",
      [row({ leadId: 1, vendorLeadCode: "OLD-1", lastCallAt: daysAgo(60) }), row({ leadId: 2, vendorLeadCode: "", lastCallAt: daysAgo(45) })],
      [],
      "OLD-1",
      [2],
    ],
  ])("%s", (_name, rows, taken, adopted, writes) => {
    const d = decideCreate(facts({ rows, takenExternalIds: new Set(taken) }));
    expect(d.adoptExternalLeadId).toBe(adopted);
    expect(d.writeVendorCodeTo).toEqual(writes);
  });

  it("a row holding another code keeps it and is reported as a conflict", () => {
    const d = decideCreate(facts({ rows: [row({ leadId: 1, vendorLeadCode: "A-1", lastCallAt: daysAgo(40) }), row({ leadId: 2, vendorLeadCode: "B-2" })] }));
    expect(d.adoptExternalLeadId).toBe("A-1");
    expect(d.writeVendorCodeTo).toEqual([]);
    expect(d.reasons).toContain("Vici lead 2 keeps its own vendor_lead_code (conflict)");
  });
});

describe("primaryRow and calledWithin", () => {
  it.each<[string, ViciMatch[], number | null]>([
    ["none", [], null],
    ["most recently called wins over a newer lead", [row({ leadId: 1, lastCallAt: daysAgo(5) }), row({ leadId: 9 })], 1],
    ["never called: newest lead_id", [row({ leadId: 3 }), row({ leadId: 8 }), row({ leadId: 5 })], 8],
    ["same call time: newest lead_id", [row({ leadId: 3, lastCallAt: daysAgo(5) }), row({ leadId: 4, lastCallAt: daysAgo(5) })], 4],
  ])("%s", (_n, rows, id) => {
    expect(primaryRow(rows)?.leadId ?? null).toBe(id);
  });

  it.each<[Date | null, number, boolean]>([
    [null, 30, false],
    [daysAgo(29), 30, true],
    [daysAgo(30), 30, false],
    [daysAgo(30, -1), 30, true],
    [new Date(NOW.getTime() + 60_000), 30, true], // a clock ahead of ours still counts as recent
  ])("calledWithin(%s, %i) = %s", (at, days, expected) => {
    expect(calledWithin(at, NOW, days)).toBe(expected);
  });
});
