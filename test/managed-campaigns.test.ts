import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { runCli } from "./helpers/cli";
import { instantToViciLocal, viciLocalToInstant } from "../src/vici/rules/vici-time";
import { SyncJobKind } from "../src/jobs/sync-job.types";

/**
 * A dialer with more than the gateway manages (issue 10): VICI_CAMPAIGNS=Auto2,Autodial, next to
 * a survey campaign, a manual-dial campaign and an orphan list (leads whose list has no
 * vicidial_lists row). Only managed rows are imported, linked, given a vendor code or rolled
 * back; every row of a number still counts for DNC and the recent-call rule; the vendor-code
 * rule reads the whole number, so any batch size or row order gives the same leads.
 */
const TZ = "America/New_York";
const DAY = 86_400_000;
let gw: TestGateway;

const local = (ms: number) => instantToViciLocal(new Date(Date.now() - ms), TZ);
/** The manual dial 6 days ago, on the manual-dial campaign's row of 727-555-0001: the number's last call. */
const MANUAL_CALL = local(6 * DAY);

/** [lead_id, national number, list, status, vendor code]; lead_ids are remapped by `order`. */
type Row = [number, string, number, string, string | null];
const ROWS: Row[] = [
  [1, "7275550001", 1001, "NA", ""], // P1: managed, called 60 days ago ...
  [2, "7275550001", 4001, "NA", null], // ... and dialed by hand 6 days ago from the manual-dial campaign
  [3, "7275550002", 3001, "NA", "SRV-2"], // P2: only in Survey1 (unmanaged)
  [4, "7275550003", 101, "NEW", null], // P3: only in the orphan list
  [5, "7275550004", 1001, "NA", null], // P4: managed, no code ...
  [6, "7275550004", 3001, "NA", "SRV-4"], // ... and a Survey1 row with a code: never adopted, never written
  [7, "7275550005", 1002, "NA", null], // P5: managed ...
  [8, "7275550005", 101, "DNC", null], // ... and a DNC status in the orphan list: DNC
  [9, "7275550006", 1001, "NA", "DUP-1"], // P6 and P7 (row 14) carry one code: neither adopts it
  [10, "7275550008", 1001, "NA", ""], // P8: an empty row first ...
  [11, "7275550009", 1002, "NA", "v-9"], // P9: one code in two spellings (row 15)
  [12, "7275550010", 1001, "NA", "M-10"], // P10: its code sits on an unmanaged row of P11 too: still its own
  [13, "7275550011", 3001, "NA", "M-10"],
  [14, "7275550007", 2001, "NA", "DUP-1"],
  [15, "7275550009", 2001, "NA", "V-9 "],
  [16, "7275550008", 2001, "NA", "V-8"], // ... P8's code comes later, in another batch
  [17, "7275550012", 1001, "NA", "AB 12"], // P12: a code that cannot be an id
];
const MANAGED_ROWS = ROWS.filter(([, , list]) => list >= 1000 && list < 3000).length;
const UNMANAGED = ROWS.filter(([, , list]) => list >= 3000 || list === 101).map(([id]) => id);

/** Loads the dialer's rows and calls; `order` maps each fixture lead_id to the one VICIdial gets. */
async function loadVici(order: (id: number) => number = (id) => id) {
  const v = gw.app.vici;
  await v.query("DELETE FROM vicidial_list");
  await v.query("DELETE FROM vicidial_log");
  await insertVici(
    v,
    "vicidial_list",
    ROWS.map(([id, phone_number, list_id, status, vendor_lead_code]) => ({
      lead_id: order(id),
      phone_number,
      list_id,
      status,
      vendor_lead_code,
      phone_code: "1",
      entry_date: local(200 * DAY),
    })),
  );
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "1.1",
      lead_id: order(1),
      list_id: 1001,
      campaign_id: "Auto2",
      call_date: local(60 * DAY),
      status: "NA",
      phone_number: "7275550001",
    },
    {
      uniqueid: "1.2",
      lead_id: order(2),
      list_id: 4001,
      campaign_id: "MANUAL1",
      call_date: MANUAL_CALL,
      status: "SALE",
      phone_number: "7275550001",
    },
  ]);
}
async function resetBrain() {
  for (const t of ["sync_job_issues", "sync_job_changes", "sync_jobs", "vici_pushes", "leads"])
    await gw.app.brain.query(`DELETE FROM ${t}`);
}
const importJob = async (opts: Record<string, unknown> = {}) => {
  const job = await gw.app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, ...opts }, "test");
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};
const viciRows = async () =>
  Object.fromEntries(
    (
      await gw.app.vici.query("SELECT lead_id, list_id, vendor_lead_code, status FROM vicidial_list ORDER BY lead_id")
    ).map((r: any) => [Number(r.lead_id), `${r.list_id}|${r.vendor_lead_code}|${r.status}`]),
  );
