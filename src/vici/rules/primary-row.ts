/**
 * The primary row of a number's linked VICIdial rows — the one Brain's meta.vici_lead_id names
 * and `Lead.vici` shows: the most recently called (each row by its own latest vicidial_log
 * call); never-called rows rank by newest lead_id. The ONE definition: createLead's call
 * guard, the outbox's link, the import and the follower all take it.
 */
export function primaryRow<T extends { leadId: number; lastCallAt: Date | null }>(rows: readonly T[]): T | null {
  let best: T | null = null;
  for (const r of rows) {
    if (!best) best = r;
    else {
      const a = r.lastCallAt?.getTime() ?? -Infinity;
      const b = best.lastCallAt?.getTime() ?? -Infinity;
      if (a > b || (a === b && r.leadId > best.leadId)) best = r;
    }
  }
  return best;
}
