import {
  DEFAULT_SYSTEM_STATUSES,
  StatusCatalog,
  StatusCategory as C,
  categorize,
  statusRowFromDb,
  type StatusFlags,
  type StatusRow,
} from "../../src/vici/rules/status-category";

/** Flag columns in FACTS.md §3 order: sel hum sale dnc cc ni unw cb comp am. */
function flagsOf(status: string, flags: string, statusName: string | null = null): StatusFlags {
  const f = [...flags].map((c) => c === "Y");
  return {
    status,
    statusName,
    humanAnswered: f[1],
    sale: f[2],
    dnc: f[3],
    customerContact: f[4],
    notInterested: f[5],
    unworkable: f[6],
    scheduledCallback: f[7],
    completed: f[8],
    answeringMachine: f[9],
  };
}

/**
 * FACTS.md §3, transcribed row by row (the survey labels are ours), with the category each
 * status must get. This table, not the source, is the reference for both the constant and
 * the rule.
 */
const FACTS_TABLE: [code: string, label: string, flags: string, category: C][] = [
  //                                                 sel hum sale dnc cc ni unw cb comp am
  ["NEW", "New Lead", "NNNNNNNNNN", C.NEW],
  ["QUEUE", "Lead To Be Called", "NNNNNNNNNN", C.IN_PROGRESS],
  ["INCALL", "Lead Being Called", "NNNNNNNNNN", C.IN_PROGRESS],
  ["NA", "No Answer AutoDial", "NNNNNNNNNN", C.NO_ANSWER],
  ["AA", "Answering Machine Auto", "NNNNNNNNNN", C.ANSWERING_MACHINE],
  ["AM", "Answering Machine SentToMesg", "NNNNNNNNNY", C.ANSWERING_MACHINE],
  ["AL", "Answering Machine Msg Played", "NNNNNNNNNY", C.ANSWERING_MACHINE],
  ["A", "Answering Machine", "YNNNNNNNNY", C.ANSWERING_MACHINE],
  ["AB", "Busy Auto", "NNNNNNNNNN", C.BUSY],
  ["B", "Busy", "YNNNNNNNNN", C.BUSY],
  ["AFAX", "Fax Machine Auto", "NNNNNNYNNN", C.UNWORKABLE],
  ["ADC", "Disconnected Number Auto", "NNNNNNYNNN", C.UNWORKABLE],
  ["ADCT", "Disconnected Number Temporary", "NNNNNNNNNN", C.NO_ANSWER], // temporary: retry, not unworkable
  ["DC", "Disconnected Number", "YNNNNNYNNN", C.UNWORKABLE],
  ["DROP", "Agent Not Available", "NYNNNNNNNN", C.DROP],
  ["XDROP", "Agent Not Available IN", "NYNNNNNNNN", C.DROP],
  ["PDROP", "Outbound Pre-Routing Drop", "NYNNNNNNNN", C.DROP],
  ["PU", "Call Picked Up", "NNNNNNNNNN", C.IN_PROGRESS],
  ["PM", "Played Message", "NNNNNNNNNN", C.OTHER],
  ["CALLBK", "Call Back", "YYNNYNNYNN", C.CALLBACK],
  ["CBHOLD", "Call Back Hold", "NYNNYNNYNN", C.CALLBACK],
  ["SALE", "Sale Made", "YYYNNNNNYN", C.SALE],
  ["DEC", "Declined Sale", "YYNNYNNNNN", C.CONTACTED],
  ["NI", "Not Interested", "YYNNYYNNNN", C.NOT_INTERESTED],
  ["NP", "No Pitch No Price", "YYNNNNNNNN", C.CONTACTED],
  ["N", "No Answer", "YNNNNNNNNN", C.NO_ANSWER],
  ["XFER", "Call Transferred", "YYNNYNNNNN", C.CONTACTED],
  ["DNC", "DO NOT CALL", "YYNYNNNNYN", C.DNC],
  ["DNCL", "DO NOT CALL Hopper Sys Match", "NNNYNNNNYN", C.DNC],
  ["DNCC", "DO NOT CALL Hopper Camp Match", "NNNYNNNNYN", C.DNC],
  ["ERI", "Agent Error", "NNNNNNNNNN", C.OTHER],
  ["LRERR", "Outbound Local Channel Res Err", "NYNNNNNNNN", C.DROP], // answered, no agent reached
  ["IVRXFR", "Outbound drop to Call Menu", "NYNNNNNNNN", C.DROP],
  ["MLINAT", "Multi-Lead auto-alt set inactv", "NYNNNNNNYN", C.CONTACTED], // VICIdial's flags say a human answered
  ["LSMERG", "Agent lead search old lead mrg", "NNNNNNNNNN", C.OTHER],
  ["QCFAIL", "QC_FAIL_CALLBK", "NYNNYNNYNN", C.CALLBACK],
  ["QVMAIL", "Queue Abandon Voicemail Left", "NNNNNNNNNN", C.OTHER],
  ["RQXFER", "Re-Queue", "NYNNNNNNNN", C.CONTACTED],
  ["TIMEOT", "Inbound Queue Timeout Drop", "NYNNNNNNNN", C.DROP],
  ["AFTHRS", "Inbound After Hours Drop", "NYNNNNNNNN", C.DROP],
  ["NANQUE", "Inbound No Agent No Queue Drop", "NYNNNNNNNN", C.DROP],
  ["MAXCAL", "Inbound Max Calls Drop", "NYNNNNNNNN", C.DROP],
  ["SVYEXT", "Survey sent to Extension", "NNNNNNNNNN", C.OTHER],
  ["SVYVM", "Survey sent to Voicemail", "NNNNNNNNNN", C.OTHER],
  ["SVYHU", "Survey Hungup", "NNNNNNNNNN", C.OTHER],
  ["SVYREC", "Survey sent to Record", "NNNNNNNNNN", C.OTHER],
  ["SVYCLM", "Survey Call Menu", "NYNNNNNNNN", C.CONTACTED],
];

