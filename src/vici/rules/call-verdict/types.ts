/**
 * The call-eligibility engine's inputs and output: "may this number be called now in this
 * campaign, and if not, why and from when?". The facts are what VICIdial (and Brain) hold,
 * read by src/vici/db/call-facts.reader.ts; the rules are our own settings; callVerdict()
 * is a pure function of both and an instant.
 */

/** COMPLIANCE: may this number be called at all now. DIALER: would VICIdial's hopper load the lead now. */
export type CallReasonKind = "COMPLIANCE" | "DIALER";

export enum CallReasonCode {
  // COMPLIANCE
  /** Brain's own do-not-call (an operator's or a DNC mirrored at create): never lifts. */
  BRAIN_DO_NOT_CALL = "BRAIN_DO_NOT_CALL",
  /** vicidial_dnc holds the number (or its area code), and the campaign checks it (use_internal_dnc). */
  DNC_SYSTEM = "DNC_SYSTEM",
  /** The campaign's DNC list (or use_other_campaign_dnc's) holds it (use_campaign_dnc). */
  DNC_CAMPAIGN = "DNC_CAMPAIGN",
  /** A Vici row of the number has a status flagged dnc (a do-not-call disposition). Ours: the hopper only skips it. */
  DNC_STATUS = "DNC_STATUS",
  /** Called less than RECENT_CALL_DAYS ago (any Vici row of the number). Ours. */
  RECENTLY_CALLED = "RECENTLY_CALLED",
  /** Outside 08:00–21:00 at the called party's location (47 CFR 64.1200(c)(1)); no setting widens it. */
  LEGAL_HOURS = "LEGAL_HOURS",
  /** Outside a state's calling window from the rule file. Ours. */
  STATE_HOURS = "STATE_HOURS",
  /** A per-number call cap from the rule file is reached (calls in vicidial_log). Ours. */
  CALL_CAP = "CALL_CAP",
  // DIALER (VICIdial's hopper, CALLTIMES.md §0)
  CAMPAIGN_NOT_FOUND = "CAMPAIGN_NOT_FOUND",
  /** Campaign not active, or no_hopper_dialing. */
  CAMPAIGN_INACTIVE = "CAMPAIGN_INACTIVE",
  /** No row of the number in a list of the campaign: the hopper has nothing to load. */
  NOT_IN_CAMPAIGN = "NOT_IN_CAMPAIGN",
  LIST_INACTIVE = "LIST_INACTIVE",
  LIST_EXPIRED = "LIST_EXPIRED",
  /** Status not in the campaign's dial_statuses (and no lead-recycle rule for it). */
  STATUS_NOT_DIALABLE = "STATUS_NOT_DIALABLE",
  /** called_since_last_reset is not N: dialed since the last list reset. */
  CALLED_SINCE_RESET = "CALLED_SINCE_RESET",
  /** A lead-recycle rule re-dials the status, but its attempt delay has not passed. */
  RECYCLE_DELAY = "RECYCLE_DELAY",
  /** called_count reached the campaign's call_count_limit. */
  CALL_COUNT_LIMIT = "CALL_COUNT_LIMIT",
  /** A DROP/XDROP lead within the campaign's drop_lockout_time. */
  DROP_LOCKOUT = "DROP_LOCKOUT",
  /** The campaign's lead filter excludes the lead. */
  LEAD_FILTER = "LEAD_FILTER",
  /** Outside the campaign's (or list's) call time, with state rules and holidays, in the lead's gmt_offset_now. */
  CALL_TIME = "CALL_TIME",
  /** VICIdial's daily called-count limit (per lead, or per phone system-wide) is reached. */
  DAILY_CALL_LIMIT = "DAILY_CALL_LIMIT",
  /** VICIdial's rolling 24-hour called-count limit is reached (or the lead is held by it). */
  CALL_LIMIT_24H = "CALL_LIMIT_24H",
}

export const COMPLIANCE_CODES: ReadonlySet<CallReasonCode> = new Set([
  CallReasonCode.BRAIN_DO_NOT_CALL,
  CallReasonCode.DNC_SYSTEM,
  CallReasonCode.DNC_CAMPAIGN,
  CallReasonCode.DNC_STATUS,
  CallReasonCode.RECENTLY_CALLED,
  CallReasonCode.LEGAL_HOURS,
  CallReasonCode.STATE_HOURS,
  CallReasonCode.CALL_CAP,
]);

