import { resolveCallTime, type ResolvedCallTime } from "./call-time";
import { cronZone, insertZone, ServerClock, viciZoneOffset, type PhoneZone } from "./lead-clock";
import type { CallFacts, CallReason, CallReasonCode, CallRules, LeadRowFacts, PhoneCodeRow } from "./types";
import { COMPLIANCE_CODES } from "./types";

/**
 * What every rule of one verdict shares: the facts, our rules, the server clock and cached
 * derivations (call times per server date, predicted offsets). Built once per verdict.
 */
export interface VerdictContext {
  facts: CallFacts;
  rules: CallRules;
  clock: ServerClock;
  readAt: number;
  /** Phone-code rows of the number's country, in the server's order. */
  phoneCodes: PhoneCodeRow[];
  /** Rows of the number in lists of the campaign. */
  campaignRows: LeadRowFacts[];
  /** The zone add_lead would give the number now (area code, or the country's first row). */
  insert: { zone: PhoneZone; fallback: boolean } | null;
  /** A call time on a server date (memoised). */
  callTime(id: string, serverDate: string, level: "campaign" | "list"): ResolvedCallTime;
  /** The gmt_offset_now VICIdial will hold for a row at t (null = NULL or no zone for a new number). */
  offsetAt(row: LeadRowFacts | null, t: number): number | null;
  /** Whether a row's offset at t may differ from the stored one (a time-zone cron run in between). */
  offsetPredicted(row: LeadRowFacts | null, t: number): boolean;
  /** A value derived from the facts alone, computed once per verdict. */
  once<T>(key: string, compute: () => T): T;
}

export function buildContext(facts: CallFacts, rules: CallRules): VerdictContext {
  const c = facts.campaign;
  const clock = ServerClock.of(c.serverTimeZone);
  const readAt = c.readAt.getTime();
  const phoneCodes = c.phoneCodes[facts.number.phoneCode] ?? [];
  const campaignId = c.campaign?.campaignId ?? c.campaignId;
  const campaignRows = facts.number.rows.filter(
    (r) => r.list?.campaignId && r.list.campaignId.toLowerCase() === campaignId.toLowerCase(),
  );
  const insert = insertZone(phoneCodes, facts.number.phoneCode, facts.number.phoneNumber);

  const callTimes = new Map<string, ResolvedCallTime>();
  const memo = new Map<string, unknown>();
  const cronZones = new Map<number, PhoneZone | null>();
  const rowZone = (row: LeadRowFacts): PhoneZone | null => {
    // The area-code pass rewrites every lead; lists set to another method are rewritten again
    // by passes this engine does not model, so their stored offset is kept.
    const setting = row.list?.timeZoneSetting ?? "COUNTRY_AND_AREA_CODE";
    if (setting !== "COUNTRY_AND_AREA_CODE") return null;
    if (!cronZones.has(row.leadId)) cronZones.set(row.leadId, cronZone(phoneCodes, row));
    return cronZones.get(row.leadId)!;
  };

  return {
    facts,
    rules,
    clock,
    readAt,
    phoneCodes,
    campaignRows,
    insert,
    callTime(id, serverDate, level) {
      const key = `${level}\u0000${id}\u0000${serverDate}`;
      let r = callTimes.get(key);
      if (!r) callTimes.set(key, (r = resolveCallTime(id, c, serverDate, level)));
      return r;
    },
    offsetAt(row, t) {
      if (!row) return insert ? viciZoneOffset(insert.zone, t, clock) : null;
      const run = clock.lastCronRun(t);
      if (run <= readAt) return row.gmtOffsetNow;
      const zone = rowZone(row);
      return zone ? viciZoneOffset(zone, run, clock) : row.gmtOffsetNow;
    },
    once<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
    offsetPredicted(row, t) {
      return row === null || (clock.lastCronRun(t) > readAt && rowZone(row) !== null);
    },
  };
}

export function reason(
  code: CallReasonCode,
  detail: string,
  source: string,
  until: number | Date | null,
  leadId: number | null = null,
): CallReason {
  return {
    code,
    kind: COMPLIANCE_CODES.has(code) ? "COMPLIANCE" : "DIALER",
    detail,
    source,
    until: until === null ? null : new Date(until),
    leadId,
  };
}

/** The campaign's id as VICIdial spells it (or as asked, when it does not exist). */
export function campaignName(ctx: VerdictContext): string {
  return ctx.facts.campaign.campaign?.campaignId ?? ctx.facts.campaign.campaignId;
}
