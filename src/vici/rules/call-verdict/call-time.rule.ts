import {
  callTimeClauseOpen,
  clauseStarts,
  DAY_NAMES,
  describeClause,
  hhmmText,
  inWindow,
  lookup,
  type ResolvedCallTime,
} from "./call-time";
import { campaignName, reason, type VerdictContext } from "./context";
import { onMainPath, recycleRuleFor } from "./dialer-state.rule";
import {
  DAY,
  HORIZON_MS,
  HOUR,
  minuteOfHhmm,
  nextOpening,
  onHopperGrid,
  wallCandidates,
  wallParts,
} from "./lead-clock";
import { CallReasonCode as C, type CallReason, type LeadRowFacts } from "./types";

/**
 * Calling hours as VICIdial's hopper applies them (CALLTIMES.md §0 row 4, §2): the campaign's
 * call time (state rules, holidays on the server's date) AND the list's own call time, read on
 * the lead's clock as the hopper renders it from gmt_offset_now. A row that is only dialable
 * through a recycle rule also needs the call time's default window (HOP:2196-2200).
 * `row` null = a number not in the campaign, with the offset add_lead would give it.
 */

interface Probe {
  open: boolean;
  next: number;
  offset: number | null;
  wall: number | null;
  camp: ResolvedCallTime | null;
  list: ResolvedCallTime | null;
}

/** The state the hopper compares: the row's; for a new number, the area code's (add_lead's lookup_state). */
function stateOf(ctx: VerdictContext, row: LeadRowFacts | null): string | null {
  if (row) return row.state;
  const area = ctx.facts.number.phoneNumber.slice(0, 3);
  return ctx.phoneCodes.find((r) => r.areacode === area)?.state ?? null;
}

/** The list's own call time, when it names one that exists (else the campaign's alone, HOP:1886-1902). */
function listCallTimeId(ctx: VerdictContext, row: LeadRowFacts | null): string | null {
  const id = row?.list?.localCallTime;
  if (!id || id === "campaign" || !lookup(ctx.facts.campaign.callTimes, id)) return null;
  return id;
}

function probe(ctx: VerdictContext, row: LeadRowFacts | null, t: number): Probe {
  const c = ctx.facts.campaign.campaign!;
  const clock = ctx.clock;
  const offset = ctx.offsetAt(row, t);
  // Holidays and lists change at the server's midnight; offsets at the time-zone cron's runs.
  const next: number[] = [clock.nextMidnight(t), clock.nextCronRun(t)];
  const closed = (): Probe => ({
    open: false,
    next: Math.min(...next.filter((n) => n > t)),
    offset,
    wall: null,
    camp: null,
    list: null,
  });
  if (offset === null) return closed();
  if (offset === 99) return { open: true, next: t, offset, wall: null, camp: null, list: null }; // '99' is in every clause
  if (!onHopperGrid(offset)) return closed();

  const wall = clock.hopperWallMs(t, offset);
  const { weekday, hhmm } = wallParts(wall);
  const date = clock.date(t);
  const state = stateOf(ctx, row);
  const camp = ctx.callTime(c.localCallTime, date, "campaign");
  const listId = listCallTimeId(ctx, row);
  const list = listId ? ctx.callTime(listId, date, "list") : null;
  const recycled = row !== null && !onMainPath(ctx, row) && recycleRuleFor(ctx, row) !== null;
  const open =
    callTimeClauseOpen(camp, state, weekday, hhmm) &&
    (!list || callTimeClauseOpen(list, state, weekday, hhmm)) &&
    (!recycled || inWindow(camp.windows, weekday, hhmm));
  if (open) return { open, next: t, offset, wall, camp, list };

  const starts = [...clauseStarts(camp, state, weekday), ...(list ? clauseStarts(list, state, weekday) : [])].map(
    minuteOfHhmm,
  );
  next.push(...wallCandidates(t, wall, starts));
  // The hopper's rendering jumps near the server's own DST switches (and where UTC + offset crosses one).
  for (const T of clock.transitions(t - 2 * DAY, t + 2 * DAY)) {
    for (const off of [clock.offsetMs(T - 1000), clock.offsetMs(T)]) next.push(T, T + off - offset * HOUR);
  }
  return { open, next: Math.min(...next.filter((n) => n > t)), offset, wall, camp, list };
}

