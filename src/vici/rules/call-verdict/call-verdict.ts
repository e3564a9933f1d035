import { callCapReasons } from "./call-caps.rule";
import { callTimeReasons } from "./call-time.rule";
import { buildContext, campaignName, reason, type VerdictContext } from "./context";
import { campaignReasons, rowStateReasons } from "./dialer-state.rule";
import { dncReasons } from "./dnc.rule";
import { HORIZON_MS, MINUTE } from "./lead-clock";
import { legalHoursReasons, legalZones } from "./legal-hours.rule";
import { recentCallReasons } from "./recent-call.rule";
import {
  CallReasonCode as C,
  type CallFacts,
  type CallNote,
  type CallReason,
  type CallRules,
  type CallVerdict,
  type LeadRowFacts,
} from "./types";
import { callLimitNotes, viciCallLimitReasons } from "./vici-call-limits.rule";

/**
 * May this number be called now in this campaign, and if not, why and from when?
 *
 * COMPLIANCE reasons concern the number (DNC, Brain's do-not-call, the 30-day rule, legal and
 * state hours, our caps); DIALER reasons concern one of its Vici rows in the campaign (what
 * VICIdial's hopper checks). A number with several rows there is callable when one of them
 * is: the verdict reports the row that is, or becomes, callable first. `callableAt` is found
 * by moving the clock to the latest `until` of the reasons that hold and asking again, so an
 * opening that comes after another reason lifts (the next calling hours after the 30-day
 * window) is found too.
 */
export function callVerdict(facts: CallFacts, rules: CallRules, at: Date): CallVerdict {
  const ctx = buildContext(facts, rules);
  const t0 = at.getTime();
  const dnc = dncReasons(ctx);
  const compliance = (t: number): CallReason[] => [
    ...dnc.reasons,
    ...recentCallReasons(ctx, t),
    ...legalHoursReasons(ctx, t),
    ...callCapReasons(ctx, t),
  ];
  const campaignLevel = campaignReasons(ctx);
  const dialer = (row: LeadRowFacts | null, t: number): CallReason[] => [...campaignLevel, ...rowReasons(ctx, row, t)];

  const now = compliance(t0);
  const candidates: (LeadRowFacts | null)[] = ctx.campaignRows.length ? ctx.campaignRows : [null];
  const ranked = candidates
    .map((row) => ({
      row,
      reasons: dialer(row, t0),
      callableAt: earliest((t) => [...compliance(t), ...dialer(row, t)], t0),
    }))
    .sort(
      (a, b) =>
        (a.callableAt ?? Infinity) - (b.callableAt ?? Infinity) ||
        a.reasons.length - b.reasons.length ||
        (b.row?.leadId ?? 0) - (a.row?.leadId ?? 0),
    );
  const best = ranked[0];
  const reasons = [...now, ...best.reasons];
  return {
    at,
    callable: reasons.length === 0,
    compliant: now.length === 0,
    reasons,
    callableAt: best.callableAt === null ? null : new Date(best.callableAt),
    compliantAt: date(earliest(compliance, t0)),
    leadId: best.row?.leadId ?? null,
    notes: [...dnc.notes, ...verdictNotes(ctx)],
  };
}

/** DIALER reasons of one row of the campaign (or of a number not in it) at t. */
function rowReasons(ctx: VerdictContext, row: LeadRowFacts | null, t: number): CallReason[] {
  if (!ctx.facts.campaign.campaign) return [];
  if (!row) {
    return [
      reason(
        C.NOT_IN_CAMPAIGN,
        `the number has no lead in a list of campaign ${campaignName(ctx)}`,
        "vicidial_list / vicidial_lists.campaign_id",
        null,
      ),
      ...callTimeReasons(ctx, null, t),
    ];
  }
  return [...rowStateReasons(ctx, row, t), ...callTimeReasons(ctx, row, t), ...viciCallLimitReasons(ctx, row, t)];
}

/** The first instant ≥ from at which `check` finds no reason; null when one never lifts. */
export function earliest(check: (t: number) => CallReason[], from: number): number | null {
  let t = from;
  for (let i = 0; i < 200; i++) {
    const hits = check(t);
    if (hits.length === 0) return t;
    if (hits.some((h) => h.until === null)) return null;
    const next = Math.max(...hits.map((h) => h.until!.getTime()));
    t = next > t ? next : t + MINUTE;
    if (t > from + HORIZON_MS) return null;
  }
  return null;
}

function verdictNotes(ctx: VerdictContext): CallNote[] {
  const notes = [...callLimitNotes(ctx)];
  const c = ctx.facts.campaign.campaign;
  if (c?.listOrderMix && !/DISABLED/.test(c.listOrderMix)) {
    notes.push({
      code: "LIST_MIX_NOT_MODELED",
      detail: `campaign ${c.campaignId} dials by list mix (${c.listOrderMix}); its statuses were taken from dial_statuses`,
    });
  }
  const zones = legalZones(ctx);
  if (zones.length === 0) {
    notes.push({
      code: "LEGAL_HOURS_NOT_CHECKED",
      detail:
        "no time zone is known for the number (no phone-code row, no stored offset): the legal calling hours were not checked",
    });
  }
  if (ctx.insert?.fallback && (zones.includes(ctx.insert.zone) || ctx.campaignRows.length === 0)) {
    notes.push({ code: "ZONE_FALLBACK", detail: `unknown area code: the time zone is ${ctx.insert.zone.label}` });
  }
  return notes;
}

const date = (t: number | null) => (t === null ? null : new Date(t));
