import { IANAZone } from "luxon";

/**
 * VICIdial DATETIMEs (entry_date, call_date, callback times, ...) are the Vici server's
 * wall-clock time, not UTC (FACTS.md §1). The Vici data source reads them as strings
 * (`dateStrings`); these functions turn them into instants with the server's IANA zone
 * (config VICI_TIMEZONE) and back.
 *
 * DST, decided here rather than left to a library's guess (luxon alone answers the
 * ambiguous hour with the later instant in America/New_York but the earlier one in
 * Australia/Sydney). The rule is the one of JavaScript's Date, java.time and Temporal's
 * "compatible" disambiguation:
 * - a wall-clock time that does not exist (spring-forward gap, e.g. 02:30 on 2024-03-10 in
 *   America/New_York) is read with the offset in force just before the gap, i.e. it moves
 *   forward by the gap's length: 02:30 → 03:30 EDT (07:30Z);
 * - a wall-clock time that happens twice (fall-back, e.g. 01:30 on 2024-11-03 in
 *   America/New_York) is the EARLIER of the two instants: 01:30 EDT (05:30Z). Instants in
 *   the repeated hour's second pass therefore do not survive a round trip through a DATETIME;
 *   VICIdial's own columns lose that information too.
 */

/** DATETIME / DATE as MariaDB prints it, optional fractional seconds, ' ' or 'T' separator. */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * A Vici DATETIME ('YYYY-MM-DD HH:MM:SS') or DATE ('YYYY-MM-DD', read as midnight) in the
 * server's `timeZone` → the instant it denotes. null for null, undefined, '' and MySQL zero
 * dates ('0000-00-00 00:00:00', '0000-00-00', and partial ones such as '2024-05-00').
 * A Date is taken to be an instant already and is returned as a copy. Throws RangeError for
 * an unknown zone or a string that is not a DATETIME (e.g. a driver misconfigured without
 * dateStrings); DST gaps and overlaps follow the module rule above.
 */
export function viciLocalToInstant(value: string | Date | null | undefined, timeZone: string): Date | null {
  const zone = ianaZone(timeZone);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError("viciLocalToInstant: invalid Date");
    return new Date(value.getTime());
  }
  const wall = parseWallClock(value);
  if (!wall) return null;
  return new Date(wallClockToEpoch(wall, zone));
}

/**
 * An instant → the Vici server's wall-clock 'YYYY-MM-DD HH:MM:SS' in `timeZone`, for SQL
 * parameters such as `call_date >= ?`. Milliseconds are dropped (truncated), as DATETIME has
 * whole seconds.
 */
export function instantToViciLocal(d: Date, timeZone: string): string {
  const zone = ianaZone(timeZone);
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError("instantToViciLocal: invalid Date");
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  return formatUtc(new Date(ms + offsetMinutesAt(zone, ms) * 60_000));
}

/**
 * The zone's UTC offset at an instant, cached per 15-minute bucket: offsets change only on a
 * quarter hour in every real zone, and bulk writers (demo data, sync jobs) format millions of
 * timestamps.
 */
const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();
function offsetMinutesAt(zone: IANAZone, ms: number): number {
  let byBucket = offsetCache.get(zone.name);
  if (!byBucket) offsetCache.set(zone.name, (byBucket = new Map()));
  const bucket = Math.floor(ms / BUCKET_MS);
  let off = byBucket.get(bucket);
  if (off === undefined) {
    off = zone.offset(bucket * BUCKET_MS);
    if (byBucket.size > 100_000) byBucket.clear();
    byBucket.set(bucket, off);
  }
  return off;
}

