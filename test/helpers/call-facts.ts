import type {
  CallFacts,
  CallRules,
  CallTimeDef,
  CampaignFacts,
  CampaignRow,
  HhmmPair,
  HolidayDef,
  LeadRowFacts,
  ListFacts,
  NumberFacts,
  PhoneCodeRow,
  StateCallTimeDef,
} from "../../src/vici/rules/call-verdict";

/** Builders of call-verdict facts for decision tables: a stock VICIdial, changed per case. */

export const NEW_YORK = "America/New_York";

const pair = ([start, stop]: [number, number]): HhmmPair => ({ start, stop });
const noDays = (): HhmmPair[] => Array.from({ length: 7 }, () => ({ start: 0, stop: 0 }));

/** A vicidial_call_times row: default pair, optional weekday pairs (0 = Sunday). */
export function callTime(
  id: string,
  dflt: [number, number],
  opts: { days?: Record<number, [number, number]>; stateRules?: string; holidays?: string } = {},
): CallTimeDef {
  const days = noDays();
  for (const [d, p] of Object.entries(opts.days ?? {})) days[Number(d)] = pair(p);
  return {
    id,
    name: id,
    default: pair(dflt),
    days,
    stateCallTimes: opts.stateRules ?? "",
    holidays: opts.holidays ?? "",
  };
}

export function stateRule(
  id: string,
  state: string,
  dflt: [number, number],
  opts: { days?: Record<number, [number, number]>; holidays?: string; comments?: string } = {},
): StateCallTimeDef {
  const days = noDays();
  for (const [d, p] of Object.entries(opts.days ?? {})) days[Number(d)] = pair(p);
  return { id, state, comments: opts.comments ?? "", default: pair(dflt), days, holidays: opts.holidays ?? "" };
}

export function holiday(id: string, date: string, [start, stop]: [number, number], status = "ACTIVE"): HolidayDef {
  return { id, name: id, date, status, start, stop };
}

/** VICIdial's stock call times (SQL:3948-3953) and state rules (SQL:3955-3971, two of them). */
export const STOCK_CALL_TIMES: Record<string, CallTimeDef> = {
  "24hours": callTime("24hours", [0, 2400]),
  "9am-9pm": callTime("9am-9pm", [900, 2100]),
  "9am-5pm": callTime("9am-5pm", [900, 1700]),
  "12pm-5pm": callTime("12pm-5pm", [1200, 1700]),
  "12pm-9pm": callTime("12pm-9pm", [1200, 2100]),
  "5pm-9pm": callTime("5pm-9pm", [1700, 2100]),
};
export const STOCK_STATE_RULES: Record<string, StateCallTimeDef> = {
  illinois: stateRule("illinois", "IL", [800, 2100]),
  alabama: stateRule("alabama", "AL", [800, 2000], { days: { 0: [2400, 2400] } }),
};

/** vicidial_phone_codes rows as phonecodes.vicidial.com ships them (country 1; 201 is the first row). */
export const US_PHONE_CODES: PhoneCodeRow[] = [
  ["201", "NJ", -5, "SSM-FSN"],
  ["212", "NY", -5, "SSM-FSN"],
  ["213", "CA", -8, "SSM-FSN"],
  ["305", "FL", -5, "SSM-FSN"],
  ["312", "IL", -6, "SSM-FSN"],
  ["480", "AZ", -7, ""],
  ["512", "TX", -6, "SSM-FSN"],
  ["727", "FL", -5, "SSM-FSN"],
  ["808", "HI", -10, ""],
  ["850", "FL", -6, "SSM-FSN"],
].map(([areacode, state, gmtOffset, dstRange]) => ({
  countryCode: "1",
  country: "USA",
  areacode: areacode as string,
  state: state as string,
  gmtOffset: gmtOffset as number,
  dstRange: dstRange as string,
}));

