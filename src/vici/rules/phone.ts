import { getCountryCallingCode, type CountryCode } from "libphonenumber-js";
import { InvalidPhoneError } from "../../errors/errors";
import { maskPhone, safeParse } from "../../util/phone";

/**
 * VICIdial's form of a phone (FACTS.md §1–2): `phone_code` = country calling code digits
 * (`1`) and `phone_number` = national number, digits only (`7275550101`). Brain keys leads by
 * E.164 (util/phone.ts); everything that crosses between the two goes through this module.
 */

/** A phone as VICIdial stores it: `phone_code` + `phone_number`. */
export interface ViciPhone {
  /** Country calling code, digits only, e.g. "1" (US/CA) or "44" (GB). */
  phoneCode: string;
  /** National (significant) number, digits only, e.g. "7275550101". */
  phoneNumber: string;
}

/**
 * E.164 → VICIdial's phone_code + phone_number. Accepts any well-formed E.164 whose country
 * calling code exists (validity is not re-checked: a phone Brain already stores must stay
 * convertible even if a metadata update stops calling it valid). Throws InvalidPhoneError
 * for anything that is not canonical E.164.
 */
export function toViciPhone(e164: string): ViciPhone {
  // A plain NANP number the table below knows as valid is its own form: no parse (a page's
  // numbers are converted by several readers; this was libphonenumber's largest read cost).
  if (E164_NANP_TEN.test(e164)) {
    const number = e164.slice(2);
    const key = Number(number.slice(0, 6));
    if (nanpByNpaNxx[key] === 0) readNanp(number); // fills the table's entry
    if (nanpByNpaNxx[key] === 1) return { phoneCode: "1", phoneNumber: number };
  }
  const p = /^\+[1-9][0-9]{1,14}$/.test(e164) ? safeParse(e164) : undefined;
  if (!p || p.number !== e164) {
    throw new InvalidPhoneError(`"${maskPhone(String(e164))}" is not an E.164 phone number`);
  }
  return { phoneCode: p.countryCallingCode, phoneNumber: p.nationalNumber };
}

/**
 * A vicidial_list (phone_code, phone_number) → E.164, or null when the row does not hold a
 * valid phone (the row is still shown, but matches no Brain lead).
 * - phone_code empty/NULL: the default region's calling code (VICIdial's API default is 1).
 * - phone_number must be digits only: "72755,50140" (the API keeps commas) → null.
 * - The number must be valid for that calling code: 7-digit junk such as "7270102" → null.
 * - A number stored with its country code glued on ("17275550101" with phone_code 1, which
 *   the API does for "+17275550101", FACTS.md §1) → +17275550101. The glued-on reading is
 *   only tried when the number as stored is not valid, so a valid national number is never
 *   reinterpreted. A national trunk prefix is tolerated (UK "02079460958" → +442079460958),
 *   anything more (e.g. "117275550101") is not.
 */
export function fromViciPhone(
  phoneCode: string | null | undefined,
  phoneNumber: string,
  defaultRegion: CountryCode,
): string | null {
  return readViciPhone(phoneCode, phoneNumber, defaultRegion)?.e164 ?? null;
}

/**
 * fromViciPhone with the canonical VICIdial form as well (what toViciPhone would give for
 * the E.164), for bulk readers that need both without parsing the number twice.
 */
export function readViciPhone(
  phoneCode: string | null | undefined,
  phoneNumber: string,
  defaultRegion: CountryCode,
): { e164: string; vici: ViciPhone } | null {
  const code = (phoneCode ?? "").trim() || getCountryCallingCode(defaultRegion);
  const number = (phoneNumber ?? "").trim();
  if (code === "1" && NANP_TEN.test(number)) return readNanp(number);
  return readViciPhoneSlow(code, number);
}

/** A 10-digit NANP national number not starting with 0 or 1 (the bulk of what VICIdial stores). */
const NANP_TEN = /^[2-9][0-9]{9}$/;
/** The same as E.164: "+1" and such a number. */
const E164_NANP_TEN = /^\+1[2-9][0-9]{9}$/;
/**
 * libphonenumber's answer for such a number, by its first six digits (NPA-NXX): 0 not asked
 * yet, 1 valid (read as itself), 2 not valid. Every NANP region's number patterns fix at most
 * six leading digits and end in \d{4} or more, so the answer is the same for every number with
 * those six (test/unit/phone-nanp.test.ts checks the metadata and compares over generated
 * numbers). Parsing is the import's largest CPU cost per row; this makes it a table lookup.
 */
const nanpByNpaNxx = new Uint8Array(1_000_000);

function readNanp(number: string): { e164: string; vici: ViciPhone } | null {
  const key = Number(number.slice(0, 6));
  const known = nanpByNpaNxx[key];
  if (known === 1) return { e164: "+1" + number, vici: { phoneCode: "1", phoneNumber: number } };
  if (known === 2) return null;
  const r = readViciPhoneSlow("1", number);
  if (r === null) nanpByNpaNxx[key] = 2;
  else if (r.e164 === "+1" + number && r.vici.phoneCode === "1" && r.vici.phoneNumber === number) nanpByNpaNxx[key] = 1;
  return r;
}

function readViciPhoneSlow(code: string, number: string): { e164: string; vici: ViciPhone } | null {
  if (!/^[0-9]{1,3}$/.test(code) || !/^[0-9]+$/.test(number)) return null;
  const candidates = ["+" + code + number];
  if (number.startsWith(code) && number.length > code.length) candidates.push("+" + number);
  for (const candidate of candidates) {
    const p = safeParse(candidate);
    if (!p || !p.isValid() || p.countryCallingCode !== code) continue;
    // libphonenumber quietly drops a trunk prefix after the country code, even twice
    // ("+1117275550101"); accept only the stored shapes we know: the national number, the
    // country code glued on ("17275550101") or the national format's digits (UK
    // "02079460958"; formatting is slow, so it is tried last).
    const ok =
      number === p.nationalNumber ||
      number === code + p.nationalNumber ||
      number === p.formatNational().replace(/\D/g, "");
    if (ok) return { e164: p.number, vici: { phoneCode: p.countryCallingCode, phoneNumber: p.nationalNumber } };
  }
  return null;
}

/** Key for maps that match Vici rows: `${phoneCode}:${phoneNumber}`, e.g. "1:7275550101". */
export function viciPhoneKey(v: ViciPhone): string {
  return `${v.phoneCode}:${v.phoneNumber}`;
}
