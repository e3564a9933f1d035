/**
 * VICIdial's daylight-saving rules: the DST_range codes of vicidial_phone_codes and
 * vicidial_postal_codes (CALLTIMES.md §1). VICIdial evaluates them itself, with fixed dates,
 * instead of a time-zone database: bin/ADMIN_adjust_GMTnow_on_leads.pl (the subs
 * USACAN_dstcalc … BZL_dstcalc) and www/vicidial/non_agent_api.php (lookup_gmt_api). An
 * unknown or empty code means "no DST ever".
 *
 * Each rule switches on a Sunday: the first Sunday on or after `fromDay` of `month`, at
 * `seconds` into that day, read on the wall clock the caller passes (VICIdial passes the
 * lead's standard time, shifted by the server's own DST; see lead-clock.ts).
 */

interface Edge {
  month: number;
  /** The switch is on the first Sunday on or after this day of the month. */
  fromDay: number;
  /** Seconds into that Sunday (7200 = 02:00). */
  seconds: number;
}

/** DST from `start` (inclusive) to `end` (exclusive); start after end in the year = southern rule. */
interface DstRule {
  start: Edge;
  end: Edge;
}

/** The codes the cron script evaluates (GMT:1235-1880); the rest of GMT_notes.txt has no DST. */
const RULES: Record<string, DstRule> = {
  "SSM-FSN": { start: { month: 3, fromDay: 8, seconds: 7200 }, end: { month: 11, fromDay: 1, seconds: 7200 } }, // USA, Canada
  "FSA-LSO": { start: { month: 4, fromDay: 1, seconds: 7200 }, end: { month: 10, fromDay: 25, seconds: 7200 } }, // Mexico
  "LSM-LSO": { start: { month: 3, fromDay: 25, seconds: 3600 }, end: { month: 10, fromDay: 25, seconds: 3600 } }, // Europe
  "LSO-LSM": { start: { month: 10, fromDay: 25, seconds: 3600 }, end: { month: 3, fromDay: 25, seconds: 3600 } }, // Australia (old WA)
  "FSO-LSM": { start: { month: 10, fromDay: 1, seconds: 3600 }, end: { month: 3, fromDay: 25, seconds: 3600 } }, // Australia
  "FSO-FSA": { start: { month: 10, fromDay: 1, seconds: 3600 }, end: { month: 4, fromDay: 1, seconds: 7200 } }, // Australia (east)
  "FSO-TSM": { start: { month: 10, fromDay: 1, seconds: 3600 }, end: { month: 3, fromDay: 14, seconds: 3600 } }, // New Zealand (old)
  "LSS-FSA": { start: { month: 9, fromDay: 25, seconds: 3600 }, end: { month: 4, fromDay: 1, seconds: 7200 } }, // New Zealand
  "TSO-LSF": { start: { month: 10, fromDay: 22, seconds: 3600 }, end: { month: 2, fromDay: 22, seconds: 3600 } }, // Brazil
};

/** A wall-clock reading: the UTC fields of `ms` (callers shift instants into the wall clock they mean). */
export function isViciDst(code: string | null | undefined, wallMs: number): boolean {
  const rule = code ? RULES[code.trim().toUpperCase()] : undefined;
  if (!rule) return false;
  const year = new Date(wallMs).getUTCFullYear();
  const key = `${code}|${year}`;
  let edges = EDGES.get(key);
  if (!edges) {
    if (EDGES.size > 10_000) EDGES.clear();
    EDGES.set(key, (edges = [edgeMs(year, rule.start), edgeMs(year, rule.end)]));
  }
  const [start, end] = edges;
  return start < end ? wallMs >= start && wallMs < end : wallMs >= start || wallMs < end;
}

/** Switch instants per rule and year (a verdict asks thousands of times). */
const EDGES = new Map<string, [number, number]>();

/** Whether VICIdial knows this DST_range code (else it never applies DST for it). */
export function isKnownDstRule(code: string | null | undefined): boolean {
  return !!code && RULES[code.trim().toUpperCase()] !== undefined;
}

function edgeMs(year: number, e: Edge): number {
  const first = Date.UTC(year, e.month - 1, e.fromDay);
  const weekday = new Date(first).getUTCDay();
  const sunday = first + ((7 - weekday) % 7) * 86_400_000;
  return sunday + e.seconds * 1000;
}
