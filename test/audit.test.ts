import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { AuditService } from "../src/services/audit.service";
import { HealthMetricsService } from "../src/services/health-metrics.service";

/**
 * audit(campaigns) and syncHealth(campaigns, cutoverAt) on a known fixture, every expected
 * number worked out by hand below. The Vici server runs on America/Chicago time
 * (CST -6 / CDT -5): its DATETIMEs are Chicago wall-clock times.
 *
 * Campaigns and lists (vicidial_lists):
 *   Auto2    1001 active, 1002 INACTIVE
 *   Autodial 2001 active     (its campaign status XFER has sale=Y: not dialable there;
 *                             in Auto2 XFER is the system status, a plain contact: dialable)
 *   Survey1  3001 active     (not chosen in most queries)
 *
 * vicidial_list (phone_code 1; "before" = entered 2026-01-10 09:00, before the cut-over):
 *   id list phone_number  status code       entry              notes
 *    1 1001 7275550101    NA     EXT-A      before             linked to B1, code = B1's: fine
 *    2 2001 7275550101    NEW    ''         before             linked to B1; same phone, other campaign
 *    3 1001 8135550102    NA     OTHER-1    before             linked to B2 (EXT-B): CONFLICT
 *    4 1002 8135550102    NEW    NULL       before             inactive list: not dialable
 *    5 1001 2125550104    NEW    NULL       before             phone of B4 (unlinked Brain lead)
 *    6 2001 4155550105    XFER   EXT-E      before             Autodial XFER = sale: not dialable
 *    7 1001 4155550105    XFER   NULL       before             Auto2 XFER: dialable
 *    8 1001 6025550108    NEW    NULL       before             not in Brain
 *    9 1001 6025550108    DNC    NULL       before             not in Brain; DNC: not dialable
 *   10 1001 15125550106   NEW    NEWBRAIN1  2026-03-02 10:00   glued country code = +15125550106 (B6); came through Brain
 *   11 1001 3125550111    NEW    NULL       2026-03-01 07:00   after the cut-over (13:00Z) only when read in Chicago time
 *   12 2001 3125550111    CALLBK VENDOR-X   2026-03-05 00:00   after; VENDOR-X is no Brain id
 *   13 3001 3125550111    NEW    SURV-1     2026-03-03 00:00   Survey1; linked to B8 (EXT-H): conflict when Survey1 is audited
 *   14 1001 9545550114    NA     SHARED1    before             linked to B7 (EXT-G): conflict; SHARED1 also on another phone
 *   15 2001 9545550115    NEW    SHARED1    before             SHARED1 on a second phone: conflict; not in Brain
 *   16 1001 7865550116    NEW    SAME-1     before             SAME-1 twice, but one phone (17 is the glued form): no conflict
 *   17 1002 17865550116   NEW    SAME-1     before             not in Brain (+17865550116), inactive list
 *   18 2001 7045550118    NEW    NULL       2026-03-01 05:30   before the cut-over (11:30Z); not in Brain
 *   19 2001 7270102       NEW    NULL       before             phone_code NULL; not a valid phone: matches no Brain lead
 *   20 1001 4155550105    NA     EXT-E      before             B5's code on B5's phone but not linked: no conflict;
 *                                                             with row 7 the phone has two dialable Auto2 rows
 *
 * Brain leads:
 *   B1 EXT-A     +17275550101 vici_lead_id 1,  vici_lead_ids [1,2]
 *   B2 EXT-B     +18135550102 vici_lead_id 3,  vici_lead_ids [3,4]
 *   B3 EXT-C     +13055550103 vici_lead_id 99, vici_lead_ids [99]     99 was deleted from Vici
 *   B4 EXT-D     +12125550104 (no link)
 *   B5 EXT-E     +14155550105 vici_lead_id 6,  vici_lead_ids [6,7,98] 98 was deleted
 *   B6 NEWBRAIN1 +15125550106 vici_lead_id 10, vici_lead_ids [10]
 *   B7 EXT-G     +19545550114 vici_lead_id 14, vici_lead_ids [14]
 *   B8 EXT-H     +13125550111 vici_lead_ids [13] only (no vici_lead_id: not "linked" for the share)
 *
 * Expected audit(campaigns: ["auto2", "Autodial"]):
 *   Auto2: rows 1,3,4,5,7,8,9,10,11,14,16,17,20 = 13; phones 7275550101 8135550102 2125550104
 *     4155550105 6025550108 15125550106 3125550111 9545550114 7865550116 17865550116 = 10;
 *     with code 1,3,10,14,16,17,20 = 7.
 *   Autodial: rows 2,6,12,15,18,19 = 6; phones 7275550101 4155550105 3125550111 9545550115
 *     7045550118 (NULL)7270102 = 6 (a NULL phone_code still counts); with code 6,12,15 = 3
 *     (row 2's '' is no code).
 *   Totals: 19 rows; 10 + 3 new phones (9545550115 7045550118 7270102) = 13; 10 with code.
 *   viciNotInBrain: 8, 9 (6025550108), 15, 16, 17 (+17865550116), 18, 19 (invalid) = 7.
 *   brainNotInVici: B3 (99) and B5 (98) = 2; samples: Vici ids [98, 99] (lowest first), Brain ids of B3, B5.
 *   conflictingLinks: 3 (B2), 14 (B7) linked with another code; 14, 15 share SHARED1 across
 *     phones; SAME-1 and EXT-E are each on one phone only; 13 is outside the campaigns
 *     → {3, 14, 15} = 3.
 *   phonesOnSeveralDialableRows: dialable = 1,3,5,7,8,10,11,14,16,20 (1001) and 2,12,15,18,19
 *     (2001) → 7275550101 (1,2), 4155550105 (7,20: XFER is dialable in Auto2, row 6's XFER
 *     is a sale in Autodial) and 3125550111 (11,12) = 3 phones, sample [1,2,7,20,11,12].
 * All campaigns (no argument): + Survey1 (row 13: 1 row, 1 phone, 1 code); totals 20 / 13 / 11;
 *   conflicts + 13 = 4; 3125550111 now has rows 11,12,13 (still 3 phones).
 *
 * vicidial_log (times relative to now, written as Chicago wall clock; window = 30 days):
 *   7275550101 lead 1 (Auto2) 2 days ago, lead 2 (Autodial) 5 days ago        → 2 leads: counts
 *   8135550102 lead 3 1 and 3 days ago                                        → 1 lead
 *   2125550104 lead 5 10 days ago, lead 4 31 days ago                         → 1 lead in the window
 *   6025550108 lead 8 30 days - 2 h ago, lead 9 1 day ago                     → counts (only in Chicago time:
 *              read as UTC wall clock the window would start 5-6 h later and miss lead 8's call)
 *   4155550105 lead 6 30 days + 2 h ago, lead 7 1 day ago                     → 1 lead in the window
 *   3125550111 lead 13 (Survey1) 1 day ago, lead 12 (Autodial) 2 days ago    → counts (Autodial is involved)
 *   2025550199 leads 50 and 51 (Survey1) 3 days ago                           → counts only for all campaigns
 *   3055550160 leads 60 and 61 (OLDCAMP, a campaign VICIdial no longer knows) → counts only when no
 *              campaigns are named (then the whole log is measured)
 *   Chosen: 3 numbers, sample [1,2,8,9,12,13]; no campaigns named: 5, sample + [50,51,60,61].
 *
 * syncHealth(["Auto2","Autodial"], cutoverAt 2026-03-01T12:00:00Z = 06:00 in Chicago):
 *   vendorCodeShare 10/19; brainLinkedShare 6/8 = 0.75 (B1,B2,B3,B5,B6,B7);
 *   createdOutsideBrain: entered since the cut-over 10, 11, 12 (18 is 05:30) = 3, of which
 *   11 and 12 did not come through Brain (10 was pushed by the gateway: a DONE push names it) = 2.
 */
