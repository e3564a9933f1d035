import { parsePhoneNumberFromString } from "libphonenumber-js";
import metadata from "libphonenumber-js/metadata.min.json";
import { fromViciPhone, readViciPhone, toViciPhone } from "../../src/vici/rules/phone";

/**
 * readViciPhone answers plain 10-digit NANP numbers (phone_code 1, [2-9] then nine digits) from
 * a table by their first six digits (NPA-NXX). These tests hold that to libphonenumber's own
 * answer: the metadata never looks further than six digits, and over generated numbers
 * (every area code, valid and invalid exchanges, repeated NPA-NXX) the answers are equal.
 */

/** What readViciPhone answered before the table, for such a number: libphonenumber alone. */
function reference(number: string): { e164: string; vici: { phoneCode: string; phoneNumber: string } } | null {
  const p = parsePhoneNumberFromString("+1" + number);
  if (!p || !p.isValid() || p.countryCallingCode !== "1") return null;
  const ok =
    number === p.nationalNumber ||
    number === "1" + p.nationalNumber ||
    number === p.formatNational().replace(/\D/g, "");
  return ok ? { e164: p.number, vici: { phoneCode: p.countryCallingCode, phoneNumber: p.nationalNumber } } : null;
}

/** Top-level alternatives of a pattern (not inside brackets or groups). */
function alternatives(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of pattern) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "|" && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Every area code with random, N11, 555 and 958/959 exchanges; toll-free, premium and Caribbean densely. */
function generatedNumbers(): string[] {
  let seed = 17;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const numbers: string[] = [];
  for (let npa = 200; npa <= 999; npa++) {
    // Exchanges: random (0xx and 1xx included), N11, 555, 958/959; each with several line numbers.
    const nxxs = [
      rand(1000),
      rand(1000),
      rand(1000),
      rand(1000),
      rand(200),
      211,
      411,
      555,
      911,
      958,
      959,
      100 + rand(100),
    ];
    for (const nxx of nxxs) for (let k = 0; k < 3; k++) numbers.push(`${npa}${pad(nxx, 3)}${pad(rand(10_000), 4)}`);
  }
  // Toll-free, premium, personal and the Caribbean regions' exchanges, densely.
  for (const npa of [
    500, 521, 522, 523, 524, 533, 544, 566, 577, 588, 800, 833, 844, 855, 866, 877, 888, 900, 268, 264, 787, 939, 876,
    658, 809, 829, 849,
  ]) {
    for (let nxx = 0; nxx < 1000; nxx += 7)
      numbers.push(`${npa}${pad(nxx, 3)}${pad(rand(10_000), 4)}`, `${npa}${pad(nxx, 3)}${pad(rand(10_000), 4)}`);
  }
  return numbers;
}

describe("readViciPhone: the NANP table equals libphonenumber", () => {
  it("libphonenumber's NANP patterns fix at most the first six digits of a 10-digit number", () => {
    const meta = metadata as unknown as {
      country_calling_codes: Record<string, string[]>;
      countries: Record<string, unknown[]>;
    };
    const regions = meta.country_calling_codes["1"];
    expect(regions.length).toBeGreaterThan(20);
    let checked = 0;
    for (const region of regions) {
      const c = meta.countries[region];
      // [2]: the general national number pattern; [11]: the number types' patterns.
      const types = ((c[11] as unknown[] | undefined) ?? []).map((t) => (Array.isArray(t) ? t[0] : null));
      for (const pattern of [c[2], ...types]) {
        if (typeof pattern !== "string" || pattern === "") continue;
        for (const alt of alternatives(pattern)) {
          const tail = /\\d\{(\d+)\}$/.exec(alt);
          // A full match of 10 digits: an alternative ending in \d{k} constrains only the first 10 - k.
          const free = tail ? Number(tail[1]) : 0;
          if (free < 4)
            expect({ region, alt }).toEqual({ region, alt: "an alternative that fixes more than six digits" });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("gives libphonenumber's answer for every area code, valid and invalid exchanges, NPA-NXX seen again", () => {
    const numbers = generatedNumbers();
    let valid = 0;
    const wrong: string[] = [];
    for (const n of numbers) {
      const want = reference(n);
      if (want) valid++;
      for (const code of ["1", " 1 ", null]) {
        const got = readViciPhone(code, n, "US");
        if (JSON.stringify(got) !== JSON.stringify(want))
          wrong.push(`${code}|${n}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
      if (fromViciPhone("1", n, "US") !== (want?.e164 ?? null)) wrong.push(`fromViciPhone ${n}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(numbers.length).toBeGreaterThan(20_000);
    // Both answers are well represented.
    expect(valid).toBeGreaterThan(numbers.length / 4);
    expect(numbers.length - valid).toBeGreaterThan(numbers.length / 10);
  });

  it("toViciPhone (which skips the parse for numbers the table knows) gives libphonenumber's answer", () => {
    // Before the table: parse the E.164, keep it only if it is canonical (valid or not).
    const parseOnly = (e164: string) => {
      const p = parsePhoneNumberFromString(e164);
      return p && p.number === e164 ? { phoneCode: p.countryCallingCode, phoneNumber: p.nationalNumber } : "throws";
    };
    const attempt = (e164: string) => {
      try {
        return toViciPhone(e164);
      } catch {
        return "throws";
      }
    };
    const wrong: string[] = [];
    // Twice: the first pass fills the table, the second answers from it.
    for (const pass of [1, 2])
      for (const n of generatedNumbers()) {
        const got = attempt("+1" + n);
        const want = parseOnly("+1" + n);
        if (JSON.stringify(got) !== JSON.stringify(want))
          wrong.push(`${pass} +1${n}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("leaves other shapes to libphonenumber: glued country code, short, foreign, another default region", () => {
    expect(readViciPhone("1", "17275550101", "US")?.e164).toBe("+17275550101");
    expect(readViciPhone("1", "7275550101", "US")?.e164).toBe("+17275550101");
    expect(readViciPhone("1", "7270102", "US")).toBeNull();
    expect(readViciPhone("44", "2079460958", "US")?.e164).toBe("+442079460958");
    // An empty phone_code in a region outside NANP is that region's code, not 1.
    expect(readViciPhone(null, "2079460958", "GB")?.e164).toBe("+442079460958");
    expect(readViciPhone("", "7275550101", "CA")?.e164).toBe("+17275550101");
  });
});
