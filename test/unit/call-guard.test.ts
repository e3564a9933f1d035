import {
  calledWithin,
  decideCreate,
  latestOf,
  primaryRow,
  ViciAction,
  type GuardFacts,
  type ViciMatch,
} from "../../src/services/call-guard";

const NOW = new Date("2026-11-24T12:00:00Z");
const daysAgo = (d: number, extraMs = 0) => new Date(NOW.getTime() - d * 86_400_000 - extraMs);

const row = (o: Partial<ViciMatch> & { leadId: number }): ViciMatch => ({
  listId: 1001,
  campaignId: "Auto2",
  vendorLeadCode: null,
  statusCode: "NA",
  statusIsDnc: false,
  lastCallAt: null,
  managed: true,
  ...o,
});
/** A row of a campaign the gateway does not manage (or of an orphan list). */
const outside = (o: Partial<ViciMatch> & { leadId: number }) =>
  row({ campaignId: "Survey1", listId: 3001, managed: false, ...o });

/** The number's last call is the rows' latest unless a test says otherwise (NumberRowsReader's rule). */
const facts = (o: Partial<GuardFacts> = {}): GuardFacts => ({
  now: NOW,
  recentCallDays: 30,
  rows: [],
  lastCallAt: latestOf((o.rows ?? []).map((r) => r.lastCallAt)),
  altPhoneLeadIds: [],
  dncHits: [],
  codesOnAnotherNumber: new Set(),
  takenExternalIds: new Set(),
  ...o,
});

describe("decideCreate: the decision table", () => {
  it.each<[string, Partial<GuardFacts>, string, string | null, number | null]>([
    // name, facts, action, doNotCall, primary lead id (linked)
    ["not in Vici, never called → push", {}, "PUSH", null, null],
    [
      "in Vici, called 31 days ago → link",
      { rows: [row({ leadId: 7, lastCallAt: daysAgo(31) })] },
      ViciAction.LINKED_EXISTING,
      null,
      7,
    ],
    [
      "in Vici, never called → link, never a second lead",
      { rows: [row({ leadId: 7 })] },
      ViciAction.LINKED_EXISTING,
      null,
      7,
    ],
    [
      "in Vici, called 29 days ago → deferred, nothing linked",
      { rows: [row({ leadId: 7, lastCallAt: daysAgo(29) })] },
      ViciAction.DEFERRED,
      "recently_called",
      null,
    ],
    [
      "called exactly 30 days ago → may be called",
      { rows: [row({ leadId: 7, lastCallAt: daysAgo(30) })] },
      ViciAction.LINKED_EXISTING,
      null,
      7,
    ],
    [
      "called 30 days minus a second ago → recent",
      { rows: [row({ leadId: 7, lastCallAt: daysAgo(30, -1000) })] },
      ViciAction.DEFERRED,
      "recently_called",
      null,
    ],
    [
      "no Vici row, but the number was dialed 3 days ago (as another lead's alt phone)",
      { lastCallAt: daysAgo(3) },
      ViciAction.DEFERRED,
      "recently_called",
      null,
    ],
    [
      "on system DNC → never pushed",
      { dncHits: [{ list: "system", campaignId: null, entry: "7275550101" }] },
      ViciAction.SKIPPED_DNC,
      "dnc",
      null,
    ],
    [
      "area-code wildcard → DNC",
      { dncHits: [{ list: "system", campaignId: null, entry: "727XXXXXXX" }] },
      ViciAction.SKIPPED_DNC,
      "dnc",
      null,
    ],
    [
      "a row with a DNC status → DNC, nothing linked",
      { rows: [row({ leadId: 9, statusCode: "DNC", statusIsDnc: true })] },
      ViciAction.SKIPPED_DNC,
      "dnc",
      null,
    ],
    [
      "DNC beats recently called",
      {
        rows: [row({ leadId: 9, lastCallAt: daysAgo(1) })],
        dncHits: [{ list: "campaign", campaignId: "Auto2", entry: "7275550101" }],
      },
      ViciAction.SKIPPED_DNC,
      "dnc",
      null,
    ],
    [
      "recent call on any row counts, not only the primary",
      { rows: [row({ leadId: 1, lastCallAt: daysAgo(90) }), row({ leadId: 2, lastCallAt: daysAgo(2) })] },
      ViciAction.DEFERRED,
      "recently_called",
      null,
    ],
    [
      "window of 0 days: nothing is recent",
      { recentCallDays: 0, rows: [row({ leadId: 7, lastCallAt: daysAgo(0, 1000) })] },
      ViciAction.LINKED_EXISTING,
      null,
      7,
    ],
    // Managed campaigns: rows outside them are read for safety only.
    [
      "only on an unmanaged row, never called → pushed to the target list",
      { rows: [outside({ leadId: 5 })] },
      "PUSH",
      null,
      null,
    ],
    [
      "only on an unmanaged row, called 6 days ago → deferred",
      { rows: [outside({ leadId: 5, lastCallAt: daysAgo(6) })] },
      ViciAction.DEFERRED,
      "recently_called",
      null,
    ],
    [
      "an unmanaged row with a DNC status → DNC",
      { rows: [row({ leadId: 1 }), outside({ leadId: 5, statusCode: "DNC", statusIsDnc: true })] },
      ViciAction.SKIPPED_DNC,
      "dnc",
      null,
    ],
    [
      "managed and unmanaged rows → only the managed one is linked, even if the other was called later",
      { rows: [row({ leadId: 1, lastCallAt: daysAgo(60) }), outside({ leadId: 5, lastCallAt: daysAgo(40) })] },
      ViciAction.LINKED_EXISTING,
      null,
      1,
    ],
  ])("%s", (_name, f, action, dnc, primary) => {
    const d = decideCreate(facts(f));
    expect(d.action).toBe(action);
    expect(d.doNotCall).toBe(dnc);
    expect(d.primary?.leadId ?? null).toBe(primary);
    // Only a link links (managed rows only) and writes codes; a skip or a push touches no Vici row.
    expect(d.linkRows.map((r) => r.leadId)).toEqual(
      action === ViciAction.LINKED_EXISTING ? (f.rows ?? []).filter((r) => r.managed).map((r) => r.leadId) : [],
    );
    if (action !== ViciAction.LINKED_EXISTING) expect(d.writeVendorCodeTo).toEqual([]);
  });

  it("reports why, including alt-phone matches and rows outside the managed campaigns", () => {
    const d = decideCreate(
      facts({
        dncHits: [{ list: "system", campaignId: null, entry: "727XXXXXXX" }],
        altPhoneLeadIds: [44],
        rows: [outside({ leadId: 5 })],
      }),
    );
    expect(d.reasons).toEqual(
      expect.arrayContaining([
        "DNC_SYSTEM: its area code is on the system DNC list (727XXXXXXX)",
        "number is an alternate phone of Vici lead(s) 44",
        "also in VICIdial outside the managed campaigns as lead(s) 5: read for DNC and recent calls, never linked or written",
      ]),
    );
  });

  it("the last call is the number's (GuardFacts.lastCallAt), whatever the rows say", () => {
    const d = decideCreate(facts({ rows: [row({ leadId: 1, lastCallAt: daysAgo(50) })], lastCallAt: daysAgo(40) }));
    expect(d.lastCallAt).toEqual(daysAgo(40));
  });
});

