import { instantToViciLocal } from "../src/vici/rules/vici-time";
import type { Connection, RowDataPacket } from "mysql2/promise";
import { DateTime } from "luxon";
import {
  DEMO_CAMPAIGN_STATUSES,
  DEMO_CAMPAIGNS,
  DEMO_DNC_WILDCARD,
  DEMO_LISTS,
  DEMO_ORPHAN_LIST_ID,
  DEMO_RECENT_CALL_DAYS,
  DEMO_REGION,
  DEMO_UNKNOWN_STATUS,
  buildDemoDataset,
  seedDemoVici,
  type DemoDataset,
  type DemoOptions,
  type DemoPhone,
  type DemoSummary,
} from "../src/vici/demo-data";
import { DEMO_JOB_STARTER, fillDemoBrain, type DemoBrainLoad } from "../src/demo/load-demo";
import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { connectServer } from "../src/vici/vici-ddl";
import { DEFAULT_SYSTEM_STATUSES } from "../src/vici/rules/status-category";
import { fromViciPhone } from "../src/vici/rules/phone";
import { EXTERNAL_LEAD_ID_PATTERN, GENERATED_EXTERNAL_LEAD_ID_PATTERN } from "../src/util/external-lead-id";
import type { LeadMeta } from "../src/entities/brain/lead.entity";
import { dbNameFor, freshBrainDb, freshViciDb, viciRootUrl } from "./helpers/databases";

/**
 * The demo: a generated VICIdial (checked against what the generator says it made), then Brain
 * filled by the gateway's real FULL job (import + write-back) as VICIdial's ordinary DB user —
 * so what is asserted of Brain is what the real import makes of the demo's data.
 */
const TZ = "America/New_York";
const LEADS = 3000;
// Whole seconds: the generator works in seconds and so do the DATETIME columns.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const OPTS: DemoOptions = { leads: LEADS, timeZone: TZ, now: NOW };

let vici: Connection;
let vici2: Connection | undefined;
let viciUrl: string;
let brainUrl: string;
let app: GatewayApp;
let summary: DemoSummary;
let ds: DemoDataset;
let seedMs: number;
let brainLoad: DemoBrainLoad;
let brainMs: number;

const rows = async <T = RowDataPacket>(c: Connection, sql: string, params?: unknown[]): Promise<T[]> => {
  const [r] = await c.query<RowDataPacket[]>(sql, params);
  return r as unknown as T[];
};

/** A gateway app (not listening) on these databases, its job runner on: what loadDemo builds. */
async function openApp(brainDb: string, viciDb: string): Promise<GatewayApp> {
  const a = createApp(
    loadConfig({
      NODE_ENV: "test",
      BRAIN_DATABASE_URL: brainDb,
      VICI_DATABASE_URL: viciDb,
      VICI_TIMEZONE: TZ,
      LOG_LEVEL: "silent",
      OUTBOX_POLL_MS: "600000",
      JOB_POLL_MS: "600000",
    }),
    { log: pino({ level: "silent" }) },
  );
  await a.init();
  return a;
}

beforeAll(async () => {
  viciUrl = await freshViciDb(dbNameFor(__filename));
  vici = await connectServer(parseMysqlUrl(viciUrl), parseMysqlUrl(viciUrl).database);
  ds = buildDemoDataset(OPTS);
  const t0 = Date.now();
  summary = await seedDemoVici(vici, OPTS);
  seedMs = Date.now() - t0;
  brainUrl = await freshBrainDb(dbNameFor(__filename));
  app = await openApp(brainUrl, viciUrl);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await vici?.end();
  await vici2?.end();
});