const lead = async (phone: string) => (await gw.app.brain.query("SELECT * FROM leads WHERE phone = $1", [phone]))[0];
/** Brain after an import, by phone: the id (adopted code, or "generated"), do-not-call, the linked rows (as fixture ids). */
const imported = async (fixtureId: (leadId: number) => number = (id) => id) =>
  Object.fromEntries(
    (
      await gw.app.brain.query(
        "SELECT phone, external_lead_id AS ext, do_not_call_reason AS dnc, meta FROM leads ORDER BY phone",
      )
    ).map((l: any) => [
      l.phone,
      {
        ext: /^[0-9A-Z]{20}$/.test(l.ext) ? "generated" : l.ext,
        dnc: l.dnc,
        rows: (l.meta.vici_lead_ids ?? []).map(fixtureId).sort((a: number, b: number) => a - b),
        lastCall: l.meta.last_call_date,
      },
    ]),
  );

beforeAll(async () => {
  gw = await startTestGateway(__filename, {
    VICI_TIMEZONE: TZ,
    VICI_CAMPAIGNS: "Auto2,Autodial",
    VICI_CAMPAIGN_LISTS: "Auto2:1001,Survey1:3001",
    VICI_DEFAULT_LIST_ID: "1001",
  });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y", dial_method: "RATIO" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y", dial_method: "ADAPT_AVERAGE" },
    { campaign_id: "Survey1", campaign_name: "Survey", active: "Y", dial_method: "RATIO" },
    { campaign_id: "MANUAL1", campaign_name: "Manual dial", active: "Y", dial_method: "MANUAL" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "A2", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "D1", campaign_id: "Autodial", active: "Y" },
    { list_id: 3001, list_name: "S1", campaign_id: "Survey1", active: "Y" },
    { list_id: 4001, list_name: "M1", campaign_id: "MANUAL1", active: "Y" },
    // list 101 has no vicidial_lists row (an orphan list)
  ]);
});
afterAll(() => gw?.stop());