describe("decideCreate: external_lead_id by the vendor-code rule", () => {
  it.each<[string, ViciMatch[], string[], string[], string | null, number[], number[]]>([
    // name, rows, codes on another number, codes other Brain leads hold, adopted code, rows that get Brain's code, conflict rows
    [
      "adopts the one code",
      [row({ leadId: 1, vendorLeadCode: "VND-1", lastCallAt: daysAgo(40) })],
      [],
      [],
      "VND-1",
      [],
      [],
    ],
    ["empty code: generate, then write it to Vici", [row({ leadId: 1, vendorLeadCode: "" })], [], [], null, [1], []],
    ["NULL code: same", [row({ leadId: 1, vendorLeadCode: null })], [], [], null, [1], []],
    [
      "code held by another Brain lead: generate",
      [row({ leadId: 1, vendorLeadCode: "VND-1" })],
      [],
      ["vnd-1"],
      null,
      [],
      [1],
    ],
    [
      "code that cannot be an id (space): generate",
      [row({ leadId: 1, vendorLeadCode: "AB 123" })],
      [],
      [],
      null,
      [],
      [1],
    ],
    [
      "code on a managed row of another number: generate",
      [row({ leadId: 1, vendorLeadCode: "VND-1" })],
      ["vnd-1"],
      [],
      null,
      [],
      [1],
    ],
    [
      "one code, an empty row: adopted, the empty row gets it",
      [
        row({ leadId: 1, vendorLeadCode: "OLD-1", lastCallAt: daysAgo(60) }),
        row({ leadId: 2, vendorLeadCode: "", lastCallAt: daysAgo(45) }),
      ],
      [],
      [],
      "OLD-1",
      [2],
      [],
    ],
    [
      "two codes: generate (not the primary's), both rows keep theirs",
      [
        row({ leadId: 1, vendorLeadCode: "A-1", lastCallAt: daysAgo(40) }),
        row({ leadId: 2, vendorLeadCode: "B-2" }),
        row({ leadId: 3 }),
      ],
      [],
      [],
      null,
      [3],
      [1, 2],
    ],
    [
      "an unmanaged row's code is never adopted nor written",
      [outside({ leadId: 5, vendorLeadCode: "SRV-5" }), row({ leadId: 1 })],
      [],
      [],
      null,
      [1],
      [],
    ],
  ])("%s", (_name, rows, elsewhere, taken, adopted, writes, conflicts) => {
    const d = decideCreate(facts({ rows, codesOnAnotherNumber: new Set(elsewhere), takenExternalIds: new Set(taken) }));
    expect(d.action).toBe(ViciAction.LINKED_EXISTING);
    expect(d.adoptExternalLeadId).toBe(adopted);
    expect(d.writeVendorCodeTo).toEqual(writes);
    expect(d.conflicts.map((c) => c.viciLeadId)).toEqual(conflicts);
  });

  it("a row holding another code keeps it and is reported as a conflict", () => {
    const d = decideCreate(
      facts({
        rows: [
          row({ leadId: 1, vendorLeadCode: "A-1", lastCallAt: daysAgo(40) }),
          row({ leadId: 2, vendorLeadCode: "B-2" }),
        ],
      }),
    );
    expect(d.reasons).toContain(
      'Vici lead 2: vendor_lead_code "B-2" was not adopted (the number\'s rows carry several vendor codes): left alone',
    );
  });
});

