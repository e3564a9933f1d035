import { partOfPhone } from "../../src/jobs/processors/vici-import.processor";

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