describe("DEFAULT_SYSTEM_STATUSES", () => {
  it("has FACTS.md's 47 system statuses, each code once", () => {
    expect(FACTS_TABLE).toHaveLength(47);
    expect(DEFAULT_SYSTEM_STATUSES).toHaveLength(47);
    expect(new Set(DEFAULT_SYSTEM_STATUSES.map((s) => s.status)).size).toBe(47);
  });

  it.each(FACTS_TABLE)("%s: label %j and flags %s as in FACTS.md, system status", (code, label, flags) => {
    const row = DEFAULT_SYSTEM_STATUSES.find((s) => s.status === code);
    expect(row).toEqual({ ...flagsOf(code, flags, label), selectable: flags[0] === "Y", campaignId: null });
  });

  it("fits vicidial_statuses (status VARCHAR(6), status_name VARCHAR(30))", () => {
    for (const s of DEFAULT_SYSTEM_STATUSES) {
      expect(s.status.length).toBeLessThanOrEqual(6);
      expect(s.statusName!.length).toBeLessThanOrEqual(30);
    }
  });
});

describe("categorize: every default system status", () => {
  it.each(FACTS_TABLE)("%s (%s, flags %s) → %s", (code, label, flags, category) => {
    expect(categorize(flagsOf(code, flags, label))).toBe(category);
  });
});

describe("categorize: rule order on campaign-defined statuses", () => {
  it.each<[string, string, string, C]>([
    // code, flags (sel hum sale dnc cc ni unw cb comp am), why, expected
    ["DNQ", "YYYYYNNYYN", "dnc beats sale and callback", C.DNC],
    ["SALECB", "YYYNYNNYYN", "sale beats callback", C.SALE],
    ["NA", "YNNNNNNYNN", "callback flag beats the NA code", C.CALLBACK],
    ["DROP", "NYYNNNNNNN", "sale flag beats the DROP code", C.SALE],
    ["NEW", "YNNNNNNNNY", "NEW code beats the machine flag", C.NEW],
    ["na", "NNNNNNNNNN", "codes are compared case-insensitively", C.NO_ANSWER],
    ["B", "NNNNNNNNNY", "busy code before the machine flag", C.BUSY],
    ["VMAIL", "YNNNNNNNNY", "answering_machine flag on any code", C.ANSWERING_MACHINE],
    ["VMNI", "YYNNYYNNNY", "machine before not interested", C.ANSWERING_MACHINE],
    ["NIWRNG", "YYNNYYYNNN", "not interested before unworkable", C.NOT_INTERESTED],
    ["WRONG", "YYNNYNYNNN", "unworkable before contacted", C.UNWORKABLE],
    ["HOT", "YNNNYNNNNN", "customer_contact alone is contacted", C.CONTACTED],
    ["TALKED", "YYNNNNNNNN", "human_answered alone is contacted", C.CONTACTED],
    ["DONE", "YNNNNNNNYN", "completed alone says nothing", C.OTHER],
    ["XYZ", "NNNNNNNNNN", "no flags, unknown code", C.OTHER],
  ])("%s %s (%s) → %s", (code, flags, _why, expected) => {
    expect(categorize(flagsOf(code, flags))).toBe(expected);
  });
});