describe("createLead against a dialer with unmanaged campaigns", () => {
  beforeAll(async () => {
    await resetBrain();
    await loadVici();
  });
  const create = async (input: Record<string, unknown>) => {
    const { body } = await gw.gql(
      `mutation($input: CreateLeadInput!) { createLead(input: $input) {
         created viciAction reasons lead { id externalLeadId doNotCall doNotCallReason doNotCallUntil meta lastCallAt viciLeads { leadId } } } }`,
      { input },
    );
    return body;
  };
  const outbox = async (leadId: string) =>
    (await gw.app.brain.query("SELECT kind, payload FROM vici_pushes WHERE lead_id = $1", [leadId])).map(
      (o: any) => o.kind,
    );

  it("a number only in an unmanaged campaign gets a new row in the target list; the unmanaged row is never touched", async () => {
    const before = await viciRows();
    const r = (await create({ phone: "7275550002", campaignId: "Auto2" })).data.createLead;
    expect(r).toMatchObject({ created: true, viciAction: "CREATED" });
    expect(r.lead.externalLeadId).toMatch(/^[0-9A-Z]{20}$/); // SRV-2 sits on an unmanaged row: not adopted
    const after = await viciRows();
    const added = Object.keys(after)
      .map(Number)
      .filter((id) => !(id in before));
    expect(added).toHaveLength(1);
    expect(after[added[0]]).toBe(`1001|${r.lead.externalLeadId}|NEW`);
    expect(after[3]).toBe(before[3]);
    expect(r.lead.meta).toMatchObject({ vici_lead_id: added[0], vici_lead_ids: [added[0]], vici_campaign_id: "Auto2" });
  });

  it("a number only in an orphan list is new to the gateway too", async () => {
    const r = (await create({ phone: "7275550003" })).data.createLead;
    expect(r).toMatchObject({ created: true, viciAction: "CREATED" });
    expect((await viciRows())[4]).toBe("101|null|NEW");
  });

  it("links only managed rows: the managed row gets Brain's id, the unmanaged row keeps its code", async () => {
    const r = (await create({ phone: "7275550004" })).data.createLead;
    expect(r).toMatchObject({ created: true, viciAction: "LINKED_EXISTING" });
    expect(r.lead.externalLeadId).toMatch(/^[0-9A-Z]{20}$/);
    expect(r.lead.meta).toMatchObject({ vici_lead_id: 5, vici_lead_ids: [5] });
    expect(r.reasons).toContain(
      "also in VICIdial outside the managed campaigns as lead(s) 6: read for DNC and recent calls, never linked or written",
    );
    await gw.app.services.pusher.drain();
    const rows = await viciRows();
    expect([rows[5], rows[6]]).toEqual([`1001|${r.lead.externalLeadId}|NA`, "3001|SRV-4|NA"]);
  });

  it("a DNC status on an unmanaged row makes the number DNC; the skipped create links nothing and writes nothing to Vici", async () => {
    const before = await viciRows();
    const r = (await create({ phone: "7275550005" })).data.createLead;
    expect(r).toMatchObject({
      created: true,
      viciAction: "SKIPPED_DNC",
      lead: { doNotCall: true, doNotCallReason: "dnc" },
    });
    expect(r.lead.meta.vici_lead_id).toBeUndefined();
    expect(r.lead.meta.vici_lead_ids).toBeUndefined();
    expect(await outbox(r.lead.id)).toEqual([]);
    await gw.app.services.pusher.drain();
    expect(await viciRows()).toEqual(before);
  });

  it("a manual dial 6 days ago on an unmanaged row: recently called, nothing linked or written (the push deferred); meta.last_call_date and Lead.lastCallAt agree", async () => {
    const before = await viciRows();
    const r = (await create({ phone: "7275550001" })).data.createLead;
    const lastCall = viciLocalToInstant(MANUAL_CALL, TZ)!;
    const ends = new Date(lastCall.getTime() + 30 * 86_400_000).toISOString();
    expect(r).toMatchObject({
      created: true,
      viciAction: "DEFERRED",
      lead: { doNotCall: true, doNotCallReason: "recently_called", doNotCallUntil: ends },
    });
    expect(r.lead.meta).toEqual({ last_call_date: lastCall.toISOString() });
    expect(r.lead.lastCallAt).toBe(r.lead.meta.last_call_date);
    expect(r.lead.viciLeads.map((v: any) => v.leadId).sort()).toEqual([1, 2]); // every row is still shown
    expect(await outbox(r.lead.id)).toEqual(["PUSH_LEAD"]);
    const [push] = await gw.app.brain.query("SELECT state, next_attempt_at FROM vici_pushes WHERE lead_id = $1", [
      r.lead.id,
    ]);
    expect(push).toEqual({ state: "DEFERRED", next_attempt_at: new Date(ends) }); // waits for the window's end
    await gw.app.services.pusher.drain();
    expect(await viciRows()).toEqual(before);
  });

  it("a field update reaches only the managed rows of a lead linked (before VICI_CAMPAIGNS was set) to an unmanaged row too", async () => {
    await insertBrainLeads(gw.app.brain, [
      { externalLeadId: "OLD-LINK", phone: "+17275550011", meta: { vici_lead_id: 13, vici_lead_ids: [12, 13] } },
    ]);
    const [{ id }] = await gw.app.brain.query("SELECT id::text AS id FROM leads WHERE phone = '+17275550011'");
    const { body } = await gw.gql(
      `mutation($input: UpdateLeadInput!) { updateLead(input: $input) { lead { firstName } } }`,
      { input: { id, firstName: "Moved" } },
    );
    expect(body.errors).toBeUndefined();
    await gw.app.services.pusher.drain();
    const names = await gw.app.vici.query(
      "SELECT lead_id, first_name FROM vicidial_list WHERE lead_id IN (12, 13) ORDER BY lead_id",
    );
    expect(names.map((r: any) => [Number(r.lead_id), r.first_name])).toEqual([
      [12, "Moved"],
      [13, null],
    ]);
    const [push] = await gw.app.brain.query(
      "SELECT state, last_error FROM vici_pushes WHERE lead_id = $1 AND kind = 'UPDATE_FIELDS'",
      [id],
    );
    expect(push).toMatchObject({
      state: "DONE",
      last_error: expect.stringContaining("VICIdial lead 13 is outside the managed campaigns"),
    });
  });

  it("refuses a campaign or a list outside VICI_CAMPAIGNS", async () => {
    const byCampaign = await create({ phone: "4155550199", campaignId: "Survey1" });
    expect(byCampaign.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "campaignId" });
    expect(byCampaign.errors[0].message).toContain(
      "Survey1 is not managed by this gateway (VICI_CAMPAIGNS=Auto2,Autodial)",
    );
    const byList = await create({ phone: "4155550199", listId: 3001 });
    expect(byList.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "listId" });
    expect(await lead("+14155550199")).toBeUndefined();
  });
});

