import {
  decideFieldWrite,
  mergeFieldChanges,
  settleFieldUpdate,
  type FieldConflict,
  type FieldWrite,
} from "../../src/services/field-update";

/** The conflict rule of Brain → VICIdial field updates: which side's value a row ends with. */
const T = (iso: string) => new Date(iso);
const CHANGED = "2025-03-10T15:00:00.700Z"; // Brain's change

describe("decideFieldWrite", () => {
  const cases: [
    string,
    { brain: string | null; baseline: string | null; vici: string | null; viciModifiedAt: string | null },
    FieldWrite,
  ][] = [
    [
      "VICIdial holds Brain's value already (a retried push)",
      { brain: "Anne", baseline: "Ann", vici: "Anne", viciModifiedAt: "2025-03-10T16:00:00Z" },
      "ALREADY",
    ],
    [
      "VICIdial holds the baseline: nobody edited it there",
      { brain: "Anne", baseline: "Ann", vici: "Ann", viciModifiedAt: "2025-03-10T16:00:00Z" },
      "WRITE",
    ],
    [
      "a later dialer update of the row does not matter when the field is the baseline",
      { brain: "Anne", baseline: "Ann", vici: "Ann", viciModifiedAt: "2030-01-01T00:00:00Z" },
      "WRITE",
    ],
    [
      "VICIdial's '' is Brain's null (baseline)",
      { brain: "Anne", baseline: null, vici: "", viciModifiedAt: "2025-03-10T16:00:00Z" },
      "WRITE",
    ],
    [
      "VICIdial's NULL is Brain's null (baseline)",
      { brain: "Anne", baseline: null, vici: null, viciModifiedAt: null },
      "WRITE",
    ],
    [
      "edited in VICIdial an hour before Brain's change: Brain wins",
      { brain: "Anne", baseline: "Ann", vici: "Annie", viciModifiedAt: "2025-03-10T14:00:00Z" },
      "OVERWRITE",
    ],
    [
      "edited in VICIdial in the second before Brain's change: Brain wins",
      { brain: "Anne", baseline: "Ann", vici: "Annie", viciModifiedAt: "2025-03-10T14:59:59Z" },
      "OVERWRITE",
    ],
    [
      "edited in VICIdial within the same second: VICIdial keeps it (cannot prove it older)",
      { brain: "Anne", baseline: "Ann", vici: "Annie", viciModifiedAt: "2025-03-10T15:00:00Z" },
      "KEEP_VICI",
    ],
    [
      "edited in VICIdial after Brain's change: VICIdial wins",
      { brain: "Anne", baseline: "Ann", vici: "Annie", viciModifiedAt: "2025-03-10T15:00:05Z" },
      "KEEP_VICI",
    ],
    [
      "the row's change time unknown: VICIdial keeps its value",
      { brain: "Anne", baseline: "Ann", vici: "Annie", viciModifiedAt: null },
      "KEEP_VICI",
    ],
    [
      "case counts as an edit",
      { brain: "Anne", baseline: "ann", vici: "Ann", viciModifiedAt: "2025-03-10T16:00:00Z" },
      "KEEP_VICI",
    ],
    [
      "Brain's value emptied since (a rollback): VICIdial is never blanked",
      { brain: null, baseline: "Ann", vici: "Anne", viciModifiedAt: "2025-03-10T14:00:00Z" },
      "NOTHING",
    ],
  ];
  it.each(cases)("%s", (_name, s, expected) => {
    expect(
      decideFieldWrite({
        ...s,
        viciModifiedAt: s.viciModifiedAt ? T(s.viciModifiedAt) : null,
        brainChangedAt: T(CHANGED),
      }),
    ).toBe(expected);
  });
});

describe("settleFieldUpdate", () => {
  const conflict = (winner: "BRAIN" | "VICI"): FieldConflict => ({
    viciLeadId: 7,
    field: "firstName",
    brainValue: "Anne",
    viciValue: "Annie",
    viciModifiedAt: "2025-03-10T15:00:05.000Z",
    brainChangedAt: CHANGED,
    winner,
  });
  it.each([
    ["every field written", { rows: 2, written: 2, conflicts: [], skippedRows: [] }, "DONE", null],
    ["nothing left to write (all there)", { rows: 1, written: 0, conflicts: [], skippedRows: [] }, "DONE", null],
    [
      "VICIdial's older value replaced: delivered, reported",
      { rows: 1, written: 1, conflicts: [conflict("BRAIN")], skippedRows: [] },
      "DONE",
      /older value replaced: firstName on lead 7/,
    ],
    [
      "VICIdial's newer value kept",
      { rows: 1, written: 0, conflicts: [conflict("VICI")], skippedRows: [] },
      "CONFLICT",
      /newer value kept: firstName on lead 7 \(VICIdial 2025-03-10T15:00:05.000Z, Brain 2025-03-10T15:00:00.700Z\)/,
    ],
    [
      "no row left",
      { rows: 0, written: 0, conflicts: [], skippedRows: ["VICIdial lead 7 no longer exists"] },
      "SKIPPED",
      /lead 7 no longer exists/,
    ],
    ["no linked row", { rows: 0, written: 0, conflicts: [], skippedRows: [] }, "SKIPPED", /no linked VICIdial row/],
  ] as const)("%s", (_name, input, state, note) => {
    const out = settleFieldUpdate({ ...input, conflicts: [...input.conflicts], skippedRows: [...input.skippedRows] });
    expect(out.state).toBe(state);
    if (note === null) expect(out.note).toBeNull();
    else expect(out.note).toMatch(note);
    // Values never go into the note (it is logged and listed): they are in the conflicts.
    expect(out.note ?? "").not.toMatch(/Anne|Annie/);
  });
});

describe("mergeFieldChanges", () => {
  it("a field waiting keeps its first baseline (VICIdial never saw the value between) and takes the newer time", () => {
    const merged = mergeFieldChanges(
      {
        firstName: { from: null, changedAt: "2025-01-01T00:00:00.000Z" },
        city: { from: "Tampa", changedAt: "2025-01-01T00:00:00.000Z" },
      },
      {
        firstName: { from: "Ann", changedAt: "2025-01-02T00:00:00.000Z" },
        email: { from: null, changedAt: "2025-01-02T00:00:00.000Z" },
      },
    );
    expect(merged).toEqual({
      firstName: { from: null, changedAt: "2025-01-02T00:00:00.000Z" },
      city: { from: "Tampa", changedAt: "2025-01-01T00:00:00.000Z" },
      email: { from: null, changedAt: "2025-01-02T00:00:00.000Z" },
    });
  });
});
