import type { DataSource } from "typeorm";
import type { CountryCode } from "libphonenumber-js";
import { UserInputError } from "../../errors/errors";
import { viciQuery } from "./vici-query";
import { fromViciPhone, toViciPhone } from "../rules/phone";
import { storedPhoneVariants } from "./vici-leads.reader";
import { instantToViciLocal, viciLocalToInstant } from "../rules/vici-time";
import type {
  Call24h,
  CallFacts,
  CallTimeDef,
  CampaignFacts,
  CampaignRow,
  HhmmPair,
  HolidayDef,
  LeadRowFacts,
  ListFacts,
  NumberFacts,
  PhoneCodeRow,
  RecycleRule,
  StateCallTimeDef,
  ViciCapabilities,
} from "../rules/call-verdict/types";
import { readDncEntries } from "./dnc.reader";
import { ViciUnavailableError } from "../errors";
import { NumberRowsReader } from "./number-rows.reader";

/**
 * Reads, for up to MAX_NUMBERS phones and one campaign, everything callVerdict needs from
 * VICIdial — read-only, as VICIdial's ordinary DB user, in a fixed handful of indexed
 * statements whatever the number of phones:
 *
 *   probe    information_schema: which later call-limit tables and columns exist (cached)
 *   campaign the campaign row (+ system_settings switches when the server has them)
 *   config   call times, state rules, ACTIVE holidays (small admin tables, read whole)
 *   lists    the campaign's lists, its active recycle rules, the dnc flags of statuses
 *   rows     every vicidial_list row of each number (phone_number index), with its list
 *   codes    vicidial_phone_codes of the numbers' countries (country_code index, table order)
 *   dnc      vicidial_dnc and vicidial_campaign_dnc by phone_number: readDncEntries, the DNC rule's one reader
 *   extras   the lead filter's SQL and the 24-hour override container, when the campaign names them
 *   last     each number's last call: NumberRowsReader, the recent-call rule's one reader
 *   calls    vicidial_log by lead_id: calls within the caps' window (when caps are asked)
 *   counts   the later count tables that exist (lead_id / phone_number / call_date indexes)
 *   filter   the campaign's lead filter applied to the rows (only when it has one)
 *
 * Statements of one stage run in parallel on the pool.
 */

export const MAX_NUMBERS = 1000;

const LATER_CAMPAIGN_COLUMNS = [
  "daily_call_count_limit",
  "daily_limit_manual",
  "daily_phone_number_call_limit",
  "call_limit_24hour_method",
  "call_limit_24hour_scope",
  "call_limit_24hour",
  "call_limit_24hour_override",
] as const;
const CALL_LIMIT_TABLES = [
  "vicidial_lead_call_daily_counts",
  "vicidial_lead_24hour_calls",
  "vicidial_phone_number_call_daily_counts",
];
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

export interface CallFactsRequest {
  /** E.164 numbers (at most MAX_NUMBERS). */
  phones: readonly string[];
  campaignId: string;
  /** The verdict's instant: windows of recent calls are counted back from it. Default now. */
  at?: Date;
  /** How far back to read calls for our caps (the longest cap's hours); 0 = none. */
  recentCallHours?: number;
  /** Brain's do-not-call of each number (E.164 → reason), when the caller knows it. */
  brainDoNotCall?: ReadonlyMap<string, string>;
}

export interface CallFactsBatch {
  campaign: CampaignFacts;
  /** By E.164, one per requested phone. */
  numbers: Map<string, NumberFacts>;
}

interface Schema {
  capabilities: Omit<ViciCapabilities, "systemDailyCallCountLimit" | "systemCallLimit24h">;
  laterCampaignColumns: string[];
  systemColumns: string[];
}

