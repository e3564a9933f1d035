import { contestedCodes, partOfPhone } from "../src/jobs/processors/vici-import.processor";

/** How an import batch is cut into parts written at once (pure decisions). */

describe("partOfPhone", () => {
  it.each([
    ["+17275550100", 0],
    ["+17275550101", 1],
    ["+442079460958", 0],
    ["+442079460957", 1],
  ])("%s → part %i", (phone, part) => expect(partOfPhone(phone)).toBe(part));

  it("spreads a run of numbers evenly over the parts", () => {
    const counts = [0, 0];
    for (let i = 0; i < 1000; i++) counts[partOfPhone(`+1727555${String(i).padStart(4, "0")}`)]++;
    expect(counts).toEqual([500, 500]);
  });
});

describe("contestedCodes", () => {
  const group = (phone: string, codes: [number, string][]) =>
    ({ phone, vendorCodes: codes.map(([leadId, code]) => ({ leadId, code })) }) as any;

  it.each([
    ["no codes", [group("+17275550100", []), group("+17275550101", [])], {}],
    ["a code on one phone only", [group("+17275550100", [[1, "A"]]), group("+17275550101", [[2, "B"]])], {}],
    ["a code on two phones of the same part: not contested", [group("+17275550100", [[1, "A"]]), group("+17275550102", [[2, "A"]])], {}],
    ["a code on phones of both parts: the part of its lowest lead_id", [group("+17275550101", [[7, "A"]]), group("+17275550100", [[3, "A"]])], { A: 0 }],
    ["the same, the other way round", [group("+17275550101", [[2, "A"]]), group("+17275550100", [[9, "A"]])], { A: 1 }],
    [
      "several codes",
      [group("+17275550100", [[1, "A"], [4, "B"]]), group("+17275550101", [[2, "A"], [3, "B"]]), group("+17275550103", [[5, "C"]])],
      { A: 0, B: 1 },
    ],
  ])("%s", (_name, groups, expected) => {
    expect(Object.fromEntries(contestedCodes(groups))).toEqual(expected);
  });
});