/** US_PHONE_CODES as vicidial_phone_codes rows (insertVici). */
export function phoneCodeTableRows(): Record<string, unknown>[] {
  return US_PHONE_CODES.map((r) => ({
    country_code: 1,
    country: r.country,
    areacode: r.areacode,
    state: r.state,
    GMT_offset: (r.gmtOffset! >= 0 ? "+" : "") + r.gmtOffset!.toFixed(2),
    DST: r.dstRange ? "Y" : "N",
    DST_range: r.dstRange,
  }));
}

export function list(over: Partial<ListFacts> = {}): ListFacts {
  return {
    listId: 1001,
    campaignId: "Auto2",
    active: "Y",
    expirationDate: "2099-12-31",
    localCallTime: "campaign",
    timeZoneSetting: "COUNTRY_AND_AREA_CODE",
    ...over,
  };
}

export function campaignRow(over: Partial<CampaignRow> = {}): CampaignRow {
  return {
    campaignId: "Auto2",
    active: "Y",
    noHopperDialing: "N",
    dialStatuses: " NEW NA -",
    localCallTime: "9am-9pm",
    useInternalDnc: "Y",
    useCampaignDnc: "N",
    useOtherCampaignDnc: "",
    callCountLimit: 0,
    dropLockoutHours: 0,
    leadFilterId: "NONE",
    listOrderMix: "DISABLED",
    dailyCallCountLimit: null,
    dailyLimitManual: null,
    dailyPhoneNumberCallLimit: null,
    limit24h: null,
    ...over,
  };
}

export function campaign(over: Partial<CampaignFacts> = {}, row: Partial<CampaignRow> = {}): CampaignFacts {
  return {
    campaignId: "Auto2",
    serverTimeZone: NEW_YORK,
    readAt: new Date("2024-01-01T00:00:00Z"),
    campaign: campaignRow(row),
    lists: [list()],
    callTimes: { ...STOCK_CALL_TIMES },
    stateCallTimes: { ...STOCK_STATE_RULES },
    holidays: {},
    recycle: [],
    dncStatuses: { system: { DNC: true, DNCL: true, DNCC: true }, campaign: {} },
    phoneCodes: { "1": US_PHONE_CODES },
    capabilities: {
      leadCallDailyCounts: true,
      phoneNumberCallDailyCounts: true,
      lead24hourCalls: true,
      systemDailyCallCountLimit: true,
      systemCallLimit24h: true,
    },
    limit24hOverride: null,
    ...over,
  };
}

/** A vicidial_list row of the number 727-555-0101 in list 1001 (FL, EDT/EST). */
export function leadRow(over: Partial<LeadRowFacts> = {}): LeadRowFacts {
  return {
    leadId: 1,
    listId: 1001,
    list: list(),
    status: "NEW",
    calledSinceLastReset: "N",
    calledCount: 0,
    gmtOffsetNow: -5,
    state: "FL",
    postalCode: null,
    phoneCode: "1",
    phoneNumber: "7275550101",
    lastLocalCallTime: null,
    modifyDate: null,
    passesLeadFilter: null,
    dailyCounts: null,
    ...over,
  };
}

export function number(national = "7275550101", over: Partial<NumberFacts> = {}): NumberFacts {
  return {
    phone: `+1${national}`,
    phoneCode: "1",
    phoneNumber: national,
    rows: [],
    dnc: { system: [], campaign: [] },
    lastCallAt: null,
    recentCalls: [],
    calls24h: [],
    phoneDailyCounts: {},
    postalStates: {},
    brainDoNotCall: null,
    ...over,
  };
}

/** A number with one row per `rows` entry (the number's digits copied into each row). */
export function facts(c: CampaignFacts, n: NumberFacts, rows: Partial<LeadRowFacts>[] = []): CallFacts {
  return {
    campaign: c,
    number: {
      ...n,
      rows: rows.length ? rows.map((r, i) => leadRow({ leadId: i + 1, phoneNumber: n.phoneNumber, ...r })) : n.rows,
    },
  };
}

export const RULES: CallRules = { recentCallDays: 30, stateWindows: [], callCaps: [] };

export const iso = (d: Date | null) => (d === null ? null : d.toISOString());
