import type { DataSource } from "typeorm";
import { createViciDataSource } from "../src/data-sources/vici.data-source";
import { NumberRowsReader, type HeldRow } from "../src/vici/db/number-rows.reader";
import { readDncEntries } from "../src/vici/db/dnc.reader";
import { readViciPhone, type ViciPhone } from "../src/vici/rules/phone";
import { dbNameFor, freshViciDb } from "./helpers/databases";
import { insertVici } from "./helpers/fixtures";

/**
 * The import's batch reads of VICIdial take shortcuts a batch of thousands of numbers pays
 * for (number-rows.reader: the code-1-glued forms as one index range, alternate phones only
 * when the table has any; dnc.reader: short DNC lists read whole, then only the candidates
 * asked). Each must find exactly what the plain per-value statements find: here both ways,
 * on a real MariaDB as the dialer's user, over stored forms the shortcuts could miss
 * (glued, trailing spaces, lower-case wildcards, another country's national number starting
 * with 1), on both sides of each shortcut's size limit.
 */

const TZ = "America/New_York";
let vici: DataSource;

const NUMBERS = ["+17272310101", "+17272310102", "+13122310103", "+13122310104", "+441212345678", "+17272310105"];
const forms = new Map<string, ViciPhone>(
  NUMBERS.map((p) => [
    p,
    readViciPhone(p.startsWith("+44") ? "44" : "1", p.startsWith("+44") ? p.slice(3) : p.slice(2), "US")!.vici,
  ]),
);

/** The batch's own rows (held): one per number, lead ids 1..6, list 100. */
const HELD: HeldRow[] = NUMBERS.map((p, i) => ({
  leadId: i + 1,
  listId: 100,
  campaignId: "AUTO",
  status: "NA",
  vendorLeadCode: null,
  phoneCode: forms.get(p)!.phoneCode,
  phoneNumber: forms.get(p)!.phoneNumber,
}));

beforeAll(async () => {
  vici = createViciDataSource(await freshViciDb(dbNameFor(__filename)));
  await vici.initialize();
  await insertVici(vici, "vicidial_lists", [
    { list_id: 100, list_name: "A", campaign_id: "AUTO", active: "Y" },
    { list_id: 200, list_name: "B", campaign_id: "OTHER", active: "Y" },
  ]);
  const row = (lead_id: number, list_id: number, phone_code: string, phone_number: string) => ({
    lead_id,
    list_id,
    phone_code,
    phone_number,
    status: "NA",
    entry_date: "2026-01-01 10:00:00",
  });
  await insertVici(vici, "vicidial_list", [
    ...HELD.map((h) => row(h.leadId, 100, h.phoneCode!, h.phoneNumber)),
    row(11, 200, "1", "17272310101"), // glued form of +17272310101 in another list
    row(12, 200, "1", "13122310103 "), // glued, with a trailing space
    row(13, 200, "1", "7272310102"), // national form, second row
    row(14, 200, "44", "1212345678"), // another country's national number starting with 1, second row
  ]);
  await insertVici(vici, "vicidial_log", [
    { uniqueid: "1.11", lead_id: 11, call_date: "2026-01-05 10:00:00", status: "NA" },
    { uniqueid: "1.12", lead_id: 12, call_date: "2026-01-06 10:00:00", status: "NA" },
    { uniqueid: "1.1", lead_id: 1, call_date: "2026-01-02 10:00:00", status: "NA" },
  ]);
});

afterAll(async () => {
  await vici?.destroy();
});

/** What the reader answers, in a form that compares (rows, alternate phones, last call per number). */
async function read(reader: NumberRowsReader, held: boolean) {
  const out = await reader.read(NUMBERS, held ? { held: HELD, viciForms: forms } : {});
  return Object.fromEntries(
    [...out].map(([p, n]) => [
      p,
      {
        rows: n.rows,
        alt: n.altLeadIds,
        altAt: n.altDialAt?.toISOString() ?? null,
        last: n.lastCallAt?.toISOString() ?? null,
      },
    ]),
  );
}

