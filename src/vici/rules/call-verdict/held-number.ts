import { reason } from "./context";
import { DAY } from "./lead-clock";
import { CALL_REASON_TEXT } from "./reason-text";
import { CallReasonCode as C, type CallReason } from "./types";

/**
 * The reasons that hold a number whatever the campaign — DNC lists, a do-not-call status, a
 * recent call — worded once. callVerdict's rules, createLead's call guard, the outbox's
 * re-check and the imports all build them here, so they give the same codes and words.
 */

/** A DNC entry holding a number: the system list's or a campaign's, the number itself or its area-code wildcard. */
export interface DncHit {
  list: "system" | "campaign";
  campaignId: string | null;
  /** As stored: national digits, or 3 digits + XXXXXXX. */
  entry: string;
}

export function isAreaCodeEntry(entry: string): boolean {
  return /^[0-9]{3}XXXXXXX$/.test(entry);
}

export function systemDncDetail(exact: boolean, wildcard: string): string {
  return exact ? "the number is on the system DNC list" : `its area code is on the system DNC list (${wildcard})`;
}

export function campaignDncDetail(list: string, exact: boolean, wildcard: string): string {
  return exact
    ? `the number is on campaign ${list}'s DNC list`
    : `its area code is on campaign ${list}'s DNC list (${wildcard})`;
}

export function dncStatusDetail(rows: readonly { leadId: number; status: string | null }[]): string {
  return rows.length
    ? rows.map((r) => `Vici lead ${r.leadId} has do-not-call status ${r.status}`).join("; ")
    : "a Vici row of the number has a do-not-call status";
}

export const DNC_STATUS_SOURCE =
  "vicidial_statuses / vicidial_campaign_statuses dnc=Y (ours: the hopper only skips statuses it does not dial)";

/** The recent-call reason: lifts when the last call is `days` × 24 h old. */
export function recentCallReason(last: Date, days: number): CallReason {
  return reason(
    C.RECENTLY_CALLED,
    `last called ${last.toISOString()}, less than ${days} days ago`,
    `RECENT_CALL_DAYS=${days} (ours), latest vicidial_log.call_date of every Vici row of the number`,
    last.getTime() + days * DAY,
  );
}

/**
 * DNC reasons outside a campaign's settings (a create, an import): Brain's do-not-call is not
 * per campaign, so every list the number's rows touch counts, wildcards included — the
 * strictest reading of the hopper's.
 */
export function dncListReasons(hits: readonly DncHit[]): CallReason[] {
  const out: CallReason[] = [];
  const system = hits.filter((h) => h.list === "system");
  if (system.length) {
    const exact = system.find((h) => !isAreaCodeEntry(h.entry));
    out.push(
      reason(
        C.DNC_SYSTEM,
        systemDncDetail(!!exact, system[0].entry),
        "vicidial_dnc (every entry counts for Brain: its do-not-call is not per campaign)",
        null,
      ),
    );
  }
  const byCampaign = new Map<string, DncHit[]>();
  for (const h of hits.filter((x) => x.list === "campaign"))
    byCampaign.set(h.campaignId ?? "", [...(byCampaign.get(h.campaignId ?? "") ?? []), h]);
  for (const [campaign, list] of byCampaign) {
    const exact = list.find((h) => !isAreaCodeEntry(h.entry));
    out.push(
      reason(
        C.DNC_CAMPAIGN,
        campaignDncDetail(campaign, !!exact, (exact ?? list[0]).entry),
        `vicidial_campaign_dnc (${campaign}; every entry counts for Brain: its do-not-call is not per campaign)`,
        null,
      ),
    );
  }
  return out;
}

/** Brain's own do-not-call (dnc, an operator's reason): never lifts by time. */
export function brainDoNotCallReason(why: string): CallReason {
  return reason(C.BRAIN_DO_NOT_CALL, `Brain marks the lead do-not-call (${why})`, "Brain leads.do_not_call", null);
}

export function dncStatusReason(rows: readonly { leadId: number; status: string | null }[]): CallReason {
  return reason(C.DNC_STATUS, dncStatusDetail(rows), DNC_STATUS_SOURCE, null);
}

/** A reason as one line of text (createLead's reasons, an import's issue, the outbox's note): code, what holds, when it lifts. */
export function callReasonLine(r: CallReason): string {
  return `${r.code}: ${r.detail}${r.until ? ` (lifts ${r.until.toISOString()})` : ""}`;
}

/** What a code means (the README's and the GraphQL enum's words). */
export function callReasonText(code: C): string {
  return CALL_REASON_TEXT[code].text;
}
