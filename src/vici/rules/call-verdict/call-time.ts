import { sameText } from "./lead-clock";
import type { CallTimeDef, CampaignFacts, HhmmPair, HolidayDef, StateCallTimeDef } from "./types";

/**
 * VICIdial's call times exactly as AST_VDhopper.pl builds its gmt_offset_now clause
 * (CALLTIMES.md §2; HOP:1586-2116 for the campaign, HOP:2239-2716 for a list's own call time):
 * holidays narrow the windows on the server's date, state rules replace the window for leads
 * of their state, a weekday pair 0/0 falls back to the default pair, and a window is
 * start ≤ HHMM < stop on the lead's local clock.
 */

export interface Windows {
  default: HhmmPair;
  /** Sunday … Saturday. */
  days: HhmmPair[];
}

/** A call time resolved for one server date: its windows after holidays, and its state rules. */
export interface ResolvedCallTime {
  id: string;
  exists: boolean;
  windows: Windows;
  holiday: HolidayDef | null;
  stateRules: { id: string; state: string; windows: Windows; holiday: HolidayDef | null }[];
  /** States with a rule: their leads never get the default window (`state NOT IN (...)`). */
  ruledStates: string[];
}

const ZERO: HhmmPair = { start: 0, stop: 0 };

/** A holiday's start/stop narrows each pair whose stop > 0 (HOP:1656-1671). */
export function narrow(w: Windows, by: HhmmPair): Windows {
  const one = (p: HhmmPair): HhmmPair => ({
    start: p.start < by.start && p.stop > 0 ? by.start : p.start,
    stop: p.stop > by.stop && p.stop > 0 ? by.stop : p.stop,
  });
  return { default: one(w.default), days: w.days.map(one) };
}

/** The pair that applies on a weekday: its own, unless both are 0 (then the default pair). */
export function dayPair(w: Windows, weekday: number): HhmmPair {
  const p = w.days[weekday] ?? ZERO;
  return p.start === 0 && p.stop === 0 ? w.default : p;
}

export function inWindow(w: Windows, weekday: number, hhmm: number): boolean {
  const p = dayPair(w, weekday);
  return hhmm >= p.start && hhmm < p.stop;
}

/**
 * Ids in a pipe list ('|a|b|'), or null when the hopper ignores the list (2 characters or
 * fewer). State rule ids of one character are skipped too (HOP:1817).
 */
export function pipeIds(raw: string | null | undefined, minPartLength = 1): string[] | null {
  if (!raw || raw.length <= 2) return null;
  return raw.split("|").filter((p) => p.length >= minPartLength);
}

/** The first ACTIVE holiday dated `serverDate` among `ids`, by holiday_id (the hopper's ORDER BY). */
export function activeHoliday(
  ids: string[] | null,
  holidays: Record<string, HolidayDef>,
  serverDate: string,
): HolidayDef | null {
  if (!ids) return null;
  const hits = ids
    .map((id) => lookup(holidays, id))
    .filter((h): h is HolidayDef => !!h && h.status === "ACTIVE" && h.date === serverDate)
    .sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  return hits[0] ?? null;
}

/** Perl's numeric reading of a string: its leading number, else 0. */
function perlNumber(s: string | null | undefined): number {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)/.exec(s ?? "");
  return m ? Number(m[1]) : 0;
}

/** Rows are keyed by id; VICIdial compares ids case-insensitively. */
export function lookup<T>(byId: Record<string, T>, id: string): T | undefined {
  return (
    byId[id] ?? byId[id.toLowerCase()] ?? Object.entries(byId).find(([k]) => k.toLowerCase() === id.toLowerCase())?.[1]
  );
}

const windowsOf = (d: { default: HhmmPair; days: HhmmPair[] }): Windows => ({ default: d.default, days: d.days });

/**
 * A call time on one server date. `level` "list" reproduces the hopper's list-level quirk:
 * a holiday applied to a state rule there narrows with the rule's own columns 3 and 4
 * (state_call_time_comments as start, sct_default_start as stop; HOP:2083-2098).
 */
