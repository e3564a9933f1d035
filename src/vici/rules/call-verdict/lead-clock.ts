import { IANAZone } from "luxon";
import { isViciDst } from "../dst-rules";
import type { LeadRowFacts, PhoneCodeRow } from "./types";

/**
 * Time as VICIdial reads it (CALLTIMES.md §1-2). The hopper knows a lead's time zone only by
 * its stored gmt_offset_now, which a cron script rewrites at 01:01 and 07:01 server time; it
 * renders "UTC + offset" through the server's localtime(), so near the server's own DST
 * switch some offsets read an hour off. These functions reproduce that, and the true local
 * time (the legal floor) from the phone-code tables' standard offset and DST rule.
 *
 * All instants are epoch milliseconds; a "wall" value is a wall-clock reading stored as the
 * UTC fields of a millisecond count.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** How far ahead an opening is looked for; none within it = never (as far as the facts tell). */
export const HORIZON_MS = 400 * DAY;

/** The hopper's grid of offsets: +13.00 down to -12.75 in 0.25 steps (HOP:1588-1604); '99' always passes. */
export function onHopperGrid(offset: number): boolean {
  return offset <= 13 && offset >= -12.75 && Number.isInteger(offset * 4);
}

/** VICIdial's time-zone cron, as BASE_INSTALL.txt installs it: `1 1,7 * * *` (BI:469). */
const CRON_WALL_MINUTES = [61, 421];

const clocks = new Map<string, ServerClock>();