describe("statusRowFromDb", () => {
  const all = (v: unknown) => ({
    human_answered: v,
    sale: v,
    dnc: v,
    customer_contact: v,
    not_interested: v,
    unworkable: v,
    scheduled_callback: v,
    completed: v,
    answering_machine: v,
  });
  const flagNames = [
    "humanAnswered",
    "sale",
    "dnc",
    "customerContact",
    "notInterested",
    "unworkable",
    "scheduledCallback",
    "completed",
    "answeringMachine",
  ] as const;

  it.each<[string, unknown, boolean]>([
    ["'Y'", "Y", true],
    ["'y'", "y", true],
    ["'N'", "N", false],
    ["NULL", null, false],
    ["''", "", false],
    ["missing column", undefined, false],
  ])("flag value %s → %s", (_label, value, expected) => {
    const row = statusRowFromDb({ status: "XX", status_name: "X", ...all(value) }, null);
    for (const f of flagNames) expect(row[f]).toBe(expected);
  });

  it("maps each column to its own flag", () => {
    const cols = Object.keys(all("N"));
    cols.forEach((col, i) => {
      const row = statusRowFromDb({ status: "XX", ...all("N"), [col]: "Y" }, null);
      expect(flagNames.filter((f) => row[f])).toEqual([flagNames[i]]);
    });
  });

  it.each<[unknown, string | null]>([
    ["Sale Made", "Sale Made"],
    [null, null],
    ["", null],
  ])("status_name %j → statusName %j", (name, expected) => {
    expect(statusRowFromDb({ status: "SALE", status_name: name }, null).statusName).toBe(expected);
  });

  it.each<[string | null]>([[null], ["Auto2"]])("keeps campaignId %j", (campaignId) => {
    const row = statusRowFromDb({ status: "SALE", status_name: "Sale", sale: "Y" }, campaignId);
    expect(row).toMatchObject({ status: "SALE", campaignId, sale: true });
    expect(categorize(row)).toBe(C.SALE);
  });

  it("refuses a row without a status code", () => {
    expect(() => statusRowFromDb({ status: null }, null)).toThrow(TypeError);
  });
});

/** Campaign statuses used below (FACTS flags order: sel hum sale dnc cc ni unw cb comp am). */
function campaignRow(campaignId: string, code: string, name: string, flags: string): StatusRow {
  return { ...flagsOf(code, flags, name), campaignId };
}
const CAMPAIGN_ROWS: StatusRow[] = [
  campaignRow("SalesX", "XFER", "Transfer = Sale", "YYYNYNNNYN"), // overrides system XFER (CONTACTED)
  campaignRow("SalesX", "HOT", "Hot Lead", "YYNNYNNNNN"),
  campaignRow("Auto2", "VMAIL", "Left Voicemail", "YNNNNNNNNY"),
  campaignRow("Auto2", "DNQ", "Do Not Qualify", "YYNYNNNNYN"),
  campaignRow("Auto2", "SALE", "Sale (Auto2)", "YYYNNNNNYN"), // same category as system SALE
];
const catalog = new StatusCatalog([...DEFAULT_SYSTEM_STATUSES, ...CAMPAIGN_ROWS]);

describe("StatusCatalog.resolve", () => {
  it.each<[string | null | undefined, string | null | undefined, string, string | null, C, boolean]>([
    // code, lead's campaign → code, name, category, known
    ["XFER", "SalesX", "XFER", "Transfer = Sale", C.SALE, true], // campaign status wins
    ["XFER", "salesx", "XFER", "Transfer = Sale", C.SALE, true], // campaign id case-insensitive
    ["XFER", "SALESX", "XFER", "Transfer = Sale", C.SALE, true],
    ["XFER", "Auto2", "XFER", "Call Transferred", C.CONTACTED, true], // other campaign: system
    ["XFER", null, "XFER", "Call Transferred", C.CONTACTED, true], // no campaign (orphan list)
    ["XFER", undefined, "XFER", "Call Transferred", C.CONTACTED, true],
    ["HOT", "SalesX", "HOT", "Hot Lead", C.CONTACTED, true],
    ["HOT", "Auto2", "HOT", null, C.OTHER, false], // another campaign's status is unknown here
    ["VMAIL", "AUTO2", "VMAIL", "Left Voicemail", C.ANSWERING_MACHINE, true],
    ["SALE", "Auto2", "SALE", "Sale (Auto2)", C.SALE, true],
    ["NA", "SalesX", "NA", "No Answer AutoDial", C.NO_ANSWER, true], // not overridden: system
    ["na", null, "na", "No Answer AutoDial", C.NO_ANSWER, true], // codes match like the _ci collation
    ["DONEM", "SalesX", "DONEM", null, C.OTHER, false], // set by code, in neither table
    ["INBND", null, "INBND", null, C.OTHER, false],
    [null, "SalesX", "", null, C.OTHER, false],
    [undefined, null, "", null, C.OTHER, false],
  ])("%j in campaign %j → %s / %j / %s / known=%s", (code, campaignId, outCode, name, category, known) => {
    expect(catalog.resolve(code, campaignId)).toEqual({ code: outCode, name, category, known });
  });

  it("a catalog with no rows knows nothing", () => {
    expect(new StatusCatalog([]).resolve("SALE", null)).toEqual({
      code: "SALE",
      name: null,
      category: C.OTHER,
      known: false,
    });
  });

  it("does not depend on the order of the rows", () => {
    const reversed = new StatusCatalog([...CAMPAIGN_ROWS, ...DEFAULT_SYSTEM_STATUSES].reverse());
    expect(reversed.resolve("XFER", "SalesX").category).toBe(C.SALE);
    expect(reversed.resolve("XFER", null).category).toBe(C.CONTACTED);
  });
});