export function resolveCallTime(
  id: string,
  facts: Pick<CampaignFacts, "callTimes" | "stateCallTimes" | "holidays">,
  serverDate: string,
  level: "campaign" | "list",
): ResolvedCallTime {
  const ct: CallTimeDef | undefined = lookup(facts.callTimes, id);
  if (!ct) {
    // No row: the hopper's variables stay 0, so no offset is in the window.
    return {
      id,
      exists: false,
      windows: { default: ZERO, days: Array(7).fill(ZERO) },
      holiday: null,
      stateRules: [],
      ruledStates: [],
    };
  }
  const holiday = activeHoliday(pipeIds(ct.holidays), facts.holidays, serverDate);
  const windows = holiday ? narrow(windowsOf(ct), holiday) : windowsOf(ct);
  const stateRules: ResolvedCallTime["stateRules"] = [];
  for (const ruleId of pipeIds(ct.stateCallTimes, 2) ?? []) {
    const rule: StateCallTimeDef | undefined = lookup(facts.stateCallTimes, ruleId);
    if (!rule) continue;
    // The state's own holidays if it lists any, else the call time's active one (HOP:1854-1904).
    const own = pipeIds(rule.holidays);
    const hol = own
      ? activeHoliday(own, facts.holidays, serverDate)
      : holiday && holiday.id.length > 2
        ? holiday
        : null;
    let w = windowsOf(rule);
    if (hol) w = narrow(w, level === "list" ? { start: perlNumber(rule.comments), stop: rule.default.start } : hol);
    stateRules.push({ id: rule.id, state: rule.state, windows: w, holiday: hol });
  }
  return { id: ct.id, exists: true, windows, holiday, stateRules, ruledStates: stateRules.map((r) => r.state) };
}

/**
 * The hopper's clause for one lead: `(gmt IN (default) AND state NOT IN (ruled)) OR (state =
 * 'XX' AND gmt IN (XX's window)) ...`. With state rules a NULL state matches neither side;
 * without them the state is not looked at.
 */
export function callTimeClauseOpen(r: ResolvedCallTime, state: string | null, weekday: number, hhmm: number): boolean {
  if (r.stateRules.length === 0) return inWindow(r.windows, weekday, hhmm);
  if (state === null) return false;
  if (!r.ruledStates.some((s) => sameText(s, state)) && inWindow(r.windows, weekday, hhmm)) return true;
  return r.stateRules.some((rule) => sameText(rule.state, state) && inWindow(rule.windows, weekday, hhmm));
}

/** Window starts (HHMM) that may open the clause on a weekday: next-opening candidates. */
export function clauseStarts(r: ResolvedCallTime, state: string | null, weekday: number): number[] {
  const out = [dayPair(r.windows, weekday).start];
  for (const rule of r.stateRules) if (sameText(rule.state, state)) out.push(dayPair(rule.windows, weekday).start);
  return out;
}

/** Words for the window that applies to a lead (messages). */
export function describeClause(r: ResolvedCallTime, state: string | null, weekday: number): string {
  if (!r.exists) return `call time ${r.id} does not exist`;
  const rule = state !== null ? r.stateRules.find((s) => sameText(s.state, state)) : undefined;
  const ruledNull = state === null && r.stateRules.length > 0;
  const w = rule ? rule.windows : r.windows;
  const p = dayPair(w, weekday);
  const hol = rule ? rule.holiday : r.holiday;
  const win = p.start >= 2400 || p.start >= p.stop ? "closed" : `${hhmmText(p.start)}–${hhmmText(p.stop)}`;
  return (
    `call time ${r.id}${rule ? ` (state rule ${rule.id})` : ""}: ${DAY_NAMES[weekday]} ${win}` +
    (hol ? `, narrowed by holiday ${hol.id}` : "") +
    (ruledNull ? " (the lead has no state while the call time has state rules: never dialed)" : "")
  );
}

export const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function hhmmText(hhmm: number): string {
  const h = Math.floor(hhmm / 100);
  return `${String(h).padStart(2, "0")}:${String(hhmm % 100).padStart(2, "0")}`;
}