function formatUtc(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * A DATETIME that is a wall-clock time of no known zone → 'YYYY-MM-DDTHH:MM:SS', without
 * offset. For `last_local_call_time`, which is the LEAD's local time (server time shifted by
 * the lead's gmt_offset_now), so converting it with the server zone would be wrong. A DATE is
 * given midnight; fractional seconds are dropped. null for null, '' and zero dates; RangeError
 * for anything else that is not a real date-time.
 */
export function parseViciLocalDateTime(value: string | null | undefined): string | null {
  const w = parseWallClock(value);
  if (!w) return null;
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}

// The last zone asked for: a process reads one VICIdial, so bulk readers ask the same zone
// millions of times (IANAZone.create and its validity check were ~10% of a conversion).
let lastZone: IANAZone | null = null;
function ianaZone(timeZone: string): IANAZone {
  if (lastZone !== null && lastZone.name === timeZone) return lastZone;
  const zone = typeof timeZone === "string" && timeZone !== "" ? IANAZone.create(timeZone) : null;
  if (!zone || !zone.isValid) throw new RangeError(`unknown IANA time zone: ${JSON.stringify(timeZone)}`);
  return (lastZone = zone);
}

/** The wall-clock fields of a DATETIME/DATE string; null for null/''/zero dates. */
function parseWallClock(value: string | null | undefined): WallClock | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new RangeError(`expected a DATETIME string, got ${Object.prototype.toString.call(value)}`);
  }
  const fast = canonicalWallClock(value);
  if (fast !== undefined) return fast;
  const text = value.trim();
  if (text === "") return null;
  const m = DATETIME.exec(text);
  if (!m) throw new RangeError(`not a DATETIME: ${JSON.stringify(value)}`);
  // Field by field, no intermediate arrays: bulk readers parse millions of these.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // MySQL zero dates ('0000-00-00') and partial zero dates ('2024-05-00', allowed without
  // NO_ZERO_IN_DATE) name no real day.
  if (year === 0 || month === 0 || day === 0) return null;
  const millisecond = m[7] ? Number(m[7].padEnd(3, "0").slice(0, 3)) : 0;
  const wall = { year, month, day, hour, minute, second, millisecond };
  // Reject impossible calendar values ('2024-02-30', '25:00:00') instead of rolling them over.
  const clockOk = hour <= 23 && minute <= 59 && second <= 59;
  if (!clockOk || month > 12 || day > daysInMonth(year, month))
    throw new RangeError(`not a valid DATETIME: ${JSON.stringify(value)}`);
  return wall;
}

/**
 * 'YYYY-MM-DD HH:MM:SS' exactly, as MariaDB prints a DATETIME (what bulk readers get by the
 * million), read from its character codes with no match array; undefined for any other shape
 * (parseWallClock's regex then decides). Same answers as the regex path: null for zero dates,
 * RangeError for impossible values.
 */
function canonicalWallClock(v: string): WallClock | null | undefined {
  if (v.length !== 19 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 32) return undefined;
  if (v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
  const d = (i: number) => {
    const c = v.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  const second = d(17) * 10 + d(18);
  if (Number.isNaN(year + month + day + hour + minute + second)) return undefined;
  if (year === 0 || month === 0 || day === 0) return null;
  if (hour > 23 || minute > 59 || second > 59 || month > 12 || day > daysInMonth(year, month))
    throw new RangeError(`not a valid DATETIME: ${JSON.stringify(v)}`);
  return { year, month, day, hour, minute, second, millisecond: 0 };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch ms of a wall-clock time in `zone`, with the gap/overlap rule of the module comment. */
function wallClockToEpoch(w: WallClock, zone: IANAZone): number {
  let asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  if (w.year < 100) {
    const utc = new Date(asUtc);
    utc.setUTCFullYear(w.year); // Date.UTC reads years 0–99 as 1900–1999
    asUtc = utc.getTime();
  }
  const DAY = 86_400_000;
  // The offsets a day before and a day after cover both sides of any transition near this
  // wall-clock time (zones never change offset twice within two days).
  const before = offsetMinutesAt(zone, asUtc - DAY);
  const after = offsetMinutesAt(zone, asUtc + DAY);
  // The same offset on both sides: no transition in between, so it is the one (no check needed).
  if (before === after) return asUtc - before * 60_000;
  const fits = (offset: number) => {
    const epoch = asUtc - offset * 60_000;
    return asUtc - offsetMinutesAt(zone, epoch) * 60_000 === epoch;
  };
  // Unique, or the earlier of an overlap (the larger offset is the earlier instant).
  const first = Math.max(before, after);
  const second = Math.min(before, after);
  if (fits(first)) return asUtc - first * 60_000;
  if (second !== first && fits(second)) return asUtc - second * 60_000;
  return asUtc - before * 60_000; // in a gap: the offset before the change (moves forward)
}