export function callTimeReasons(ctx: VerdictContext, row: LeadRowFacts | null, t: number): CallReason[] {
  if (!ctx.facts.campaign.campaign) return [];
  const now = probe(ctx, row, t);
  if (now.open) return [];
  const until = canEverOpen(ctx, row, t) ? nextOpening(t, HORIZON_MS, (x) => probe(ctx, row, x)) : null;
  return [reason(C.CALL_TIME, describe(ctx, row, now), source(ctx, row), until, row?.leadId ?? null)];
}

/**
 * False when no day can ever open for this lead, whatever the date (holidays only narrow): no
 * usable offset now or from VICIdial's time-zone run, or no weekday whose window (campaign's
 * and list's, for the lead's state) is non-empty. Saves a year-long search.
 */
function canEverOpen(ctx: VerdictContext, row: LeadRowFacts | null, t: number): boolean {
  const c = ctx.facts.campaign.campaign!;
  const usable = (o: number | null) => o !== null && (o === 99 || onHopperGrid(o));
  if (!usable(ctx.offsetAt(row, t)) && !ctx.offsetPredicted(row, ctx.clock.nextCronRun(Math.max(t, ctx.readAt))))
    return false;
  if (ctx.offsetAt(row, t) === 99) return true;
  const noHoliday = "0000-00-00";
  const camp = ctx.callTime(c.localCallTime, noHoliday, "campaign");
  const listId = listCallTimeId(ctx, row);
  const list = listId ? ctx.callTime(listId, noHoliday, "list") : null;
  const state = stateOf(ctx, row);
  // An intersection of windows, when not empty, contains one of their starts.
  for (let day = 0; day < 7; day++) {
    const starts = [...clauseStarts(camp, state, day), ...(list ? clauseStarts(list, state, day) : [])]
      .map(minuteOfHhmm)
      .filter((m) => m < 1440);
    for (const m of starts) {
      const hhmm = Math.floor(m / 60) * 100 + (m % 60);
      if (callTimeClauseOpen(camp, state, day, hhmm) && (!list || callTimeClauseOpen(list, state, day, hhmm)))
        return true;
    }
  }
  return false;
}

function describe(ctx: VerdictContext, row: LeadRowFacts | null, p: Probe): string {
  const who = row
    ? `gmt_offset_now ${fmtOffset(row.gmtOffsetNow)}`
    : ctx.insert
      ? `offset from ${ctx.insert.zone.label}`
      : "no phone-code row";
  if (p.offset === null)
    return row
      ? "gmt_offset_now is NULL: the hopper never dials it"
      : "no time zone for the number (vicidial_phone_codes has no row of its country)";
  if (p.wall === null)
    return `gmt_offset_now ${fmtOffset(p.offset)} is off the hopper's grid (-12.75 … +13.00 by 0.25): never dialed`;
  const { weekday, hhmm } = wallParts(p.wall);
  const state = stateOf(ctx, row);
  const parts = [`lead-local time ${DAY_NAMES[weekday]} ${hhmmText(hhmm)} (${who})`];
  if (p.camp && !callTimeClauseOpen(p.camp, state, weekday, hhmm)) parts.push(describeClause(p.camp, state, weekday));
  if (p.list && !callTimeClauseOpen(p.list, state, weekday, hhmm))
    parts.push(`list ${describeClause(p.list, state, weekday)}`);
  if (parts.length === 1 && p.camp)
    parts.push(`outside the default window of ${p.camp.id} (required for recycled leads)`);
  return parts.join("; ");
}

function source(ctx: VerdictContext, row: LeadRowFacts | null): string {
  const c = ctx.facts.campaign.campaign!;
  const listId = listCallTimeId(ctx, row);
  return (
    `vicidial_call_times ${c.localCallTime} (vicidial_campaigns.local_call_time of ${campaignName(ctx)})` +
    (listId ? ` and ${listId} (vicidial_lists.local_call_time of list ${row!.listId})` : "")
  );
}

export function fmtOffset(o: number | null): string {
  return o === null ? "NULL" : (o >= 0 ? "+" : "") + o.toFixed(2);
}