describe("the import and the write-back over managed rows only", () => {
  /** What every import of the fixture must leave, whatever its batches or the rows' order. */
  const EXPECTED = {
    "+17275550001": {
      ext: "generated",
      dnc: "recently_called",
      rows: [1],
      lastCall: viciLocalToInstant(MANUAL_CALL, TZ)!.toISOString(),
    },
    "+17275550004": { ext: "generated", dnc: null, rows: [5], lastCall: null },
    "+17275550005": { ext: "generated", dnc: "dnc", rows: [7], lastCall: null },
    "+17275550006": { ext: "generated", dnc: null, rows: [9], lastCall: null },
    "+17275550007": { ext: "generated", dnc: null, rows: [14], lastCall: null },
    "+17275550008": { ext: "V-8", dnc: null, rows: [10, 16], lastCall: null },
    "+17275550009": { ext: "V-9", dnc: null, rows: [11, 15], lastCall: null },
    "+17275550010": { ext: "M-10", dnc: null, rows: [12], lastCall: null },
    "+17275550012": { ext: "generated", dnc: null, rows: [17], lastCall: null },
  };
  const conflictRows = async (jobId: string, fixtureId: (leadId: number) => number = (id) => id) =>
    (await gw.app.services.syncJobs.issues(jobId, {})).map((i: any) => `${i.kind} ${fixtureId(i.viciLeadId)}`).sort();

  beforeEach(async () => {
    await resetBrain();
    await loadVici();
  });

  it.each([1, 2, 3, 5000])("imports the managed rows with the same leads in batches of %i", async (batchSize) => {
    const job = await importJob({ batchSize });
    expect(job).toMatchObject({ state: "SUCCEEDED", processed: MANAGED_ROWS, total: MANAGED_ROWS });
    expect(job.options.campaigns).toEqual(["Auto2", "Autodial"]); // none named: VICI_CAMPAIGNS
    expect(await imported()).toEqual(EXPECTED);
    expect(await conflictRows(job.id)).toEqual(["CONFLICT 14", "CONFLICT 17", "CONFLICT 9", "HELD 1", "HELD 7"]); // held: recently called, DNC
  });

  it("gives the same leads when VICIdial holds the rows in the opposite order", async () => {
    const reversed = (id: number) => 100 - id;
    await loadVici(reversed);
    const job = await importJob({ batchSize: 2 });
    expect(await imported(reversed)).toEqual(EXPECTED);
    expect(await conflictRows(job.id, reversed)).toEqual([
      "CONFLICT 14",
      "CONFLICT 17",
      "CONFLICT 9",
      "HELD 1",
      "HELD 7",
    ]); // held: recently called, DNC
  });

  it("Lead.lastCallAt is meta.last_call_date: the number's last call, wherever it sits", async () => {
    await importJob({ campaigns: ["Auto2", "Autodial"] });
    const { body } = await gw.gql(`{ lead(phone: "727-555-0001") { lastCallAt meta doNotCall } }`);
    expect(body.data.lead.lastCallAt).toBe(body.data.lead.meta.last_call_date);
    expect(body.data.lead.lastCallAt).toBe(EXPECTED["+17275550001"].lastCall);
  });

  it("writes vendor codes to managed rows only, rolls back only them, and leaves every unmanaged row as it was", async () => {
    const before = await viciRows();
    await importJob();
    const job = await gw.app.services.syncJobs.start({ kind: SyncJobKind.VENDOR_CODES }, "test");
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(job.id)).toMatchObject({
      state: "SUCCEEDED",
      processed: MANAGED_ROWS,
      updated: 4,
      conflicts: 3,
    });
    const after = await viciRows();
    for (const id of UNMANAGED) expect([id, after[id]]).toEqual([id, before[id]]);
    // "v-9" and "V-9 " are Brain's "V-9" as VICIdial compares: unchanged, not conflicts.
    expect([after[11], after[15]]).toEqual([before[11], before[15]]);
    expect(after[16]).toBe("2001|V-8|NA");
    expect(after[10]).toBe("1001|V-8|NA");

    const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({ state: "SUCCEEDED", updated: 4 });
    expect(await viciRows()).toEqual(before);
  });

  it("jobs, audits and the CLI refuse a campaign outside VICI_CAMPAIGNS", async () => {
    const gql = await gw.gql(
      `mutation { startSync(input: { kind: VICI_IMPORT, campaigns: ["Auto2", "Survey1"] }) { id } }`,
    );
    expect(gql.status).toBe(400);
    expect(gql.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "campaigns" });
    const audit = await gw.gql(`{ audit(campaigns: ["MANUAL1"]) { totals { rows } } }`);
    expect(audit.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "campaigns" });
    // The API says which campaigns are managed (the console offers only those).
    const listed = await gw.gql(`{ campaigns { campaignId managed } }`);
    expect(listed.body.data.campaigns).toEqual([
      { campaignId: "Auto2", managed: true },
      { campaignId: "Autodial", managed: true },
      { campaignId: "MANUAL1", managed: false },
      { campaignId: "Survey1", managed: false },
    ]);
    // By default the audit covers the managed campaigns: their rows only.
    const all = await gw.gql(`{ audit { campaigns { campaignId } totals { rows } } }`);
    expect(all.body.data.audit).toEqual({
      campaigns: [{ campaignId: "Auto2" }, { campaignId: "Autodial" }],
      totals: { rows: MANAGED_ROWS },
    });

    for (const args of [
      ["import-to-brain", "--campaigns=Survey1", "--json"],
      ["audit", "--campaigns=MANUAL1", "--json"],
    ]) {
      const cli = await runCli(args, { ...process.env, ...gw.env });
      expect([args[0], cli.code]).toEqual([args[0], 2]);
      expect(JSON.parse(cli.stdout).error).toMatchObject({
        code: "BAD_USER_INPUT",
        message: expect.stringContaining("not managed by this gateway"),
      });
    }
    expect((await gw.app.brain.query("SELECT count(*)::int AS n FROM sync_jobs"))[0].n).toBe(0);
  });
});
