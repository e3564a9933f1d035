import {
  CROCKFORD_BASE32,
  EXTERNAL_LEAD_ID_LENGTH,
  EXTERNAL_LEAD_ID_PATTERN,
  GENERATED_EXTERNAL_LEAD_ID_PATTERN,
  externalLeadIdTime,
  isExternalLeadId,
  newExternalLeadId,
} from "../../src/util/external-lead-id";
import { EXTERNAL_LEAD_ID_CASES } from "../helpers/external-lead-id-cases";

describe("newExternalLeadId", () => {
  it("is exactly 20 upper-case Crockford base32 characters (fits vendor_lead_code)", () => {
    for (let i = 0; i < 1000; i++) {
      const id = newExternalLeadId();
      expect(id).toHaveLength(20);
      expect(EXTERNAL_LEAD_ID_LENGTH).toBe(20);
      expect(id).toMatch(GENERATED_EXTERNAL_LEAD_ID_PATTERN);
      for (const ch of id) expect(CROCKFORD_BASE32).toContain(ch);
      expect(id).not.toMatch(/[ILOU]/);
      expect(isExternalLeadId(id)).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
    }
  });

  it("encodes the millisecond timestamp in 9 fixed-width characters", () => {
    expect(newExternalLeadId(0).slice(0, 9)).toBe("000000000");
    expect(newExternalLeadId(31).slice(0, 9)).toBe("00000000Z");
    expect(newExternalLeadId(32).slice(0, 9)).toBe("000000010");
    expect(newExternalLeadId(2 ** 45 - 1).slice(0, 9)).toBe("ZZZZZZZZZ");
    const now = Date.UTC(2025, 7, 11, 12, 0, 0, 123);
    expect(externalLeadIdTime(newExternalLeadId(now))).toBe(now);
    expect(externalLeadIdTime("abc")).toBeNull();
  });

  it("rejects times that do not fit", () => {
    expect(() => newExternalLeadId(-1)).toThrow(RangeError);
    expect(() => newExternalLeadId(1.5)).toThrow(RangeError);
    expect(() => newExternalLeadId(2 ** 45)).toThrow(RangeError);
    expect(() => newExternalLeadId(Number.NaN)).toThrow(RangeError);
  });

  it("sorts in creation order across milliseconds (plain string compare)", () => {
    const base = Date.UTC(2025, 0, 1);
    // Neighbouring ms, ms across a base32 digit carry, and far apart.
    const times = [
      base - 1,
      base,
      base + 1,
      base + 31,
      base + 32,
      base + 1023,
      base + 1024,
      base + 86_400_000,
      2 ** 45 - 1,
    ];
    for (let round = 0; round < 200; round++) {
      const ids = times.map((t) => newExternalLeadId(t));
      const sorted = [...ids].sort();
      expect(sorted).toEqual(ids);
      for (let i = 1; i < ids.length; i++) expect(ids[i - 1] < ids[i]).toBe(true);
    }
  });

  it("makes 100,000 distinct ids, also within one millisecond", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newExternalLeadId());
    expect(seen.size).toBe(100_000);
    const sameMs = new Set<string>();
    for (let i = 0; i < 100_000; i++) sameMs.add(newExternalLeadId(1_764_000_000_000));
    expect(sameMs.size).toBe(100_000);
  });

  it("uses every character of the alphabet in the random part", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const ch of newExternalLeadId().slice(9)) seen.add(ch);
    expect([...seen].sort().join("")).toBe(CROCKFORD_BASE32);
  });
});

describe("isExternalLeadId / EXTERNAL_LEAD_ID_PATTERN", () => {
  const { accepted, rejected } = EXTERNAL_LEAD_ID_CASES;

  it.each(accepted)("accepts %p", (s) => {
    expect(isExternalLeadId(s)).toBe(true);
    expect(EXTERNAL_LEAD_ID_PATTERN.test(s)).toBe(true);
  });

  it.each(rejected)("rejects %s", (_label, s) => {
    expect(isExternalLeadId(s)).toBe(false);
    if (typeof s === "string") expect(EXTERNAL_LEAD_ID_PATTERN.test(s)).toBe(false);
  });
});