describe("primaryRow and calledWithin", () => {
  it.each<[string, ViciMatch[], number | null]>([
    ["none", [], null],
    [
      "most recently called wins over a newer lead",
      [row({ leadId: 1, lastCallAt: daysAgo(5) }), row({ leadId: 9 })],
      1,
    ],
    ["never called: newest lead_id", [row({ leadId: 3 }), row({ leadId: 8 }), row({ leadId: 5 })], 8],
    [
      "same call time: newest lead_id",
      [row({ leadId: 3, lastCallAt: daysAgo(5) }), row({ leadId: 4, lastCallAt: daysAgo(5) })],
      4,
    ],
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

describe("decideCreate: a recent call defers the push (or skips it, deferred: false), in callVerdict's codes and words", () => {
  const lastCall = daysAgo(29);
  const ends = new Date(lastCall.getTime() + 30 * 86_400_000);
  it.each<[string, Partial<GuardFacts>, boolean | undefined, string, Date | null, string[]]>([
    // name, facts, deferred, action, callableAt, reason codes
    [
      "recent call only → DEFERRED until the window ends",
      { rows: [row({ leadId: 7, lastCallAt: lastCall })] },
      undefined,
      ViciAction.DEFERRED,
      ends,
      ["RECENTLY_CALLED"],
    ],
    [
      "recent call, deferred: true → DEFERRED",
      { lastCallAt: lastCall },
      true,
      ViciAction.DEFERRED,
      ends,
      ["RECENTLY_CALLED"],
    ],
    [
      "recent call, deferred: false → SKIPPED_RECENTLY_CALLED, the flag still ends",
      { lastCallAt: lastCall },
      false,
      ViciAction.SKIPPED_RECENTLY_CALLED,
      ends,
      ["RECENTLY_CALLED"],
    ],
    [
      "DNC and a recent call → SKIPPED_DNC, both reasons, never callable",
      { lastCallAt: lastCall, dncHits: [{ list: "system", campaignId: null, entry: "7275550101" }] },
      undefined,
      ViciAction.SKIPPED_DNC,
      null,
      ["DNC_SYSTEM", "RECENTLY_CALLED"],
    ],
    [
      "campaign DNC and a DNC status → both codes",
      {
        rows: [row({ leadId: 9, statusCode: "DNC", statusIsDnc: true })],
        dncHits: [{ list: "campaign", campaignId: "Auto2", entry: "727XXXXXXX" }],
      },
      undefined,
      ViciAction.SKIPPED_DNC,
      null,
      ["DNC_CAMPAIGN", "DNC_STATUS"],
    ],
    ["no obstacle → PUSH, no reason", {}, undefined, "PUSH", null, []],
  ])("%s", (_name, f, deferred, action, callableAt, codes) => {
    const d = decideCreate(facts(f), { deferred });
    expect(d.action).toBe(action);
    expect(d.callableAt).toEqual(callableAt);
    expect(d.callReasons.map((r) => r.code)).toEqual(codes);
    // The reasons' lines are the call reasons, code first.
    for (const r of d.callReasons)
      expect(d.reasons).toContain(`${r.code}: ${r.detail}${r.until ? ` (lifts ${r.until.toISOString()})` : ""}`);
  });
});
