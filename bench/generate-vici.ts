/**
 * A realistic VICIdial database of N leads for the sync benchmarks, written STREAMED: rows are
 * generated in lead_id order and sent in multi-row INSERTs of CHUNK rows while the next chunk
 * is generated, so memory stays flat whatever N is (the demo generator, buildDemoDataset,
 * keeps the whole data set in memory: fine for 3k leads, not for 1M).
 *
 *   npm run bench:generate -- [--leads 1000000] [--seed 20250811] [--conflict-gap 60000] [--url mysql://root@127.0.0.1:3306/bench_vici]
 *
 * or as a library: `await generateVici(url, { leads, seed })`.
 *
 * The database is dropped and recreated with the project DDL (recreateViciDatabase). What it
 * holds, deterministically for a seed (dates are relative to `now`):
 *   - campaigns, lists, system and campaign statuses of the demo (DEMO_CAMPAIGNS, DEMO_LISTS,
 *     DEFAULT_SYSTEM_STATUSES, DEMO_CAMPAIGN_STATUSES) and ~0.5% orphan rows in list 101 (no
 *     vicidial_lists row, like VICIdial's sample list);
 *   - vicidial_list: lead_id in load order (entry_date rises with lead_id over ~200 days);
 *     ~12% of the phones are on 2–3 lists, their later rows loaded anywhere later in the
 *     table (another list load), mostly the same person; phones unique per area code without
 *     a "seen" set (a bijection of a per-area counter); statuses mostly NA/NEW/A/B/DROP/AA,
 *     some NI/CALLBK/SALE/DC/DNC/...; ~25% of rows with a vendor_lead_code (unique per row
 *     or shared by the rows of one phone, 5% with a space that Brain's ids refuse, and
 *     ~0.2% of the codes carried by two phones, one row each, at least `conflictGap` phones
 *     apart);
 *   - vicidial_log: 1–3 calls per called lead (status not NEW) between 09:00 and 20:59 on the
 *     lead's clock, within the last 180 days and after the entry date; the last one has the
 *     lead's status; call_date in the server zone (instantToViciLocal);
 *   - vicidial_dnc: numbers of DNC-status rows (campaigns using the system list), a 1% scrub,
 *     the 900XXXXXXX wildcard (and a few 900 numbers in the leads); vicidial_campaign_dnc:
 *     ~0.2% of Auto2's phones;
 *   - VICIdial's stock call times and the area codes' vicidial_phone_codes rows (the demo's).
 * Every value is valid in strict sql_mode; an INSERT that raises a warning fails the run.
 */
import "reflect-metadata";
import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { DateTime } from "luxon";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import {
  DEMO_AREA_CODES,
  DEMO_CAMPAIGNS,
  DEMO_CAMPAIGN_STATUSES,
  DEMO_DEFAULT_SEED,
  DEMO_DNC_WILDCARD,
  DEMO_LISTS,
  DEMO_ORPHAN_LIST_ID,
  insertDemoDialability,
  Rng,
} from "../src/vici/demo-data";
import { DEFAULT_SYSTEM_STATUSES, type StatusRow } from "../src/vici/rules/status-category";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { connectServer, recreateViciDatabase } from "../src/vici/vici-ddl";

