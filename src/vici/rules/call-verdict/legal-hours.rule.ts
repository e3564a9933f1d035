import { DAY_NAMES } from "./call-time";
import { reason, type VerdictContext } from "./context";
import {
  HORIZON_MS,
  HOUR,
  nextOpening,
  trueLocalWallMs,
  wallCandidates,
  wallParts,
  zoneOf,
  type PhoneZone,
} from "./lead-clock";
import { CallReasonCode as C, type CallReason, type HoursWindow, type StateWindowRule, type Weekday } from "./types";

/**
 * Calling hours that no VICIdial setting can widen (COMPLIANCE): the federal floor, 08:00 to
 * 21:00 at the called party's location (47 CFR 64.1200(c)(1), TCPA), and the rule file's
 * stricter state windows. The called party's location is not known exactly, so every zone
 * the number may be in must be inside the window: the area code's, and that of each state the
 * number's Vici rows (or its area code) name. Time is the real local time of those zones
 * (standard offset + the phone-code table's DST rule), not VICIdial's stored offset.
 */

export const LEGAL_FLOOR: HoursWindow = {
  days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
  start: 8 * 60,
  end: 21 * 60,
};
export const LEGAL_FLOOR_SOURCE =
  "47 CFR 64.1200(c)(1) (TCPA): no telephone solicitation before 8 a.m. or after 9 p.m. at the called party's location (built in)";
const WEEKDAYS: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The number's states: its Vici rows' `state`, and its area code's state in vicidial_phone_codes. */
export function numberStates(ctx: VerdictContext): string[] {
  return ctx.once("numberStates", () => computeNumberStates(ctx));
}

function computeNumberStates(ctx: VerdictContext): string[] {
  const out = new Set<string>();
  for (const r of ctx.facts.number.rows)
    if (r.state && /^[A-Za-z]{2}$/.test(r.state.trim())) out.add(r.state.trim().toUpperCase());
  for (const r of areaRows(ctx))
    if (r.state && /^[A-Za-z]{2}$/.test(r.state.trim())) out.add(r.state.trim().toUpperCase());
  return [...out].sort();
}

function areaRows(ctx: VerdictContext) {
  const n = ctx.facts.number;
  if (n.phoneCode !== "1" && n.phoneCode !== "52") return [];
  const area = n.phoneNumber.slice(0, 3);
  return ctx.phoneCodes.filter((r) => r.areacode === area);
}

/**
 * The zones the called party may be in: the area code's rows; the zones of each of the number's
 * states its area code does not already cover; else the rows' stored offsets; else add_lead's
 * zone (VICIdial's first-row fallback). Empty when nothing is known.
 */
export function legalZones(ctx: VerdictContext): PhoneZone[] {
  return ctx.once("legalZones", () => computeLegalZones(ctx));
}

function computeLegalZones(ctx: VerdictContext): PhoneZone[] {
  const zones: PhoneZone[] = [];
  const add = (z: PhoneZone | null) => {
    if (z && !zones.some((x) => x.std === z.std && (x.dstRange ?? "") === (z.dstRange ?? ""))) zones.push(z);
  };
  const area = areaRows(ctx);
  for (const r of area) add(zoneOf(r, `area code ${r.areacode}${r.state ? ` (${r.state})` : ""}`));
  const covered = new Set(area.map((r) => (r.state ?? "").toUpperCase()));
  for (const st of numberStates(ctx)) {
    if (covered.has(st)) continue;
    for (const r of ctx.phoneCodes) if ((r.state ?? "").toUpperCase() === st) add(zoneOf(r, `state ${st}`));
  }
  if (zones.length) return zones;
  const n = ctx.facts.number;
  for (const r of n.rows) {
    const o = r.gmtOffsetNow;
    // VICIdial stores 0.00 when it found no zone: never a real offset for a NANP number.
    if (o === null || o === 99 || o < -12 || o > 14 || (o === 0 && n.phoneCode === "1")) continue;
    add({ std: o, dstRange: null, label: `stored gmt_offset_now of Vici lead ${r.leadId}` });
  }
  if (zones.length) return zones;
  if (ctx.insert) add(ctx.insert.zone);
  return zones;
}

export interface HoursRule {
  code: C;
  windows: HoursWindow[];
  source: string;
  label: string;
}

/** The floor, then the rule file's windows for the number's states. */
export function hoursRules(ctx: VerdictContext): HoursRule[] {
  return ctx.once("hoursRules", () => computeHoursRules(ctx));
}

function computeHoursRules(ctx: VerdictContext): HoursRule[] {
  const states = numberStates(ctx);
  const out: HoursRule[] = [
    {
      code: C.LEGAL_HOURS,
      windows: [LEGAL_FLOOR],
      source: LEGAL_FLOOR_SOURCE,
      label: "the legal calling hours (08:00–21:00)",
    },
  ];
  for (const r of ctx.rules.stateWindows.filter((w: StateWindowRule) => w.states.some((s) => states.includes(s)))) {
    out.push({
      code: C.STATE_HOURS,
      windows: r.hours,
      source: `rule file ${r.id}: ${r.citation}`,
      label: `the calling hours of ${r.states.filter((s) => states.includes(s)).join(", ")} (${describeWindows(r.hours)})`,
    });
  }
  return out;
}

export function windowOpen(windows: HoursWindow[], weekday: number, minute: number): boolean {
  const day = WEEKDAYS[weekday];
  return windows.some((w) => w.days.includes(day) && minute >= w.start && minute < w.end);
}

export function legalHoursReasons(ctx: VerdictContext, t: number): CallReason[] {
  const zones = legalZones(ctx);
  if (zones.length === 0) return [];
  const out: CallReason[] = [];
  for (const rule of hoursRules(ctx)) {
    const closedIn = zones.filter((z) => {
      const { weekday, minute } = wallParts(trueLocalWallMs(z, t));
      return !windowOpen(rule.windows, weekday, minute);
    });
    if (closedIn.length === 0) continue;
    const until = nextOpening(t, HORIZON_MS, (x) => probe(rule.windows, zones, x));
    const where = closedIn
      .map((z) => {
        const { weekday, minute } = wallParts(trueLocalWallMs(z, t));
        return `${DAY_NAMES[weekday]} ${hm(minute)} in ${z.label}`;
      })
      .join(", ");
    out.push(reason(rule.code, `outside ${rule.label}: it is ${where}`, rule.source, until));
  }
  return out;
}

function probe(windows: HoursWindow[], zones: PhoneZone[], t: number): { open: boolean; next: number } {
  let open = true;
  const next: number[] = [];
  const starts = [...new Set(windows.map((w) => w.start)), 60, 120, 180]; // 01:00-03:00: past any DST switch
  for (const z of zones) {
    const wall = trueLocalWallMs(z, t);
    const { weekday, minute } = wallParts(wall);
    if (!windowOpen(windows, weekday, minute)) open = false;
    next.push(...wallCandidates(t, wall, starts));
  }
  return { open, next: Math.min(...next.filter((n) => n > t), t + 24 * HOUR) };
}

function hm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

export function describeWindows(ws: HoursWindow[]): string {
  return ws.map((w) => `${w.days.join(",")} ${hm(w.start)}–${hm(w.end)}`).join("; ");
}
