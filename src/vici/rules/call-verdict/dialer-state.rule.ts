import { dayPair } from "./call-time";
import { campaignName, reason, type VerdictContext } from "./context";
import { DAY, HORIZON_MS, HOUR, nextOpening, sameText, wallParts } from "./lead-clock";
import { CallReasonCode as C, type CallReason, type LeadRowFacts, type RecycleRule } from "./types";

/**
 * The hopper's lead selection apart from time, DNC and the later call-count limits
 * (CALLTIMES.md §0 rows 1-3 and 5): campaign and list state, status against dial_statuses or a
 * lead-recycle rule, called_since_last_reset, call_count_limit, drop lockout, lead filter.
 */

/** Campaign-wide: it exists, is active and lets the hopper run (HOP:951, 1149). */
export function campaignReasons(ctx: VerdictContext): CallReason[] {
  const c = ctx.facts.campaign.campaign;
  const name = campaignName(ctx);
  if (!c)
    return [reason(C.CAMPAIGN_NOT_FOUND, `campaign ${name} does not exist in VICIdial`, "vicidial_campaigns", null)];
  const out: CallReason[] = [];
  if (c.active !== "Y")
    out.push(
      reason(
        C.CAMPAIGN_INACTIVE,
        `campaign ${name} is not active`,
        `vicidial_campaigns.active=${c.active ?? "NULL"}`,
        null,
      ),
    );
  if (c.noHopperDialing === "Y") {
    out.push(
      reason(
        C.CAMPAIGN_INACTIVE,
        `campaign ${name} has hopper dialing turned off`,
        "vicidial_campaigns.no_hopper_dialing=Y",
        null,
      ),
    );
  }
  return out;
}

/** The statuses of dial_statuses as the hopper parses them: " -" cut, split on single spaces, the first part dropped (HOP:1535-1560). */
export function dialStatusCodes(raw: string | null | undefined): string[] {
  const parts = (raw ?? "").replace(/ -$/, "").split(" ");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts.slice(1);
}

/** The called_since_last_reset values a recycle rule re-dials: 'Y', 'Y1' … 'Y(max−1)' (HOP:2154-2160). */
export function recycleFlags(max: number): string[] {
  const out = ["Y"];
  for (let y = 1; y < max; y++) out.push(`Y${y}`);
  return out;
}

/** The active recycle rule that re-dials this row now, if any (status and flag match). */
export function recycleRuleFor(ctx: VerdictContext, row: LeadRowFacts): RecycleRule | null {
  const csl = row.calledSinceLastReset;
  if (csl === null) return null;
  return (
    ctx.facts.campaign.recycle.find(
      (r) => sameText(r.status, row.status) && recycleFlags(r.attemptMaximum).some((f) => sameText(f, csl)),
    ) ?? null
  );
}

/** Selected through dial_statuses (the main lead select) rather than a recycle rule. */
export function onMainPath(ctx: VerdictContext, row: LeadRowFacts): boolean {
  const c = ctx.facts.campaign.campaign;
  return (
    sameText(row.calledSinceLastReset, "N") &&
    !!c &&
    dialStatusCodes(c.dialStatuses).some((s) => sameText(s, row.status))
  );
}

/** Reasons about one row of the campaign at t (list, status, flags, counts, lockout, filter). */
export function rowStateReasons(ctx: VerdictContext, row: LeadRowFacts, t: number): CallReason[] {
  const c = ctx.facts.campaign.campaign;
  if (!c) return [];
  const out: CallReason[] = [];
  const list = row.list!;
  const id = row.leadId;
  const listSource = `vicidial_lists ${list.listId}`;

  if (list.active !== "Y")
    out.push(reason(C.LIST_INACTIVE, `list ${list.listId} is not active`, `${listSource}.active`, null, id));
  const today = ctx.clock.date(t);
  if (list.expirationDate === null || list.expirationDate < today) {
    out.push(
      reason(
        C.LIST_EXPIRED,
        list.expirationDate === null
          ? `list ${list.listId} has no expiration date`
          : `list ${list.listId} expired on ${list.expirationDate}`,
        `${listSource}.expiration_date (compared with the server's date)`,
        null,
        id,
      ),
    );
  }

  if (!onMainPath(ctx, row)) {
    const recycle = recycleRuleFor(ctx, row);
    if (recycle) {
      const r = recycleReason(ctx, row, recycle, t);
      if (r) out.push(r);
    } else {
      const statuses = dialStatusCodes(c.dialStatuses);
      if (!statuses.some((s) => sameText(s, row.status))) {
        out.push(
          reason(
            C.STATUS_NOT_DIALABLE,
            `status ${row.status ?? "NULL"} is not one the campaign dials (${statuses.join(" ") || "none"})`,
            `vicidial_campaigns.dial_statuses (${campaignName(ctx)})`,
            null,
            id,
          ),
        );
      }
      if (!sameText(row.calledSinceLastReset, "N")) out.push(calledSinceResetReason(ctx, row, t));
    }
  }

  if (c.callCountLimit > 0 && row.calledCount >= c.callCountLimit) {
    out.push(
      reason(
        C.CALL_COUNT_LIMIT,
        `dialed ${row.calledCount} times, the campaign's lifetime limit is ${c.callCountLimit}`,
        "vicidial_campaigns.call_count_limit",
        null,
        id,
      ),
    );
  }
  const lockout = dropLockoutUntil(ctx, row, t);
  if (lockout !== null) {
    out.push(
      reason(
        C.DROP_LOCKOUT,
        `a dropped call (${row.status}) is held back ${c.dropLockoutHours} h after its last call`,
        "vicidial_campaigns.drop_lockout_time",
        lockout,
        id,
      ),
    );
  }
  if (row.passesLeadFilter === false) {
    const error = ctx.facts.campaign.leadFilterError;
    const detail = error
      ? `the campaign's lead filter ${c.leadFilterId} fails in the database, so the hopper loads no lead (${error})`
      : `the campaign's lead filter ${c.leadFilterId} excludes the lead`;
    out.push(reason(C.LEAD_FILTER, detail, "vicidial_lead_filters.lead_filter_sql", null, id));
  }
  return out;
}