/** The VICIdial server's clock in its IANA zone (VICI_TIMEZONE), with cached offsets. */
export class ServerClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();
  private readonly stdByYear = new Map<number, number>();
  private readonly transitionsByYear = new Map<number, number[]>();

  static of(timeZone: string): ServerClock {
    let c = clocks.get(timeZone);
    if (!c) clocks.set(timeZone, (c = new ServerClock(timeZone)));
    return c;
  }

  private constructor(readonly timeZone: string) {
    this.zone = IANAZone.create(timeZone);
    if (!this.zone.isValid) throw new RangeError(`unknown IANA time zone: ${JSON.stringify(timeZone)}`);
  }

  /** UTC offset at t, ms (cached per quarter hour: real zones change only on quarter hours). */
  offsetMs(t: number): number {
    const bucket = Math.floor(t / (15 * MINUTE));
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = this.zone.offset(bucket * 15 * MINUTE) * MINUTE;
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(bucket, off);
    }
    return off;
  }

  /** servers.local_gmt: assumed to be the zone's standard offset (the smaller of January's and July's). */
  stdOffsetMs(t: number): number {
    const y = new Date(t).getUTCFullYear();
    let std = this.stdByYear.get(y);
    if (std === undefined)
      this.stdByYear.set(y, (std = Math.min(this.offsetMs(Date.UTC(y, 0, 1)), this.offsetMs(Date.UTC(y, 6, 1)))));
    return std;
  }

  wallMs(t: number): number {
    return t + this.offsetMs(t);
  }

  /** The server's date at t, 'YYYY-MM-DD' (holidays and list expiration compare with it). */
  date(t: number): string {
    return new Date(this.wallMs(t)).toISOString().slice(0, 10);
  }

  /** The instant of a server wall-clock time: a time in a gap moves forward, a repeated one is the earlier. */
  instantOfWall(wall: number): number {
    const before = this.offsetMs(wall - DAY);
    const after = this.offsetMs(wall + DAY);
    for (const off of [Math.max(before, after), Math.min(before, after)]) {
      if (this.offsetMs(wall - off) === off) return wall - off;
    }
    return wall - before;
  }

  /** Next server-local midnight after t. */
  nextMidnight(t: number): number {
    const wall = this.wallMs(t);
    return this.instantOfWall(Math.floor(wall / DAY) * DAY + DAY);
  }

  /**
   * The hopper's wall reading for offset p at t: GMT_now = time − (local_gmt + isdst) h, then
   * localtime(GMT_now + p h) in the server's zone (HOP:450-455, 1590-1598). Equals t + p h
   * except within hours of the server's own DST switch.
   */
  hopperWallMs(t: number, offsetHours: number): number {
    const std = this.stdOffsetMs(t);
    const localGmt = std + (this.offsetMs(t) !== std ? HOUR : 0);
    const x = t - localGmt + offsetHours * HOUR;
    return x + this.offsetMs(x);
  }

  /** The instants in (from, to] where the zone's offset changes. */
  transitions(from: number, to: number): number[] {
    const out: number[] = [];
    const y0 = new Date(from).getUTCFullYear();
    const y1 = new Date(to).getUTCFullYear();
    for (let y = y0; y <= y1; y++) for (const t of this.transitionsOf(y)) if (t > from && t <= to) out.push(t);
    return out;
  }

  private transitionsOf(year: number): number[] {
    let list = this.transitionsByYear.get(year);
    if (list) return list;
    list = [];
    const end = Date.UTC(year + 1, 0, 1);
    let prev = Date.UTC(year, 0, 1);
    let prevOff = this.zone.offset(prev);
    for (let t = prev + 6 * HOUR; t <= end; t += 6 * HOUR) {
      const off = this.zone.offset(t);
      if (off !== prevOff) {
        let [lo, hi] = [prev, t];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.zone.offset(mid) === prevOff) lo = mid;
          else hi = mid;
        }
        list.push(hi);
      }
      prev = t;
      prevOff = off;
    }
    this.transitionsByYear.set(year, list);
    return list;
  }

  /** The latest run of VICIdial's time-zone cron at or before t. */
  lastCronRun(t: number): number {
    const day = Math.floor(this.wallMs(t) / DAY) * DAY;
    let best = -Infinity;
    for (const d of [day - DAY, day]) {
      for (const m of CRON_WALL_MINUTES) {
        const run = this.instantOfWall(d + m * MINUTE);
        if (run <= t && run > best) best = run;
      }
    }
    return best;
  }

  /** The first run of the time-zone cron after t. */
  nextCronRun(t: number): number {
    const day = Math.floor(this.wallMs(t) / DAY) * DAY;
    for (const d of [day, day + DAY]) {
      for (const m of CRON_WALL_MINUTES) {
        const run = this.instantOfWall(d + m * MINUTE);
        if (run > t) return run;
      }
    }
    return this.instantOfWall(day + 2 * DAY + CRON_WALL_MINUTES[0] * MINUTE);
  }
}

/** A time zone as the phone-code tables give it: a standard offset and a VICIdial DST rule. */
export interface PhoneZone {
  /** Hours. */
  std: number;
  dstRange: string | null;
  /** Where it comes from, for messages ("area code 727", "state AZ", "stored gmt_offset_now"). */
  label: string;
}

export function zoneOf(row: PhoneCodeRow, label: string): PhoneZone | null {
  return row.gmtOffset === null ? null : { std: row.gmtOffset, dstRange: row.dstRange, label };
}

/**
 * The offset VICIdial computes for a zone at t: the standard offset, +1 when the DST rule holds
 * at "server time shifted by (standard offset − servers.local_gmt)" (GMT:533-543; the API's
 * lookup_gmt_api does the same). That reading includes the server's own DST hour.
 */
export function viciZoneOffset(zone: PhoneZone, t: number, clock: ServerClock): number {
  const shifted = clock.wallMs(t + zone.std * HOUR - clock.stdOffsetMs(t));
  return zone.std + (isViciDst(zone.dstRange, shifted) ? 1 : 0);
}

/** The called party's real wall clock in a zone: standard time, +1 h while its DST rule holds. */
export function trueLocalWallMs(zone: PhoneZone, t: number): number {
  const stdWall = t + zone.std * HOUR;
  return stdWall + (isViciDst(zone.dstRange, stdWall) ? HOUR : 0);
}

