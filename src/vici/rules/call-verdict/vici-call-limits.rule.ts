import { campaignName, reason, type VerdictContext } from "./context";
import { sameText } from "./lead-clock";
import { wallOf } from "./dialer-state.rule";
import { CallReasonCode as C, type Call24h, type CallNote, type CallReason, type LeadRowFacts } from "./types";

/**
 * The call-count limits of later VICIdial versions (CALLTIMES.md §4.2; r3939 HOP:3533-3602,
 * 3753-3937): the daily limits per lead and per phone number, and the rolling 24-hour limit with
 * its state overrides. Each needs its table, which a server may lack: then it is skipped, and a
 * note says so.
 */

const DAY_MS = 86_400_000;

/** Notes for the later limits this VICIdial cannot apply (missing tables, unknown system switches). */
export function callLimitNotes(ctx: VerdictContext): CallNote[] {
  const caps = ctx.facts.campaign.capabilities;
  const c = ctx.facts.campaign.campaign;
  const out: CallNote[] = [];
  if (!caps.lead24hourCalls) {
    out.push({
      code: "CALL_LIMIT_24H_NOT_CHECKED",
      detail:
        "VICIdial's 24-hour called-count limit was not checked: this server has no vicidial_lead_24hour_calls (db_schema_version before 1639)",
    });
  }
  if (!caps.leadCallDailyCounts) {
    out.push({
      code: "DAILY_CALL_LIMIT_NOT_CHECKED",
      detail:
        "VICIdial's daily called-count limit was not checked: this server has no vicidial_lead_call_daily_counts (db_schema_version before 1612)",
    });
  }
  if (!caps.phoneNumberCallDailyCounts) {
    out.push({
      code: "DAILY_PHONE_LIMIT_NOT_CHECKED",
      detail:
        "VICIdial's system-wide daily phone-number limit was not checked: this server has no vicidial_phone_number_call_daily_counts (db_schema_version before 1702)",
    });
  }
  const uses24h = caps.lead24hourCalls && c?.limit24h && /PHONE_NUMBER|LEAD/.test(c.limit24h.method);
  if (uses24h && caps.systemCallLimit24h === null) {
    out.push({
      code: "SYSTEM_SETTING_UNKNOWN",
      detail: "system_settings.call_limit_24hour could not be read: the 24-hour limit is applied as if enabled",
    });
  }
  const usesDaily = (c?.dailyCallCountLimit ?? 0) > 0 || (c?.dailyPhoneNumberCallLimit ?? 0) > 0;
  if (usesDaily && caps.systemDailyCallCountLimit === null) {
    out.push({
      code: "SYSTEM_SETTING_UNKNOWN",
      detail: "system_settings.daily_call_count_limit could not be read: the daily limits are applied as if enabled",
    });
  }
  return out;
}

export function viciCallLimitReasons(ctx: VerdictContext, row: LeadRowFacts, t: number): CallReason[] {
  const c = ctx.facts.campaign.campaign;
  const caps = ctx.facts.campaign.capabilities;
  if (!c) return [];
  const out: CallReason[] = [];
  const dailyOn = caps.systemDailyCallCountLimit !== false;

  const leadLimit = c.dailyCallCountLimit ?? 0;
  if (dailyOn && leadLimit > 0 && caps.leadCallDailyCounts && row.dailyCounts) {
    const counted = /COUNT/.test(c.dailyLimitManual ?? "") ? row.dailyCounts.total : row.dailyCounts.auto;
    if (counted >= leadLimit) {
      out.push(
        reason(
          C.DAILY_CALL_LIMIT,
          `dialed ${counted} times today, the campaign's daily limit is ${leadLimit}; VICIdial then holds the lead until a list reset`,
          "vicidial_campaigns.daily_call_count_limit, vicidial_lead_call_daily_counts",
          null,
          row.leadId,
        ),
      );
    }
  }
  const phoneLimit = c.dailyPhoneNumberCallLimit ?? 0;
  if (dailyOn && phoneLimit > 0 && caps.phoneNumberCallDailyCounts) {
    const counted = ctx.facts.number.phoneDailyCounts?.[row.phoneNumber] ?? 0;
    if (counted >= phoneLimit) {
      out.push(
        reason(
          C.DAILY_CALL_LIMIT,
          `the number was dialed ${counted} times today system-wide, the campaign's limit is ${phoneLimit}; VICIdial then holds the lead until a list reset`,
          "vicidial_campaigns.daily_phone_number_call_limit, vicidial_phone_number_call_daily_counts",
          null,
          row.leadId,
        ),
      );
    }
  }

  const s = c.limit24h;
  if (s && /PHONE_NUMBER|LEAD/.test(s.method) && caps.systemCallLimit24h !== false && caps.lead24hourCalls) {
    const hit = limit24h(ctx, row, t);
    if (hit) {
      out.push(
        reason(
          C.CALL_LIMIT_24H,
          `${hit.count} call(s) in the last 24 hours by ${s.method === "LEAD" ? "this lead" : "this number"}` +
            `${s.scope === "CAMPAIGN_LISTS" ? " in the campaign's lists" : ""}, the limit is ${hit.limit}${hit.via ? ` (${hit.via})` : ""}`,
          `vicidial_campaigns.call_limit_24hour (${campaignName(ctx)}), vicidial_lead_24hour_calls`,
          hit.until,
          row.leadId,
        ),
      );
    }
  }
  return out;
}