export class CallFactsReader {
  private schema: { at: number; value: Promise<Schema> } | null = null;
  private readonly numbers: NumberRowsReader;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: { timeZone: string; defaultRegion: CountryCode; schemaMaxAgeMs?: number },
  ) {
    this.numbers = new NumberRowsReader(ds, opts);
  }

  /** The facts of one number of a batch. */
  static factsOf(batch: CallFactsBatch, phone: string): CallFacts {
    const number = batch.numbers.get(phone);
    if (!number) throw new Error(`no facts were read for ${phone}`);
    return { campaign: batch.campaign, number };
  }

  async read(req: CallFactsRequest): Promise<CallFactsBatch> {
    const phones = [...new Set(req.phones)];
    if (phones.length > MAX_NUMBERS)
      throw new UserInputError(`at most ${MAX_NUMBERS} numbers at once (got ${phones.length})`, "phones");
    const vici = new Map(phones.map((p) => [p, toViciPhone(p)]));
    const at = req.at ?? new Date();
    const tz = this.opts.timeZone;
    const readAt = new Date();

    const schema = await this.schemaInfo();
    const stored = storedPhoneVariants(phones);
    const countries = [
      ...new Set([...vici.values()].map((v) => Number(v.phoneCode)).filter((n) => Number.isInteger(n) && n < 65536)),
    ];

    const [campaignRow, config, listsEtc, rows, phoneCodes, dnc, lastCalls] = await Promise.all([
      this.campaign(req.campaignId, schema),
      this.callTimeConfig(),
      this.campaignLists(req.campaignId),
      phones.length ? this.leadRows(stored) : Promise.resolve([]),
      countries.length ? this.phoneCodes(countries) : Promise.resolve({}),
      readDncEntries(this.ds, vici.values()),
      // The number's last call is the recent-call rule's, read by its one reader.
      this.numbers.read(phones),
    ]);
    const campaign = campaignRow?.campaign ?? null;

    const leadIds = rows.map((r) => r.row.leadId);
    const campaignLeadIds = rows
      .filter((r) => campaign && r.row.list?.campaignId?.toLowerCase() === campaign.campaignId.toLowerCase())
      .map((r) => r.row.leadId);
    const [extras, calls, counts] = await Promise.all([
      campaign ? this.extras(campaign) : Promise.resolve({ filterSql: null, container: null }),
      leadIds.length && (req.recentCallHours ?? 0) > 0
        ? this.recentCalls(leadIds, at, req.recentCallHours!)
        : Promise.resolve(new Map<number, Date[]>()),
      phones.length ? this.counts(schema, campaign, leadIds, stored, at, rows) : Promise.resolve(emptyCounts(schema)),
    ]);
    const filter =
      campaign && extras.filterSql !== null && campaignLeadIds.length
        ? await this.leadFilter(campaignLeadIds, extras.filterSql)
        : { passing: null as Set<number> | null, error: null as string | null };

    const capabilities: ViciCapabilities = {
      ...schema.capabilities,
      systemDailyCallCountLimit: campaignRow?.system.daily ?? null,
      systemCallLimit24h: campaignRow?.system.limit24h ?? null,
    };
    const campaignFacts: CampaignFacts = {
      campaignId: req.campaignId,
      serverTimeZone: tz,
      readAt,
      campaign,
      lists: listsEtc.lists,
      callTimes: config.callTimes,
      stateCallTimes: config.stateCallTimes,
      holidays: config.holidays,
      recycle: listsEtc.recycle,
      dncStatuses: listsEtc.dncStatuses,
      phoneCodes,
      capabilities,
      limit24hOverride: extras.container,
      leadFilterError: filter.error,
    };

    const numbers = new Map<string, NumberFacts>();
    for (const phone of phones) {
      const v = vici.get(phone)!;
      numbers.set(phone, {
        phone,
        phoneCode: v.phoneCode,
        phoneNumber: v.phoneNumber,
        rows: [],
        dnc: { system: [], campaign: [] },
        lastCallAt: lastCalls.get(phone)?.lastCallAt ?? null,
        recentCalls: [],
        calls24h: counts.calls24h === null ? null : [],
        phoneDailyCounts: counts.phoneDaily === null ? null : {},
        postalStates: counts.postalStates,
        brainDoNotCall: req.brainDoNotCall?.has(phone) ? { reason: req.brainDoNotCall.get(phone)! } : null,
      });
    }
    const inCampaignIds = new Set(campaignLeadIds);
    const numberOfStored = (code: string | null, digits: string) => {
      const e164 = fromViciPhone(code, digits, this.opts.defaultRegion);
      return e164 ? numbers.get(e164) : undefined;
    };
    for (const { row } of rows) {
      const n = numberOfStored(row.phoneCode, row.phoneNumber);
      if (!n) continue;
      const inCampaign = inCampaignIds.has(row.leadId);
      n.rows.push({
        ...row,
        passesLeadFilter:
          inCampaign && filter.passing ? filter.passing.has(row.leadId) : inCampaign && filter.error ? false : null,
        dailyCounts: counts.leadDaily?.get(row.leadId) ?? null,
      });
      n.recentCalls.push(...(calls.get(row.leadId) ?? []));
    }
    for (const n of numbers.values()) {
      // The campaign's own list and the lists it shares: the dnc rule narrows them by its settings.
      for (const h of dnc.hitsOf(vici.get(n.phone)!, [req.campaignId])) {
        if (h.list === "system") n.dnc.system.push(h.entry);
        else n.dnc.campaign.push({ campaignId: h.campaignId!, entry: h.entry });
      }
      n.recentCalls.sort((a, b) => a.getTime() - b.getTime());
      if (counts.calls24h && n.calls24h) {
        const ids = new Set(n.rows.map((r) => r.leadId));
        const variants = new Set(storedPhoneVariants([n.phone]));
        n.calls24h.push(...counts.calls24h.filter((k) => ids.has(k.leadId) || variants.has(k.phoneNumber)));
      }
      if (counts.phoneDaily && n.phoneDailyCounts) {
        for (const s of storedPhoneVariants([n.phone]))
          if (counts.phoneDaily.has(s)) n.phoneDailyCounts[s] = counts.phoneDaily.get(s)!;
      }
    }
    return { campaign: campaignFacts, numbers };
  }

  /** Which later tables and columns this VICIdial has (information_schema; cached, an upgrade is rare). */
  private schemaInfo(): Promise<Schema> {
    const maxAge = this.opts.schemaMaxAgeMs ?? 300_000;
    if (!this.schema || Date.now() - this.schema.at > maxAge) {
      const value = viciQuery(
        this.ds,
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND (
                (TABLE_NAME IN (?) AND COLUMN_NAME IN ('lead_id', 'phone_number'))
             OR (TABLE_NAME = 'vicidial_campaigns' AND COLUMN_NAME IN (?))
             OR (TABLE_NAME = 'system_settings' AND COLUMN_NAME IN ('daily_call_count_limit', 'call_limit_24hour')))`,
        [CALL_LIMIT_TABLES, LATER_CAMPAIGN_COLUMNS],
      ).then((rows: { t: string; c: string }[]) => {
        const has = (t: string) => rows.some((r) => r.t.toLowerCase() === t);
        return {
          capabilities: {
            leadCallDailyCounts: has("vicidial_lead_call_daily_counts"),
            lead24hourCalls: has("vicidial_lead_24hour_calls"),
            phoneNumberCallDailyCounts: has("vicidial_phone_number_call_daily_counts"),
          },
          laterCampaignColumns: rows
            .filter((r) => r.t.toLowerCase() === "vicidial_campaigns")
            .map((r) => r.c.toLowerCase()),
          systemColumns: rows.filter((r) => r.t.toLowerCase() === "system_settings").map((r) => r.c.toLowerCase()),
        };
      });
      this.schema = { at: Date.now(), value };
      value.catch(() => (this.schema = null));
    }
    return this.schema.value;
  }

  private async campaign(
    campaignId: string,
    schema: Schema,
  ): Promise<{ campaign: CampaignRow; system: { daily: boolean | null; limit24h: boolean | null } } | null> {
    const later = LATER_CAMPAIGN_COLUMNS.filter((c) => schema.laterCampaignColumns.includes(c));
    const sys = schema.systemColumns;
    const sysSelect = sys.length ? `, s.${sys.map((c) => `${c} AS ss_${c}`).join(", s.")}` : "";
    const sysJoin = sys.length ? `LEFT JOIN (SELECT ${sys.join(", ")} FROM system_settings LIMIT 1) s ON 1 = 1` : "";
    const [r] = await viciQuery(
      this.ds,
      `SELECT c.campaign_id, c.active, c.no_hopper_dialing, c.dial_statuses, c.local_call_time, c.use_internal_dnc, c.use_campaign_dnc,
              c.use_other_campaign_dnc, c.call_count_limit, c.drop_lockout_time, c.lead_filter_id, c.list_order_mix
              ${later.map((col) => `, c.${col}`).join("")} ${sysSelect}
         FROM vicidial_campaigns c ${sysJoin}
        WHERE c.campaign_id = ?`,
      [campaignId],
    );
    if (!r) return null;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const campaign: CampaignRow = {
      campaignId: r.campaign_id,
      active: r.active,
      noHopperDialing: r.no_hopper_dialing,
      dialStatuses: r.dial_statuses ?? "",
      localCallTime: r.local_call_time ?? "",
      useInternalDnc: r.use_internal_dnc ?? "N",
      useCampaignDnc: r.use_campaign_dnc ?? "N",
      useOtherCampaignDnc: r.use_other_campaign_dnc ?? "",
      callCountLimit: Number(r.call_count_limit ?? 0),
      dropLockoutHours: Number.parseFloat(r.drop_lockout_time ?? "0") || 0,
      leadFilterId: r.lead_filter_id ?? null,
      listOrderMix: r.list_order_mix ?? null,
      dailyCallCountLimit: num(r.daily_call_count_limit),
      dailyLimitManual: r.daily_limit_manual ?? null,
      dailyPhoneNumberCallLimit: num(r.daily_phone_number_call_limit),
      limit24h:
        r.call_limit_24hour_method !== undefined
          ? {
              method: r.call_limit_24hour_method ?? "DISABLED",
              scope: r.call_limit_24hour_scope ?? "SYSTEM_WIDE",
              limit: Number(r.call_limit_24hour ?? 0),
              override: r.call_limit_24hour_override ?? "DISABLED",
            }
          : null,
    };
    const flag = (v: unknown) => (v === undefined ? null : String(v) === "1");
    return { campaign, system: { daily: flag(r.ss_daily_call_count_limit), limit24h: flag(r.ss_call_limit_24hour) } };
  }

  /** Call times, state rules and ACTIVE holidays: small admin tables, read whole in one statement. */
  private async callTimeConfig(): Promise<Pick<CampaignFacts, "callTimes" | "stateCallTimes" | "holidays">> {
    const days = (p: string) => DAYS.map((d) => `${p}_${d}_start, ${p}_${d}_stop`).join(", ");
    const zeros = DAYS.map(() => "0, 0").join(", ");
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      `SELECT 'ct' AS kind, call_time_id AS id, call_time_name AS name, NULL AS state, call_time_comments AS comments,
              ct_default_start AS d0, ct_default_stop AS d1, ${days("ct")}, ct_state_call_times AS rules, ct_holidays AS holidays,
              NULL AS hdate, NULL AS hstatus
         FROM vicidial_call_times
       UNION ALL
       SELECT 'sct', state_call_time_id, state_call_time_name, state_call_time_state, state_call_time_comments,
              sct_default_start, sct_default_stop, ${days("sct")}, NULL, ct_holidays, NULL, NULL
         FROM vicidial_state_call_times
       UNION ALL
       SELECT 'hol', holiday_id, holiday_name, NULL, NULL, ct_default_start, ct_default_stop, ${zeros}, NULL, NULL,
              holiday_date, holiday_status
         FROM vicidial_call_time_holidays WHERE holiday_status = 'ACTIVE'`,
    );
    const out: Pick<CampaignFacts, "callTimes" | "stateCallTimes" | "holidays"> = {
      callTimes: {},
      stateCallTimes: {},
      holidays: {},
    };
    for (const r of rows) {
      const vals = Object.values(r);
      // Columns 5.. are d0, d1 and the 14 weekday values, in SELECT order.
      const nums = vals.slice(5, 21).map((v) => Number(v ?? 0));
      const pair = (i: number): HhmmPair => ({ start: nums[i], stop: nums[i + 1] });
      const dflt = pair(0);
      const dayPairs = DAYS.map((_, i) => pair(2 + i * 2));
      if (r.kind === "ct") {
        out.callTimes[r.id] = {
          id: r.id,
          name: r.name,
          default: dflt,
          days: dayPairs,
          stateCallTimes: r.rules ?? "",
          holidays: r.holidays ?? "",
        } satisfies CallTimeDef;
      } else if (r.kind === "sct") {
        out.stateCallTimes[r.id] = {
          id: r.id,
          state: r.state,
          comments: r.comments ?? "",
          default: dflt,
          days: dayPairs,
          holidays: r.holidays ?? "",
        } satisfies StateCallTimeDef;
      } else {
        out.holidays[r.id] = {
          id: r.id,
          name: r.name,
          date: r.hdate ?? null,
          status: r.hstatus,
          start: dflt.start,
          stop: dflt.stop,
        } satisfies HolidayDef;
      }
    }
    return out;
  }

  /** The campaign's lists, its active recycle rules and the dnc flags of all statuses, in one statement. */
  private async campaignLists(campaignId: string): Promise<Pick<CampaignFacts, "lists" | "recycle" | "dncStatuses">> {
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      `SELECT 'list' AS kind, list_id AS a, campaign_id AS b, active AS c, expiration_date AS d, local_call_time AS e, time_zone_setting AS f
         FROM vicidial_lists WHERE campaign_id = ?
       UNION ALL
       SELECT 'recycle', recycle_id, campaign_id, status, attempt_delay, attempt_maximum, NULL
         FROM vicidial_lead_recycle WHERE campaign_id = ? AND active = 'Y'
       UNION ALL
       SELECT 'status', NULL, NULL, status, dnc, NULL, NULL FROM vicidial_statuses
       UNION ALL
       SELECT 'status', NULL, campaign_id, status, dnc, NULL, NULL FROM vicidial_campaign_statuses`,
      [campaignId, campaignId],
    );
    const out: Pick<CampaignFacts, "lists" | "recycle" | "dncStatuses"> = {
      lists: [],
      recycle: [],
      dncStatuses: { system: {}, campaign: {} },
    };
    for (const r of rows) {
      if (r.kind === "list") {
        out.lists.push({
          listId: Number(r.a),
          campaignId: r.b,
          active: r.c,
          expirationDate: r.d ?? null,
          localCallTime: r.e ?? "campaign",
          timeZoneSetting: r.f ?? null,
        });
      } else if (r.kind === "recycle") {
        out.recycle.push({
          status: r.c,
          attemptDelay: Number(r.d ?? 1800),
          attemptMaximum: Number(r.e ?? 2),
        } satisfies RecycleRule);
      } else {
        const code = String(r.c).toUpperCase();
        if (r.b === null) out.dncStatuses.system[code] = r.d === "Y";
        else (out.dncStatuses.campaign[String(r.b).toLowerCase()] ??= {})[code] = r.d === "Y";
      }
    }
    return out;
  }

  /** Every vicidial_list row stored with one of the numbers (any list), with its list. */
  private async leadRows(stored: string[]): Promise<{ row: Omit<LeadRowFacts, "passesLeadFilter" | "dailyCounts"> }[]> {
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      `SELECT vl.lead_id, vl.list_id, vl.status, vl.called_since_last_reset, vl.called_count, vl.gmt_offset_now, vl.state,
              vl.postal_code, vl.phone_code, vl.phone_number, vl.last_local_call_time, UNIX_TIMESTAMP(vl.modify_date) AS modify_epoch,
              l.list_id AS l_list_id, l.campaign_id, l.active, l.expiration_date, l.local_call_time, l.time_zone_setting
         FROM vicidial_list vl
         LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
        WHERE vl.phone_number IN (?)
        ORDER BY vl.lead_id`,
      [stored],
    );
    return rows.map((r) => {
      const list: ListFacts | null =
        r.l_list_id === null
          ? null
          : {
              listId: Number(r.l_list_id),
              campaignId: r.campaign_id ?? null,
              active: r.active ?? null,
              expirationDate: r.expiration_date ?? null,
              localCallTime: r.local_call_time ?? "campaign",
              timeZoneSetting: r.time_zone_setting ?? null,
            };
      return {
        row: {
          leadId: Number(r.lead_id),
          listId: Number(r.list_id),
          list,
          status: r.status ?? null,
          calledSinceLastReset: r.called_since_last_reset ?? null,
          calledCount: Number(r.called_count ?? 0),
          gmtOffsetNow: r.gmt_offset_now === null || r.gmt_offset_now === undefined ? null : Number(r.gmt_offset_now),
          state: r.state ?? null,
          postalCode: r.postal_code ?? null,
          phoneCode: r.phone_code ?? "",
          phoneNumber: r.phone_number,
          lastLocalCallTime: r.last_local_call_time ?? null,
          modifyDate:
            r.modify_epoch === null || Number(r.modify_epoch) === 0 ? null : new Date(Number(r.modify_epoch) * 1000),
        },
      };
    });
  }

  /** vicidial_phone_codes of the countries, in the order the server returns them (its table order). */
  private async phoneCodes(countries: number[]): Promise<Record<string, PhoneCodeRow[]>> {
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      "SELECT country_code, country, areacode, state, GMT_offset, DST_range FROM vicidial_phone_codes WHERE country_code IN (?)",
      [countries],
    );
    const out: Record<string, PhoneCodeRow[]> = {};
    for (const r of rows) {
      const offset = Number.parseFloat(String(r.GMT_offset ?? "").replace("+", ""));
      (out[String(r.country_code)] ??= []).push({
        countryCode: String(r.country_code),
        country: r.country ?? null,
        areacode: r.areacode ?? "",
        state: r.state ?? null,
        gmtOffset: Number.isFinite(offset) ? offset : null,
        dstRange: r.DST_range ?? null,
      });
    }
    return out;
  }

  /** The lead filter's SQL and the 24-hour override container, when the campaign names them. */
  private async extras(c: CampaignRow): Promise<{ filterSql: string | null; container: string | null }> {
    const filterId = c.leadFilterId && c.leadFilterId !== "NONE" ? c.leadFilterId : null;
    const containerId =
      c.limit24h && !/^DISABLED$/.test(c.limit24h.override) && c.limit24h.override !== "" ? c.limit24h.override : null;
    if (!filterId && !containerId) return { filterSql: null, container: null };
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      `SELECT 'filter' AS kind, lead_filter_sql AS v FROM vicidial_lead_filters WHERE lead_filter_id = ?
       UNION ALL
       SELECT 'container', container_entry FROM vicidial_settings_containers WHERE container_id = ?`,
      [filterId ?? "", containerId ?? ""],
    );
    const sql = rows.find((r) => r.kind === "filter")?.v;
    return {
      filterSql: filterId && typeof sql === "string" && sql !== "" ? hopperFilterSql(sql) : null,
      container: rows.find((r) => r.kind === "container")?.v ?? null,
    };
  }

  /** Every vicidial_log call of the rows within the caps' window before `at` (lead_id index). */
  private async recentCalls(leadIds: number[], at: Date, hours: number): Promise<Map<number, Date[]>> {
    const tz = this.opts.timeZone;
    const rows: Record<string, any>[] = await viciQuery(
      this.ds,
      "SELECT lead_id, call_date FROM vicidial_log WHERE lead_id IN (?) AND call_date >= ? AND call_date <= ?",
      [leadIds, instantToViciLocal(new Date(at.getTime() - hours * 3_600_000), tz), instantToViciLocal(at, tz)],
    );
    const recent = new Map<number, Date[]>();
    for (const r of rows) {
      const when = viciLocalToInstant(r.call_date, tz);
      if (!when) continue;
      const list = recent.get(Number(r.lead_id)) ?? [];
      list.push(when);
      recent.set(Number(r.lead_id), list);
    }
    return recent;
  }

  /** The later count tables this server has, in one statement; null fields for the tables it lacks. */
  private async counts(
    schema: Schema,
    campaign: CampaignRow | null,
    leadIds: number[],
    stored: string[],
    at: Date,
    rows: { row: Omit<LeadRowFacts, "passesLeadFilter" | "dailyCounts"> }[],
  ): Promise<Counts> {
    const out = emptyCounts(schema);
    const parts: string[] = [];
    const params: unknown[] = [];
    const ids = leadIds.length ? leadIds : [0];
    if (schema.capabilities.leadCallDailyCounts) {
      parts.push(
        "SELECT 'daily' AS kind, lead_id, list_id, called_count_total AS a, called_count_auto AS b, NULL AS phone_number, NULL AS phone_code, NULL AS call_date FROM vicidial_lead_call_daily_counts WHERE lead_id IN (?)",
      );
      params.push(ids);
    }
    if (schema.capabilities.phoneNumberCallDailyCounts) {
      parts.push(
        "SELECT 'phone', NULL, NULL, called_count, NULL, phone_number, NULL, NULL FROM vicidial_phone_number_call_daily_counts WHERE phone_number IN (?)",
      );
      params.push(stored);
    }
    if (schema.capabilities.lead24hourCalls) {
      // call_date >= NOW() - INTERVAL 1 DAY on the server's clock, counted back from the verdict's instant.
      const since = instantToViciLocal(new Date(at.getTime() - 26 * 3_600_000), this.opts.timeZone);
      parts.push(
        "SELECT '24h', lead_id, list_id, NULL, NULL, phone_number, phone_code, call_date FROM vicidial_lead_24hour_calls WHERE phone_number IN (?) AND call_date >= ?",
      );
      parts.push(
        "SELECT '24h', lead_id, list_id, NULL, NULL, phone_number, phone_code, call_date FROM vicidial_lead_24hour_calls WHERE lead_id IN (?) AND call_date >= ?",
      );
      params.push(stored, since, ids, since);
    }
    // Postal codes' states only serve a 24-hour override container (its postcode methods).
    const override =
      campaign?.limit24h && !/^DISABLED$/.test(campaign.limit24h.override) && campaign.limit24h.override !== "";
    const postcodes = [
      ...new Set(rows.map((r) => (r.row.postalCode ?? "").replace(/\D/g, "").slice(0, 5)).filter((p) => p.length > 0)),
    ];
    if (override && postcodes.length) {
      parts.push(
        "SELECT 'postal', NULL, NULL, NULL, NULL, postal_code, state, NULL FROM vicidial_postal_codes WHERE country_code = 1 AND postal_code IN (?)",
      );
      params.push(postcodes);
    }
    if (!parts.length) return out;
    const result: Record<string, any>[] = await viciQuery(this.ds, parts.join(" UNION ALL "), params);
    const seen24h = new Set<string>();
    for (const r of result) {
      if (r.kind === "daily")
        out.leadDaily!.set(Number(r.lead_id), { total: Number(r.a ?? 0), auto: Number(r.b ?? 0) });
      else if (r.kind === "phone") out.phoneDaily!.set(r.phone_number, Number(r.a ?? 0));
      else if (r.kind === "postal") out.postalStates[r.phone_number] ??= r.phone_code;
      else {
        // The same row can come from both halves (its lead and its number).
        const key = `${r.lead_id}|${r.phone_number}|${r.call_date}`;
        if (seen24h.has(key)) continue;
        seen24h.add(key);
        out.calls24h!.push({
          leadId: Number(r.lead_id),
          listId: Number(r.list_id ?? 0),
          phoneNumber: r.phone_number ?? "",
          phoneCode: r.phone_code ?? "",
          callDate: r.call_date,
        } satisfies Call24h);
      }
    }
    return out;
  }

  /**
   * The campaign's lead filter applied to its rows, as the hopper ANDs it into its lead query.
   * The ids are written into the statement (no placeholders: a filter may contain '?').
   */
  private async leadFilter(
    leadIds: number[],
    sql: string,
  ): Promise<{ passing: Set<number> | null; error: string | null }> {
    try {
      const rows: Record<string, any>[] = await viciQuery(
        this.ds,
        `SELECT lead_id FROM vicidial_list WHERE lead_id IN (${leadIds.map((id) => Number(id)).join(",")}) AND (${sql})`,
      );
      return { passing: new Set(rows.map((r) => Number(r.lead_id))), error: null };
    } catch (e) {
      if (e instanceof ViciUnavailableError) throw e;
      return { passing: null, error: (e as Error).message };
    }
  }
}

/**
 * A lead filter's SQL as the hopper uses it (HOP:2800-2830): backslashes removed, a leading or
 * trailing AND/OR cut, '#' comments dropped, line breaks made spaces.
 */
export function hopperFilterSql(raw: string): string {
  return raw
    .replace(/\\/g, "")
    .replace(/^and|and$|^or|or$|^ and|and $|^ or|or $/gi, "")
    .replace(/#.*\n/g, "")
    .replace(/\r|\n|\t/g, " ");
}

interface Counts {
  leadDaily: Map<number, { total: number; auto: number }> | null;
  phoneDaily: Map<string, number> | null;
  calls24h: Call24h[] | null;
  postalStates: Record<string, string>;
}

function emptyCounts(schema: Schema): Counts {
  return {
    leadDaily: schema.capabilities.leadCallDailyCounts ? new Map() : null,
    phoneDaily: schema.capabilities.phoneNumberCallDailyCounts ? new Map() : null,
    calls24h: schema.capabilities.lead24hourCalls ? [] : null,
    postalStates: {},
  };
}