let gw: TestGateway;
const brainIds: Record<string, string> = {};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = "America/Chicago";
const CHOSEN = ["auto2", "Autodial"];

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_TIMEZONE: TZ });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y" },
    { campaign_id: "Survey1", campaign_name: "Survey", active: "Y" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "Auto2 old", campaign_id: "Auto2", active: "N" },
    { list_id: 2001, list_name: "Autodial A", campaign_id: "Autodial", active: "Y" },
    { list_id: 3001, list_name: "Survey A", campaign_id: "Survey1", active: "Y" },
  ]);
  await insertVici(v, "vicidial_campaign_statuses", [
    { status: "XFER", status_name: "Transfer = sale", campaign_id: "Autodial", sale: "Y", selectable: "Y" },
  ]);
  const before = "2026-01-10 09:00:00";
  const row = (
    lead_id: number,
    list_id: number,
    phone_number: string,
    status: string,
    vendor_lead_code: string | null,
    entry_date = before,
  ) => ({
    lead_id,
    list_id,
    phone_code: "1",
    phone_number,
    status,
    vendor_lead_code,
    entry_date,
  });
  await insertVici(v, "vicidial_list", [
    row(1, 1001, "7275550101", "NA", "EXT-A"),
    row(2, 2001, "7275550101", "NEW", ""),
    row(3, 1001, "8135550102", "NA", "OTHER-1"),
    row(4, 1002, "8135550102", "NEW", null),
    row(5, 1001, "2125550104", "NEW", null),
    row(6, 2001, "4155550105", "XFER", "EXT-E"),
    row(7, 1001, "4155550105", "XFER", null),
    row(8, 1001, "6025550108", "NEW", null),
    row(9, 1001, "6025550108", "DNC", null),
    row(10, 1001, "15125550106", "NEW", "NEWBRAIN1", "2026-03-02 10:00:00"),
    row(11, 1001, "3125550111", "NEW", null, "2026-03-01 07:00:00"),
    row(12, 2001, "3125550111", "CALLBK", "VENDOR-X", "2026-03-05 00:00:00"),
    row(13, 3001, "3125550111", "NEW", "SURV-1", "2026-03-03 00:00:00"),
    row(14, 1001, "9545550114", "NA", "SHARED1"),
    row(15, 2001, "9545550115", "NEW", "SHARED1"),
    row(16, 1001, "7865550116", "NEW", "SAME-1"),
    row(17, 1002, "17865550116", "NEW", "SAME-1"),
    row(18, 2001, "7045550118", "NEW", null, "2026-03-01 05:30:00"),
    { ...row(19, 2001, "7270102", "NEW", null), phone_code: null },
    row(20, 1001, "4155550105", "NA", "EXT-E"),
  ]);
  const now = Date.now();
  const ago = (ms: number) => instantToViciLocal(new Date(now - ms), TZ);
  let seq = 0;
  const call = (lead_id: number, campaign_id: string, phone_number: string, call_date: string) => ({
    uniqueid: `1780000000.${++seq}`,
    lead_id,
    campaign_id,
    call_date,
    status: "NA",
    phone_code: "1",
    phone_number,
  });
  await insertVici(v, "vicidial_log", [
    call(1, "Auto2", "7275550101", ago(2 * DAY)),
    call(2, "Autodial", "7275550101", ago(5 * DAY)),
    call(3, "Auto2", "8135550102", ago(1 * DAY)),
    call(3, "Auto2", "8135550102", ago(3 * DAY)),
    call(5, "Auto2", "2125550104", ago(10 * DAY)),
    call(4, "Auto2", "2125550104", ago(31 * DAY)),
    call(8, "Auto2", "6025550108", ago(30 * DAY - 2 * HOUR)),
    call(9, "Auto2", "6025550108", ago(1 * DAY)),
    call(6, "Autodial", "4155550105", ago(30 * DAY + 2 * HOUR)),
    call(7, "Auto2", "4155550105", ago(1 * DAY)),
    call(13, "Survey1", "3125550111", ago(1 * DAY)),
    call(12, "Autodial", "3125550111", ago(2 * DAY)),
    call(50, "Survey1", "2025550199", ago(3 * DAY)),
    call(51, "Survey1", "2025550199", ago(3 * DAY)),
    call(60, "OLDCAMP", "3055550160", ago(4 * DAY)),
    call(61, "OLDCAMP", "3055550160", ago(4 * DAY)),
  ]);
  const ids = await insertBrainLeads(gw.app.brain, [
    { externalLeadId: "EXT-A", phone: "+17275550101", meta: { vici_lead_id: 1, vici_lead_ids: [1, 2] } },
    { externalLeadId: "EXT-B", phone: "+18135550102", meta: { vici_lead_id: 3, vici_lead_ids: [3, 4] } },
    { externalLeadId: "EXT-C", phone: "+13055550103", meta: { vici_lead_id: 99, vici_lead_ids: [99] } },
    { externalLeadId: "EXT-D", phone: "+12125550104" },
    { externalLeadId: "EXT-E", phone: "+14155550105", meta: { vici_lead_id: 6, vici_lead_ids: [6, 7, 98] } },
    { externalLeadId: "NEWBRAIN1", phone: "+15125550106", meta: { vici_lead_id: 10, vici_lead_ids: [10] } },
    { externalLeadId: "EXT-G", phone: "+19545550114", meta: { vici_lead_id: 14, vici_lead_ids: [14] } },
    { externalLeadId: "EXT-H", phone: "+13125550111", meta: { vici_lead_ids: [13] } },
  ]);
  ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"].forEach((k, i) => (brainIds[k] = ids[i]));
  // B6 came through Brain: the gateway pushed it as Vici lead 10 (its first push: the default cut-over).
  await gw.app.brain.query(
    "INSERT INTO vici_pushes (lead_id, kind, state, vici_lead_id, done_at) VALUES ($1, 'PUSH_LEAD', 'DONE', 10, '2026-03-01T12:00:00Z')",
    [brainIds.B6],
  );
});

