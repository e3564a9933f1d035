/**
 * Brain's do-not-call flag and when it holds: the ONE definition every reader uses (Lead.doNotCall,
 * the leads filter, the call verdict's Brain fact, the import). A flag holds while it has no end
 * (`do_not_call_until` null: dnc, an operator's reason) or its end is still ahead; a recency flag
 * (recently_called) carries the end of the number's recent-call window, so it lifts by itself —
 * no job clears it.
 */

export interface DoNotCallFlag {
  doNotCall: boolean;
  /** When the flag lifts; null = never (dnc, an operator's reason). */
  doNotCallUntil: Date | null;
}

/** Whether the flag holds at `at`. */
export function doNotCallHolds(f: DoNotCallFlag, at: Date): boolean {
  return f.doNotCall && (f.doNotCallUntil === null || f.doNotCallUntil.getTime() > at.getTime());
}

/**
 * The same test in SQL, on `leads` (alias optional) at the instant `atParam` (a timestamptz
 * parameter placeholder such as `$3`).
 */
export function doNotCallHoldsSql(atParam: string, alias = ""): string {
  const c = alias ? `${alias}.` : "";
  return `(${c}do_not_call AND (${c}do_not_call_until IS NULL OR ${c}do_not_call_until > ${atParam}::timestamptz))`;
}

const DAY_MS = 86_400_000;

/** The end of a number's recent-call window: its last call + RECENT_CALL_DAYS × 24 h. */
export function recentCallEnds(lastCallAt: Date, recentCallDays: number): Date {
  return new Date(lastCallAt.getTime() + recentCallDays * DAY_MS);
}
