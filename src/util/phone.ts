import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from "libphonenumber-js";
import { InvalidPhoneError } from "../errors/errors";

/**
 * Phone identity: the ONE place that decides what a phone number is, and how one is masked
 * in logs and messages (below every layer: the logger, the API client and the services use it).
 *
 * Brain keys leads by E.164 (`+17275550101`). VICIdial's form of a phone (`phone_code` +
 * `phone_number`, FACTS.md §1–2) and the conversions both ways are vici/rules/phone.ts.
 *
 * Decisions (each one is tested in test/unit/phone.test.ts):
 * - Validation uses libphonenumber-js with its default ('min') metadata: a number must be
 *   *valid* for its country, not merely of a possible length. '555-01xx' fictional US numbers
 *   such as (727) 555-0101 are valid under that metadata and are accepted.
 * - A number without an international prefix is read in the configured default region:
 *   "(727) 555-0101", "727.555.0101" and "17275550101" (a US number with its leading 1, no +)
 *   are all +17275550101.
 * - Foreign numbers are accepted when written internationally: "+44 20 7946 0958" →
 *   +442079460958 (Vici: phone_code 44, phone_number 2079460958) whatever the default region.
 *   Whether a campaign may dial abroad is business policy, not phone identity.
 * - "00" as an international prefix ("0044 20 7946 0958") is accepted even where the default
 *   region's own prefix is different (US: 011). 00 is the ITU-recommended prefix used in most
 *   of the world, and no NANP national number starts with 0, so the reading is unambiguous.
 *   It is only tried after the default-region reading failed, so regions where 00 means
 *   something else keep their own rules.
 * - Letters are rejected ("727ABC0101", "1-800-FLOWERS"). VICIdial's API silently deletes
 *   them ("727ABC0102" is stored as "7270102"); we never guess what a vanity number spells.
 * - Extensions are rejected ("727-555-0101 ext 12", "x12", "#12", ";ext=12"). VICIdial has
 *   no extension field and its dialer cannot dial one; dropping it silently would also merge
 *   "switchboard ext 12" and "switchboard ext 13" into one Brain lead (phone is the lead's
 *   key), so the caller must decide.
 * - Other characters than digits, spaces, `+` (first only), `( ) - . /` and Unicode dashes
 *   are rejected; so are inputs longer than MAX_INPUT_LENGTH characters.
 * - Error messages never contain the full number: it is masked with maskPhone.
 */

/** `vici`: the number as VICIdial stores it (the shape of vici/rules/phone.ts's ViciPhone; util stays below vici). */
export type ParsePhoneResult =
  { ok: true; e164: string; vici: { phoneCode: string; phoneNumber: string } } | { ok: false; reason: string };

/** Longer inputs are refused before parsing: no real phone number, even formatted, is this long. */
export const MAX_INPUT_LENGTH = 40;

const DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212";
/** Characters a formatted phone number may contain (after the optional leading +). */
const ALLOWED = new RegExp(`^[0-9\\s()./${DASHES}-]*$`);
/** "…ext 12", "…ext. 12", "…extension 12", "…x12", "…#12", "…;ext=12" at the end. */
const EXTENSION = /(?:(?:^|[^a-z])(?:ext|extn|extension|x)\.?|#|;\s*ext\s*=)\s*\d{1,7}\s*$/i;
const LETTER = /\p{L}/u;

const NO_SUCH_COUNTRY = "not a phone number: no country has that calling code";

/**
 * Parses a user-supplied phone. Never throws. A refusal's `reason` says in words what is
 * wrong, as the end of "phone "..." is <reason>".
 */
export function parsePhone(input: string, defaultRegion: CountryCode): ParsePhoneResult {
  if (typeof input !== "string") return fail("not a phone number: not text");
  const text = input.trim();
  if (text === "") return fail("empty");
  if (text.length > MAX_INPUT_LENGTH)
    return fail(`too long to be a phone number (more than ${MAX_INPUT_LENGTH} characters)`);

  const ext = EXTENSION.exec(text);
  // Only an extension if what comes before it is letter-free ("727x555x0101" has letters).
  if (ext && !LETTER.test(text.slice(0, ext.index))) {
    return fail("a number with an extension, which VICIdial cannot dial: give the number alone");
  }
  if (LETTER.test(text)) return fail("not a phone number: letters");
  const plus = text.startsWith("+");
  const body = plus ? text.slice(1) : text;
  if (body.includes("+")) return fail("not a phone number: '+' may only start it");
  if (!ALLOWED.test(body)) return fail("not a phone number: characters other than digits, spaces and + ( ) - . /");
  const digits = body.replace(/\D/g, "");
  if (digits === "") return fail("not a phone number: no digits");

  let parsed = readNumber(text, defaultRegion);
  if (!parsed.ok && !plus && digits.startsWith("00")) {
    // "0044 20 7946 0958": 00 as the international prefix (see the module comment).
    // Unless no country has that code: "(000) 000-0000" is a bad US number, not a country code.
    const international = readNumber("+" + digits.slice(2), defaultRegion);
    if (international.ok || international.reason !== NO_SUCH_COUNTRY) parsed = international;
  }
  return parsed;
}

/**
 * E.164 for a user-supplied phone, or InvalidPhoneError naming `field` and what is wrong. Its
 * message quotes the input masked (maskPhoneInput); a key with the pii scope is shown it whole.
 */
export function normalizePhone(input: string, defaultRegion: CountryCode, field = "phone"): string {
  const r = parsePhone(input, defaultRegion);
  if (r.ok) return r.e164;
  const given = typeof input === "string" ? input.trim().slice(0, MAX_INPUT_LENGTH + 10) : "";
  throw new InvalidPhoneError(
    `${field} "${maskPhoneInput(given)}" is ${r.reason}`,
    field,
    `${field} "${given}" is ${r.reason}`,
  );
}

/**
 * A phone as the user wrote it, with its digits hidden but the last four (only when at least
 * four others stay hidden): "(000) 000-0000" → "(***) ***-0000", "abc" → "abc". Letters and
 * punctuation stay, so the message still shows what was wrong with it.
 */
export function maskPhoneInput(text: string): string {
  const digits = text.replace(/\D/g, "").length;
  let keep = digits >= 8 ? 4 : 0;
  let out = "";
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (/[0-9]/.test(c)) {
      out = (keep > 0 ? c : "*") + out;
      keep--;
    } else {
      out = c + out;
    }
  }
  return out;
}

