import type { CountryCode } from "libphonenumber-js";
import { InvalidPhoneError } from "../../src/errors/errors";
import {
  maskIfPhone,
  maskPhonesInText,
  MAX_INPUT_LENGTH,
  maskPhone,
  normalizePhone,
  parsePhone,
} from "../../src/util/phone";
import { fromViciPhone, toViciPhone, viciPhoneKey } from "../../src/vici/rules/phone";

describe("parsePhone: accepted inputs", () => {
  it.each<[string, CountryCode, string, string, string]>([
    // input, default region, E.164, phone_code, phone_number
    ["(727) 555-0101", "US", "+17275550101", "1", "7275550101"],
    ["+1 727 555 0101", "US", "+17275550101", "1", "7275550101"],
    ["17275550101", "US", "+17275550101", "1", "7275550101"], // leading US 1 without +
    ["1 (727) 555-0101", "US", "+17275550101", "1", "7275550101"],
    ["727.555.0101", "US", "+17275550101", "1", "7275550101"],
    [" 7275550101 ", "US", "+17275550101", "1", "7275550101"],
    ["727\u2013555\u20130101", "US", "+17275550101", "1", "7275550101"], // en dashes
    ["727/555-0101", "US", "+17275550101", "1", "7275550101"],
    ["+17275550101", "US", "+17275550101", "1", "7275550101"],
    ["2505550199", "US", "+12505550199", "1", "2505550199"], // Canadian area code, same +1
    ["+1 800 555 0100", "US", "+18005550100", "1", "8005550100"], // toll-free, digits only
    // foreign numbers written internationally are accepted whatever the default region
    ["+44 20 7946 0958", "US", "+442079460958", "44", "2079460958"],
    ["+44 (0)20 7946 0958", "US", "+442079460958", "44", "2079460958"],
    ["011 44 20 7946 0958", "US", "+442079460958", "44", "2079460958"], // US international prefix
    ["0044 20 7946 0958", "US", "+442079460958", "44", "2079460958"], // 00 prefix, US default
    ["001 (727) 555-0101", "US", "+17275550101", "1", "7275550101"],
    ["+39 06 1234 5678", "US", "+390612345678", "39", "0612345678"], // Italy keeps its leading 0
    // the default region decides national numbers
    ["020 7946 0958", "GB", "+442079460958", "44", "2079460958"],
    ["0044 20 7946 0958", "GB", "+442079460958", "44", "2079460958"],
    ["(727) 555-0101", "CA", "+17275550101", "1", "7275550101"],
  ])("%j (default %s) → %s", (input, region, e164, phoneCode, phoneNumber) => {
    expect(parsePhone(input, region)).toEqual({ ok: true, e164, vici: { phoneCode, phoneNumber } });
  });
});