describe("StatusCatalog.codesIn", () => {
  const DROPS = ["AFTHRS", "DROP", "IVRXFR", "LRERR", "MAXCAL", "NANQUE", "PDROP", "TIMEOT", "XDROP"];
  it.each<[string, C[], string[] | null | undefined, string[]]>([
    ["SALE, all campaigns: XFER is a sale in SalesX", [C.SALE], null, ["SALE", "XFER"]],
    ["SALE in SalesX", [C.SALE], ["SalesX"], ["SALE", "XFER"]],
    ["SALE in salesx (case-insensitive)", [C.SALE], ["salesx"], ["SALE", "XFER"]],
    ["SALE in Auto2", [C.SALE], ["Auto2"], ["SALE"]],
    [
      "CONTACTED in SalesX: XFER overridden, HOT added",
      [C.CONTACTED],
      ["SalesX"],
      ["DEC", "HOT", "MLINAT", "NP", "RQXFER", "SVYCLM"],
    ],
    [
      "CONTACTED in Auto2: system XFER applies",
      [C.CONTACTED],
      ["Auto2"],
      ["DEC", "MLINAT", "NP", "RQXFER", "SVYCLM", "XFER"],
    ],
    [
      "CONTACTED, all campaigns: XFER in both SALE and CONTACTED",
      [C.CONTACTED],
      null,
      ["DEC", "HOT", "MLINAT", "NP", "RQXFER", "SVYCLM", "XFER"],
    ],
    ["DNC, all campaigns", [C.DNC], null, ["DNC", "DNCC", "DNCL", "DNQ"]],
    ["DNC in SalesX: Auto2's DNQ does not apply", [C.DNC], ["SalesX"], ["DNC", "DNCC", "DNCL"]],
    [
      "two categories, empty campaign list = all",
      [C.DNC, C.CALLBACK],
      [],
      ["CALLBK", "CBHOLD", "DNC", "DNCC", "DNCL", "DNQ", "QCFAIL"],
    ],
    ["duplicate campaign ids", [C.ANSWERING_MACHINE], ["Auto2", "AUTO2"], ["A", "AA", "AL", "AM", "VMAIL"]],
    [
      "two campaigns",
      [C.ANSWERING_MACHINE, C.SALE],
      ["SalesX", "Auto2"],
      ["A", "AA", "AL", "AM", "SALE", "VMAIL", "XFER"],
    ],
    ["campaign without statuses of its own: system ones", [C.DROP], ["NoSuch"], DROPS],
    ["DROP, undefined campaigns", [C.DROP], undefined, DROPS],
    [
      "OTHER lists known codes only",
      [C.OTHER],
      null,
      ["ERI", "LSMERG", "PM", "QVMAIL", "SVYEXT", "SVYHU", "SVYREC", "SVYVM"],
    ],
    ["NEW", [C.NEW], null, ["NEW"]],
    ["IN_PROGRESS", [C.IN_PROGRESS], null, ["INCALL", "PU", "QUEUE"]],
    ["no categories", [], null, []],
  ])("%s", (_why, categories, campaignIds, expected) => {
    expect(catalog.codesIn(categories, campaignIds)).toEqual(expected);
  });

  it.each([["SalesX"], ["Auto2"], ["NoSuch"]])(
    "for one campaign (%s), agrees with resolve for every category",
    (campaign) => {
      const allCodes = new Set([...DEFAULT_SYSTEM_STATUSES, ...CAMPAIGN_ROWS].map((r) => r.status));
      for (const category of Object.values(C)) {
        const expected = [...allCodes]
          .filter((code) => {
            const r = catalog.resolve(code, campaign);
            return r.known && r.category === category;
          })
          .sort();
        expect(catalog.codesIn([category], [campaign])).toEqual(expected);
      }
    },
  );
});