afterAll(() => gw?.stop());

const AUDIT = `
  campaigns { campaignId name lists { listId active } rows uniquePhones rowsWithVendorCode }
  totals { rows uniquePhones rowsWithVendorCode }
  viciNotInBrain { count sampleLeadIds sampleBrainLeadIds }
  brainNotInVici { count sampleLeadIds sampleBrainLeadIds }
  conflictingLinks { count sampleLeadIds sampleBrainLeadIds }
  phonesOnSeveralDialableRows { count sampleLeadIds sampleBrainLeadIds }
  generatedAt`;
const METRIC = `{ value count total target met sampleLeadIds }`;
const HEALTH = `
  campaigns windowDays windowStart cutoverAt measuredAt
  dialedTwiceIn30Days ${METRIC} vendorCodeShare ${METRIC} brainLinkedShare ${METRIC} createdOutsideBrain ${METRIC}`;

const drift = (count: number, sampleLeadIds: number[], sampleBrainLeadIds: string[] = []) => ({
  count,
  sampleLeadIds,
  sampleBrainLeadIds,
});

/** The expected report for Auto2 + Autodial (worked out in the header). */
function expectedChosenAudit() {
  return {
    campaigns: [
      {
        campaignId: "Auto2",
        name: "Auto Two",
        lists: [
          { listId: 1001, active: true },
          { listId: 1002, active: false },
        ],
        rows: 13,
        uniquePhones: 10,
        rowsWithVendorCode: 7,
      },
      {
        campaignId: "Autodial",
        name: "Auto Dial",
        lists: [{ listId: 2001, active: true }],
        rows: 6,
        uniquePhones: 6,
        rowsWithVendorCode: 3,
      },
    ],
    totals: { rows: 19, uniquePhones: 13, rowsWithVendorCode: 10 },
    viciNotInBrain: drift(7, [8, 9, 15, 16, 17, 18, 19]),
    brainNotInVici: drift(2, [98, 99], [brainIds.B3, brainIds.B5]),
    conflictingLinks: drift(3, [3, 14, 15]),
    phonesOnSeveralDialableRows: drift(3, [1, 2, 7, 20, 11, 12]),
  };
}