/** The 24-hour count and limit for a row at t; null when under the limit. */
export function limit24h(
  ctx: VerdictContext,
  row: LeadRowFacts,
  t: number,
): { count: number; limit: number; until: number; via: string | null } | null {
  const s = ctx.facts.campaign.campaign!.limit24h!;
  const scopeLists = s.scope === "CAMPAIGN_LISTS" ? new Set(ctx.facts.campaign.lists.map((l) => l.listId)) : null;
  const since = ctx.clock.wallMs(t) - DAY_MS; // call_date >= NOW() - INTERVAL 1 DAY (server clock)
  const relevant = (ctx.facts.number.calls24h ?? []).filter(
    (k: Call24h) =>
      (s.method === "LEAD"
        ? k.leadId === row.leadId
        : k.phoneNumber === row.phoneNumber && sameText(k.phoneCode, row.phoneCode)) &&
      (!scopeLists || scopeLists.has(k.listId)),
  );
  const walls = relevant
    .map((k) => wallOf(k.callDate))
    .filter((w) => w >= since)
    .sort((a, b) => b - a);
  const { limit, via } = effective24hLimit(ctx, row, s.limit);
  if (!(walls.length > 0 && walls.length >= limit)) return null;
  // Under the limit again once the limit-th most recent call (the latest one for limit 0) is a day old.
  const k = walls[Math.max(limit, 1) - 1];
  return { count: walls.length, limit, until: ctx.clock.instantOfWall(k + DAY_MS) + 1000, via };
}

/**
 * The campaign limit with its CALL_LIMITS_OVERRIDE container applied line by line as the hopper
 * does (r3939 HOP:3799-3918): a `state => COUNTRY,ST,N` line whose country and state match the
 * area code's vicidial_phone_codes row replaces the limit (even upward); postcode and lead-state
 * matches (per the container's method) only lower it.
 */
export function effective24hLimit(
  ctx: VerdictContext,
  row: LeadRowFacts,
  base: number,
): { limit: number; via: string | null } {
  const s = ctx.facts.campaign.campaign!.limit24h!;
  const entry = ctx.facts.campaign.limit24hOverride;
  if (/^DISABLED$/.test(s.override) || s.override.length === 0 || !entry || entry.length <= 2)
    return { limit: base, via: null };
  const area = ctx.phoneCodes.find((r) => r.areacode === row.phoneNumber.slice(0, 3));
  const areaState = area?.state ?? "";
  const areaCountry = area?.country ?? "";
  let limit = base;
  let via: string | null = null;
  let stateFieldMatch = false;
  let postcodeState: string | null = null;
  for (const raw of entry.split("\n")) {
    const line = raw.replace(/;.*|\r|\t/g, "").replace(/ => |=> | =>/g, "=>");
    if (line.length <= 3) continue;
    if (/^method/i.test(line)) {
      if (/state$/.test(line) && areaState !== (row.state ?? "")) stateFieldMatch = true;
      if (/postcode/.test(line) && (row.postalCode ?? "").length > 0) {
        postcodeState = ctx.facts.number.postalStates[(row.postalCode ?? "").replace(/\D/g, "").slice(0, 5)] ?? null;
      }
    } else if (/^state/i.test(line)) {
      const [country, st, n] = line.replace(/state=>/gi, "").split(",");
      if (areaCountry !== country) continue;
      const value = (n ?? "").replace(/\D/g, "");
      if (value.length === 0) continue;
      if (areaState === st) [limit, via] = [Number(value), `state ${st} override of container ${s.override}`];
      if (postcodeState !== null && postcodeState === st && Number(value) < limit)
        [limit, via] = [Number(value), `postal code in ${st}, container ${s.override}`];
      if (stateFieldMatch && row.state === st && Number(value) < limit)
        [limit, via] = [Number(value), `lead state ${st}, container ${s.override}`];
    }
  }
  return { limit, via };
}
