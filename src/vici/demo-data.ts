/**
 * A deterministic demo data set for a call center: a VICIdial database (campaigns, lists,
 * statuses, leads, call log, DNC) and the leads Brain has that never reached VICIdial. Brain's
 * other leads come from the real import (load-demo.ts), never from rules copied here.
 *
 * Everything in Vici follows from `seed` and `now`:
 *   - `buildDemoDataset(opts)` is pure: it returns every row that `seedDemoVici` writes plus,
 *     per phone, what was generated (its rows, its last call, the DNC lists it is on). Tests
 *     compare the databases against these facts instead of hard-coding numbers.
 *   - Phones, names, lists, statuses, vendor codes and lead ids depend on `seed` only (not on
 *     `now`): the same seed always gives the same leads in the same lead_id order. Dates are
 *     relative to `now`.
 *
 * Times:
 *   - `entry_date`, `vicidial_log.call_date`, `list_lastcalldate`... are the Vici SERVER's wall
 *     clock in `opts.timeZone` (DST-correct, via luxon); `start_epoch`/`end_epoch` are the same
 *     instants in Unix seconds.
 *   - `last_local_call_time` is the LEAD's wall clock: the call instant shifted by the lead's
 *     `gmt_offset_now` (equivalently: server time + gmt_offset_now − server offset). The offset
 *     used is the one in force at `now` for the whole 120-day history, so across a DST change it
 *     is off by an hour, as VICIdial's own value is between two runs of its offset cron job.
 *   - Leads that were never dialed have called_count 0 and last_local_call_time = their entry
 *     time in lead-local time (what VICIdial's API does), so last_local_call_time alone does
 *     NOT mean "was called".
 *   - Calls are placed between 09:00 and 20:59 lead-local time, on or after the entry date,
 *     within the last 120 days; about 40% of called rows had their latest call in the last 30.
 *
 * Every value written is valid in STRICT sql_mode and in VICIdial's usual lax mode: strings
 * within their column sizes, enums with their values, no '' or zero dates (NULL instead). A
 * write that raises even a warning (a lax server's silent truncation) is an error here.
 */
import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { DateTime } from "luxon";
import { DEFAULT_SYSTEM_STATUSES, type DefaultSystemStatus, type StatusRow } from "./rules/status-category";
import { fromViciPhone } from "./rules/phone";
import { instantToViciLocal } from "./rules/vici-time";
import { areaCodeEntry } from "./rules/dnc";
import { isExternalLeadId } from "../util/external-lead-id";

// ---------------------------------------------------------------------------------------------
// Options and public shapes

export interface DemoOptions {
  /** How many vicidial_list rows to generate (default 3000). */
  leads?: number;
  /** PRNG seed (default DEMO_DEFAULT_SEED). */
  seed?: number;
  /** The Vici server's IANA time zone, e.g. America/New_York: DATETIMEs are written in it. */
  timeZone: string;
  /** "Now" for the generated history (default: the current time). */
  now?: Date;
}

export const DEMO_DEFAULT_SEED = 20250811;
export const DEMO_DEFAULT_LEADS = 3000;
export const DEMO_DEFAULT_BRAIN_ONLY = 100;
/** The strategy's recent-call window: ~40% of called rows had their latest call within it. */
export const DEMO_RECENT_CALL_DAYS = 30;
/** Region for Vici rows without phone_code (all demo rows have phone_code 1). */
export const DEMO_REGION = "US" as const;
/** Rows per multi-row INSERT. */
export const DEMO_BATCH = 500;

export interface DemoCampaign {
  campaignId: string;
  name: string;
  dialMethod: "RATIO" | "MANUAL" | "ADAPT_AVERAGE";
  autoDialLevel: string;
  dialStatuses: string;
  useInternalDnc: "Y" | "N" | "AREACODE";
  useCampaignDnc: "Y" | "N" | "AREACODE";
  callCountLimit: number;
  dropLockoutTime: string;
}

export const DEMO_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    campaignId: "Auto2",
    name: "Auto2 - outbound sales",
    dialMethod: "RATIO",
    autoDialLevel: "3",
    dialStatuses: " NEW NA AA AB B A DROP CALLBK -",
    useInternalDnc: "AREACODE",
    useCampaignDnc: "Y",
    callCountLimit: 8,
    dropLockoutTime: "48",
  },
  {
    campaignId: "Autodial",
    name: "Autodial - renewals",
    dialMethod: "ADAPT_AVERAGE",
    autoDialLevel: "2.5",
    dialStatuses: " NEW NA AA AB B DROP -",
    useInternalDnc: "Y",
    useCampaignDnc: "N",
    callCountLimit: 6,
    dropLockoutTime: "24",
  },
  {
    campaignId: "Survey1",
    name: "Survey1 - customer survey",
    dialMethod: "RATIO",
    autoDialLevel: "1",
    dialStatuses: " NEW NA -",
    useInternalDnc: "N",
    useCampaignDnc: "N",
    callCountLimit: 3,
    dropLockoutTime: "0",
  },
];

export interface DemoList {
  listId: number;
  name: string;
  campaignId: string;
  /** Relative share of the generated rows. */
  weight: number;
  sourceIds: readonly string[];
}

export const DEMO_LISTS: readonly DemoList[] = [
  {
    listId: 1001,
    name: "Auto2 Facebook leads",
    campaignId: "Auto2",
    weight: 25,
    sourceIds: ["FB-LEADADS", "FB-RETARGET"],
  },
  { listId: 1002, name: "Auto2 aged leads", campaignId: "Auto2", weight: 20, sourceIds: ["AGED-2024", "VENDOR-ACME"] },
  {
    listId: 2001,
    name: "Autodial renewals",
    campaignId: "Autodial",
    weight: 25,
    sourceIds: ["CRM-EXPORT", "RENEWALS"],
  },
  {
    listId: 2002,
    name: "Autodial web forms",
    campaignId: "Autodial",
    weight: 15,
    sourceIds: ["WEBFORM", "LANDING-PAGE-7"],
  },
  { listId: 3001, name: "Survey1 customers", campaignId: "Survey1", weight: 15, sourceIds: ["SURVEY-IMPORT"] },
];

/**
 * vicidial_lists.list_description of every demo list: how loadDemo recognises a demo Vici
 * database (it refuses to import the leads of a real dialer into Brain).
 */
export const DEMO_LIST_DESCRIPTION_PREFIX = "vici-brain-gateway demo list";

/** A list with leads but no vicidial_lists row, like VICIdial's own sample list 101. */
export const DEMO_ORPHAN_LIST_ID = 101;

/** Campaign-specific statuses (vicidial_campaign_statuses). */
export const DEMO_CAMPAIGN_STATUSES: readonly StatusRow[] = [
  statusRow("Auto2", "HOTLD", "Hot Lead - Transferred", {
    humanAnswered: true,
    sale: true,
    customerContact: true,
    completed: true,
  }),
  // Same code as the system CALLBK, different meaning in this campaign: no scheduled callback.
  statusRow("Autodial", "CALLBK", "Call Back Later (no schedule)", { humanAnswered: true, customerContact: true }),
  statusRow("Autodial", "NQ", "Not Qualified", {
    humanAnswered: true,
    customerContact: true,
    unworkable: true,
    completed: true,
  }),
];

