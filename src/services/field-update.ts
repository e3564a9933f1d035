import type { ContactField } from "./lead-input";

/**
 * Brain → VICIdial field updates: the pure decisions. The outbox carries, for each contact
 * field Brain changed, what Brain held before (what it believes VICIdial holds: its baseline)
 * and when Brain changed it; the pusher sends Brain's CURRENT value (a later change or a
 * rollback since the record was queued is what counts), field by field, row by row. Which
 * vicidial_list column a field is: vici/rules/contact-columns.ts.
 */

/** One field of a queued update: Brain's value before the change, and when Brain changed it (ISO). */
export interface FieldChange {
  from: string | null;
  changedAt: string;
}

/** UPDATE_FIELDS payload: the changed fields (GraphQL names). */
export interface FieldUpdatePayload {
  fields: Partial<Record<ContactField, FieldChange>>;
  /** The fields a conflict touched, filled in when the record settles (ViciPush.fieldConflicts). */
  conflicts?: FieldConflict[];
}

export type FieldWrite =
  /** VICIdial already holds Brain's value (e.g. a push retried after a crash): nothing to write. */
  | "ALREADY"
  /** VICIdial still holds Brain's baseline: nobody edited it there, write Brain's value. */
  | "WRITE"
  /** VICIdial's value differs and its row last changed before Brain's change: Brain's newer value replaces it (reported). */
  | "OVERWRITE"
  /** VICIdial's value differs and its row changed at or after Brain's change (or when is unknown): VICIdial's value stays (reported). */
  | "KEEP_VICI"
  /** Brain's value is empty now (a rollback emptied it): a field is never emptied in VICIdial. */
  | "NOTHING";

export interface FieldState {
  /** Brain's value now. */
  brain: string | null;
  /** Brain's value before the change (what Brain last knew VICIdial to hold). */
  baseline: string | null;
  /** The Vici row's value now. */
  vici: string | null;
  /** vicidial_list.modify_date of the row (whole seconds; any change of the row, dialer updates too); null when unknown. */
  viciModifiedAt: Date | null;
  /** When Brain changed the field. */
  brainChangedAt: Date;
}

/** VICIdial's empty string and Brain's null are the same "no value". */
function same(a: string | null, b: string | null): boolean {
  return (a ?? "") === (b ?? "");
}

/**
 * The newer side wins, and a value VICIdial changed since Brain last read it is never
 * overwritten blindly. modify_date has whole seconds and counts any change of the row: VICIdial
 * is older only when its whole second ended before Brain's change; a tie (same second) or an
 * unknown time keeps VICIdial's value.
 */
export function decideFieldWrite(s: FieldState): FieldWrite {
  if (s.brain === null || s.brain === "") return "NOTHING";
  if (same(s.vici, s.brain)) return "ALREADY";
  if (same(s.vici, s.baseline)) return "WRITE";
  if (s.viciModifiedAt === null) return "KEEP_VICI";
  return s.viciModifiedAt.getTime() + 1000 <= s.brainChangedAt.getTime() ? "OVERWRITE" : "KEEP_VICI";
}

/** A field whose value VICIdial changed since Brain last read it: who won, and both values. */
export interface FieldConflict {
  viciLeadId: number;
  field: ContactField;
  brainValue: string | null;
  viciValue: string | null;
  /** ISO instants. */
  viciModifiedAt: string | null;
  brainChangedAt: string;
  winner: "BRAIN" | "VICI";
}

/** How a record ends: DONE (everything reached VICIdial), CONFLICT (VICIdial kept a newer value), SKIPPED (no row to write). */
export interface FieldUpdateOutcome {
  state: "DONE" | "CONFLICT" | "SKIPPED";
  note: string | null;
}

/**
 * The record's state and the operator's note from what happened on each row: names fields,
 * rows and times, never values (those are in `conflicts`, shown to who may read the lead).
 */
export function settleFieldUpdate(r: {
  rows: number;
  written: number;
  conflicts: FieldConflict[];
  skippedRows: string[];
}): FieldUpdateOutcome {
  const kept = r.conflicts.filter((c) => c.winner === "VICI");
  const replaced = r.conflicts.filter((c) => c.winner === "BRAIN");
  const describe = (c: FieldConflict) =>
    `${c.field} on lead ${c.viciLeadId} (VICIdial ${c.viciModifiedAt ?? "unknown time"}, Brain ${c.brainChangedAt})`;
  const notes: string[] = [];
  if (kept.length) notes.push(`VICIdial's newer value kept: ${kept.map(describe).join("; ")}`);
  if (replaced.length) notes.push(`VICIdial's older value replaced: ${replaced.map(describe).join("; ")}`);
  notes.push(...r.skippedRows);
  const note = notes.length ? notes.join(". ") : null;
  if (r.rows === 0) return { state: "SKIPPED", note: note ?? "no linked VICIdial row to update" };
  return { state: kept.length ? "CONFLICT" : "DONE", note };
}

/**
 * Folds a new change into a record still waiting: a field already waiting keeps its first
 * baseline (VICIdial has not seen the value in between) and takes the new change time.
 */
export function mergeFieldChanges(
  waiting: FieldUpdatePayload["fields"],
  changes: Partial<Record<ContactField, FieldChange>>,
): FieldUpdatePayload["fields"] {
  const out = { ...waiting };
  for (const [f, c] of Object.entries(changes) as [ContactField, FieldChange][]) {
    out[f] = { from: f in waiting ? waiting[f]!.from : c.from, changedAt: c.changedAt };
  }
  return out;
}
