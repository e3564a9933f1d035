import { rowCounters, type GroupOutcome } from "../../src/jobs/processors/import-merge";

/** How one phone's Vici rows count in a VICI_IMPORT: each row in exactly one counter. */
describe("rowCounters", () => {
  const known = (...ids: number[]) => new Set(ids);
  it.each<[string, number[], GroupOutcome, number[], Record<string, number>]>([
    ["a new phone, one row", [1], { kind: "new", created: true }, [], { created: 1 }],
    [
      "a new phone, three rows: the first creates, the others join",
      [1, 2, 3],
      { kind: "new", created: true },
      [],
      { created: 1, linked: 2 },
    ],
    ["a new phone whose only row's vendor code conflicts", [4], { kind: "new", created: true }, [4], { conflicts: 1 }],
    [
      "a new phone, the first row conflicts: the next one creates",
      [4, 5],
      { kind: "new", created: true },
      [4],
      { conflicts: 1, created: 1 },
    ],
    [
      "a dry run's phone an earlier batch would have created",
      [6, 7],
      { kind: "new", created: false },
      [],
      { linked: 2 },
    ],
    [
      "a known lead, nothing new",
      [1, 2],
      { kind: "merged", knownIds: known(1, 2), changed: false },
      [],
      { unchanged: 2 },
    ],
    [
      "a known lead changed by its rows (status, last call)",
      [1, 2],
      { kind: "merged", knownIds: known(1, 2), changed: true },
      [],
      { updated: 2 },
    ],
    [
      "a known lead and a row new to it",
      [1, 9],
      { kind: "merged", knownIds: known(1), changed: true },
      [],
      { updated: 1, linked: 1 },
    ],
    [
      "a Brain lead linked for the first time",
      [10],
      { kind: "merged", knownIds: known(), changed: true },
      [],
      { linked: 1 },
    ],
  ])("%s", (_what, rows, outcome, conflicts, expected) => {
    const counted = rowCounters(rows, outcome, new Set(conflicts));
    expect(Object.fromEntries(Object.entries(counted).filter(([, n]) => n))).toEqual(expected);
    expect(Object.values(counted).reduce((a, n) => a + n, 0)).toBe(rows.length);
  });
});