/** A status code in no status table at all (VICIdial code sets such codes too). */
export const DEMO_UNKNOWN_STATUS = "XYZ9";
/** The area-code wildcard entry in vicidial_dnc. */
export const DEMO_DNC_WILDCARD = "900XXXXXXX";

export interface DemoLeadRow {
  lead_id: number;
  entry_date: string;
  status: string;
  user: string;
  vendor_lead_code: string | null;
  source_id: string;
  list_id: number;
  gmt_offset_now: string;
  called_since_last_reset: string;
  phone_code: string;
  phone_number: string;
  title: string;
  first_name: string;
  middle_initial: string;
  last_name: string;
  address1: string;
  address2: string;
  address3: string;
  city: string;
  state: string;
  province: string;
  postal_code: string;
  country_code: string;
  gender: "M" | "F" | "U";
  date_of_birth: string | null;
  alt_phone: string;
  email: string;
  security_phrase: string;
  comments: string;
  called_count: number;
  last_local_call_time: string;
  rank: number;
  owner: string;
  entry_list_id: number;
}

export interface DemoCallRow {
  uniqueid: string;
  lead_id: number;
  list_id: number;
  campaign_id: string;
  call_date: string;
  start_epoch: number;
  end_epoch: number;
  length_in_sec: number;
  status: string;
  phone_code: string;
  phone_number: string;
  user: string;
  comments: string;
  processed: "Y" | "N";
  user_group: string | null;
  term_reason: "CALLER" | "AGENT" | "ABANDON" | "NONE";
  alt_dial: string;
  called_count: number;
}

/** One generated Vici phone (phone_code + phone_number): its rows, its last call, the DNC lists it is on. */
export interface DemoPhone {
  phoneCode: string;
  phoneNumber: string;
  /** Every vicidial_list row of the phone, ascending. */
  leadIds: number[];
  listIds: number[];
  /** Latest call over all rows (the number's), Unix seconds, or null when never called. */
  lastCallEpoch: number | null;
  /** On the system DNC list (vicidial_dnc) exactly. */
  onSystemDnc: boolean;
  /** Its area code is on the system DNC list as a wildcard (e.g. 900XXXXXXX). */
  onWildcardDnc: boolean;
  /** On Auto2's campaign DNC list. */
  onCampaignDnc: boolean;
}

export interface DemoDataset {
  seed: number;
  now: Date;
  timeZone: string;
  campaigns: readonly DemoCampaign[];
  lists: readonly DemoList[];
  systemStatuses: readonly StatusRow[];
  campaignStatuses: readonly StatusRow[];
  leads: DemoLeadRow[];
  calls: DemoCallRow[];
  dnc: string[];
  campaignDnc: Array<{ phone_number: string; campaign_id: string }>;
  /** Keyed by `${phone_code}${phone_number}`. */
  phones: Map<string, DemoPhone>;
  /** Two rows of different phones that carry the same vendor_lead_code. */
  vendorCodeConflict: { code: string; leadIds: [number, number] } | null;
}

export interface DemoSummary {
  /** True when vicidial_list already had rows: nothing was written. */
  skipped: boolean;
  seed: number;
  /** Rows per table, as found in the database after seeding. */
  tables: Record<(typeof DEMO_TABLES)[number], number>;
  distinctPhones: number;
  /** Phones that are in 2 or more lists. */
  phonesOnMultipleLists: number;
  rowsWithVendorCode: number;
  /** Vendor codes carried by rows of more than one phone. */
  conflictingVendorCodes: string[];
  orphanListIds: number[];
  /** vicidial_log rows whose call_date is within the last 30 days (server local time). */
  callsWithin30Days: number;
  ms: number;
}

export const DEMO_TABLES = [
  "vicidial_campaigns",
  "vicidial_lists",
  "vicidial_statuses",
  "vicidial_campaign_statuses",
  "vicidial_list",
  "vicidial_log",
  "vicidial_dnc",
  "vicidial_campaign_dnc",
] as const;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded random stream (seed + stream name → an independent sequence); bench data uses it too. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number, stream: string) {
    this.next = mulberry32((seed ^ fnv1a(stream)) >>> 0);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of entries) {
      x -= w;
      if (x < 0) return v;
    }
    return entries[entries.length - 1][0];
  }
  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference data

interface AreaCode {
  code: string;
  zone: string;
  state: string;
  cities: ReadonlyArray<readonly [string, string]>; // city, first 3 zip digits
  weight: number;
}

/** A few real US area codes with their main time zone (what VICIdial's phone-code table would give). */
export const DEMO_AREA_CODES: readonly AreaCode[] = [
  {
    code: "727",
    zone: "America/New_York",
    state: "FL",
    cities: [
      ["St. Petersburg", "337"],
      ["Clearwater", "337"],
      ["Largo", "337"],
      ["Palm Harbor", "346"],
    ],
    weight: 14,
  },
  {
    code: "813",
    zone: "America/New_York",
    state: "FL",
    cities: [
      ["Tampa", "336"],
      ["Brandon", "335"],
      ["Plant City", "335"],
    ],
    weight: 12,
  },
  {
    code: "305",
    zone: "America/New_York",
    state: "FL",
    cities: [
      ["Miami", "331"],
      ["Homestead", "330"],
      ["Key West", "330"],
    ],
    weight: 10,
  },
  { code: "212", zone: "America/New_York", state: "NY", cities: [["New York", "100"]], weight: 7 },
  {
    code: "404",
    zone: "America/New_York",
    state: "GA",
    cities: [
      ["Atlanta", "303"],
      ["Decatur", "300"],
    ],
    weight: 7,
  },
  {
    code: "617",
    zone: "America/New_York",
    state: "MA",
    cities: [
      ["Boston", "021"],
      ["Cambridge", "021"],
    ],
    weight: 5,
  },
  { code: "312", zone: "America/Chicago", state: "IL", cities: [["Chicago", "606"]], weight: 8 },
  {
    code: "512",
    zone: "America/Chicago",
    state: "TX",
    cities: [
      ["Austin", "787"],
      ["Round Rock", "786"],
    ],
    weight: 6,
  },
  {
    code: "214",
    zone: "America/Chicago",
    state: "TX",
    cities: [
      ["Dallas", "752"],
      ["Garland", "750"],
    ],
    weight: 6,
  },
  {
    code: "901",
    zone: "America/Chicago",
    state: "TN",
    cities: [
      ["Memphis", "381"],
      ["Germantown", "381"],
    ],
    weight: 5,
  },
  {
    code: "303",
    zone: "America/Denver",
    state: "CO",
    cities: [
      ["Denver", "802"],
      ["Aurora", "800"],
    ],
    weight: 5,
  },
  { code: "602", zone: "America/Phoenix", state: "AZ", cities: [["Phoenix", "850"]], weight: 5 },
  { code: "415", zone: "America/Los_Angeles", state: "CA", cities: [["San Francisco", "941"]], weight: 5 },
  { code: "206", zone: "America/Los_Angeles", state: "WA", cities: [["Seattle", "981"]], weight: 4 },
  {
    code: "702",
    zone: "America/Los_Angeles",
    state: "NV",
    cities: [
      ["Las Vegas", "891"],
      ["Henderson", "890"],
    ],
    weight: 4,
  },
];
/** 900 (premium rate) numbers: blocked by the DEMO_DNC_WILDCARD entry in AREACODE campaigns. */
const AREA_900: AreaCode = {
  code: "900",
  zone: "America/New_York",
  state: "NY",
  cities: [["New York", "100"]],
  weight: 0,
};