describe("NumberRowsReader with a batch's rows held", () => {
  it("finds the glued, padded and foreign forms as the plain read does (the glued range short)", async () => {
    const plain = await read(new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" }), false);
    expect(plain["+17272310101"].rows.map((r) => r.leadId)).toEqual([1, 11]);
    expect(plain["+13122310103"].rows.map((r) => r.leadId)).toEqual([3, 12]);
    expect(plain["+17272310102"].rows.map((r) => r.leadId)).toEqual([2, 13]);
    expect(plain["+441212345678"].rows.map((r) => r.leadId)).toEqual([5, 14]);
    expect(await read(new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" }), true)).toEqual(plain);
  });

  it("finds them when the glued range is longer than the numbers asked (probed instead), and keeps probing", async () => {
    const extra = Array.from({ length: 12 }, (_, i) => ({
      lead_id: 100 + i,
      list_id: 200,
      phone_code: "1",
      phone_number: `1813231${String(1000 + i)}`,
      status: "NA",
      entry_date: "2026-01-01 10:00:00",
    }));
    await insertVici(vici, "vicidial_list", extra);
    try {
      const reader = new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" });
      const plain = await read(new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" }), false);
      expect(await read(reader, true)).toEqual(plain);
      expect((reader as unknown as { gluedRangeLong: boolean }).gluedRangeLong).toBe(true);
      expect(await read(reader, true)).toEqual(plain);
    } finally {
      await vici.query("DELETE FROM vicidial_list WHERE lead_id >= 100");
    }
  });

  it("reads alternate phones only when the table has some, and then as the plain read does", async () => {
    const reader = new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" });
    const before = await read(reader, true);
    expect(Object.values(before).every((n) => n.alt.length === 0)).toBe(true);
    await insertVici(vici, "vicidial_list_alt_phones", [{ lead_id: 13, phone_code: "1", phone_number: "3122310104" }]);
    await insertVici(vici, "vicidial_log", [
      { uniqueid: "1.13", lead_id: 13, call_date: "2026-01-09 10:00:00", status: "NA", phone_number: "3122310104" },
    ]);
    try {
      const plain = await read(new NumberRowsReader(vici, { timeZone: TZ, defaultRegion: "US" }), false);
      expect(plain["+13122310104"].alt).toEqual([13]);
      expect(plain["+13122310104"].altAt).not.toBeNull();
      expect(await read(reader, true)).toEqual(plain);
    } finally {
      await vici.query("DELETE FROM vicidial_list_alt_phones");
      await vici.query("DELETE FROM vicidial_log WHERE uniqueid = '1.13'");
    }
  });
});

describe("readDncEntries for a batch (short lists read whole)", () => {
  const phones = [...forms.values()];
  const entries = async (scanSmallLists: boolean) => {
    const e = await readDncEntries(vici, phones, { scanSmallLists });
    // Every entry the reader kept (stored forms included: the padded and lower-case ones hold no number
    // for hitsOf, but the read must find them as the probe does), and the hits per number.
    const kept = [...(e as unknown as { byEntry: Map<string, unknown[]> }).byEntry.values()].flat();
    return {
      kept: kept.map((x) => JSON.stringify(x)).sort(),
      hits: phones.map((v) => e.hitsOf(v, ["AUTO", "OTHER", "SHARE"])),
    };
  };

  it("finds the same entries whether the lists are read whole or probed", async () => {
    await insertVici(vici, "vicidial_campaigns", [
      { campaign_id: "SHARE", campaign_name: "Shares AUTO's list", active: "Y", use_other_campaign_dnc: "AUTO" },
    ]);
    await insertVici(vici, "vicidial_dnc", [
      { phone_number: "7272310101" },
      { phone_number: "312XXXXXXX" },
      { phone_number: "1212345678 " },
    ]);
    await insertVici(vici, "vicidial_campaign_dnc", [
      { phone_number: "7272310102", campaign_id: "AUTO" },
      { phone_number: "727xxxxxxx", campaign_id: "OTHER" },
      { phone_number: "9992310000", campaign_id: "AUTO" },
    ]);
    const probed = await entries(false);
    expect(probed.kept).toHaveLength(5); // not 9992310000: no number asked
    expect(probed.hits.flat()).toHaveLength(4);
    // Short lists (≤ 2 entries per number asked): read whole.
    expect(await entries(true)).toEqual(probed);
    // Long lists: probed as before.
    await insertVici(
      vici,
      "vicidial_dnc",
      Array.from({ length: 30 }, (_, i) => ({ phone_number: `2132319${String(i).padStart(3, "0")}` })),
    );
    await insertVici(
      vici,
      "vicidial_campaign_dnc",
      Array.from({ length: 30 }, (_, i) => ({
        phone_number: `2132319${String(i).padStart(3, "0")}`,
        campaign_id: "AUTO",
      })),
    );
    expect(await entries(false)).toEqual(probed);
    expect(await entries(true)).toEqual(probed);
  });
});