/**
 * The time-zone cron's area-code pass for one lead (GMT:482-668): every phone-code row of the
 * country in table order whose area code prefixes the number ('*' = all; an 'S' also needs
 * the lead's state); the last match wins. null when none matches (the stored value stays).
 */
export function cronZone(rows: PhoneCodeRow[], row: Pick<LeadRowFacts, "phoneNumber" | "state">): PhoneZone | null {
  let match: PhoneCodeRow | null = null;
  for (const r of rows) {
    const code = r.areacode ?? "";
    if (/S/i.test(code)) {
      const digits = code.replace(/\D/g, "");
      if (row.phoneNumber.startsWith(digits) && sameText(row.state, r.state)) match = r;
    } else if (code.includes("*") || row.phoneNumber.startsWith(code)) match = r;
  }
  return match ? zoneOf(match, `area code ${match.areacode}`) : null;
}

/**
 * The zone add_lead gives a new number (lookup_gmt_api, API:10503-10567): the row with its area
 * code for country codes 1 and 52, else the country's FIRST row in table order (also for an
 * unknown US area code). `fallback` says the first-row rule was used.
 */
export function insertZone(
  rows: PhoneCodeRow[],
  phoneCode: string,
  phoneNumber: string,
): { zone: PhoneZone; fallback: boolean } | null {
  if (phoneCode === "1" || phoneCode === "52") {
    const area = phoneNumber.slice(0, 3);
    const hit = rows.find((r) => r.areacode === area);
    const z = hit ? zoneOf(hit, `area code ${area}`) : null;
    if (z) return { zone: z, fallback: false };
  }
  const first = rows[0];
  const z = first
    ? zoneOf(first, `first phone-code row of country ${phoneCode} (area code ${first.areacode}), VICIdial's fallback`)
    : null;
  return z ? { zone: z, fallback: true } : null;
}

/** MySQL's comparison of short codes: case-insensitive, trailing spaces ignored. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return a.trimEnd().toUpperCase() === b.trimEnd().toUpperCase();
}

/** Weekday (0 = Sunday), minute of the day and HHMM of a wall reading. */
export function wallParts(wall: number): { weekday: number; minute: number; hhmm: number; msIntoMinute: number } {
  const d = new Date(wall);
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  return {
    weekday: d.getUTCDay(),
    minute: h * 60 + m,
    hhmm: h * 100 + m,
    msIntoMinute: wall - Math.floor(wall / MINUTE) * MINUTE,
  };
}

/** The first minute of the day whose HHMM is ≥ hhmm (960 → 10:00); 1440 when none. */
export function minuteOfHhmm(hhmm: number): number {
  const h = Math.floor(hhmm / 100);
  const m = hhmm % 100;
  return Math.min(1440, h * 60 + (m >= 60 ? 60 : m));
}

/**
 * The earliest t ≥ from at which `probe` says open, stepping through the instants it names
 * as the next ones where openness may change. null when none within `horizonMs`.
 */
export function nextOpening(
  from: number,
  horizonMs: number,
  probe: (t: number) => { open: boolean; next: number },
): number | null {
  let t = from;
  for (let i = 0; i < 20_000 && t <= from + horizonMs; i++) {
    const p = probe(t);
    if (p.open) return t;
    t = Math.max(p.next, t + 1000);
  }
  return null;
}

/** Candidate instants for a wall clock that runs with t: each target minute still ahead today, and the next midnight. */
export function wallCandidates(t: number, wall: number, targetMinutes: number[]): number[] {
  const { minute, msIntoMinute } = wallParts(wall);
  const base = t - msIntoMinute;
  const out = [base + (1440 - minute) * MINUTE];
  for (const m of targetMinutes) if (m > minute && m < 1440) out.push(base + (m - minute) * MINUTE);
  return out;
}