describe("audit(campaigns)", () => {
  it("counts rows, unique phones and vendor codes per campaign, and the drift, for the chosen campaigns", async () => {
    const { status, body } = await gw.gql(`query($c: [String!]) { audit(campaigns: $c) { ${AUDIT} } }`, { c: CHOSEN });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const { generatedAt, ...report } = body.data.audit;
    expect(report).toEqual(expectedChosenAudit());
    expect(Math.abs(Date.parse(generatedAt) - Date.now())).toBeLessThan(60_000);
  });

  it("audits every campaign when none are named", async () => {
    const { body } = await gw.gql(`query { audit { ${AUDIT} } }`);
    expect(body.errors).toBeUndefined();
    const r = body.data.audit;
    expect(r.campaigns.map((c: any) => [c.campaignId, c.rows, c.uniquePhones, c.rowsWithVendorCode])).toEqual([
      ["Auto2", 13, 10, 7],
      ["Autodial", 6, 6, 3],
      ["Survey1", 1, 1, 1],
    ]);
    expect(r.totals).toEqual({ rows: 20, uniquePhones: 13, rowsWithVendorCode: 11 });
    expect(r.viciNotInBrain).toEqual(drift(7, [8, 9, 15, 16, 17, 18, 19]));
    expect(r.brainNotInVici).toEqual(drift(2, [98, 99], [brainIds.B3, brainIds.B5]));
    expect(r.conflictingLinks).toEqual(drift(4, [3, 13, 14, 15]));
    expect(r.phonesOnSeveralDialableRows).toEqual(drift(3, [1, 2, 7, 20, 11, 12, 13]));
  });

  it.each([1, 2, 3, 5])(
    "gives the same answers when Vici is read %i row(s) per chunk (a phone's rows cut by a chunk end)",
    async (chunk) => {
      const { app } = gw;
      const small = new AuditService(
        app.brain,
        app.vici,
        app.config,
        app.services.campaigns,
        app.services.viciLeads,
        app.services.managed,
        app.services.vendorCodeOwners,
        {
          viciChunk: chunk,
          brainChunk: chunk + 1,
        },
      );
      const { generatedAt, ...report } = await small.audit(CHOSEN);
      expect(generatedAt).toBeInstanceOf(Date);
      const lists = report.campaigns.map((c) => ({
        ...c,
        lists: c.lists.map((l) => ({ listId: l.listId, active: l.active })),
      }));
      expect({ ...report, campaigns: lists }).toEqual(expectedChosenAudit());
      const smallHealth = new HealthMetricsService(
        app.brain,
        app.vici,
        app.config,
        app.services.campaigns,
        app.services.managed,
        { viciChunk: chunk },
      );
      const health = await smallHealth.measure({ campaignIds: CHOSEN, cutoverAt: new Date("2026-03-01T12:00:00Z") });
      expect(health.createdOutsideBrain).toEqual({
        value: 2,
        count: 2,
        total: 3,
        target: "zero",
        met: false,
        sampleLeadIds: [11, 12],
      });
    },
  );
});