export interface CallReason {
  code: CallReasonCode;
  kind: CallReasonKind;
  /** What holds, in words (never a full phone number). */
  detail: string;
  /** Where the rule comes from: the VICIdial table/setting, our setting, or the rule file's citation. */
  source: string;
  /** When this reason lifts, as far as the facts tell (null = never, or not by time alone). */
  until: Date | null;
  /** The Vici row a DIALER reason is about. */
  leadId: number | null;
}

/** A rule that was not (fully) checked, or a remark that blocks nothing. */
export interface CallNote {
  code: string;
  detail: string;
}

export interface CallVerdict {
  at: Date;
  /** No reason at all: compliant, and VICIdial's hopper would load one of the number's rows in the campaign now. */
  callable: boolean;
  /** No COMPLIANCE reason. */
  compliant: boolean;
  reasons: CallReason[];
  /** Earliest instant ≥ at at which every reason has lifted (null = never, as far as the facts tell). */
  callableAt: Date | null;
  /** Earliest instant ≥ at at which every COMPLIANCE reason has lifted. */
  compliantAt: Date | null;
  /** The Vici row the DIALER reasons are about: the row that is (or becomes) callable first. */
  leadId: number | null;
  notes: CallNote[];
}

// ---------------------------------------------------------------------------------------------
// Facts

/** One weekday's (or the default) window, HHMM integers as VICIdial stores them. */
export interface HhmmPair {
  start: number;
  stop: number;
}

/** A vicidial_call_times row (the fields the hopper reads). */
export interface CallTimeDef {
  id: string;
  name: string;
  default: HhmmPair;
  /** Sunday … Saturday. */
  days: HhmmPair[];
  /** Raw ct_state_call_times ('|rule|rule|'). */
  stateCallTimes: string;
  /** Raw ct_holidays ('|holiday|...|'). */
  holidays: string;
}

/** A vicidial_state_call_times row. */
export interface StateCallTimeDef {
  id: string;
  state: string;
  /** state_call_time_comments: a list-level holiday reads it as a start time (VICIdial quirk, HOP:2083-2098). */
  comments: string;
  default: HhmmPair;
  days: HhmmPair[];
  holidays: string;
}

export interface HolidayDef {
  id: string;
  name: string;
  /** 'YYYY-MM-DD' (server date) or null. */
  date: string | null;
  status: string | null;
  start: number;
  stop: number;
}

export interface ListFacts {
  listId: number;
  campaignId: string | null;
  active: string | null;
  /** 'YYYY-MM-DD' or null. */
  expirationDate: string | null;
  /** 'campaign' or a call_time_id. */
  localCallTime: string;
  timeZoneSetting: string | null;
}

/** vicidial_phone_codes row (reader keeps the server's row order: it matters, CALLTIMES.md §1). */
export interface PhoneCodeRow {
  countryCode: string;
  country: string | null;
  areacode: string;
  state: string | null;
  /** Standard offset in hours (GMT_offset), null when unreadable. */
  gmtOffset: number | null;
  dstRange: string | null;
}

export interface RecycleRule {
  status: string;
  /** Seconds. */
  attemptDelay: number;
  attemptMaximum: number;
}

/** 24-hour limit settings of the campaign (later VICIdial; null when the server lacks the columns). */
export interface Limit24hSettings {
  method: string;
  scope: string;
  limit: number;
  override: string;
}

export interface CampaignRow {
  campaignId: string;
  active: string | null;
  noHopperDialing: string | null;
  /** Raw dial_statuses, e.g. ' NEW NA -'. */
  dialStatuses: string;
  localCallTime: string;
  useInternalDnc: string;
  useCampaignDnc: string;
  useOtherCampaignDnc: string;
  callCountLimit: number;
  /** drop_lockout_time, hours (may be fractional); 0 = off. */
  dropLockoutHours: number;
  leadFilterId: string | null;
  listOrderMix: string | null;
  /** Later columns; null when the server lacks them. */
  dailyCallCountLimit: number | null;
  dailyLimitManual: string | null;
  dailyPhoneNumberCallLimit: number | null;
  limit24h: Limit24hSettings | null;
}

/** Which later tables and switches this VICIdial has (checked in information_schema). */
export interface ViciCapabilities {
  leadCallDailyCounts: boolean;
  phoneNumberCallDailyCounts: boolean;
  lead24hourCalls: boolean;
  /** system_settings switches: true/false when readable, null when the server has no such column. */
  systemDailyCallCountLimit: boolean | null;
  systemCallLimit24h: boolean | null;
}