describe("parsePhone: rejected inputs", () => {
  it.each<[string, string]>([
    ["", "empty"],
    ["   ", "empty"],
    ["---", "not a phone number: no digits"],
    ["() .", "not a phone number: no digits"],
    ["+", "not a phone number: no digits"],
    // letters: VICIdial's API would strip them and store "7270101"
    ["727ABC0101", "not a phone number: letters"],
    ["1-800-FLOWERS", "not a phone number: letters"],
    ["(727) 555-O1O1", "not a phone number: letters"], // letter O for zero
    ["727x555x0101", "not a phone number: letters"],
    ["tel:+17275550101", "not a phone number: letters"],
    // extensions are refused, not dropped
    ["727-555-0101 ext 12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["727-555-0101 ext. 12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["727-555-0101 extension 12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["727-555-0101 x12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["727-555-0101x12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["727 555 0101 #12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    ["+17275550101;ext=12", "a number with an extension, which VICIdial cannot dial: give the number alone"],
    // other characters
    ["727+5550101", "not a phone number: '+' may only start it"],
    ["727*555*0101", "not a phone number: characters other than digits, spaces and + ( ) - . /"],
    ["7275550101,,12", "not a phone number: characters other than digits, spaces and + ( ) - . /"],
    // length
    ["12345", "too short for a US number"],
    ["7270102", "too short for a US number"], // what VICIdial made of 727ABC0102
    ["+1", "too short to be a phone number"],
    ["0044 20", "too short to be a phone number"],
    ["727555010199", "too long for a US number"],
    ["+1 727 555 0101 1", "too long to be a phone number"],
    ["1".repeat(MAX_INPUT_LENGTH + 1), `too long to be a phone number (more than ${MAX_INPUT_LENGTH} characters)`],
    ["7".repeat(200), `too long to be a phone number (more than ${MAX_INPUT_LENGTH} characters)`],
    // right length, not a real number
    ["5555550100", "not a valid US number"], // area code 555 does not exist
    ["+15555550100", "not a valid US number"],
    ["3121550138", "not a valid US number"], // exchange starting with 1
    ["+44 20 7946 095", "not a valid number for +44"],
    // what a person typed: said in words, not as libphonenumber's verdict
    ["abc", "not a phone number: letters"],
    ["(000) 000-0000", "not a valid US number"],
    ["0000000000", "not a valid US number"],
    ["+999 1234567", "not a phone number: no country has that calling code"],
    ["+0017275550101", "not a phone number: no country has that calling code"],
  ])("%j → %s", (input, reason) => {
    expect(parsePhone(input, "US")).toEqual({ ok: false, reason });
  });
});

describe("normalizePhone", () => {
  it.each<[string, CountryCode, string]>([
    ["(727) 555-0101", "US", "+17275550101"],
    ["17275550101", "US", "+17275550101"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
  ])("%j (default %s) → %s", (input, region, e164) => {
    expect(normalizePhone(input, region)).toBe(e164);
  });

  it.each<[string, string | undefined, string, string, string]>([
    // input, field, field in the error, message (masked), message for a key with pii
    [
      "abc",
      undefined,
      "phone",
      'phone "abc" is not a phone number: letters',
      'phone "abc" is not a phone number: letters',
    ],
    [
      "(000) 000-0000",
      undefined,
      "phone",
      'phone "(***) ***-0000" is not a valid US number',
      'phone "(000) 000-0000" is not a valid US number',
    ],
    [
      "727ABC0101",
      undefined,
      "phone",
      'phone "***ABC****" is not a phone number: letters',
      'phone "727ABC0101" is not a phone number: letters',
    ],
    [
      "12345",
      "input.phone",
      "input.phone",
      'input.phone "*****" is too short for a US number',
      'input.phone "12345" is too short for a US number',
    ],
    [
      "+15555550100",
      "filter.phone",
      "filter.phone",
      'filter.phone "+*******0100" is not a valid US number',
      'filter.phone "+15555550100" is not a valid US number',
    ],
    [
      "727-555-0101 ext 12",
      "phone",
      "phone",
      'phone "***-***-**01 ext 12" is a number with an extension, which VICIdial cannot dial: give the number alone',
      'phone "727-555-0101 ext 12" is a number with an extension, which VICIdial cannot dial: give the number alone',
    ],
  ])(
    "%j throws INVALID_PHONE on %s, the number masked (whole in unmaskedMessage)",
    (input, field, errorField, message, unmasked) => {
      let error: unknown;
      try {
        normalizePhone(input, "US", field);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidPhoneError);
      const e = error as InvalidPhoneError;
      expect(e.message).toBe(message);
      expect(e.unmaskedMessage).toBe(unmasked);
      expect(e.extensions).toMatchObject({ code: "INVALID_PHONE", field: errorField });
      if (/\d{5}/.test(input.replace(/\D/g, ""))) expect(e.message).not.toContain(input.replace(/\D/g, ""));
      expect(JSON.stringify(e)).not.toContain(unmasked); // never serialized
    },
  );
});

describe("toViciPhone", () => {
  it.each<[string, string, string]>([
    ["+17275550101", "1", "7275550101"],
    ["+12505550199", "1", "2505550199"],
    ["+442079460958", "44", "2079460958"],
    ["+390612345678", "39", "0612345678"],
    ["+61293744000", "61", "293744000"],
    ["+15555550100", "1", "5555550100"], // not valid, but well-formed E.164: still convertible
  ])("%s → phone_code %s, phone_number %s", (e164, phoneCode, phoneNumber) => {
    expect(toViciPhone(e164)).toEqual({ phoneCode, phoneNumber });
  });

  it.each(["7275550101", "17275550101", "+1 727 555 0101", "(727) 555-0101", "+0017275550101", "+999123456", "", "+"])(
    "%j is not E.164 → InvalidPhoneError",
    (input) => {
      expect(() => toViciPhone(input)).toThrow(InvalidPhoneError);
    },
  );
});

describe("fromViciPhone", () => {
  it.each<[string | null | undefined, string, CountryCode, string | null]>([
    // phone_code, phone_number, default region, E.164
    ["1", "7275550101", "US", "+17275550101"], // the normal row
    ["", "7275550101", "US", "+17275550101"], // empty phone_code: default region's code
    [null, "7275550101", "US", "+17275550101"],
    [undefined, "7275550101", "US", "+17275550101"],
    ["1", "17275550101", "US", "+17275550101"], // API stored the leading 1 (FACTS §1)
    ["44", "2079460958", "US", "+442079460958"],
    ["44", "02079460958", "US", "+442079460958"], // UK trunk 0 stored
    ["44", "442079460958", "US", "+442079460958"], // country code glued on, non-US
    [null, "2079460958", "GB", "+442079460958"],
    [" 1 ", " 7275550101 ", "US", "+17275550101"],
    ["1", "7270102", "US", null], // 7-digit junk (727ABC0102 after the API)
    ["1", "72755,50140", "US", null], // the API keeps commas
    ["1", "727-555-0101", "US", null], // not digits only: not what Vici stores
    ["1", "", "US", null],
    ["1", "5555550100", "US", null], // right length, invalid area code
    ["1", "117275550101", "US", null], // only one glued-on code is stripped
    ["1", "02079460958", "US", null], // a UK national number under phone_code 1 is not a US number
    ["44", "002079460958", "US", null], // libphonenumber would drop both zeros: not a shape Vici stores
    ["1", "2079460958", "US", "+12079460958"], // ...but these digits are a valid US number (Maine)
    ["+1", "7275550101", "US", null], // phone_code must be digits
    ["9999", "7275550101", "US", null],
  ])("(%j, %j, %s) → %s", (phoneCode, phoneNumber, region, expected) => {
    expect(fromViciPhone(phoneCode, phoneNumber, region)).toBe(expected);
  });

  it.each(["+17275550101", "+12505550199", "+442079460958", "+390612345678", "+61293744000"])(
    "%s survives toViciPhone → fromViciPhone",
    (e164) => {
      const v = toViciPhone(e164);
      expect(fromViciPhone(v.phoneCode, v.phoneNumber, "US")).toBe(e164);
    },
  );
});

describe("viciPhoneKey", () => {
  it.each<[string, string, string]>([
    ["1", "7275550101", "1:7275550101"],
    ["44", "2079460958", "44:2079460958"],
    ["", "7275550101", ":7275550101"],
  ])("(%j, %j) → %s", (phoneCode, phoneNumber, key) => {
    expect(viciPhoneKey({ phoneCode, phoneNumber })).toBe(key);
  });

  it("tells apart phones whose digits only differ in where the country code ends", () => {
    expect(viciPhoneKey({ phoneCode: "1", phoneNumber: "44207946095" })).not.toBe(
      viciPhoneKey({ phoneCode: "14", phoneNumber: "4207946095" }),
    );
  });

  it("gives the same key for every spelling of one number once parsed", () => {
    const keys = ["(727) 555-0101", "+1 727 555 0101", "17275550101"].map((s) => {
      const r = parsePhone(s, "US");
      if (!r.ok) throw new Error(r.reason);
      return viciPhoneKey(r.vici);
    });
    expect(new Set(keys)).toEqual(new Set(["1:7275550101"]));
  });
});

describe("maskPhone", () => {
  it.each<[string, string]>([
    ["+17275550101", "+1******0101"],
    [" +10005550101 ", "+1******0101"], // not a valid NANP number: still country code 1 and four digits
    ["+442079460958", "+44******0958"],
    ["+44 20 7946 0958", "+44******0958"],
    ["(727) 555-0101", "******0101"],
    ["17275550101", "*******0101"],
    ["727-555-0101 ext 12", "********0112"],
    ["+999 1234567", "+******4567"], // unknown country code: only the +
    ["7270102", "*******"], // fewer than 8 digits: nothing shown
    ["12345", "*****"],
    ["+1 2345", "+1****"],
    ["1-800-FLOWERS", "****"],
    ["", ""],
    ["---", ""],
  ])("%j → %j", (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it.each(["+17275550101", "7275550101", "(727) 555-0101", "+442079460958", "12345678", "1234"])(
    "never shows all the digits of %j",
    (input) => {
      const digits = input.replace(/\D/g, "");
      const shown = maskPhone(input).replace(/\D/g, "");
      expect(shown.length).toBeLessThan(digits.length);
      expect(maskPhone(input)).not.toContain(digits.slice(-5));
    },
  );

  it("does not throw on a non-string (log serializer input)", () => {
    expect(maskPhone(12345 as unknown as string)).toBe("");
  });
});

describe("maskPhonesInText: every form the importer reads, masked; ids and counts left", () => {
  it.each([
    ["503 - 555 - 0142", undefined, "******0142"],
    ["call 503/555/0142 now", undefined, "call ******0142 now"],
    ["503\u2013555\u20130142", undefined, "******0142"],
    ["(503)  555 0142", undefined, "******0142"],
    ["+1 (503) 555-0142", undefined, "+1******0142"],
    ["+44 20 7946 0958", undefined, "+44******0958"],
    ["vendor code 15035550142", undefined, "vendor code *******0142"],
    ["phone,first\n503 - 555 - 0142,Ann\n7275550101,Bo", undefined, "phone,first\n******0142,Ann\n******0101,Bo"],
    // A shorter national number is masked where it is one (with the region the importer reads in).
    ["ring 32 12 34 56", "DK", "ring ****3456"],
    ["ring 32 12 34 56", undefined, "ring 32 12 34 56"],
    ["job 42, lines 3-4, lead(s) 1001, 1002, zip 33601", "US", "job 42, lines 3-4, lead(s) 1001, 1002, zip 33601"],
  ])("%j (%s) → %j", (text, region, expected) => {
    expect(maskPhonesInText(text, region as CountryCode | undefined)).toBe(expected);
  });

  it("masks an id only when the whole of it is a phone number", () => {
    expect(maskIfPhone("5035550142")).toBe("******0142");
    expect(maskIfPhone("503-555-0142")).toBe("******0142");
    expect(maskIfPhone("01JF3K8Q9Z0000123456")).toBe("01JF3K8Q9Z0000123456");
    expect(maskIfPhone("EXT-7275550101")).toBe("EXT-7275550101");
  });
});