describe("syncHealth(campaigns, cutoverAt)", () => {
  it("measures the four success metrics with their targets", async () => {
    const { status, body } = await gw.gql(
      `query($c: [String!], $t: DateTimeISO) { syncHealth(campaigns: $c, cutoverAt: $t) { ${HEALTH} } }`,
      {
        c: CHOSEN,
        t: "2026-03-01T12:00:00Z",
      },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const h = body.data.syncHealth;
    expect(h).toMatchObject({
      campaigns: ["Auto2", "Autodial"],
      windowDays: 30,
      cutoverAt: "2026-03-01T12:00:00.000Z",
    });
    expect(Math.abs(Date.parse(h.measuredAt) - Date.parse(h.windowStart) - 30 * DAY)).toBeLessThan(1000);
    expect(h.dialedTwiceIn30Days).toEqual({
      value: 3,
      count: 3,
      total: null,
      target: "zero",
      met: false,
      sampleLeadIds: [1, 2, 8, 9, 12, 13],
    });
    expect(h.vendorCodeShare).toEqual({
      value: 10 / 19,
      count: 10,
      total: 19,
      target: "100%",
      met: false,
      sampleLeadIds: [],
    });
    expect(h.brainLinkedShare).toEqual({
      value: 0.75,
      count: 6,
      total: 8,
      target: "100%",
      met: false,
      sampleLeadIds: [],
    });
    expect(h.createdOutsideBrain).toEqual({
      value: 2,
      count: 2,
      total: 3,
      target: "zero",
      met: false,
      sampleLeadIds: [11, 12],
    });
  });

  it("covers every campaign when none are named; without a cut-over given, measures from the gateway's first push", async () => {
    const { body } = await gw.gql(`query { syncHealth { ${HEALTH} } }`);
    expect(body.errors).toBeUndefined();
    const h = body.data.syncHealth;
    expect(h.campaigns).toEqual(["Auto2", "Autodial", "Survey1"]);
    expect(h.dialedTwiceIn30Days).toMatchObject({ value: 5, sampleLeadIds: [1, 2, 8, 9, 12, 13, 50, 51, 60, 61] });
    expect(h.vendorCodeShare).toMatchObject({ count: 11, total: 20, met: false });
    expect(h.cutoverAt).toBe("2026-03-01T12:00:00.000Z");
    // 10, 11, 12 and Survey1's 13 entered since; 10 was pushed by the gateway.
    expect(h.createdOutsideBrain).toEqual({
      value: 3,
      count: 3,
      total: 4,
      target: "zero",
      met: false,
      sampleLeadIds: [11, 12, 13],
    });
  });

  it("a campaign that meets its targets: met is true", async () => {
    // Survey1 after a cut-over later than its only row; its vendor code is set. The number it
    // dialed from two leads still counts, and Brain has unlinked leads.
    const { body } = await gw.gql(
      `query { syncHealth(campaigns: ["SURVEY1"], cutoverAt: "2026-04-01T00:00:00Z") { ${HEALTH} } }`,
    );
    expect(body.errors).toBeUndefined();
    const h = body.data.syncHealth;
    expect(h.vendorCodeShare).toEqual({ value: 1, count: 1, total: 1, target: "100%", met: true, sampleLeadIds: [] });
    expect(h.createdOutsideBrain).toEqual({
      value: 0,
      count: 0,
      total: 0,
      target: "zero",
      met: true,
      sampleLeadIds: [],
    });
    expect(h.dialedTwiceIn30Days).toMatchObject({ value: 2, met: false, sampleLeadIds: [12, 13, 50, 51] });
  });
});

describe("bad arguments", () => {
  it.each([
    ["a too long id", `audit(campaigns: ["Auto2", "TOOLONGID"]) { totals { rows } }`, /TOOLONGID/],
    ["an id with a space", `audit(campaigns: ["Auto 2"]) { totals { rows } }`, /Auto 2/],
    ["an empty id", `audit(campaigns: [""]) { totals { rows } }`, /""/],
    [
      "unknown campaigns (named)",
      `audit(campaigns: ["Auto2", "Nope", "Ghost_1"]) { totals { rows } }`,
      /unknown campaigns: Nope, Ghost_1/,
    ],
    ["a bad id in syncHealth", `syncHealth(campaigns: ["x;DROP"]) { measuredAt }`, /x;DROP/],
    ["an unknown campaign in syncHealth", `syncHealth(campaigns: ["Nope"]) { measuredAt }`, /unknown campaign: Nope/],
  ])("refuses %s: BAD_USER_INPUT on field campaigns, HTTP 400", async (_name, selection, message) => {
    const { status, body } = await gw.gql(`query { ${selection} }`);
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "campaigns" });
    expect(body.errors[0].message).toMatch(message);
  });

  it("refuses a cutoverAt that is not a date-time", async () => {
    const { status, body } = await gw.gql(`query($t: DateTimeISO) { syncHealth(cutoverAt: $t) { measuredAt } }`, {
      t: "yesterday",
    });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});