export interface GenerateViciOptions {
  /** vicidial_list rows (default 1,000,000). */
  leads?: number;
  /** PRNG seed (default the demo's). */
  seed?: number;
  /** The Vici server's IANA zone (default America/New_York). */
  timeZone?: string;
  /** "Now" of the history (default: the current time). */
  now?: Date;
  /** Rows per multi-row INSERT (default 2000). */
  chunk?: number;
  /**
   * The two phones that carry one vendor code are at least this many phones apart (default
   * 60,000: never in one job batch, which is at most 50,000 rows).
   */
  conflictGap?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface GenerateViciSummary {
  leads: number;
  calls: number;
  dnc: number;
  campaignDnc: number;
  phones: number;
  phonesOnMultipleLists: number;
  rowsWithVendorCode: number;
  /** Rows per campaign (null: orphan list). */
  rowsByCampaign: Record<string, number>;
  /** Wall time of the row stream (generation + INSERTs) and of ENABLE KEYS (index build). */
  loadSeconds: number;
  indexSeconds: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
}

export const BENCH_VICI_URL = "mysql://root@127.0.0.1:3306/bench_vici";
export const BENCH_TIME_ZONE = "America/New_York";
export const BENCH_DEFAULT_LEADS = 1_000_000;

const DAY_MS = 86_400_000;
/** entry_date of lead 1 is this long before now; the last lead was loaded just now. */
const ENTRY_SPAN_MS = 200 * DAY_MS;
/** Calls happen within this window before now. */
const CALL_WINDOW_MS = 180 * DAY_MS;
const MULTI_LIST_SHARE = 0.125; // a little above 12%: the last rows' repeats fall off the end
const ORPHAN_SHARE = 0.005;
const VENDOR_SHARE = 0.25;
/** Vendor-code indexes of the shared (conflicting) codes: above every row's 3 × phone + row. */
const CONFLICT_CODE_BASE = 15_000_000;

// ---------------------------------------------------------------------------------------------
// Small deterministic helpers (random streams: the demo's Rng)

/** A 32-bit integer hash of two numbers (murmur3's finalizer over a mix). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Weighted choice over a fixed table, by cumulative weights. */
class Weighted<T> {
  private readonly values: T[];
  private readonly cum: number[];
  private readonly total: number;
  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map(([v]) => v);
    let s = 0;
    this.cum = entries.map(([, w]) => (s += w));
    this.total = s;
  }
  pick(r: Rng): T {
    const x = r.float() * this.total;
    for (let i = 0; i < this.cum.length; i++) if (x < this.cum[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/** A fixed UTC offset (hours) wall clock: the lead's local time. */
function formatAtOffset(ms: number, offsetHours: number): string {
  const d = new Date(ms + offsetHours * 3_600_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** SQL literal for the multi-row VALUES lists (strings escaped as mysql's escaper does). */
function lit(v: string | number | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  return (
    "'" +
    v.replace(/[\0\n\r\b\t\\'"\x1a]/g, (c) =>
      c === "\0"
        ? "\\0"
        : c === "\n"
          ? "\\n"
          : c === "\r"
            ? "\\r"
            : c === "\b"
              ? "\\b"
              : c === "\t"
                ? "\\t"
                : c === "\x1a"
                  ? "\\Z"
                  : "\\" + c,
    ) +
    "'"
  );
}

// ---------------------------------------------------------------------------------------------
// Phones: unique without remembering them

/** NANP exchanges 200–999 minus N11, 555 and the 95x service codes. */
const EXCHANGES: number[] = [];
for (let e = 200; e <= 999; e++) {
  if (e % 100 === 11 || e === 555 || e === 950 || e === 958 || e === 959) continue;
  EXCHANGES.push(e);
}
const LOCAL_SPACE = EXCHANGES.length * 10_000;
/** Coprime with LOCAL_SPACE (= 7,880,000 = 2^6·5^4·197): the n-th number of an area is a bijection of n. */
const LOCAL_MULT = 2_654_437;
const LOCAL_ADD = 1_234_567;

interface Area {
  code: string;
  zone: string;
  state: string;
  cities: ReadonlyArray<readonly [string, string]>;
}
/** Premium-rate numbers: blocked by the 900XXXXXXX wildcard in AREACODE campaigns. */
const AREA_900: Area = { code: "900", zone: "America/New_York", state: "NY", cities: [["New York", "100"]] };

/** The n-th number of area `area` (its index; 900 numbers use −1): distinct for distinct n. */
function nthLocal(n: number, area: number): string {
  const x = (n * LOCAL_MULT + LOCAL_ADD + (area + 1) * 1_000_003) % LOCAL_SPACE; // n < 7.9M, n*mult < 2^53
  return String(EXCHANGES[Math.floor(x / 10_000)]) + pad(x % 10_000, 4);
}

// ---------------------------------------------------------------------------------------------
// People (our own short name lists; the demo's are private to it)

const FEMALE = [
  "Mary",
  "Linda",
  "Susan",
  "Karen",
  "Nancy",
  "Lisa",
  "Betty",
  "Sandra",
  "Donna",
  "Carol",
  "Ruth",
  "Sharon",
  "Michelle",
  "Laura",
  "Kimberly",
  "Deborah",
  "Angela",
  "Brenda",
  "Pamela",
  "Nicole",
  "Carmen",
  "Lucia",
  "Tamika",
  "Mei",
  "Anne-Marie",
];
const MALE = [
  "James",
  "John",
  "Robert",
  "Michael",
  "William",
  "David",
  "Richard",
  "Joseph",
  "Thomas",
  "Charles",
  "Gary",
  "Larry",
  "Scott",
  "Eric",
  "Stephen",
  "Raymond",
  "Gregory",
  "Frank",
  "Dennis",
  "Jerry",
  "Miguel",
  "Andre",
  "Hiroshi",
  "Darnell",
  "Jean-Luc",
];
const SURNAMES = [
  "Smith",
  "Johnson",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Wilson",
  "Moore",
  "Taylor",
  "Thomas",
  "Jackson",
  "White",
  "Harris",
  "Martin",
  "Thompson",
  "Garcia",
  "Martinez",
  "Robinson",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Allen",
  "Young",
  "King",
  "Wright",
  "Lopez",
  "Hill",
  "Green",
  "Adams",
  "Baker",
  "Nelson",
  "Carter",
  "Mitchell",
  "Perez",
  "Roberts",
  "Turner",
  "Phillips",
  "Campbell",
  "Parker",
  "Evans",
  "Edwards",
  "Collins",
  "Stewart",
  "Morris",
  "Murphy",
  "Cook",
  "Rogers",
  "O'Connor",
  "McAllister",
  "St. John",
  "Nguyen",
  "Kowalski",
  "Fitzgerald-Hughes",
];
const STREET_NAMES = [
  "Main",
  "Oak",
  "Pine",
  "Cedar",
  "Elm",
  "Lake",
  "Hill",
  "Park",
  "Sunset",
  "Church",
  "Mill",
  "River",
  "Spring",
  "Highland",
  "Forest",
  "Meadow",
  "Bay",
  "Harbor",
  "Orange Grove",
  "Dr Martin Luther King Jr",
];
const STREET_KINDS = ["St", "Ave", "Blvd", "Dr", "Ln", "Rd", "Ct", "Way", "Ter", "Cir"];
const MAIL_DOMAINS = ["example.com", "example.net", "example.org"];
const NOTES = [
  "Call after 6pm",
  "Wants a quote",
  "Spanish preferred",
  "Existing customer",
  "Do not leave voicemail",
  "Referral",
];
const AGENTS = Array.from({ length: 40 }, (_, i) => `agent${pad(i + 1, 3)}`);

interface Person {
  female: boolean;
  title: string;
  first: string;
  middle: string;
  last: string;
  address1: string;
  address2: string;
  city: string;
  postal: string;
  email: string;
  dob: string | null;
  altPhone: string;
  comments: string;
}

/** A person, a pure function of its seed: later rows of a phone regenerate it instead of storing it. */
function makePerson(seed: number, area: Area): Person {
  const r = new Rng(seed, "setup");
  const female = r.chance(0.5);
  const first = r.pick(female ? FEMALE : MALE);
  const last = r.pick(SURNAMES);
  const [city, zip3] = r.pick(area.cities);
  const local = (first + "." + last).toLowerCase().replace(/[^a-z.]/g, "");
  const alt = r.chance(0.08)
    ? r.pick(DEMO_AREA_CODES).code + "-" + String(r.int(200, 999)) + "-" + pad(r.int(0, 9999), 4)
    : "";
  return {
    female,
    title: r.chance(0.25) ? r.pick(female ? ["Ms", "Mrs"] : ["Mr"]) : "",
    first,
    middle: r.chance(0.25) ? String.fromCharCode(65 + r.int(0, 25)) : "",
    last,
    address1: `${r.int(1, 29999)} ${r.pick(STREET_NAMES)} ${r.pick(STREET_KINDS)}`,
    address2: r.chance(0.12) ? `Apt ${r.int(1, 999)}` : "",
    city,
    postal: zip3 + pad(r.int(0, 99), 2),
    email: r.chance(0.6) ? `${local}${r.chance(0.5) ? r.int(1, 999) : ""}@${r.pick(MAIL_DOMAINS)}`.slice(0, 70) : "",
    dob: r.chance(0.25) ? `${r.int(1940, 2004)}-${pad2(r.int(1, 12))}-${pad2(r.int(1, 28))}` : null,
    altPhone: alt,
    comments: r.chance(0.08) ? r.pick(NOTES) : "",
  };
}

/**
 * The vendor code with index `idx` (3 × phone + row): unique per index within its style
 * (a bijection of idx), the styles told apart by shape.
 */
function vendorCode(seed: number, idx: number): string {
  const style = mix(seed ^ 0x5bd1e995, idx) % 100;
  if (style < 60) return "VND-" + pad((idx * 7919 + 4_000_037) % 100_000_000, 8);
  if (style < 80) return String(1_000_000_000 + ((idx * 7919 + 17) % 900_000_000));
  if (style < 95) return "LD" + pad((idx * 104_729 + 99) % 1_000_000_000, 9) + "AB";
  return "AB " + pad((idx * 7919 + 5) % 100_000_000, 8); // a space: valid for VICIdial, not for Brain
}

// ---------------------------------------------------------------------------------------------
// Statuses

const DIALER_STATUSES = new Set(["NA", "AA", "AB", "DROP", "ADC", "AFAX"]);
const BASE_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["NA", 24],
  ["NEW", 19],
  ["A", 9],
  ["B", 7],
  ["DROP", 7],
  ["AA", 6],
  ["AB", 3],
  ["NI", 6],
  ["CALLBK", 3],
  ["SALE", 3],
  ["DC", 3],
  ["DNC", 2],
  ["DEC", 1.5],
  ["N", 1.5],
  ["ADC", 1],
  ["XFER", 0.5],
  ["AFAX", 0.5],
];
const STATUS_BY_CAMPAIGN = new Map<string, Weighted<string>>([
  ["Auto2", new Weighted([...BASE_STATUSES, ["HOTLD", 2]])],
  ["Autodial", new Weighted([...BASE_STATUSES, ["NQ", 2]])],
]);
const STATUS_DEFAULT = new Weighted(BASE_STATUSES);
const EARLIER_CALL_STATUS = new Weighted([
  ["NA", 50],
  ["AA", 18],
  ["AB", 10],
  ["DROP", 8],
  ["A", 8],
  ["B", 6],
] as const);
const CALLS_PER_LEAD = new Weighted([
  [1, 45],
  [2, 35],
  [3, 20],
] as const);

function callLength(r: Rng, status: string): number {
  switch (status) {
    case "NA":
      return r.int(0, 35);
    case "AA":
      return r.int(8, 35);
    case "AB":
      return r.int(0, 2);
    case "DROP":
      return r.int(1, 12);
    case "A":
    case "B":
    case "DC":
    case "ADC":
    case "AFAX":
      return r.int(3, 60);
    case "SALE":
    case "HOTLD":
      return r.int(300, 1500);
    default:
      return r.int(30, 900);
  }
}

// ---------------------------------------------------------------------------------------------
// The plan of a phone and the rows still to come

interface PendingRow {
  /** Row position (lead_id − 1) it is due at. */
  at: number;
  k: number;
  i: number;
  national: string;
  area: Area;
  listId: number;
  /** The first row's vendor code, when it had one (half of the later rows reuse it). */
  sharedVendor: string | null;
}

/** A binary min-heap on `at`. */
class Heap {
  private readonly a: PendingRow[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): PendingRow | undefined {
    return this.a[0];
  }
  push(x: PendingRow): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= x.at) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }
  pop(): PendingRow | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1].at < a[l].at ? l + 1 : l;
        if (a[c].at >= last.at) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** One table's multi-row INSERTs, at most one in flight: the next chunk is built meanwhile. */
class ChunkWriter {
  private rows: string[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  written = 0;
  constructor(
    private readonly conn: Connection,
    private readonly head: string,
    private readonly chunk: number,
  ) {}

  /** Adds a row (`(...)` literal); resolves at once unless a full chunk has to wait for the previous one. */
  async add(row: string): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.chunk) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.rows.length) return;
    const sql = this.head + this.rows.join(",");
    const n = this.rows.length;
    this.rows = [];
    await this.inFlight;
    this.inFlight = this.send(sql, n);
    // Surface a failure at the next add/flush/close, never as an unhandled rejection.
    this.inFlight.catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  private async send(sql: string, n: number): Promise<void> {
    const [res] = await this.conn.query<ResultSetHeader>(sql);
    if (res.warningStatus > 0) {
      const [w] = await this.conn.query<RowDataPacket[]>("SHOW WARNINGS LIMIT 3");
      throw new Error(
        `generate-vici: ${this.head.slice(0, 40)}… raised ${res.warningStatus} warning(s): ${w.map((x) => x.Message).join("; ")}`,
      );
    }
    this.written += n;
  }
}

const LEAD_HEAD =
  "INSERT INTO vicidial_list (lead_id, entry_date, status, user, vendor_lead_code, source_id, list_id, gmt_offset_now, " +
  "called_since_last_reset, phone_code, phone_number, title, first_name, middle_initial, last_name, address1, address2, " +
  "address3, city, state, province, postal_code, country_code, gender, date_of_birth, alt_phone, email, security_phrase, " +
  "comments, called_count, last_local_call_time, `rank`, owner, entry_list_id) VALUES ";
const CALL_HEAD =
  "INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, start_epoch, end_epoch, length_in_sec, " +
  "status, phone_code, phone_number, user, comments, processed, user_group, term_reason, alt_dial, called_count) VALUES ";

function yn(b: boolean): string {
  return b ? "'Y'" : "'N'";
}

function statusValues(s: StatusRow, campaignId: string | null): string {
  const sel = campaignId !== null || (s as { selectable?: boolean }).selectable === true;
  return (
    `(${lit(s.status)},${lit(String(s.statusName ?? s.status).slice(0, 30))},${yn(sel)},${yn(s.humanAnswered)},${yn(s.sale)},${yn(s.dnc)},` +
    `${yn(s.customerContact)},${yn(s.notInterested)},${yn(s.unworkable)},${yn(s.scheduledCallback)},${yn(s.completed)},${yn(s.answeringMachine)}` +
    (campaignId !== null ? `,${lit(campaignId)})` : ")")
  );
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Drops and recreates the database named in `url` and fills it with `leads` generated leads. */
export async function generateVici(url: string, opts: GenerateViciOptions = {}): Promise<GenerateViciSummary> {
  const n = opts.leads ?? BENCH_DEFAULT_LEADS;
  if (!Number.isInteger(n) || n < 10 || n > 5_000_000)
    throw new RangeError(`generate-vici: leads must be 10..5,000,000, got ${n}`);
  const seed = (opts.seed ?? DEMO_DEFAULT_SEED) >>> 0;
  const tz = opts.timeZone ?? BENCH_TIME_ZONE;
  const chunk = opts.chunk ?? 2000;
  const log = opts.log ?? (() => undefined);
  const nowMs = Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000;
  const started = performance.now();

  await recreateViciDatabase(url);
  const target = parseMysqlUrl(url);
  const leadConn = await connectServer(target, target.database);
  const callConn = await connectServer(target, target.database);
  try {
    for (const c of [leadConn, callConn]) {
      await c.query("SET SESSION myisam_sort_buffer_size = 268435456, SESSION bulk_insert_buffer_size = 67108864");
    }
    // Non-unique indexes are rebuilt by sorting at the end instead of updated row by row.
    await leadConn.query("ALTER TABLE vicidial_list DISABLE KEYS");
    await callConn.query("ALTER TABLE vicidial_log DISABLE KEYS");

    const leads = new ChunkWriter(leadConn, LEAD_HEAD, chunk);
    const calls = new ChunkWriter(callConn, CALL_HEAD, chunk);
    const dncSet = new Set<string>([DEMO_DNC_WILDCARD]);
    const campaignDnc = new Set<string>();

    const rngPhone = new Rng(seed, "phones");
    const rngRow = new Rng(seed, "rows");
    const rngCall = new Rng(seed, "calls");
    const areaPick = new Weighted(DEMO_AREA_CODES.map((a, i) => [i, a.weight] as const));
    const listPick = new Weighted(DEMO_LISTS.map((l) => [l, l.weight] as const));
    const campaignOf = new Map<number, string>(DEMO_LISTS.map((l) => [l.listId, l.campaignId]));
    const campaignById = new Map(DEMO_CAMPAIGNS.map((c) => [c.campaignId, c]));
    const sourcesOf = new Map<number, readonly string[]>(DEMO_LISTS.map((l) => [l.listId, l.sourceIds]));
    const areaCounters = new Array<number>(DEMO_AREA_CODES.length).fill(0);
    let count900 = 0;
    const offsets = new Map<string, number>();
    const offsetOf = (zone: string) => {
      let o = offsets.get(zone);
      if (o === undefined) offsets.set(zone, (o = DateTime.fromMillis(nowMs, { zone }).offset / 60));
      return o;
    };
    const lastCallByList = new Map<number, number>();
    const lastCallByCampaign = new Map<string, number>();
    const rowsByCampaign: Record<string, number> = {};
    const pending = new Heap();
    const conflictGap = opts.conflictGap ?? 60_000;
    const conflicts: { code: string; dueK: number }[] = [];
    let conflictSeq = 0;
    let phones = 0;
    let multiPhones = 0;
    let vendorRows = 0;
    let callSeq = 0;
    let nextLog = 100_000;
    const startMs = nowMs - ENTRY_SPAN_MS;
    const callFloorMs = nowMs - CALL_WINDOW_MS;

    for (let pos = 0; pos < n; pos++) {
      // 1. Which phone this row belongs to: a later list load of an earlier phone, or a new one.
      let row: PendingRow;
      let firstRowVendor: string | null = null;
      const due = pending.peek();
      if (due && due.at <= pos) {
        row = pending.pop()!;
      } else {
        const k = phones++;
        let area: Area;
        let national: string;
        if (k % 200_003 === 100_000) {
          area = AREA_900;
          national = "900" + nthLocal(count900++, -1);
        } else {
          const ai = areaPick.pick(rngPhone);
          area = DEMO_AREA_CODES[ai];
          national = area.code + nthLocal(areaCounters[ai]++, ai);
        }
        let lists: number[];
        if (rngPhone.chance(ORPHAN_SHARE)) lists = [DEMO_ORPHAN_LIST_ID];
        else {
          const m = rngPhone.chance(MULTI_LIST_SHARE) ? (rngPhone.chance(0.7) ? 2 : 3) : 1;
          lists = [];
          while (lists.length < m) {
            const id = listPick.pick(rngPhone).listId;
            if (!lists.includes(id)) lists.push(id);
          }
        }
        // An external scrub put 1% of the numbers on the system DNC list.
        if (rngPhone.chance(0.01)) dncSet.add(national);
        if (lists[0] !== DEMO_ORPHAN_LIST_ID && campaignOf.get(lists[0]) === "Auto2" && rngPhone.chance(0.002))
          campaignDnc.add(national);
        // Vendor code of the first row. A few codes are carried by two phones (one row each),
        // the second loaded at least `conflictGap` phones later.
        let firstVendor: string | null = null;
        let ownCode = true;
        const conflictAt = conflicts.length ? conflicts.findIndex((c) => c.dueK <= k) : -1;
        if (conflictAt >= 0) {
          firstVendor = conflicts.splice(conflictAt, 1)[0].code;
          ownCode = false;
        } else if (rngPhone.chance(VENDOR_SHARE)) {
          if (rngPhone.chance(0.002)) {
            firstVendor = vendorCode(seed, CONFLICT_CODE_BASE + conflictSeq++);
            conflicts.push({ code: firstVendor, dueK: k + conflictGap + Math.floor(rngPhone.float() * conflictGap) });
            ownCode = false;
          } else firstVendor = vendorCode(seed, 3 * k);
        }
        row = { at: pos, k, i: 0, national, area, listId: lists[0], sharedVendor: ownCode ? firstVendor : null };
        firstRowVendor = firstVendor;
        let placed = 1;
        for (let i = 1; i < lists.length; i++) {
          const room = n - 1 - pos;
          if (room < 1) break;
          pending.push({
            at: pos + 1 + Math.floor(rngPhone.float() * room),
            k,
            i,
            national,
            area,
            listId: lists[i],
            sharedVendor: row.sharedVendor,
          });
          placed++;
        }
        if (placed > 1) multiPhones++;
      }

      // 2. The row.
      const leadId = pos + 1;
      const entryMs = startMs + Math.floor((pos * ENTRY_SPAN_MS) / n) - rngRow.int(0, 59) * 1000;
      const off = offsetOf(row.area.zone);
      const orphan = row.listId === DEMO_ORPHAN_LIST_ID;
      const campaignId = orphan ? null : campaignOf.get(row.listId)!;
      let person = makePerson(mix(seed ^ 0x27d4eb2f, row.k), row.area);
      if (row.i > 0 && rngRow.chance(0.2)) person = { ...person, first: rngRow.pick(person.female ? FEMALE : MALE) }; // another household member
      let vendor: string | null;
      if (row.i === 0) vendor = firstRowVendor;
      else if (row.sharedVendor && rngRow.chance(0.5))
        vendor = row.sharedVendor; // one vendor file loaded into two lists
      else vendor = rngRow.chance(VENDOR_SHARE) ? vendorCode(seed, 3 * row.k + row.i) : null;
      if (vendor === null && rngRow.chance(0.3)) vendor = ""; // VICIdial writes '' as often as NULL
      if (vendor) vendorRows++;
      let status: string;
      if (orphan || nowMs - entryMs < 2 * 3_600_000) status = "NEW";
      else if (row.area === AREA_900) status = campaignId === "Auto2" ? "DNCL" : "NEW";
      else status = (STATUS_BY_CAMPAIGN.get(campaignId!) ?? STATUS_DEFAULT).pick(rngRow);
      if (status === "DNC" && campaignById.get(campaignId!)?.useInternalDnc !== "N") dncSet.add(row.national);
      rowsByCampaign[campaignId ?? "(orphan)"] = (rowsByCampaign[campaignId ?? "(orphan)"] ?? 0) + 1;

      // 3. Its calls: 09:00–20:59 lead-local, after the entry, within the window, 2+ minutes apart.
      let k = 0;
      let lastCallMs = 0;
      let lastUser = "6666";
      if (status !== "NEW" && status !== "DNCL") {
        k = CALLS_PER_LEAD.pick(rngCall);
        const lo = Math.max(entryMs + 600_000, callFloorMs);
        const hi = nowMs - 60_000;
        const times: number[] = [];
        for (let c = 0; c < k; c++) {
          let t = lo + rngCall.float() * (hi - lo);
          const localDayStart = Math.floor((t + off * 3_600_000) / DAY_MS) * DAY_MS - off * 3_600_000;
          t = localDayStart + rngCall.int(9 * 3600, 21 * 3600 - 1) * 1000;
          if (t > hi) t -= DAY_MS;
          if (t < lo) t = lo + rngCall.int(0, 3600) * 1000;
          times.push(Math.min(Math.floor(t / 1000) * 1000, hi));
        }
        times.sort((a, b) => a - b);
        for (let c = 1; c < k; c++) if (times[c] - times[c - 1] < 120_000) times[c] = times[c - 1] + 120_000;
        const over = times[k - 1] - hi;
        if (over > 0) for (let c = 0; c < k; c++) times[c] -= over;
        for (let c = 0; c < k; c++) {
          const last = c === k - 1;
          const st = last ? status : EARLIER_CALL_STATUS.pick(rngCall);
          const byDialer = DIALER_STATUSES.has(st);
          const user = byDialer ? "VDAD" : rngCall.pick(AGENTS);
          const start = times[c] / 1000;
          const len = callLength(rngCall, st);
          const term = st === "DROP" ? "ABANDON" : byDialer ? "NONE" : rngCall.chance(0.5) ? "AGENT" : "CALLER";
          await calls.add(
            `('${start}.${pad(callSeq++, 8)}',${leadId},${row.listId},${lit(campaignId)},'${instantToViciLocal(new Date(times[c]), tz)}',` +
              `${start},${start + len},${len},'${st}','1','${row.national}','${user}','${!byDialer && rngCall.chance(0.1) ? "MANUAL" : "AUTO"}',` +
              `'N',${byDialer ? "NULL" : "'AGENTS'"},'${term}','MAIN',${c + 1})`,
          );
          if (last) lastUser = user;
        }
        lastCallMs = times[k - 1];
        if ((lastCallByList.get(row.listId) ?? 0) < lastCallMs) lastCallByList.set(row.listId, lastCallMs);
        if (campaignId && (lastCallByCampaign.get(campaignId) ?? 0) < lastCallMs)
          lastCallByCampaign.set(campaignId, lastCallMs);
      }

      const p = person;
      const sources = sourcesOf.get(row.listId);
      await leads.add(
        "(" +
          [
            leadId,
            lit(instantToViciLocal(new Date(entryMs), tz)),
            lit(status),
            lit(lastUser),
            lit(vendor),
            lit(sources ? rngRow.pick(sources) : "VICIDIAL-SAMPLE"),
            row.listId,
            lit(off.toFixed(2)),
            lit(k === 0 ? "N" : rngRow.chance(0.15) ? "N" : k === 1 ? "Y" : `Y${k - 1}`),
            "'1'",
            lit(row.national),
            lit(p.title),
            lit(p.first),
            lit(p.middle),
            lit(p.last),
            lit(p.address1),
            lit(p.address2),
            "''",
            lit(p.city),
            lit(row.area.state),
            "''",
            lit(p.postal),
            "'USA'",
            rngRow.chance(0.08) ? "'U'" : p.female ? "'F'" : "'M'",
            lit(p.dob),
            lit(p.altPhone),
            lit(p.email),
            "''",
            lit(p.comments),
            k,
            lit(formatAtOffset(k ? lastCallMs : entryMs, off)),
            0,
            "''",
            0,
          ].join(",") +
          ")",
      );

      if (pos + 1 >= nextLog) {
        nextLog += 100_000;
        const s = (performance.now() - started) / 1000;
        log(
          `  ${pos + 1} leads, ${calls.written} calls written, ${s.toFixed(1)} s, ${Math.round((pos + 1) / s)} leads/s, pending repeats ${pending.size}, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
        );
      }
    }
    await Promise.all([leads.close(), calls.close()]);
    const loadSeconds = (performance.now() - started) / 1000;
    log(`  rows written in ${loadSeconds.toFixed(1)} s; rebuilding indexes`);

    const t0 = performance.now();
    await Promise.all([
      leadConn.query("ALTER TABLE vicidial_list ENABLE KEYS"),
      callConn.query("ALTER TABLE vicidial_log ENABLE KEYS"),
    ]);
    const indexSeconds = (performance.now() - t0) / 1000;

    // Reference tables.
    const dt = (ms: number | undefined) => (ms ? lit(instantToViciLocal(new Date(ms), tz)) : "NULL");
    const changeDate = lit(instantToViciLocal(new Date(nowMs - 210 * DAY_MS), tz));
    await leadConn.query(
      "INSERT INTO vicidial_campaigns (campaign_id, campaign_name, active, dial_method, auto_dial_level, lead_order, hopper_level, " +
        "dial_statuses, local_call_time, use_internal_dnc, use_campaign_dnc, call_count_limit, drop_lockout_time, campaign_changedate, campaign_calldate) VALUES " +
        DEMO_CAMPAIGNS.map(
          (c) =>
            `(${lit(c.campaignId)},${lit(c.name)},'Y',${lit(c.dialMethod)},${lit(c.autoDialLevel)},'DOWN COUNT',50,${lit(c.dialStatuses)},'9am-9pm',` +
            `${lit(c.useInternalDnc)},${lit(c.useCampaignDnc)},${c.callCountLimit},${lit(c.dropLockoutTime)},${changeDate},${dt(lastCallByCampaign.get(c.campaignId))})`,
        ).join(","),
    );
    await leadConn.query(
      "INSERT INTO vicidial_lists (list_id, list_name, campaign_id, active, list_description, list_changedate, list_lastcalldate, reset_time, expiration_date) VALUES " +
        DEMO_LISTS.map(
          (l) =>
            `(${l.listId},${lit(l.name.slice(0, 30))},${lit(l.campaignId)},'Y',${lit(`bench_vici generated list (campaign ${l.campaignId})`)},${changeDate},` +
            `${dt(lastCallByList.get(l.listId))},'','2099-12-31')`,
        ).join(","),
    );
    const statusCols =
      "status, status_name, selectable, human_answered, sale, dnc, customer_contact, not_interested, unworkable, scheduled_callback, completed, answering_machine";
    await leadConn.query(
      `INSERT INTO vicidial_statuses (${statusCols}) VALUES ` +
        DEFAULT_SYSTEM_STATUSES.map((s) => statusValues(s, null)).join(","),
    );
    await leadConn.query(
      `INSERT INTO vicidial_campaign_statuses (${statusCols}, campaign_id) VALUES ` +
        DEMO_CAMPAIGN_STATUSES.map((s) => statusValues(s, s.campaignId)).join(","),
    );
    const dnc = [...dncSet];
    for (let i = 0; i < dnc.length; i += chunk) {
      await leadConn.query(
        "INSERT INTO vicidial_dnc (phone_number) VALUES " +
          dnc
            .slice(i, i + chunk)
            .map((p) => `(${lit(p)})`)
            .join(","),
      );
    }
    const cdnc = [...campaignDnc];
    for (let i = 0; i < cdnc.length; i += chunk) {
      await leadConn.query(
        "INSERT INTO vicidial_campaign_dnc (phone_number, campaign_id) VALUES " +
          cdnc
            .slice(i, i + chunk)
            .map((p) => `(${lit(p)},'Auto2')`)
            .join(","),
      );
    }
    await insertDemoDialability(leadConn);

    const seconds = (performance.now() - started) / 1000;
    return {
      leads: leads.written,
      calls: calls.written,
      dnc: dnc.length,
      campaignDnc: cdnc.length,
      phones,
      phonesOnMultipleLists: multiPhones,
      rowsWithVendorCode: vendorRows,
      rowsByCampaign,
      loadSeconds: Number(loadSeconds.toFixed(1)),
      indexSeconds: Number(indexSeconds.toFixed(1)),
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(n / seconds),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await Promise.all([leadConn.end(), callConn.end()]);
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const url = arg("url") ?? process.env.BENCH_VICI_URL ?? BENCH_VICI_URL;
  const leads = Number(arg("leads") ?? BENCH_DEFAULT_LEADS);
  const seed = arg("seed") === undefined ? undefined : Number(arg("seed"));
  const conflictGap = arg("conflict-gap") === undefined ? undefined : Number(arg("conflict-gap"));
  console.log(`generating ${leads} leads into ${url.replace(/:[^:@/]*@/, ":***@")}`);
  generateVici(url, { leads, seed, conflictGap, log: (l) => console.log(l) })
    .then((s) => console.log(JSON.stringify(s, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