function calledSinceResetReason(ctx: VerdictContext, row: LeadRowFacts, t: number): CallReason {
  const csl = row.calledSinceLastReset ?? "NULL";
  if (sameText(csl, "D")) {
    // Held by the 24-hour limit: an hourly job puts it back to N once modify_date is an hour old
    // (HOP:1268-1287); the 24-hour rule itself says when the count allows a call again.
    const back = row.modifyDate ? Math.max(t, row.modifyDate.getTime() + HOUR) : t + HOUR;
    return reason(
      C.CALL_LIMIT_24H,
      "held by VICIdial's 24-hour called-count limit (called_since_last_reset=D) until its hourly reset",
      "vicidial_list.called_since_last_reset=D",
      back,
      row.leadId,
    );
  }
  return reason(
    C.CALLED_SINCE_RESET,
    `already dialed since the list was last reset (called_since_last_reset=${csl}); waits for a list reset`,
    "vicidial_list.called_since_last_reset",
    null,
    row.leadId,
  );
}

/** Until when a DROP/XDROP row is locked out: last_local_call_time < NOW() − N h (server clock, HOP:2840-2848); null = not locked. */
export function dropLockoutUntil(ctx: VerdictContext, row: LeadRowFacts, t: number): number | null {
  const hours = ctx.facts.campaign.campaign?.dropLockoutHours ?? 0;
  if (!(hours > 0) || !["DROP", "XDROP"].some((s) => sameText(s, row.status)) || !row.lastLocalCallTime) return null;
  const last = wallOf(row.lastLocalCallTime);
  if (last < ctx.clock.wallMs(t) - hours * HOUR) return null;
  return ctx.clock.instantOfWall(last + hours * HOUR) + 1000;
}

/**
 * A recycled row waits until its lead-local "now − attempt_delay" passes last_local_call_time,
 * skipping the no-call gap of the campaign's call time (HOP:1679-1838, 2150-2211).
 */
function recycleReason(ctx: VerdictContext, row: LeadRowFacts, rule: RecycleRule, t: number): CallReason | null {
  if (recycleReady(ctx, row, rule, t)) return null;
  const detail = `status ${row.status} is re-dialed ${rule.attemptDelay} s after the last call (lead recycling, ${row.calledSinceLastReset})`;
  const source = `vicidial_lead_recycle (${campaignName(ctx)}, ${rule.status})`;
  if (!row.lastLocalCallTime)
    return reason(C.RECYCLE_DELAY, `${detail}; the lead has no last_local_call_time`, source, null, row.leadId);
  const lastWall = wallOf(row.lastLocalCallTime);
  const until = nextOpening(t, HORIZON_MS, (x) => {
    if (recycleReady(ctx, row, rule, x)) return { open: true, next: x };
    const p = ctx.offsetAt(row, x) ?? 0;
    const first = lastWall - p * HOUR + rule.attemptDelay * 1000 + 1000;
    const candidates = [
      first,
      first + recycleGap(ctx, x).gapMs,
      ctx.clock.nextMidnight(x),
      ctx.clock.nextCronRun(x),
    ].filter((c) => c > x);
    return { open: false, next: Math.min(...candidates) };
  });
  return reason(C.RECYCLE_DELAY, detail, source, until, row.leadId);
}

export function recycleReady(ctx: VerdictContext, row: LeadRowFacts, rule: RecycleRule, t: number): boolean {
  const p = ctx.offsetAt(row, t);
  if (p === null || !row.lastLocalCallTime) return false;
  const std = ctx.clock.stdOffsetMs(t);
  const localGmt = std + (ctx.clock.offsetMs(t) !== std ? HOUR : 0);
  let target = t - (localGmt - p * HOUR) - rule.attemptDelay * 1000;
  const gap = recycleGap(ctx, t);
  const hhmm = wallParts(ctx.clock.wallMs(target)).hhmm;
  if (hhmm < gap.begin || hhmm > gap.end) target -= gap.gapMs;
  return wallOf(row.lastLocalCallTime) < Math.floor(ctx.clock.wallMs(target) / 1000) * 1000;
}

/** Today's start and the last calling day's stop of the campaign's call time, and the no-call gap between them (server weekdays). */
function recycleGap(ctx: VerdictContext, t: number): { begin: number; end: number; gapMs: number } {
  const c = ctx.facts.campaign.campaign!;
  const resolved = ctx.callTime(c.localCallTime, ctx.clock.date(t), "campaign");
  const today = wallParts(ctx.clock.wallMs(t)).weekday;
  const begin = dayPair(resolved.windows, today).start;
  let back = 0;
  let day = (today + 6) % 7;
  // A closed day (start > 2399) before today is skipped, at most once more (HOP:1720-1790).
  if ((resolved.windows.days[day]?.start ?? 0) > 2399) {
    back = DAY;
    day = (day + 6) % 7;
  }
  const end = dayPair(resolved.windows, day).stop;
  const h = (v: number) => Math.floor(v / 100);
  const m = (v: number) => v % 100;
  const gapSeconds = (24 - h(end) + h(begin)) * 3600 + m(begin) * 60 - m(end) * 60;
  return { begin, end, gapMs: gapSeconds * 1000 + back };
}

/** A DATETIME wall-clock string as the UTC fields of a millisecond count. */
export function wallOf(datetime: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d))?/.exec(datetime);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}