/** VICIdial's stock call times (SQL:3948-3953), as a fresh install has them: the hopper needs the campaigns' 9am-9pm. */
export const DEMO_CALL_TIMES: readonly { id: string; name: string; start: number; stop: number }[] = [
  { id: "24hours", name: "default 24 hours calling", start: 0, stop: 2400 },
  { id: "9am-9pm", name: "default 9am to 9pm calling", start: 900, stop: 2100 },
  { id: "9am-5pm", name: "default 9am to 5pm calling", start: 900, stop: 1700 },
  { id: "12pm-5pm", name: "default 12pm to 5pm calling", start: 1200, stop: 1700 },
  { id: "12pm-9pm", name: "default 12pm to 9pm calling", start: 1200, stop: 2100 },
  { id: "5pm-9pm", name: "default 5pm to 9pm calling", start: 1700, stop: 2100 },
];

/**
 * vicidial_phone_codes rows of the demo's area codes, as phonecodes.vicidial.com has them:
 * the zone's standard offset, and the US DST rule where the zone keeps DST (Arizona does not).
 */
export function demoPhoneCodes(): {
  country_code: number;
  country: string;
  areacode: string;
  state: string;
  GMT_offset: string;
  DST: string;
  DST_range: string;
  geographic_description: string;
}[] {
  return [...DEMO_AREA_CODES, AREA_900].map((a) => {
    const january = DateTime.fromObject({ year: 2025, month: 1, day: 15 }, { zone: a.zone }).offset / 60;
    const july = DateTime.fromObject({ year: 2025, month: 7, day: 15 }, { zone: a.zone }).offset / 60;
    return {
      country_code: 1,
      country: "USA",
      areacode: a.code,
      state: a.state,
      GMT_offset: january.toFixed(2),
      DST: july !== january ? "Y" : "N",
      DST_range: july !== january ? "SSM-FSN" : "",
      geographic_description: a.cities[0][0],
    };
  });
}

const FIRST_F = [
  "Mary",
  "Patricia",
  "Jennifer",
  "Linda",
  "Elizabeth",
  "Barbara",
  "Susan",
  "Jessica",
  "Sarah",
  "Karen",
  "Lisa",
  "Nancy",
  "Betty",
  "Sandra",
  "Ashley",
  "Kimberly",
  "Emily",
  "Donna",
  "Michelle",
  "Carol",
  "Amanda",
  "Melissa",
  "Deborah",
  "Stephanie",
  "Rebecca",
  "Laura",
  "Maria",
  "Ana",
  "Rosa",
  "Keisha",
  "Mary-Kate",
  "Guadalupe",
];
const FIRST_M = [
  "James",
  "Robert",
  "John",
  "Michael",
  "David",
  "William",
  "Richard",
  "Joseph",
  "Thomas",
  "Charles",
  "Christopher",
  "Daniel",
  "Matthew",
  "Anthony",
  "Mark",
  "Donald",
  "Steven",
  "Paul",
  "Andrew",
  "Joshua",
  "Kevin",
  "Brian",
  "George",
  "Timothy",
  "Jose",
  "Luis",
  "Carlos",
  "DeShawn",
  "Tyrone",
  "Wei",
  "Jean-Pierre",
  "Bartholomew",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "O'Brien",
  "Smith-Jones",
  "McDonald",
  "Van der Berg",
  "Wolfeschlegelsteinhausenberger",
];
const STREETS = [
  "Main",
  "Oak",
  "Pine",
  "Maple",
  "Cedar",
  "Elm",
  "Washington",
  "Lake",
  "Hill",
  "Park",
  "Sunset",
  "Bayshore",
  "Central",
  "1st",
  "4th",
  "Palm",
  "Magnolia",
  "Peachtree",
  "Gulf",
  "Ocean",
  "Martin Luther King Jr",
];
const STREET_TYPES = ["St", "Ave", "Blvd", "Dr", "Ln", "Rd", "Ct", "Way", "Pl"];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"];
const COMMENTS = [
  "Prefers evening calls",
  "Asked about pricing",
  "Spanish speaker",
  "Call after 5pm",
  "Referred by a friend",
  "Has an existing policy",
];
const AGENTS = [
  "agent01",
  "agent02",
  "agent03",
  "agent04",
  "agent05",
  "agent06",
  "agent07",
  "agent08",
  "agent09",
  "agent10",
  "agent11",
  "agent12",
];

/** Statuses the dialer itself sets (user VDAD), and agent dispositions. */
const DIALER_STATUSES = new Set(["NA", "AA", "AB", "DROP"]);

function statusRow(
  campaignId: string | null,
  status: string,
  statusName: string,
  flags: Partial<StatusRow>,
): StatusRow {
  return {
    status,
    statusName,
    humanAnswered: false,
    sale: false,
    dnc: false,
    customerContact: false,
    notInterested: false,
    unworkable: false,
    scheduledCallback: false,
    completed: false,
    answeringMachine: false,
    ...flags,
    campaignId,
  } as StatusRow;
}

// ---------------------------------------------------------------------------------------------
// Time helpers

