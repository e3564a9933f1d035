import { CallReasonCode as C } from "./types";

/**
 * Whose rule a reason applies: VICIdial's hopper (what it would do itself), the law's floor
 * built into the engine, or ours (Brain, RECENT_CALL_DAYS, the rule file) — stricter than
 * VICIdial, never wider.
 */
export type CallRuleOrigin = "VICIDIAL" | "LAW" | "OURS";

/**
 * Every reason code in words: the one text the API (GraphQL enum descriptions), the CLI and
 * the README show. A reason's `detail` says what holds for this number; this says what the
 * code means.
 */
export const CALL_REASON_TEXT: Record<C, { text: string; origin: CallRuleOrigin }> = {
  [C.BRAIN_DO_NOT_CALL]: {
    origin: "OURS",
    text: "Brain marks the lead do-not-call (an operator, or a DNC found when it was created); it never lifts by time.",
  },
  [C.DNC_SYSTEM]: {
    origin: "VICIDIAL",
    text: "The number is on VICIdial's system DNC list (vicidial_dnc) — or its area code is, where the campaign checks area codes (use_internal_dnc=AREACODE).",
  },
  [C.DNC_CAMPAIGN]: {
    origin: "VICIDIAL",
    text: "The number (or, with use_campaign_dnc=AREACODE, its area code) is on the campaign's DNC list (vicidial_campaign_dnc, or use_other_campaign_dnc's).",
  },
  [C.DNC_STATUS]: {
    origin: "OURS",
    text: "A Vici row of the number has a do-not-call status (dnc=Y). VICIdial's hopper merely skips statuses it does not dial; we hold the number.",
  },
  [C.RECENTLY_CALLED]: {
    origin: "OURS",
    text: "Called less than RECENT_CALL_DAYS ago (the number's last call: over every Vici row of it, and its dials as another lead's alternate phone); lifts when that call is RECENT_CALL_DAYS old.",
  },
  [C.LEGAL_HOURS]: {
    origin: "LAW",
    text: "Outside 08:00–21:00 at the called party's location (47 CFR 64.1200(c)(1), TCPA). Built in: no setting widens it.",
  },
  [C.STATE_HOURS]: { origin: "OURS", text: "Outside a state's calling window from the rule file (CALL_RULES_FILE)." },
  [C.CALL_CAP]: {
    origin: "OURS",
    text: "A per-number call cap from the rule file is reached (calls in vicidial_log over every Vici row of the number).",
  },
  [C.CAMPAIGN_NOT_FOUND]: { origin: "VICIDIAL", text: "The campaign does not exist in VICIdial." },
  [C.CAMPAIGN_INACTIVE]: {
    origin: "VICIDIAL",
    text: "The campaign is not active, or its hopper dialing is turned off (no_hopper_dialing).",
  },
  [C.NOT_IN_CAMPAIGN]: {
    origin: "VICIDIAL",
    text: "No Vici row of the number is in a list of the campaign: the hopper has nothing to load.",
  },
  [C.LIST_INACTIVE]: { origin: "VICIDIAL", text: "The lead's list is not active." },
  [C.LIST_EXPIRED]: {
    origin: "VICIDIAL",
    text: "The lead's list has expired (expiration_date before the server's date).",
  },
  [C.STATUS_NOT_DIALABLE]: {
    origin: "VICIDIAL",
    text: "The lead's status is not in the campaign's dial_statuses, and no lead-recycle rule re-dials it.",
  },
  [C.CALLED_SINCE_RESET]: {
    origin: "VICIDIAL",
    text: "Dialed since its list was last reset (called_since_last_reset is not N).",
  },
  [C.RECYCLE_DELAY]: {
    origin: "VICIDIAL",
    text: "A lead-recycle rule re-dials the status, but its attempt delay has not passed yet.",
  },
  [C.CALL_COUNT_LIMIT]: {
    origin: "VICIDIAL",
    text: "The lead's called_count reached the campaign's call_count_limit.",
  },
  [C.DROP_LOCKOUT]: {
    origin: "VICIDIAL",
    text: "A dropped call (DROP/XDROP) within the campaign's drop_lockout_time.",
  },
  [C.LEAD_FILTER]: {
    origin: "VICIDIAL",
    text: "The campaign's lead filter excludes the lead (or its SQL fails, and then the hopper loads nothing).",
  },
  [C.CALL_TIME]: {
    origin: "VICIDIAL",
    text: "Outside the campaign's call time — with its state rules and holidays, and the list's own call time — at the lead's gmt_offset_now, as the hopper reckons it.",
  },
  [C.DAILY_CALL_LIMIT]: {
    origin: "VICIDIAL",
    text: "VICIdial's daily call-count limit (per lead, or per number system-wide) is reached; newer VICIdial only.",
  },
  [C.CALL_LIMIT_24H]: {
    origin: "VICIDIAL",
    text: "VICIdial's rolling 24-hour call-count limit is reached; newer VICIdial only.",
  },
};