describe("seedDemoVici", () => {
  it("runs under the server's strict sql_mode and writes what the data set holds", async () => {
    const [{ mode }] = await rows<{ mode: string }>(vici, "SELECT @@SESSION.sql_mode AS mode");
    expect(mode).toMatch(/STRICT_(TRANS|ALL)_TABLES/);
    expect(summary.skipped).toBe(false);
    expect(summary.tables).toEqual({
      vicidial_campaigns: 3,
      vicidial_lists: DEMO_LISTS.length,
      vicidial_statuses: DEFAULT_SYSTEM_STATUSES.length,
      vicidial_campaign_statuses: DEMO_CAMPAIGN_STATUSES.length,
      vicidial_list: LEADS,
      vicidial_log: ds.calls.length,
      vicidial_dnc: ds.dnc.length,
      vicidial_campaign_dnc: ds.campaignDnc.length,
    });
    expect(summary.distinctPhones).toBe(ds.phones.size);
    // No zero dates, no empty-string dates.
    const [z] = await rows<{ n: number }>(
      vici,
      `SELECT COUNT(*) AS n FROM vicidial_list
        WHERE entry_date IS NULL OR CAST(entry_date AS CHAR) LIKE '0000%' OR CAST(date_of_birth AS CHAR) LIKE '0000%'
           OR last_local_call_time IS NULL OR CAST(last_local_call_time AS CHAR) LIKE '0000%'`,
    );
    expect(Number(z.n)).toBe(0);
  });

  it("leaves a non-empty Vici database alone", async () => {
    const again = await seedDemoVici(vici, OPTS);
    expect(again.skipped).toBe(true);
    expect(again.tables).toEqual(summary.tables);
  });

  it("has the campaigns Auto2, Autodial, Survey1, their lists, and orphan list 101", async () => {
    const campaigns = await rows<{ campaign_id: string }>(
      vici,
      "SELECT campaign_id FROM vicidial_campaigns ORDER BY campaign_id",
    );
    expect(campaigns.map((c) => c.campaign_id)).toEqual(["Auto2", "Autodial", "Survey1"]);
    expect(DEMO_CAMPAIGNS.map((c) => c.campaignId).sort()).toEqual(["Auto2", "Autodial", "Survey1"]);
    const lists = await rows<{ list_id: number; campaign_id: string }>(
      vici,
      "SELECT list_id, campaign_id FROM vicidial_lists ORDER BY list_id",
    );
    expect(lists.map((l) => [Number(l.list_id), l.campaign_id])).toEqual(
      DEMO_LISTS.map((l) => [l.listId, l.campaignId]),
    );
    const counts = await rows<{ list_id: number; n: number; listed: number | null }>(
      vici,
      `SELECT vl.list_id, COUNT(*) AS n, MAX(l.list_id) AS listed
         FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id GROUP BY vl.list_id ORDER BY vl.list_id`,
    );
    const orphan = counts.find((c) => Number(c.list_id) === DEMO_ORPHAN_LIST_ID);
    expect(orphan).toBeDefined();
    expect(Number(orphan!.n)).toBeGreaterThanOrEqual(3);
    expect(orphan!.listed).toBeNull();
    expect(summary.orphanListIds).toEqual([DEMO_ORPHAN_LIST_ID]);
    for (const l of DEMO_LISTS)
      expect(Number(counts.find((c) => Number(c.list_id) === l.listId)?.n ?? 0)).toBeGreaterThan(100);
  });

  it("every lead's campaign (through vicidial_lists) is Auto2, Autodial, Survey1, or none for the orphan list", async () => {
    const r = await rows<{ campaign_id: string | null; n: number }>(
      vici,
      `SELECT l.campaign_id, COUNT(*) AS n FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
        GROUP BY l.campaign_id ORDER BY l.campaign_id`,
    );
    expect(r.map((x) => x.campaign_id)).toEqual([null, "Auto2", "Autodial", "Survey1"]);
    // And vicidial_list has no campaign_id column at all (FACTS.md §1).
    await expect(vici.query("SELECT campaign_id FROM vicidial_list LIMIT 1")).rejects.toThrow(/Unknown column/);
  });

  it("puts about 12% of the phones on 2 or 3 lists, in different lists", async () => {
    const r = await rows<{ lists: number; leads: number }>(
      vici,
      `SELECT COUNT(DISTINCT list_id) AS lists, COUNT(*) AS leads FROM vicidial_list GROUP BY phone_code, phone_number`,
    );
    const multi = r.filter((x) => Number(x.lists) > 1);
    const share = multi.length / r.length;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.14);
    expect(multi.length).toBe(summary.phonesOnMultipleLists);
    expect(Math.max(...r.map((x) => Number(x.leads)))).toBeLessThanOrEqual(3);
    // The same phone never twice in one list.
    for (const x of r) expect(Number(x.lists)).toBe(Number(x.leads));
    // Some phones span campaigns, some span two lists of one campaign.
    const spans = await rows<{ campaigns: number; lists: number }>(
      vici,
      `SELECT COUNT(DISTINCT l.campaign_id) AS campaigns, COUNT(DISTINCT vl.list_id) AS lists
         FROM vicidial_list vl JOIN vicidial_lists l ON l.list_id = vl.list_id
        GROUP BY vl.phone_number HAVING COUNT(*) > 1`,
    );
    expect(spans.some((s) => Number(s.campaigns) > 1)).toBe(true);
    expect(spans.some((s) => Number(s.campaigns) < Number(s.lists))).toBe(true);
  });

  it("stores valid US phones: phone_code 1 and 10 national digits, realistic area codes and exchanges", async () => {
    const r = await rows<{ phone_code: string; phone_number: string; gmt_offset_now: string }>(
      vici,
      "SELECT phone_code, phone_number, gmt_offset_now FROM vicidial_list",
    );
    const bad = r.filter(
      (x) =>
        x.phone_code !== "1" ||
        !/^[2-9]\d{2}[2-9]\d{6}$/.test(x.phone_number) ||
        x.phone_number.slice(4, 6) === "11" ||
        fromViciPhone(x.phone_code, x.phone_number, DEMO_REGION) !== "+1" + x.phone_number ||
        !["-4.00", "-5.00", "-6.00", "-7.00", "-8.00"].includes(x.gmt_offset_now),
    );
    expect(bad).toEqual([]);
    const fictional = r.filter((x) => x.phone_number.slice(3, 6) === "555");
    expect(fictional.length).toBeGreaterThan(0);
    expect(fictional.length).toBeLessThanOrEqual(5);
    expect(new Set(r.map((x) => x.phone_number.slice(0, 3))).size).toBeGreaterThanOrEqual(10);
  });

  it("gives about 25% of the rows a vendor_lead_code (≤ 20 chars), one code shared by two different phones", async () => {
    const [v] = await rows<{ n: number; maxlen: number }>(
      vici,
      "SELECT COUNT(*) AS n, MAX(CHAR_LENGTH(vendor_lead_code)) AS maxlen FROM vicidial_list WHERE vendor_lead_code <> ''",
    );
    const share = Number(v.n) / LEADS;
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(share).toBeLessThanOrEqual(0.3);
    expect(Number(v.maxlen)).toBeLessThanOrEqual(20);
    const vnd = await rows<{ n: number }>(
      vici,
      "SELECT COUNT(*) AS n FROM vicidial_list WHERE vendor_lead_code LIKE 'VND-%'",
    );
    expect(Number(vnd[0].n)).toBeGreaterThan(0);
    // Both empty and NULL vendor codes occur, as in real VICIdial.
    const [blank] = await rows<{ nulls: number; empties: number }>(
      vici,
      "SELECT SUM(vendor_lead_code IS NULL) AS nulls, SUM(vendor_lead_code = '') AS empties FROM vicidial_list",
    );
    expect(Number(blank.nulls)).toBeGreaterThan(0);
    expect(Number(blank.empties)).toBeGreaterThan(0);

    expect(ds.vendorCodeConflict).not.toBeNull();
    const { code, leadIds } = ds.vendorCodeConflict!;
    expect(summary.conflictingVendorCodes).toEqual([code]);
    const pair = await rows<{ lead_id: number; phone_number: string }>(
      vici,
      "SELECT lead_id, phone_number FROM vicidial_list WHERE vendor_lead_code = ? ORDER BY lead_id",
      [code],
    );
    expect(pair.map((p) => Number(p.lead_id))).toEqual(leadIds);
    expect(pair[0].phone_number).not.toBe(pair[1].phone_number);
  });

  it("spreads statuses, including campaign statuses and a code in no status table", async () => {
    const r = await rows<{ status: string; n: number }>(
      vici,
      "SELECT status, COUNT(*) AS n FROM vicidial_list GROUP BY status",
    );
    const by = new Map(r.map((x) => [x.status, Number(x.n)]));
    for (const s of [
      "NEW",
      "NA",
      "B",
      "A",
      "DROP",
      "SALE",
      "DNC",
      "CALLBK",
      "NI",
      "DC",
      "AA",
      "HOTLD",
      "NQ",
      DEMO_UNKNOWN_STATUS,
    ]) {
      expect(by.get(s) ?? 0).toBeGreaterThan(0);
    }
    const [unknown] = await rows<{ n: number }>(
      vici,
      `SELECT (SELECT COUNT(*) FROM vicidial_statuses WHERE status = ?) + (SELECT COUNT(*) FROM vicidial_campaign_statuses WHERE status = ?) AS n`,
      [DEMO_UNKNOWN_STATUS, DEMO_UNKNOWN_STATUS],
    );
    expect(Number(unknown.n)).toBe(0);
    // HOTLD only in Auto2 lists, NQ only in Autodial lists.
    const camp = await rows<{ status: string; campaign_id: string }>(
      vici,
      `SELECT DISTINCT vl.status, l.campaign_id FROM vicidial_list vl JOIN vicidial_lists l ON l.list_id = vl.list_id
        WHERE vl.status IN ('HOTLD', 'NQ')`,
    );
    for (const c of camp) expect(c.campaign_id).toBe(c.status === "HOTLD" ? "Auto2" : "Autodial");
    const cs = await rows<{ status: string; campaign_id: string; sale: string; unworkable: string }>(
      vici,
      "SELECT status, campaign_id, sale, unworkable FROM vicidial_campaign_statuses ORDER BY campaign_id, status",
    );
    expect(cs.map((c) => [c.campaign_id, c.status, c.sale, c.unworkable])).toEqual([
      ["Auto2", "HOTLD", "Y", "N"],
      ["Autodial", "CALLBK", "N", "N"],
      ["Autodial", "NQ", "N", "Y"],
    ]);
    // Autodial's CALLBK overrides a system status of the same code.
    const [sys] = await rows<{ scheduled_callback: string }>(
      vici,
      "SELECT scheduled_callback FROM vicidial_statuses WHERE status = 'CALLBK'",
    );
    expect(sys.scheduled_callback).toBe("Y");
  });

  it("has DNC numbers from the lead set, numbers outside it, the 900 wildcard and 900 leads; campaign DNC for Auto2", async () => {
    const dnc = await rows<{ phone_number: string }>(vici, "SELECT phone_number FROM vicidial_dnc");
    const set = new Set(dnc.map((d) => d.phone_number));
    expect(set.has(DEMO_DNC_WILDCARD)).toBe(true);
    const [inLeads] = await rows<{ n: number }>(
      vici,
      "SELECT COUNT(DISTINCT vl.phone_number) AS n FROM vicidial_list vl JOIN vicidial_dnc d ON d.phone_number = vl.phone_number",
    );
    expect(Number(inLeads.n)).toBeGreaterThan(10);
    expect(Number(inLeads.n)).toBeLessThan(dnc.length - 1);
    const [area900] = await rows<{ n: number }>(
      vici,
      "SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number LIKE '900%'",
    );
    expect(Number(area900.n)).toBeGreaterThan(0);
    // Some leads are in vicidial_dnc with a status that is not a DNC status (the hopper has not met them yet).
    const [untouched] = await rows<{ n: number }>(
      vici,
      "SELECT COUNT(*) AS n FROM vicidial_list vl JOIN vicidial_dnc d ON d.phone_number = vl.phone_number WHERE vl.status NOT IN ('DNC','DNCL','DNCC')",
    );
    expect(Number(untouched.n)).toBeGreaterThan(0);
    const cdnc = await rows<{ phone_number: string; campaign_id: string; leads: number }>(
      vici,
      `SELECT c.phone_number, c.campaign_id, (SELECT COUNT(*) FROM vicidial_list vl JOIN vicidial_lists l ON l.list_id = vl.list_id
                                              WHERE vl.phone_number = c.phone_number AND l.campaign_id = 'Auto2') AS leads
         FROM vicidial_campaign_dnc c`,
    );
    expect(cdnc.length).toBeGreaterThanOrEqual(2);
    for (const c of cdnc) expect(c.campaign_id).toBe("Auto2");
    expect(cdnc.filter((c) => Number(c.leads) > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("has a call log consistent with the leads, in the server's local time, with calls in the last 30 days", async () => {
    const calls = await rows<{
      uniqueid: string;
      lead_id: number;
      list_id: number;
      campaign_id: string;
      call_date: string;
      start_epoch: number;
      end_epoch: number;
      length_in_sec: number;
      phone_number: string;
      user: string;
      called_count: number;
    }>(vici, "SELECT * FROM vicidial_log");
    expect(calls.length).toBe(ds.calls.length);
    expect(calls.length).toBeGreaterThan(LEADS);
    const leads = new Map(
      (
        await rows<{
          lead_id: number;
          list_id: number;
          phone_number: string;
          called_count: number;
          last_local_call_time: string;
          gmt_offset_now: string;
          entry_date: string;
          status: string;
        }>(
          vici,
          "SELECT lead_id, list_id, phone_number, called_count, last_local_call_time, gmt_offset_now, entry_date, status FROM vicidial_list",
        )
      ).map((l) => [Number(l.lead_id), l]),
    );
    const campaignOf = new Map(DEMO_LISTS.map((l) => [l.listId, l.campaignId]));
    const perLead = new Map<number, number[]>();
    const problems: string[] = [];
    const nowS = NOW.getTime() / 1000;
    for (const c of calls) {
      const start = Number(c.start_epoch);
      const lead = leads.get(Number(c.lead_id));
      const why: string[] = [];
      if (!/^\d{10}\.\d{6}$/.test(c.uniqueid)) why.push("uniqueid shape");
      // call_date = start_epoch on the server's clock.
      if (c.call_date !== DateTime.fromSeconds(start, { zone: TZ }).toFormat("yyyy-LL-dd HH:mm:ss"))
        why.push("call_date");
      if (Number(c.end_epoch) - start !== Number(c.length_in_sec)) why.push("length");
      if (start > nowS || start < nowS - 121 * 86_400) why.push("outside the last 120 days");
      if (c.user !== "VDAD" && !/^agent\d\d$/.test(c.user)) why.push("user");
      if (!lead) why.push("no lead");
      else {
        if (Number(c.list_id) !== Number(lead.list_id)) why.push("list");
        if (c.campaign_id !== campaignOf.get(Number(lead.list_id))) why.push("campaign");
        if (c.phone_number !== lead.phone_number) why.push("phone");
        // After the lead was loaded.
        if (start * 1000 <= DateTime.fromSQL(lead.entry_date, { zone: TZ }).toMillis()) why.push("before entry_date");
      }
      if (why.length) problems.push(`${c.uniqueid}: ${why.join(", ")}`);
      if (!perLead.has(Number(c.lead_id))) perLead.set(Number(c.lead_id), []);
      perLead.get(Number(c.lead_id))!.push(start);
    }
    expect(new Set(calls.map((c) => c.uniqueid)).size).toBe(calls.length);
    for (const [id, lead] of leads) {
      const starts = (perLead.get(id) ?? []).sort((a, b) => a - b);
      if (Number(lead.called_count) !== starts.length)
        problems.push(`lead ${id}: called_count ${lead.called_count}, ${starts.length} calls`);
      if (starts.length === 0) {
        if (!["NEW", "DNCL"].includes(lead.status)) problems.push(`lead ${id}: never called but status ${lead.status}`);
        continue;
      }
      // last_local_call_time: the last call on the lead's clock (server instant shifted by gmt_offset_now)...
      const last = starts[starts.length - 1];
      const expected = DateTime.fromSeconds(last + Number(lead.gmt_offset_now) * 3600, { zone: "UTC" }).toFormat(
        "yyyy-LL-dd HH:mm:ss",
      );
      if (lead.last_local_call_time !== expected)
        problems.push(`lead ${id}: last_local_call_time ${lead.last_local_call_time} != ${expected}`);
      // ...between 09:00 and 21:00 there.
      const hour = Number(lead.last_local_call_time.slice(11, 13));
      if (hour < 9 || hour >= 21) problems.push(`lead ${id}: called at ${hour}h lead-local`);
    }
    expect(problems).toEqual([]);
    const since = instantToViciLocal(new Date(NOW.getTime() - DEMO_RECENT_CALL_DAYS * 86_400_000), TZ);
    const [recent] = await rows<{ n: number; leads: number }>(
      vici,
      "SELECT COUNT(*) AS n, COUNT(DISTINCT lead_id) AS leads FROM vicidial_log WHERE call_date >= ?",
      [since],
    );
    expect(Number(recent.n)).toBe(summary.callsWithin30Days);
    expect(Number(recent.n) / calls.length).toBeGreaterThan(0.2);
    expect(Number(recent.n) / calls.length).toBeLessThan(0.6);
    const older = calls.filter(
      (c) => c.call_date < instantToViciLocal(new Date(NOW.getTime() - 60 * 86_400_000), TZ),
    ).length;
    expect(older).toBeGreaterThan(0);
  });

  it("is deterministic: the same seed gives the same leads in the same order (here under the strictest sql_mode)", async () => {
    const url = await freshViciDb(dbNameFor(__filename, "again"));
    vici2 = await connectServer(parseMysqlUrl(url), parseMysqlUrl(url).database);
    await vici2.query(
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    );
    const again = await seedDemoVici(vici2, OPTS);
    expect(again.tables).toEqual(summary.tables);
    const first20 =
      "SELECT lead_id, phone_number, list_id, status, vendor_lead_code FROM vicidial_list ORDER BY lead_id LIMIT 20";
    const a = await rows(vici, first20);
    const b = await rows(vici2, first20);
    expect(b).toEqual(a);
    expect(a.map((r) => r.phone_number)).toEqual(ds.leads.slice(0, 20).map((l) => l.phone_number));
    // A different now moves dates, not leads; a different seed gives other leads.
    const shifted = buildDemoDataset({ ...OPTS, now: new Date(NOW.getTime() - 7 * 86_400_000) });
    expect(shifted.leads.map((l) => l.phone_number)).toEqual(ds.leads.map((l) => l.phone_number));
    const other = buildDemoDataset({ ...OPTS, seed: 7 });
    expect(other.leads.slice(0, 20).map((l) => l.phone_number)).not.toEqual(
      ds.leads.slice(0, 20).map((l) => l.phone_number),
    );
  });
});

describe("the demo's Brain: filled by the real FULL job", () => {
  interface BrainRow {
    external_lead_id: string;
    phone: string;
    first_name: string | null;
    origin: string;
    do_not_call: boolean;
    do_not_call_reason: string | null;
    do_not_call_until: Date | null;
    meta: LeadMeta;
  }
  let brainRows: BrainRow[];
  /** Every row as generated, before the write-back put Brain's ids into blank vendor codes. */
  const generated = () => new Map(ds.leads.map((l) => [l.lead_id, l]));
  const managedList = new Set(DEMO_LISTS.map((l) => l.listId));
  /** The phones with a row in a demo campaign's list: what the import must bring into Brain. */
  const managedPhones = () => [...ds.phones.values()].filter((p) => p.listIds.some((id) => managedList.has(id)));
  const e164 = (p: DemoPhone) => fromViciPhone(p.phoneCode, p.phoneNumber, DEMO_REGION)!;

  beforeAll(async () => {
    const t1 = Date.now();
    brainLoad = await fillDemoBrain(app, vici);
    brainMs = Date.now() - t1;
    console.info(
      `demo seed: Vici ${LEADS} leads + ${summary.tables.vicidial_log} calls in ${seedMs} ms; Brain filled by job ${brainLoad.job?.id} in ${brainMs} ms`,
    );
    brainRows = await app.brain.query(
      "SELECT external_lead_id, phone, first_name, origin, do_not_call, do_not_call_reason, do_not_call_until, meta FROM leads ORDER BY id",
    );
  }, 120_000);

  it("runs the gateway's own FULL job to success: every managed Vici row read, nothing failed", async () => {
    expect(brainLoad.skipped).toBeUndefined();
    expect(brainLoad.job).toMatchObject({ kind: "FULL", state: "SUCCEEDED", startedBy: DEMO_JOB_STARTER, errors: 0 });
    const managedRows = ds.leads.filter((l) => managedList.has(l.list_id)).length;
    // Both phases read every managed row.
    expect(brainLoad.job!.processed).toBe(2 * managedRows);
  });

  it("brings every phone with a row in a demo campaign into Brain once (not the orphan list's), plus 100 Brain-only leads", () => {
    const imported = brainRows.filter((r) => r.origin === "vici_import");
    expect(new Set(imported.map((r) => r.phone))).toEqual(new Set(managedPhones().map(e164)));
    expect(imported).toHaveLength(managedPhones().length);
    const orphanOnly = [...ds.phones.values()].filter((p) => !p.listIds.some((id) => managedList.has(id)));
    expect(orphanOnly.length).toBeGreaterThan(0);
    for (const p of orphanOnly) expect(brainRows.some((r) => r.phone === e164(p))).toBe(false);
    expect(brainLoad.brainOnlyAdded).toBe(100);
    expect(brainRows).toHaveLength(imported.length + 100);
  });

  it("links every managed Vici row of the phone, the most recently called as meta.vici_lead_id, the number's last call over every row (checked against vicidial_log)", async () => {
    const vrows = await rows<{
      lead_id: number;
      list_id: number;
      phone_code: string;
      phone_number: string;
      status: string;
      campaign_id: string | null;
      first_name: string;
      last_call: string | null;
    }>(
      vici,
      `SELECT vl.lead_id, vl.list_id, vl.phone_code, vl.phone_number, vl.status, l.campaign_id, vl.first_name,
              (SELECT MAX(g.call_date) FROM vicidial_log g WHERE g.lead_id = vl.lead_id) AS last_call
         FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id`,
    );
    const byPhone = new Map<string, typeof vrows>();
    for (const r of vrows) {
      const key = fromViciPhone(r.phone_code, r.phone_number, DEMO_REGION)!;
      if (!byPhone.has(key)) byPhone.set(key, []);
      byPhone.get(key)!.push(r);
    }
    let checkedShared = 0;
    let notHighest = 0;
    for (const b of brainRows.filter((r) => r.origin === "vici_import")) {
      const all = byPhone.get(b.phone)!;
      const vr = all.filter((x) => x.campaign_id !== null);
      // Latest call_date wins; never called → highest lead_id.
      const best = [...vr].sort((x, y) => {
        if ((x.last_call ?? "") !== (y.last_call ?? "")) return (y.last_call ?? "") < (x.last_call ?? "") ? -1 : 1;
        return Number(y.lead_id) - Number(x.lead_id);
      })[0];
      const m = b.meta;
      expect([b.phone, m.vici_lead_id]).toEqual([b.phone, Number(best.lead_id)]);
      expect(m.vici_lead_ids).toEqual(vr.map((x) => Number(x.lead_id)).sort((x, y) => x - y));
      expect(m.vici_list_id).toBe(Number(best.list_id));
      expect(m.vici_campaign_id).toBe(best.campaign_id);
      expect(m.vici_status).toBe(best.status);
      expect(m.origin).toBe("vici_import");
      // Contact fields come from the phone's first managed row (the import meets it first).
      const first = [...vr].sort((x, y) => Number(x.lead_id) - Number(y.lead_id))[0];
      expect(b.first_name).toBe(first.first_name || null);
      const latest =
        all
          .map((x) => x.last_call)
          .filter((x): x is string => !!x)
          .sort()
          .pop() ?? null;
      expect(m.last_call_date).toBe(latest === null ? null : DateTime.fromSQL(latest, { zone: TZ }).toUTC().toISO());
      if (vr.length > 1) {
        checkedShared++;
        if (m.vici_lead_id !== Math.max(...vr.map((x) => Number(x.lead_id)))) notHighest++;
      }
    }
    expect(checkedShared).toBeGreaterThan(100);
    // The rule is not "highest lead_id": plenty of phones prove it.
    expect(notHighest).toBeGreaterThan(10);
  });

  it("keeps a phone's one valid, unshared vendor code as external_lead_id, and writes Brain's ids back into blank vendor codes", async () => {
    const before = generated();
    const now = new Map(
      (
        await rows<{ lead_id: number; vendor_lead_code: string | null }>(
          vici,
          "SELECT lead_id, vendor_lead_code FROM vicidial_list",
        )
      ).map((v) => [Number(v.lead_id), v.vendor_lead_code]),
    );
    let kept = 0;
    let written = 0;
    for (const b of brainRows) {
      expect(b.external_lead_id).toMatch(EXTERNAL_LEAD_ID_PATTERN);
      if (b.origin !== "vici_import") {
        expect(b.external_lead_id).toMatch(GENERATED_EXTERNAL_LEAD_ID_PATTERN);
        continue;
      }
      const ids = b.meta.vici_lead_ids!;
      const codes = [...new Set(ids.map((id) => before.get(id)!.vendor_lead_code).filter((c): c is string => !!c))];
      if (codes.includes(b.external_lead_id)) {
        kept++;
        expect(codes).toEqual([b.external_lead_id]); // exactly one distinct code
      } else {
        expect(b.external_lead_id).toMatch(GENERATED_EXTERNAL_LEAD_ID_PATTERN);
        // Only when no single code was usable: none, several, unfit, or the one shared with another phone.
        if (codes.length === 1)
          expect(!EXTERNAL_LEAD_ID_PATTERN.test(codes[0]) || codes[0] === ds.vendorCodeConflict?.code).toBe(true);
      }
      // The write-back: a managed row that had no code now carries the lead's id.
      for (const id of ids) {
        if (before.get(id)!.vendor_lead_code) continue;
        expect([id, now.get(id)]).toEqual([id, b.external_lead_id]);
        written++;
      }
    }
    expect(kept).toBeGreaterThan(100);
    expect(written).toBeGreaterThan(100);
    // The conflict: both phones imported, neither takes the code two numbers carry.
    const { code, leadIds } = ds.vendorCodeConflict!;
    const holders = brainRows.filter((b) => b.meta.vici_lead_ids?.some((id) => leadIds.includes(id)));
    expect(holders).toHaveLength(2);
    expect(holders.filter((h) => h.external_lead_id === code)).toHaveLength(0);
    expect(brainRows.some((b) => b.external_lead_id.includes(" "))).toBe(false);
  });

  it("marks do_not_call: dnc for the DNC lists (system, 900 wildcard, Auto2's) and DNC statuses, recently_called within 30 days", () => {
    const dncStatuses = new Set(ds.systemStatuses.filter((s) => s.dnc).map((s) => s.status));
    const campaignOf = new Map(DEMO_LISTS.map((l) => [l.listId, l.campaignId]));
    const byE164 = new Map(managedPhones().map((p) => [e164(p), p]));
    const cutoff = NOW.getTime() / 1000 - DEMO_RECENT_CALL_DAYS * 86_400;
    const reasons = { dnc: 0, recently_called: 0, none: 0 };
    for (const b of brainRows.filter((r) => r.origin === "vici_import")) {
      const p = byE164.get(b.phone)!;
      const statuses = p.leadIds.map((id) => generated().get(id)!.status);
      const inAuto2 = p.listIds.some((id) => campaignOf.get(id) === "Auto2");
      const dnc =
        p.onSystemDnc || p.onWildcardDnc || (p.onCampaignDnc && inAuto2) || statuses.some((st) => dncStatuses.has(st));
      const expected = dnc ? "dnc" : p.lastCallEpoch !== null && p.lastCallEpoch >= cutoff ? "recently_called" : null;
      expect([b.phone, b.do_not_call_reason]).toEqual([b.phone, expected]);
      expect(b.do_not_call).toBe(expected !== null);
      // A recency flag ends when the number's last call is RECENT_CALL_DAYS old; dnc never.
      if (expected === "recently_called")
        expect(b.do_not_call_until).toEqual(
          new Date(Date.parse(b.meta.last_call_date!) + DEMO_RECENT_CALL_DAYS * 86_400_000),
        );
      else expect(b.do_not_call_until).toBeNull();
      reasons[(expected ?? "none") as keyof typeof reasons]++;
    }
    expect(reasons.dnc).toBeGreaterThan(10);
    expect(reasons.recently_called).toBeGreaterThan(100);
    expect(reasons.none).toBeGreaterThan(100);
    expect(brainRows.filter((r) => r.phone.startsWith("+1900")).length).toBeGreaterThan(0);
  });

  it("adds Brain-only leads with origin api, no Vici meta, phones not in Vici", async () => {
    const only = brainRows.filter((r) => r.origin === "api");
    expect(only).toHaveLength(100);
    const viciPhones = new Set(
      (await rows<{ phone_number: string }>(vici, "SELECT DISTINCT phone_number FROM vicidial_list")).map(
        (r) => "+1" + r.phone_number,
      ),
    );
    for (const b of only) {
      expect(viciPhones.has(b.phone)).toBe(false);
      expect(b.meta.vici_lead_id).toBeUndefined();
      expect(b.do_not_call).toBe(false);
      expect(b.first_name).toBeTruthy();
    }
  });

  it("a second start finds the demo's job: no new job, no lead added", async () => {
    const again = await fillDemoBrain(app, vici);
    expect(again).toMatchObject({ brainOnlyAdded: 0, job: { id: brainLoad.job!.id, state: "SUCCEEDED" } });
    const [{ n, jobs }] = await app.brain.query(
      "SELECT (SELECT COUNT(*)::int FROM leads) AS n, (SELECT COUNT(*)::int FROM sync_jobs) AS jobs",
    );
    expect([n, jobs]).toEqual([brainRows.length, 1]);
  });
});

describe("guards", () => {
  const extra: Connection[] = [];
  const apps: GatewayApp[] = [];
  afterAll(async () => {
    for (const c of extra) await c.end();
    for (const a of apps) await a.stop();
  });

  it("refuses values a lax (production-style) server would silently alter", async () => {
    // Lax sql_mode, as VICIdial servers usually run: an over-long value is truncated with only
    // a warning. The seeder treats any warning as an error.
    // As root: the test narrows a column (DDL) to make the server truncate.
    await freshViciDb(dbNameFor(__filename, "lax"));
    const url = viciRootUrl(dbNameFor(__filename, "lax"));
    const c = await connectServer(parseMysqlUrl(url), parseMysqlUrl(url).database);
    extra.push(c);
    await c.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    await c.query("ALTER TABLE vicidial_list MODIFY first_name VARCHAR(4)");
    await expect(seedDemoVici(c, { ...OPTS, leads: 50 })).rejects.toThrow(/warning/);
  });

  it("does not import a Vici database that is not the demo one into Brain", async () => {
    const url = await freshViciDb(dbNameFor(__filename, "real"));
    const c = await connectServer(parseMysqlUrl(url), parseMysqlUrl(url).database);
    extra.push(c);
    await c.query(
      "INSERT INTO vicidial_list (lead_id, entry_date, status, list_id, phone_code, phone_number, last_local_call_time) VALUES (1, '2025-01-02 10:00:00', 'NEW', 1001, '1', '7272345678', '2025-01-02 10:00:00')",
    );
    await c.query(
      "INSERT INTO vicidial_lists (list_id, list_name, campaign_id, active) VALUES (1001, 'Real list', 'Auto2', 'Y')",
    );
    const other = await openApp(await freshBrainDb(dbNameFor(__filename, "empty")), url);
    apps.push(other);
    expect(await fillDemoBrain(other, c)).toEqual({ skipped: "vici_not_demo", brainOnlyAdded: 0 });
    const [{ n, jobs }] = await other.brain.query(
      "SELECT (SELECT COUNT(*)::int FROM leads) AS n, (SELECT COUNT(*)::int FROM sync_jobs) AS jobs",
    );
    expect([n, jobs]).toEqual([0, 0]);
  });

  it("leaves a Brain that has leads of its own alone, even next to the demo Vici", async () => {
    const own = await openApp(await freshBrainDb(dbNameFor(__filename, "own")), viciUrl);
    apps.push(own);
    await own.brain.query("INSERT INTO leads (external_lead_id, phone, origin) VALUES ('OWN1', '+17275550142', 'api')");
    expect(await fillDemoBrain(own, vici)).toEqual({ skipped: "brain_not_empty", brainOnlyAdded: 0 });
    const [{ n, jobs }] = await own.brain.query(
      "SELECT (SELECT COUNT(*)::int FROM leads) AS n, (SELECT COUNT(*)::int FROM sync_jobs) AS jobs",
    );
    expect([n, jobs]).toEqual([1, 0]);
  });
});
