import { randomFillSync } from "node:crypto";

/**
 * Brain's `external_lead_id`: the id Brain hands to VICIdial as `vendor_lead_code`.
 *
 * Shape of the ids Brain generates: 20 characters of Crockford base32, upper case,
 *   - 9 characters: the creation time in Unix milliseconds, fixed width (45 bits: good until
 *     the year 3084), most significant first;
 *   - 11 characters: 55 random bits from crypto.randomBytes.
 *
 * Why: `vendor_lead_code` is VARCHAR(20) (longer values are silently truncated by VICIdial's
 * API) and the API mangles `+`, `;`, `#` and friends, so the id is exactly 20 URL-safe
 * characters. Uniqueness needs no coordination between processes: two ids made in the same
 * millisecond collide with probability 2^-55 per pair (≈1.4·10^-7 for 100,000 ids in ONE
 * millisecond). Ids made in different milliseconds sort lexicographically (and by byte,
 * as PostgreSQL's "C" collation and MariaDB's binary compare do) in creation order; within
 * one millisecond the order is random. Crockford's alphabet has no I, L, O, U: no look-alikes
 * when an agent reads an id aloud.
 */

export const CROCKFORD_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const TIME_CHARS = 9;
const RANDOM_CHARS = 11;
/** 2^45: the first millisecond value that no longer fits 9 base32 characters. */
const MAX_TIME = 2 ** (TIME_CHARS * 5);

export const EXTERNAL_LEAD_ID_LENGTH = TIME_CHARS + RANDOM_CHARS;

/**
 * Every value the `leads.external_lead_id` column accepts (same as its CHECK constraint):
 * 1–20 characters of `[A-Za-z0-9_.-]`. Wider than what Brain generates because vendor codes
 * imported from Vici may have other shapes; narrower than what `vendor_lead_code` can hold
 * (spaces, `+`, `;`, `#`, non-ASCII are refused: the VICIdial API changes them in transit).
 */
export const EXTERNAL_LEAD_ID_PATTERN = /^[A-Za-z0-9_.-]{1,20}$/;

/** The shape `newExternalLeadId` produces (20 Crockford base32 characters, upper case). */
export const GENERATED_EXTERNAL_LEAD_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{20}$/;

/** A new external lead id, e.g. `01JD2W3X4K7Q9M2B5N8P`. `now` is Unix milliseconds. */
export function newExternalLeadId(now: number = Date.now()): string {
  if (!Number.isSafeInteger(now) || now < 0 || now >= MAX_TIME) {
    throw new RangeError(`newExternalLeadId: time must be an integer number of ms in [0, 2^45), got ${now}`);
  }
  // A bulk import makes thousands of ids in one millisecond: its time part is built once.
  if (now !== lastTime) {
    let time = "";
    let t = now;
    for (let i = 0; i < TIME_CHARS; i++) {
      time = CROCKFORD_BASE32[t % 32] + time;
      t = Math.floor(t / 32);
    }
    lastTime = now;
    lastTimeChars = time;
  }
  // 11 random bytes, 5 bits of each: 55 uniformly random bits (one flat string, not 11 concatenations).
  const at = takeRandom(RANDOM_CHARS);
  for (let i = 0; i < RANDOM_CHARS; i++) randomCodes[i] = CROCKFORD_CODES[randomPool[at + i] & 31];
  return lastTimeChars + String.fromCharCode(...randomCodes);
}

const CROCKFORD_CODES = Array.from(CROCKFORD_BASE32, (c) => c.charCodeAt(0));
const randomCodes: number[] = Array<number>(RANDOM_CHARS).fill(0);
let lastTime = -1;
let lastTimeChars = "";

/**
 * crypto.randomBytes in blocks: one call per id cost a bulk import ~8 µs an id. Each byte is
 * handed out once.
 */
const randomPool = Buffer.alloc(16 * 1024);
let randomAt = randomPool.length;
function takeRandom(n: number): number {
  if (randomAt + n > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += n;
  return randomAt - n;
}

/** True when `s` may be stored as an external lead id (see EXTERNAL_LEAD_ID_PATTERN). */
export function isExternalLeadId(s: unknown): s is string {
  return typeof s === "string" && EXTERNAL_LEAD_ID_PATTERN.test(s);
}

/** The creation time (Unix ms) encoded in an id made by newExternalLeadId, else null. */
export function externalLeadIdTime(id: string): number | null {
  if (!GENERATED_EXTERNAL_LEAD_ID_PATTERN.test(id)) return null;
  let t = 0;
  for (let i = 0; i < TIME_CHARS; i++) t = t * 32 + CROCKFORD_BASE32.indexOf(id[i]);
  return t;
}