const NANP_E164 = /^\+1[0-9]{10}$/;

/**
 * A phone safe for logs and error messages: country code (when the input has a +) and the
 * last 4 digits, every other digit a `*`, formatting dropped. "+17275550101" →
 * "+1******0101"; "(727) 555-0101" → "******0101". The last 4 digits are only shown when at
 * least 4 other digits stay hidden (fewer than 8 national digits → all `*`), so the result
 * never reveals a whole number. Never throws.
 */
export function maskPhone(phone: string): string {
  if (typeof phone !== "string") return "";
  const text = phone.trim();
  // A NANP number in E.164 (what createLead logs): country code 1, as libphonenumber reads it, without parsing it.
  if (NANP_E164.test(text)) return `+1******${text.slice(-4)}`;
  const digits = text.replace(/\D/g, "");
  if (digits === "") return "";
  let prefix = "";
  let national = digits;
  if (text.startsWith("+")) {
    const p = safeParse("+" + digits);
    const cc = p?.countryCallingCode;
    if (cc && digits.startsWith(cc)) {
      prefix = "+" + cc;
      national = digits.slice(cc.length);
    } else {
      prefix = "+";
    }
  }
  const shown = national.length >= 8 ? 4 : 0;
  return prefix + "*".repeat(national.length - shown) + national.slice(national.length - shown);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** libphonenumber's parse, undefined instead of a throw. */
export function safeParse(text: string, region?: CountryCode): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, region);
  } catch {
    return undefined;
  }
}

/** libphonenumber's reading of an already character-checked input. */
function readNumber(text: string, defaultRegion: CountryCode): ParsePhoneResult {
  const p = safeParse(text, defaultRegion);
  if (p && p.isValid()) {
    return { ok: true, e164: p.number, vici: { phoneCode: p.countryCallingCode, phoneNumber: p.nationalNumber } };
  }
  let length: string | undefined;
  try {
    length = validatePhoneNumberLength(text, defaultRegion);
  } catch {
    length = "NOT_A_NUMBER";
  }
  const region = defaultRegion;
  switch (length) {
    case "TOO_SHORT":
      return fail(text.startsWith("+") ? "too short to be a phone number" : `too short for a ${region} number`);
    case "TOO_LONG":
      return fail(text.startsWith("+") ? "too long to be a phone number" : `too long for a ${region} number`);
    case "INVALID_COUNTRY":
      // Without a +, the number is read in the default region: it is just not one of its numbers.
      return fail(text.startsWith("+") ? NO_SUCH_COUNTRY : `not a valid ${region} number`);
    case "NOT_A_NUMBER":
      return fail("not a phone number");
  }
  const cc = p?.countryCallingCode;
  return fail(
    !cc || cc === getCountryCallingCode(defaultRegion)
      ? `not a valid ${region} number`
      : `not a valid number for +${cc}`,
  );
}

/**
 * Digits joined by what a phone number may be written with: spaces, ( ) . / and dashes (ASCII
 * and Unicode), up to three at a time ("503 - 555 - 0142", "+1 (503) 555-0142"), a leading
 * "+" or "(". Line breaks and tabs end a run (CSV text keeps its lines apart).
 */
const PHONE_LIKE = /\+?\(?\d(?:[ \u00a0()./\u2010-\u2015\u2212-]{0,3}\d)+/g;

/**
 * THE masking of phone numbers in text a key without the `pii` scope receives (GraphQL fields,
 * job options and reports, the CLI): every form the importer accepts as a phone. A run of
 * digits (see PHONE_LIKE) is masked when it has 10+ digits, or "+" and 8+, or — with `region`
 * — when it reads as a valid number there (shorter national numbers). Job ids, lead ids and
 * counts stay readable; a date with a time may be masked too (harmless).
 */
export function maskPhonesInText(text: string, region?: CountryCode): string {
  if (typeof text !== "string") return text;
  return text.replace(PHONE_LIKE, (m) => {
    const digits = m.replace(/\D/g, "").length;
    const phone =
      digits >= 10 ||
      (m.startsWith("+") && digits >= 8) ||
      (region !== undefined && digits >= 6 && parsePhone(m, region).ok);
    return phone ? maskPhone(m) : m;
  });
}

/** maskPhonesInText over every string of a JSON value (job options, issue data, meta). */
export function maskDeep(value: unknown, region?: CountryCode): unknown {
  if (typeof value === "string") return maskPhonesInText(value, region);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, region));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, region)]));
  }
  return value;
}

/** An identifier (an external lead id, a vendor code) masked only when the whole of it is a phone number. */
export function maskIfPhone(id: string, region?: CountryCode): string {
  if (typeof id !== "string") return id;
  const whole = /^\+?\(?\d[\d ()./\u2010-\u2015\u2212-]*$/.test(id.trim());
  return whole ? maskPhonesInText(id, region) : id;
}