const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** A UTC instant formatted as SQL DATETIME in a fixed offset (hours): the lead's local clock. */
function formatAtOffset(ms: number, offsetHours: number): string {
  const d = new Date(ms + offsetHours * 3_600_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function assertZone(timeZone: string): void {
  if (!timeZone || !DateTime.now().setZone(timeZone).isValid) {
    throw new RangeError(`demo data: invalid IANA time zone ${JSON.stringify(timeZone)}`);
  }
}

function offsetHoursAt(zone: string, ms: number): number {
  return DateTime.fromMillis(ms, { zone }).offset / 60;
}

// ---------------------------------------------------------------------------------------------
// Generation

interface Person {
  gender: "M" | "F";
  title: string;
  first: string;
  middle: string;
  last: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  postal: string;
  email: string;
  dob: string | null;
  altPhone: string;
  comments: string;
}

class PhoneFactory {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  reserve(national: string): void {
    this.used.add(national);
  }

  /** A new, unused 10-digit NANP number in `area`. Exchange 2–9xx, never N11, never 555 unless `fictional`. */
  make(area: AreaCode, fictional = false): string {
    for (;;) {
      let exchange: string;
      let line: string;
      if (fictional) {
        exchange = "555";
        line = "01" + this.rng.digits(2); // 555-0100..0199: reserved for fiction
      } else {
        exchange = String(this.rng.int(2, 9)) + this.rng.digits(2);
        if (
          exchange.slice(1) === "11" ||
          exchange === "555" ||
          exchange === "950" ||
          exchange === "958" ||
          exchange === "959"
        )
          continue;
        line = this.rng.digits(4);
      }
      const national = area.code + exchange + line;
      if (this.used.has(national)) continue;
      this.used.add(national);
      return national;
    }
  }
}

function makePerson(rng: Rng, area: AreaCode, phones: PhoneFactory): Person {
  const gender = rng.chance(0.5) ? "F" : "M";
  const first = rng.pick(gender === "F" ? FIRST_F : FIRST_M);
  const last = rng.pick(LAST);
  const [city, zip3] = area === AREA_900 ? rng.pick(DEMO_AREA_CODES).cities[0] : rng.pick(area.cities);
  const zip = zip3 + rng.digits(2) + (rng.chance(0.1) ? "-" + rng.digits(4) : "");
  const street = `${rng.int(1, 19999)} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
  const address2 = rng.chance(0.15)
    ? rng.pick(["Apt ", "Unit ", "Suite "]) + rng.int(1, 499) + (rng.chance(0.3) ? "B" : "")
    : "";
  const emailLocal =
    `${first}.${last}`.toLowerCase().replace(/[^a-z0-9.]/g, "") + (rng.chance(0.5) ? String(rng.int(1, 99)) : "");
  const email = rng.chance(0.65) ? `${emailLocal}@${rng.pick(EMAIL_DOMAINS)}` : "";
  const dob = rng.chance(0.3) ? `${rng.int(1940, 2003)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}` : null;
  let altPhone = "";
  if (rng.chance(0.08)) {
    const alt = phones.make(rng.weighted(DEMO_AREA_CODES.map((a) => [a, a.weight] as const)));
    altPhone = `${alt.slice(0, 3)}-${alt.slice(3, 6)}-${alt.slice(6)}`; // 12 chars: alt_phone is VARCHAR(12)
  }
  return {
    gender,
    title: rng.chance(0.3) ? rng.pick(gender === "F" ? ["Ms", "Mrs", "Dr"] : ["Mr", "Dr"]) : "",
    first,
    middle: rng.chance(0.3) ? String.fromCharCode(65 + rng.int(0, 25)) : "",
    last,
    address1: street.slice(0, 100),
    address2,
    city,
    state: area.state,
    postal: zip,
    email: email.slice(0, 70),
    dob,
    altPhone,
    comments: rng.chance(0.1) ? rng.pick(COMMENTS) : "",
  };
}

function vendorCode(rng: Rng, used: Set<string>): string {
  for (;;) {
    const style = rng.float();
    let code: string;
    if (style < 0.6) code = "VND-" + rng.digits(7);
    else if (style < 0.8) code = String(rng.int(1, 9)) + rng.digits(9);
    else if (style < 0.95) code = "L" + rng.int(10, 99) + "AB" + rng.digits(6);
    // VICIdial accepts spaces in vendor_lead_code; Brain's external_lead_id does not.
    else code = "AB " + rng.digits(6);
    if (code.length > 20 || used.has(code.toLowerCase())) continue;
    used.add(code.toLowerCase());
    return code;
  }
}

interface PlannedRow {
  genIndex: number;
  phoneKey: string;
  national: string;
  area: AreaCode;
  person: Person;
  listId: number;
  campaignId: string | null;
  ageMs: number;
  status: string;
  vendor: string | null;
  sourceId: string;
}

const BASE_STATUS_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["NEW", 27],
  ["NA", 16],
  ["AA", 5],
  ["AB", 2],
  ["DROP", 5],
  ["A", 7],
  ["B", 4],
  ["DC", 3],
  ["CALLBK", 6],
  ["SALE", 4],
  ["NI", 8],
  ["DNC", 3],
  ["DEC", 2],
];

function statusWeightsFor(campaignId: string | null): ReadonlyArray<readonly [string, number]> {
  if (campaignId === "Auto2") return [...BASE_STATUS_WEIGHTS, ["HOTLD", 3]];
  if (campaignId === "Autodial") return [...BASE_STATUS_WEIGHTS, ["NQ", 3]];
  return BASE_STATUS_WEIGHTS;
}

/** The demo data set for these options: every row seedDemoVici writes and what each phone got. */
export function buildDemoDataset(opts: DemoOptions): DemoDataset {
  const n = opts.leads ?? DEMO_DEFAULT_LEADS;
  if (!Number.isInteger(n) || n < 1 || n > 5_000_000)
    throw new RangeError(`demo data: leads must be 1..5,000,000, got ${n}`);
  const seed = (opts.seed ?? DEMO_DEFAULT_SEED) >>> 0;
  assertZone(opts.timeZone);
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000;
  const tz = opts.timeZone;

  const rngPhone = new Rng(seed, "phones");
  const rngPerson = new Rng(seed, "people");
  const rngRow = new Rng(seed, "rows");
  const rngCall = new Rng(seed, "calls");
  const rngDnc = new Rng(seed, "dnc");
  const phones = new PhoneFactory(rngPhone);

  // 1. Phones and their rows (lists, statuses, vendor codes), in generation order.
  const orphanRows = Math.min(n, Math.max(3, Math.round(n * 0.005)));
  const regularRows = n - orphanRows;
  const expectedPhones = Math.max(1, Math.round(regularRows / 1.17));
  const count900 = Math.min(5, Math.floor(regularRows / 100));
  const count555 = Math.min(3, Math.floor(regularRows / 200));
  const step900 = count900 ? Math.floor(expectedPhones / count900) : 0;
  const step555 = count555 ? Math.floor(expectedPhones / count555) : 0;
  let made900 = 0;
  let made555 = 0;
  const unknownStatusAt = Math.floor(regularRows * 0.37);
  let madeUnknown = false;
  const usedVendor = new Set<string>();
  const planned: PlannedRow[] = [];
  const areaWeights = DEMO_AREA_CODES.map((a) => [a, a.weight] as const);
  let phoneIndex = 0;

  const planPhone = (listIds: number[], forceArea?: AreaCode) => {
    const k = phoneIndex++;
    let area = forceArea ?? rngPhone.weighted(areaWeights);
    let fictional = false;
    if (!forceArea && step900 && k % step900 === 7 && made900 < count900) {
      area = AREA_900;
      made900++;
    } else if (!forceArea && step555 && k % step555 === 3 && made555 < count555) {
      fictional = true;
      made555++;
    }
    const national = phones.make(area, fictional);
    const person = makePerson(rngPerson, area, phones);
    let sharedVendor: string | null = null;
    listIds.forEach((listId, i) => {
      const list = DEMO_LISTS.find((l) => l.listId === listId);
      const campaignId = list?.campaignId ?? null;
      const genIndex = planned.length;
      // Rows of one phone are the same household; sometimes another member's name.
      const rowPerson =
        i > 0 && rngRow.chance(0.2)
          ? { ...person, first: rngRow.pick(person.gender === "F" ? FIRST_F : FIRST_M) }
          : person;
      let status: string;
      if (!list) status = "NEW";
      else if (area === AREA_900)
        status = campaignId === "Auto2" ? "DNCL" : "NEW"; // the hopper marked it (AREACODE)
      else if (genIndex >= unknownStatusAt && !madeUnknown) {
        status = DEMO_UNKNOWN_STATUS; // exactly one row, a third of the way in
        madeUnknown = true;
      } else status = rngRow.weighted(statusWeightsFor(campaignId));
      let vendor: string | null;
      if (i > 0 && sharedVendor && rngRow.chance(0.5))
        vendor = sharedVendor; // same vendor file loaded into two lists
      else if (rngRow.chance(0.25)) vendor = vendorCode(rngRow, usedVendor);
      else vendor = rngRow.chance(0.3) ? null : "";
      if (i === 0 && vendor) sharedVendor = vendor;
      // Called rows were loaded at least 2 days ago; new ones any time in the last 180 days.
      const ageMs =
        status === "NEW" || status === "DNCL"
          ? rngRow.int(600, 180 * 86_400) * 1000
          : rngRow.int(2 * 86_400, 180 * 86_400) * 1000;
      planned.push({
        genIndex,
        phoneKey: "1" + national,
        national,
        area,
        person: rowPerson,
        listId,
        campaignId,
        ageMs,
        status,
        vendor,
        sourceId: list ? rngRow.pick(list.sourceIds) : "VICIDIAL-SAMPLE",
      });
    });
  };

  const listWeights = DEMO_LISTS.map((l) => [l.listId, l.weight] as const);
  while (planned.length < regularRows) {
    let m = rngRow.chance(0.12) ? (rngRow.chance(0.7) ? 2 : 3) : 1;
    m = Math.min(m, regularRows - planned.length);
    const chosen: number[] = [];
    while (chosen.length < m) {
      const id = rngRow.weighted(listWeights.filter(([lid]) => !chosen.includes(lid)));
      chosen.push(id);
    }
    planPhone(chosen);
  }
  for (let i = 0; i < orphanRows; i++) planPhone([DEMO_ORPHAN_LIST_ID], rngPhone.pick(DEMO_AREA_CODES));

  // 2. The conflict case: a second phone's row takes the vendor code of an earlier phone's row.
  let conflictRows: [PlannedRow, PlannedRow] | null = null;
  {
    const rowsPerPhone = new Map<string, number>();
    for (const r of planned) rowsPerPhone.set(r.phoneKey, (rowsPerPhone.get(r.phoneKey) ?? 0) + 1);
    const start = Math.floor(planned.length / 3);
    let first: PlannedRow | null = null;
    for (let i = start; i < planned.length && !conflictRows; i++) {
      const r = planned[i];
      if (!r.vendor || r.campaignId === null || r.area === AREA_900 || !isExternalLeadId(r.vendor)) continue;
      if (rowsPerPhone.get(r.phoneKey) !== 1) continue; // single-row phones only
      if (!first) first = r;
      else if (r.phoneKey !== first.phoneKey) {
        r.vendor = first.vendor;
        conflictRows = [first, r];
      }
    }
  }

  // 3. lead_id in load order (oldest entry first), like an auto-increment over time.
  const byAge = [...planned].sort((a, b) => b.ageMs - a.ageMs || a.genIndex - b.genIndex);
  const leadIdOf = new Map<PlannedRow, number>();
  byAge.forEach((r, i) => leadIdOf.set(r, i + 1));

  // 4. Rows and their call history.
  const leads: DemoLeadRow[] = [];
  const calls: DemoCallRow[] = [];
  const uniqueIds = new Set<string>();
  let callSeq = 0;
  const offsetByZone = new Map<string, number>();
  const offsetOf = (zone: string) => {
    let o = offsetByZone.get(zone);
    if (o === undefined) offsetByZone.set(zone, (o = offsetHoursAt(zone, nowMs)));
    return o;
  };
  const lastCallByLead = new Map<number, number>();

  for (const r of byAge) {
    const leadId = leadIdOf.get(r)!;
    const entryMs = nowMs - r.ageMs;
    const off = offsetOf(r.area.zone);
    const called = r.status !== "NEW" && r.status !== "DNCL";
    const callTimes: number[] = [];
    if (called) {
      const k = rngCall.weighted([
        [1, 35],
        [2, 25],
        [3, 18],
        [4, 10],
        [5, 7],
        [6, 3],
        [7, 1],
        [8, 1],
      ] as const);
      const maxBack = Math.min(120, r.ageMs / DAY_MS);
      const recentMax = Math.min(DEMO_RECENT_CALL_DAYS, maxBack);
      const lastBack =
        rngCall.chance(0.4) || maxBack <= DEMO_RECENT_CALL_DAYS
          ? rngCall.float() * recentMax
          : DEMO_RECENT_CALL_DAYS + rngCall.float() * (maxBack - DEMO_RECENT_CALL_DAYS);
      const backs = [lastBack];
      for (let i = 1; i < k; i++) backs.push(lastBack + rngCall.float() * (maxBack - lastBack));
      const todayLocalStart = Math.floor((nowMs + off * 3_600_000) / DAY_MS) * DAY_MS;
      // Calls start 09:15–20:29 on the lead's clock: the 2-minute spacing below moves a call at
      // most 14 minutes later (8 calls) and the overflow shift at most 15 minutes earlier, so
      // every call stays within 09:00–20:59.
      const FROM = (9 * 3600 + 15 * 60) * 1000;
      const TO = (20 * 3600 + 30 * 60) * 1000;
      const localTod = (t: number) => (((t + off * 3_600_000) % DAY_MS) + DAY_MS) % DAY_MS;
      for (const back of backs) {
        const d = Math.floor(back);
        const tod = rngCall.int(FROM / 1000, TO / 1000 - 1) * 1000;
        let t = todayLocalStart - d * DAY_MS + tod - off * 3_600_000;
        if (t > nowMs - 60_000) t -= DAY_MS;
        if (t <= entryMs) {
          // Soon after the lead was loaded, or the next morning when that is outside calling hours
          // (a called lead is at least 2 days old, so this is still in the past).
          t = entryMs + rngCall.int(60, 3600) * 1000;
          const tt = localTod(t);
          if (tt < FROM) t += FROM - tt + rngCall.int(0, 3600) * 1000;
          else if (tt >= TO) t += DAY_MS - tt + FROM + rngCall.int(0, 3600) * 1000;
        }
        callTimes.push(Math.min(t, nowMs - 60_000));
      }
      callTimes.sort((a, b) => a - b);
      for (let i = 1; i < callTimes.length; i++) {
        if (callTimes[i] - callTimes[i - 1] < 120_000) callTimes[i] = callTimes[i - 1] + 120_000;
      }
      // A pushed-forward time must stay in the past.
      const overflow = callTimes[callTimes.length - 1] - (nowMs - 60_000);
      if (overflow > 0) for (let i = 0; i < callTimes.length; i++) callTimes[i] -= overflow;
    }

    let lastUser = "6666"; // VICIdial's default admin user loaded the list
    callTimes.forEach((t, i) => {
      const isLast = i === callTimes.length - 1;
      const status = isLast
        ? r.status
        : rngCall.weighted([
            ["NA", 50],
            ["AA", 20],
            ["AB", 10],
            ["DROP", 8],
            ["A", 7],
            ["B", 5],
          ] as const);
      const byDialer = DIALER_STATUSES.has(status);
      const user = byDialer ? "VDAD" : rngCall.pick(AGENTS);
      const manual = !byDialer && rngCall.chance(0.1);
      let length: number;
      if (status === "NA") length = rngCall.int(0, 35);
      else if (status === "AA") length = rngCall.int(8, 35);
      else if (status === "AB") length = rngCall.int(0, 2);
      else if (status === "DROP") length = rngCall.int(1, 12);
      else if (status === "A" || status === "B" || status === "DC") length = rngCall.int(3, 60);
      else if (status === "SALE" || status === "HOTLD") length = rngCall.int(300, 1500);
      else length = rngCall.int(30, 900);
      const start = Math.floor(t / 1000);
      let uniqueid: string;
      do {
        uniqueid = `${start}.${100000 + (callSeq++ % 900000)}`;
      } while (uniqueIds.has(uniqueid));
      uniqueIds.add(uniqueid);
      calls.push({
        uniqueid,
        lead_id: leadId,
        list_id: r.listId,
        campaign_id: r.campaignId!,
        call_date: instantToViciLocal(new Date(start * 1000), tz),
        start_epoch: start,
        end_epoch: start + length,
        length_in_sec: length,
        status,
        phone_code: "1",
        phone_number: r.national,
        user,
        comments: manual ? "MANUAL" : "AUTO",
        processed: "N",
        user_group: byDialer ? null : "AGENTS",
        term_reason: status === "DROP" ? "ABANDON" : byDialer ? "NONE" : rngCall.chance(0.5) ? "AGENT" : "CALLER",
        alt_dial: "MAIN",
        called_count: i + 1,
      });
      if (isLast) {
        lastUser = user;
        lastCallByLead.set(leadId, start);
      }
    });

    const k = callTimes.length;
    const lastAt = k ? callTimes[k - 1] : entryMs;
    const p = r.person;
    leads.push({
      lead_id: leadId,
      entry_date: instantToViciLocal(new Date(entryMs), tz),
      status: r.status,
      user: lastUser,
      vendor_lead_code: r.vendor,
      source_id: r.sourceId,
      list_id: r.listId,
      gmt_offset_now: off.toFixed(2),
      called_since_last_reset: k === 0 ? "N" : rngCall.chance(0.15) ? "N" : k === 1 ? "Y" : `Y${Math.min(k - 1, 10)}`,
      phone_code: "1",
      phone_number: r.national,
      title: p.title,
      first_name: p.first.slice(0, 30),
      middle_initial: p.middle,
      last_name: p.last.slice(0, 30),
      address1: p.address1,
      address2: p.address2,
      address3: "",
      city: p.city,
      state: p.state,
      province: "",
      postal_code: p.postal,
      country_code: "USA",
      gender: rngRow.chance(0.1) ? "U" : p.gender,
      date_of_birth: p.dob,
      alt_phone: p.altPhone,
      email: p.email,
      security_phrase: "",
      comments: p.comments,
      called_count: k,
      last_local_call_time: formatAtOffset(lastAt, off),
      rank: 0,
      owner: "",
      entry_list_id: 0,
    });
  }
  leads.sort((a, b) => a.lead_id - b.lead_id);

  // 5. DNC lists.
  const campaignOf = new Map(DEMO_LISTS.map((l) => [l.listId, l.campaignId]));
  const campaignById = new Map(DEMO_CAMPAIGNS.map((c) => [c.campaignId, c]));
  const dnc = new Set<string>();
  for (const l of leads) {
    const c = campaignById.get(campaignOf.get(l.list_id) ?? "");
    // An agent's DNC disposition adds the number where the campaign uses the system list.
    if (l.status === "DNC" && c && c.useInternalDnc !== "N") dnc.add(l.phone_number);
  }
  const distinctNationals = [
    ...new Set(leads.filter((l) => !l.phone_number.startsWith("900")).map((l) => l.phone_number)),
  ];
  // Numbers from an external scrub: in the lead set, status untouched (the hopper has not met them yet).
  const scrubbed = Math.max(1, Math.round(distinctNationals.length * 0.01));
  for (let i = 0; i < scrubbed; i++) dnc.add(rngDnc.pick(distinctNationals));
  for (let i = 0; i < 5; i++) dnc.add(phones.make(rngDnc.weighted(areaWeights))); // not in the lead set
  dnc.add(DEMO_DNC_WILDCARD);
  const campaignDnc: Array<{ phone_number: string; campaign_id: string }> = [];
  const auto2Phones = [
    ...new Set(
      leads
        .filter(
          (l) => campaignOf.get(l.list_id) === "Auto2" && !dnc.has(l.phone_number) && !l.phone_number.startsWith("900"),
        )
        .map((l) => l.phone_number),
    ),
  ];
  const campaignDncSet = new Set<string>();
  for (let i = 0; i < 3 && auto2Phones.length; i++) {
    const ph = rngDnc.pick(auto2Phones);
    if (!campaignDncSet.has(ph)) campaignDncSet.add(ph);
  }
  campaignDncSet.add(phones.make(rngDnc.weighted(areaWeights)));
  for (const ph of [...campaignDncSet].sort()) campaignDnc.push({ phone_number: ph, campaign_id: "Auto2" });
  const dncList = [...dnc].sort();

  // 6. Per phone, what was generated (its rows, its last call, the DNC lists it was put on):
  // tests derive what the real import must make of it.
  const systemStatuses = DEFAULT_SYSTEM_STATUSES;
  const byPhone = new Map<string, DemoLeadRow[]>();
  for (const l of leads) {
    const key = l.phone_code + l.phone_number;
    const arr = byPhone.get(key);
    if (arr) arr.push(l);
    else byPhone.set(key, [l]);
  }
  const phoneMap = new Map<string, DemoPhone>();
  for (const [key, rows] of byPhone) {
    let lastAt: number | null = null;
    for (const r of rows) {
      const at = lastCallByLead.get(r.lead_id) ?? null;
      if (at !== null && (lastAt === null || at > lastAt)) lastAt = at;
    }
    const national = rows[0].phone_number;
    phoneMap.set(key, {
      phoneCode: rows[0].phone_code,
      phoneNumber: national,
      leadIds: rows.map((r) => r.lead_id),
      listIds: rows.map((r) => r.list_id),
      lastCallEpoch: lastAt,
      onSystemDnc: dnc.has(national),
      onWildcardDnc: dnc.has(areaCodeEntry(national)),
      onCampaignDnc: campaignDncSet.has(national),
    });
  }

  const conflict = conflictRows
    ? {
        code: conflictRows[0].vendor!,
        leadIds: [leadIdOf.get(conflictRows[0])!, leadIdOf.get(conflictRows[1])!] as [number, number],
      }
    : null;

  return {
    seed,
    now: new Date(nowMs),
    timeZone: tz,
    campaigns: DEMO_CAMPAIGNS,
    lists: DEMO_LISTS,
    systemStatuses,
    campaignStatuses: DEMO_CAMPAIGN_STATUSES,
    leads,
    calls,
    dnc: dncList,
    campaignDnc,
    phones: phoneMap,
    vendorCodeConflict: conflict,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing Vici

const yn = (b: unknown): "Y" | "N" => (b ? "Y" : "N");

async function insertRows(
  conn: Connection,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
): Promise<void> {
  const cols = columns.map((c) => `\`${c}\``).join(", ");
  for (let i = 0; i < rows.length; i += DEMO_BATCH) {
    const batch = rows.slice(i, i + DEMO_BATCH);
    const [res] = await conn.query<ResultSetHeader>(`INSERT INTO \`${table}\` (${cols}) VALUES ?`, [batch]);
    if (res.warningStatus > 0) {
      const [warnings] = await conn.query<RowDataPacket[]>("SHOW WARNINGS LIMIT 5");
      throw new Error(
        `demo data: INSERT INTO ${table} raised ${res.warningStatus} warning(s) (a lax server would store altered values): ` +
          warnings.map((w) => `${w.Level} ${w.Code} ${w.Message}`).join("; "),
      );
    }
  }
}

function statusTableRow(s: StatusRow, withCampaign: boolean): unknown[] {
  const row: unknown[] = [
    s.status,
    String(s.statusName ?? s.status).slice(0, 30),
    yn((s as Partial<DefaultSystemStatus>).selectable ?? withCampaign),
    yn(s.humanAnswered),
    yn(s.sale),
    yn(s.dnc),
    yn(s.customerContact),
    yn(s.notInterested),
    yn(s.unworkable),
    yn(s.scheduledCallback),
    yn(s.completed),
    yn(s.answeringMachine),
  ];
  if (withCampaign) row.push(s.campaignId);
  return row;
}

const STATUS_COLUMNS = [
  "status",
  "status_name",
  "selectable",
  "human_answered",
  "sale",
  "dnc",
  "customer_contact",
  "not_interested",
  "unworkable",
  "scheduled_callback",
  "completed",
  "answering_machine",
] as const;

const LEAD_COLUMNS: ReadonlyArray<keyof DemoLeadRow> = [
  "lead_id",
  "entry_date",
  "status",
  "user",
  "vendor_lead_code",
  "source_id",
  "list_id",
  "gmt_offset_now",
  "called_since_last_reset",
  "phone_code",
  "phone_number",
  "title",
  "first_name",
  "middle_initial",
  "last_name",
  "address1",
  "address2",
  "address3",
  "city",
  "state",
  "province",
  "postal_code",
  "country_code",
  "gender",
  "date_of_birth",
  "alt_phone",
  "email",
  "security_phrase",
  "comments",
  "called_count",
  "last_local_call_time",
  "rank",
  "owner",
  "entry_list_id",
];

const CALL_COLUMNS: ReadonlyArray<keyof DemoCallRow> = [
  "uniqueid",
  "lead_id",
  "list_id",
  "campaign_id",
  "call_date",
  "start_epoch",
  "end_epoch",
  "length_in_sec",
  "status",
  "phone_code",
  "phone_number",
  "user",
  "comments",
  "processed",
  "user_group",
  "term_reason",
  "alt_dial",
  "called_count",
];

/**
 * Writes the demo data set into a Vici database whose tables exist (project DDL) and whose
 * vicidial_list is empty; when vicidial_list already has rows, writes nothing and returns
 * `skipped: true`. vicidial_list is written first, so a run killed half way leaves a
 * non-empty table and is not repeated on top of itself: recreate the demo database instead.
 */
export async function seedDemoVici(conn: Connection, opts: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const seed = (opts.seed ?? DEMO_DEFAULT_SEED) >>> 0;
  const [existing] = await conn.query<RowDataPacket[]>("SELECT lead_id FROM vicidial_list LIMIT 1");
  if (existing.length > 0) return summarize(conn, opts, seed, true, started);

  const ds = buildDemoDataset(opts);
  const tz = ds.timeZone;

  await insertRows(
    conn,
    "vicidial_list",
    LEAD_COLUMNS,
    ds.leads.map((l) => LEAD_COLUMNS.map((c) => l[c])),
  );
  await insertRows(
    conn,
    "vicidial_log",
    CALL_COLUMNS,
    ds.calls.map((c) => CALL_COLUMNS.map((k) => c[k])),
  );

  const lastCallByList = new Map<number, string>();
  const lastCallByCampaign = new Map<string, string>();
  for (const c of ds.calls) {
    if ((lastCallByList.get(c.list_id) ?? "") < c.call_date) lastCallByList.set(c.list_id, c.call_date);
    if ((lastCallByCampaign.get(c.campaign_id) ?? "") < c.call_date) lastCallByCampaign.set(c.campaign_id, c.call_date);
  }
  // Call dates within one zone compare correctly as strings except in a DST fall-back hour: good enough for these columns.
  const changeDate = instantToViciLocal(new Date(ds.now.getTime() - 200 * DAY_MS), tz);

  await insertRows(
    conn,
    "vicidial_campaigns",
    [
      "campaign_id",
      "campaign_name",
      "active",
      "dial_method",
      "auto_dial_level",
      "lead_order",
      "hopper_level",
      "dial_statuses",
      "local_call_time",
      "use_internal_dnc",
      "use_campaign_dnc",
      "call_count_limit",
      "drop_lockout_time",
      "campaign_changedate",
      "campaign_calldate",
    ],
    ds.campaigns.map((c) => [
      c.campaignId,
      c.name,
      "Y",
      c.dialMethod,
      c.autoDialLevel,
      "DOWN COUNT",
      50,
      c.dialStatuses,
      "9am-9pm",
      c.useInternalDnc,
      c.useCampaignDnc,
      c.callCountLimit,
      c.dropLockoutTime,
      changeDate,
      lastCallByCampaign.get(c.campaignId) ?? null,
    ]),
  );
  await insertRows(
    conn,
    "vicidial_lists",
    [
      "list_id",
      "list_name",
      "campaign_id",
      "active",
      "list_description",
      "list_changedate",
      "list_lastcalldate",
      "reset_time",
      "expiration_date",
    ],
    ds.lists.map((l) => [
      l.listId,
      l.name.slice(0, 30),
      l.campaignId,
      "Y",
      `${DEMO_LIST_DESCRIPTION_PREFIX} (campaign ${l.campaignId})`,
      changeDate,
      lastCallByList.get(l.listId) ?? null,
      "",
      "2099-12-31",
    ]),
  );
  await insertRows(
    conn,
    "vicidial_statuses",
    STATUS_COLUMNS,
    ds.systemStatuses.map((s) => statusTableRow(s, false)),
  );
  await insertRows(
    conn,
    "vicidial_campaign_statuses",
    [...STATUS_COLUMNS, "campaign_id"],
    ds.campaignStatuses.map((s) => statusTableRow(s, true)),
  );
  await insertRows(
    conn,
    "vicidial_dnc",
    ["phone_number"],
    ds.dnc.map((p) => [p]),
  );
  await insertRows(
    conn,
    "vicidial_campaign_dnc",
    ["phone_number", "campaign_id"],
    ds.campaignDnc.map((d) => [d.phone_number, d.campaign_id]),
  );
  await insertDemoDialability(conn);

  return summarize(conn, opts, seed, false, started);
}

/** What call verdicts need besides the leads: the stock call times and the area codes' time zones (a real VICIdial has both). */
export async function insertDemoDialability(conn: Connection): Promise<void> {
  await insertRows(
    conn,
    "vicidial_call_times",
    ["call_time_id", "call_time_name", "ct_default_start", "ct_default_stop", "ct_state_call_times", "ct_holidays"],
    DEMO_CALL_TIMES.map((c) => [c.id, c.name, c.start, c.stop, "", ""]),
  );
  const codes = demoPhoneCodes();
  const cols = Object.keys(codes[0]);
  await insertRows(
    conn,
    "vicidial_phone_codes",
    cols,
    codes.map((c) => cols.map((k) => c[k as keyof typeof c])),
  );
}

async function summarize(
  conn: Connection,
  opts: DemoOptions,
  seed: number,
  skipped: boolean,
  started: number,
): Promise<DemoSummary> {
  const tables = {} as DemoSummary["tables"];
  for (const t of DEMO_TABLES) {
    const [[r]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t}\``);
    tables[t] = Number(r.n);
  }
  const [[phones]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS phones, COALESCE(SUM(lists > 1), 0) AS multi
       FROM (SELECT phone_code, phone_number, COUNT(DISTINCT list_id) AS lists FROM vicidial_list GROUP BY phone_code, phone_number) p`,
  );
  const [[vendor]] = await conn.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM vicidial_list WHERE vendor_lead_code IS NOT NULL AND vendor_lead_code <> ''",
  );
  const [conflicts] = await conn.query<RowDataPacket[]>(
    `SELECT MIN(vendor_lead_code) AS code FROM vicidial_list
      WHERE vendor_lead_code IS NOT NULL AND vendor_lead_code <> ''
      GROUP BY vendor_lead_code HAVING COUNT(DISTINCT phone_code, phone_number) > 1 ORDER BY code`,
  );
  const [orphans] = await conn.query<RowDataPacket[]>(
    `SELECT DISTINCT vl.list_id FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
      WHERE l.list_id IS NULL ORDER BY vl.list_id`,
  );
  const nowMs = (opts.now ?? new Date()).getTime();
  const since = instantToViciLocal(new Date(nowMs - DEMO_RECENT_CALL_DAYS * DAY_MS), opts.timeZone);
  const [[recent]] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM vicidial_log WHERE call_date >= ?", [
    since,
  ]);
  return {
    skipped,
    seed,
    tables,
    distinctPhones: Number(phones.phones),
    phonesOnMultipleLists: Number(phones.multi),
    rowsWithVendorCode: Number(vendor.n),
    conflictingVendorCodes: conflicts.map((c) => String(c.code)),
    orphanListIds: orphans.map((o) => Number(o.list_id)),
    callsWithin30Days: Number(recent.n),
    ms: Date.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------
// Brain-only leads

/** A lead that reached Brain through the API and was never pushed to VICIdial. */
export interface DemoBrainOnlyLead {
  phone: string;
  first_name: string;
  last_name: string;
  email: string | null;
  address1: string;
  address2: string | null;
  city: string;
  state: string;
  postal_code: string;
  source: string;
}

/**
 * `count` Brain-only leads, their phones never among `viciNationals` (the demo Vici's numbers):
 * the same ones for the same seed, so loading them again adds nothing.
 */
export function demoBrainOnlyLeads(
  viciNationals: Iterable<string>,
  count = DEMO_DEFAULT_BRAIN_ONLY,
  seed = DEMO_DEFAULT_SEED,
): DemoBrainOnlyLead[] {
  const rng = new Rng(seed >>> 0, "brain-only");
  const phones = new PhoneFactory(rng);
  for (const n of viciNationals) phones.reserve(n);
  const areaWeights = DEMO_AREA_CODES.map((a) => [a, a.weight] as const);
  const out: DemoBrainOnlyLead[] = [];
  for (let i = 0; i < count; i++) {
    const area = rng.weighted(areaWeights);
    const e164 = fromViciPhone("1", phones.make(area), DEMO_REGION);
    if (!e164) continue;
    const p = makePerson(rng, area, phones);
    out.push({
      phone: e164,
      first_name: p.first,
      last_name: p.last,
      email: p.email || null,
      address1: p.address1,
      address2: p.address2 || null,
      city: p.city,
      state: p.state,
      postal_code: p.postal,
      source: rng.pick(["WEBFORM", "PARTNER-API", "LANDING-PAGE-7"]),
    });
  }
  return out;
}

/** vicidial_list's row count (the demo fills only an empty one). */
export async function viciLeadCount(conn: Connection): Promise<number> {
  const [[{ n }]] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM vicidial_list");
  return Number(n);
}

/** Whether this VICIdial holds the demo's lists (DEMO_LIST_DESCRIPTION_PREFIX): the demo never imports a real dialer's leads. */
export async function isDemoVici(conn: Connection): Promise<boolean> {
  const [[marker]] = await conn.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM vicidial_lists WHERE list_description LIKE CONCAT(?, '%')",
    [DEMO_LIST_DESCRIPTION_PREFIX],
  );
  return Number(marker.n) > 0;
}

/** Every distinct phone_number of vicidial_list (the Brain-only demo leads avoid them). */
export async function viciPhoneNumbers(conn: Connection): Promise<string[]> {
  const [numbers] = await conn.query<RowDataPacket[]>("SELECT DISTINCT phone_number FROM vicidial_list");
  return numbers.map((r) => String(r.phone_number));
}