/** Everything about the campaign, shared by all numbers of one request. */
export interface CampaignFacts {
  /** The campaign id as asked. */
  campaignId: string;
  /** IANA zone of the VICIdial server (VICI_TIMEZONE): its clock, dates and DATETIMEs. */
  serverTimeZone: string;
  /** When the facts were read: offsets stored then are VICIdial's until its time-zone cron runs again. */
  readAt: Date;
  campaign: CampaignRow | null;
  /** Lists of the campaign. */
  lists: ListFacts[];
  callTimes: Record<string, CallTimeDef>;
  stateCallTimes: Record<string, StateCallTimeDef>;
  holidays: Record<string, HolidayDef>;
  recycle: RecycleRule[];
  /** Status codes flagged dnc='Y': system ones under null, campaign ones under their campaign (lower case). */
  dncStatuses: { system: Record<string, boolean>; campaign: Record<string, Record<string, boolean>> };
  /** vicidial_phone_codes rows by country code, in the server's order. */
  phoneCodes: Record<string, PhoneCodeRow[]>;
  capabilities: ViciCapabilities;
  /** container_entry of the campaign's CALL_LIMITS_OVERRIDE container, when set and found. */
  limit24hOverride: string | null;
  /** The campaign's lead filter SQL failed in MariaDB (then the hopper loads nothing); null = fine or none. */
  leadFilterError?: string | null;
}

/** One vicidial_list row of the number (any list, any campaign). */
export interface LeadRowFacts {
  leadId: number;
  listId: number;
  /** The list's row (LEFT JOIN): null when the list does not exist. */
  list: ListFacts | null;
  status: string | null;
  calledSinceLastReset: string | null;
  calledCount: number;
  /** Hours, DST included; null = NULL in VICIdial (never dialable). */
  gmtOffsetNow: number | null;
  state: string | null;
  postalCode: string | null;
  phoneCode: string;
  /** As stored (national digits, or with the country code glued on). */
  phoneNumber: string;
  /** Lead-local wall clock 'YYYY-MM-DD HH:MM:SS', or null. */
  lastLocalCallTime: string | null;
  modifyDate: Date | null;
  /** The campaign's lead filter: true/false for rows of the campaign, null when there is none. */
  passesLeadFilter: boolean | null;
  /** vicidial_lead_call_daily_counts (null when absent or no row). */
  dailyCounts: { total: number; auto: number } | null;
}

/** A vicidial_lead_24hour_calls row. */
export interface Call24h {
  leadId: number;
  listId: number;
  phoneNumber: string;
  phoneCode: string;
  /** Server wall clock 'YYYY-MM-DD HH:MM:SS'. */
  callDate: string;
}

/** Everything about one number. */
export interface NumberFacts {
  /** E.164. */
  phone: string;
  phoneCode: string;
  /** National digits. */
  phoneNumber: string;
  rows: LeadRowFacts[];
  /** DNC entries found for the number (exact and area-code wildcard): system list, and campaign lists by campaign. */
  dnc: { system: string[]; campaign: { campaignId: string; entry: string }[] };
  /** Latest vicidial_log call over every row of the number (the recency fact). */
  lastCallAt: Date | null;
  /** vicidial_log calls of every row of the number within the longest cap window before the verdict. */
  recentCalls: Date[];
  /** vicidial_lead_24hour_calls of the number or its rows; null when the server lacks the table. */
  calls24h: Call24h[] | null;
  /** vicidial_phone_number_call_daily_counts by stored phone_number; null when absent. */
  phoneDailyCounts: Record<string, number> | null;
  /** vicidial_postal_codes state by 5-digit postal code (only for the 24-hour override's postcode methods). */
  postalStates: Record<string, string>;
  /** Brain's own do-not-call, when set for another reason than a recent call (that one is recomputed). */
  brainDoNotCall: { reason: string } | null;
}

export interface CallFacts {
  campaign: CampaignFacts;
  number: NumberFacts;
}

// ---------------------------------------------------------------------------------------------
// Rules (our settings)

export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";

/** Calling allowed from start to end (minutes of the day) on the listed days. */
export interface HoursWindow {
  days: Weekday[];
  /** Minutes after midnight, inclusive. */
  start: number;
  /** Minutes after midnight, exclusive (1440 = midnight). */
  end: number;
}

export interface StateWindowRule {
  id: string;
  states: string[];
  /** Outside every window (a day without one included) no call. */
  hours: HoursWindow[];
  citation: string;
}

export interface CallCapRule {
  id: string;
  /** Empty = every number. */
  states: string[];
  maxCalls: number;
  /** The rolling window, hours. */
  hours: number;
  citation: string;
}

export interface CallRules {
  /** RECENT_CALL_DAYS. */
  recentCallDays: number;
  stateWindows: StateWindowRule[];
  callCaps: CallCapRule[];
}
