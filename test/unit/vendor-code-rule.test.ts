import {
  conflictReason,
  decideVendorCode,
  holdsOtherCode,
  vendorCodeKey,
  type NotAdopted,
} from "../../src/vici/rules/vendor-code";

/** The one vendor-code rule (import and createLead): its decision table. */
describe("decideVendorCode", () => {
  const rows = (...codes: (string | null)[]) => codes.map((vendorLeadCode, i) => ({ leadId: 10 + i, vendorLeadCode }));
  it.each<[string, (string | null)[], string[], string[], string | null, NotAdopted | null, number[], number[]]>([
    // name, the number's managed rows' codes, keys on another number, codes other Brain leads hold → adopted, why not, conflict rows, empty rows
    ["one row, one code → adopted", ["VND-1"], [], [], "VND-1", null, [], []],
    ["no code at all → generated, every row gets it", [null, "", "  "], [], [], null, "NO_CODE", [], [10, 11, 12]],
    [
      "the same code on two rows, one empty → adopted, the empty row gets it",
      ["VND-1", null, "VND-1"],
      [],
      [],
      "VND-1",
      null,
      [],
      [11],
    ],
    [
      "codes equal as VICIdial compares (case, trailing spaces) → one code, spelled as it sorts first",
      ["abc-1 ", "ABC-1"],
      [],
      [],
      "ABC-1",
      null,
      [],
      [],
    ],
    [
      "two distinct codes → generated, both rows conflict",
      ["A-1", "B-2", null],
      [],
      [],
      null,
      "SEVERAL_CODES",
      [10, 11],
      [12],
    ],
    ["a code that cannot be an id (space) → generated", ["AB 12"], [], [], null, "DOES_NOT_FIT", [10], []],
    ["a leading space does not fit either", [" AB12"], [], [], null, "DOES_NOT_FIT", [10], []],
    [
      "a managed row of another number carries it → generated",
      ["VND-1"],
      ["vnd-1"],
      [],
      null,
      "ON_ANOTHER_NUMBER",
      [10],
      [],
    ],
    [
      "another Brain lead holds it → generated",
      ["VND-1", null],
      [],
      ["VND-1"],
      null,
      "HELD_BY_ANOTHER_LEAD",
      [10],
      [11],
    ],
    ["20 characters fit", ["ABCDEFGHIJ0123456789"], [], [], "ABCDEFGHIJ0123456789", null, [], []],
  ])("%s", (_name, codes, elsewhere, held, adopted, why, conflicts, empty) => {
    const d = decideVendorCode({
      rows: rows(...codes),
      onAnotherNumber: (k) => elsewhere.includes(k),
      heldByAnotherLead: (c) => held.includes(c),
    });
    expect(d.adopt).toBe(adopted);
    expect(d.notAdopted).toBe(why);
    expect(d.conflicts.map((c) => c.leadId)).toEqual(conflicts);
    expect(d.emptyRows).toEqual(empty);
  });

  it("does not depend on the order the rows come in", () => {
    const a = rows("abc-1 ", "ABC-1", null);
    const d1 = decideVendorCode({ rows: a, onAnotherNumber: () => false, heldByAnotherLead: () => false });
    const d2 = decideVendorCode({
      rows: [...a].reverse(),
      onAnotherNumber: () => false,
      heldByAnotherLead: () => false,
    });
    expect(d2).toEqual(d1);
  });

  it("compares codes as VICIdial's collation does", () => {
    expect(vendorCodeKey("Abc-1  ")).toBe("abc-1");
    expect(holdsOtherCode("abc-1 ", "ABC-1")).toBe(false);
    expect(holdsOtherCode("", "ABC-1")).toBe(false);
    expect(holdsOtherCode(null, "ABC-1")).toBe(false);
    expect(holdsOtherCode("ABC-2", "ABC-1")).toBe(true);
  });

  it("says why a code was left alone", () => {
    expect(conflictReason("V-1", "ON_ANOTHER_NUMBER")).toBe(
      'vendor_lead_code "V-1" is not its Brain lead\'s external_lead_id (rows of another number carry it too): left alone',
    );
    expect(conflictReason("V-1", null)).toBe(
      'vendor_lead_code "V-1" is not its Brain lead\'s external_lead_id: left alone',
    );
    expect(conflictReason("V-1", "SEVERAL_CODES", false)).toBe(
      'vendor_lead_code "V-1" was not adopted (the number\'s rows carry several vendor codes): left alone',
    );
  });
});
