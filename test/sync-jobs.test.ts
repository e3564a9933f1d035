import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { SyncJobKind } from "../src/jobs/sync-job.types";

/**
 * Sync jobs over real PostgreSQL and MariaDB: Phase 1 (VICI_IMPORT), Phase 2 (VENDOR_CODES),
 * FULL, dry runs, limits, re-runs, conflicts, cancel, rollback and live progress.
 */
const TZ = "America/New_York";
const DAY = 86_400_000;
let gw: TestGateway;

const localAgo = (ms: number) => instantToViciLocal(new Date(Date.now() - ms), TZ);
const run = async (kind: SyncJobKind, opts: Record<string, unknown> = {}) => {
  const job = await gw.app.services.syncJobs.start({ kind, campaigns: ["Auto2", "Autodial"], ...opts }, "test");
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};
const brainLeads = async () =>
  gw.app.brain.query(
    `SELECT phone, external_lead_id AS ext, origin, do_not_call AS dnc, do_not_call_reason AS reason, meta, updated_at
       FROM leads ORDER BY phone`,
  );
const importedLead = async (phone: string) =>
  (await gw.app.brain.query("SELECT * FROM leads WHERE phone = $1", [phone]))[0];
const vendorCodes = async () =>
  Object.fromEntries(
    (await gw.app.vici.query("SELECT lead_id, vendor_lead_code FROM vicidial_list ORDER BY lead_id")).map((r: any) => [
      r.lead_id,
      r.vendor_lead_code,
    ]),
  );
/** Back to the fixture: no imported leads, no job effects. */
async function reset() {
  await gw.app.brain.query("DELETE FROM leads WHERE origin = 'vici_import'");
  await gw.app.brain.query("UPDATE leads SET meta = '{}'::jsonb, do_not_call = false, do_not_call_reason = NULL");
  await gw.app.vici.query(
    "UPDATE vicidial_list SET vendor_lead_code = CASE lead_id WHEN 1 THEN 'V-1' WHEN 4 THEN 'V-4' WHEN 10 THEN 'V-10' WHEN 3 THEN '' WHEN 11 THEN 'SAME' WHEN 12 THEN 'SAME' ELSE NULL END",
  );
}

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_TIMEZONE: TZ });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y" },
    { campaign_id: "Other", campaign_name: "Other", active: "Y" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "A2", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "D1", campaign_id: "Autodial", active: "Y" },
    { list_id: 3001, list_name: "O1", campaign_id: "Other", active: "Y" },
    { list_id: 4001, list_name: "Dup", campaign_id: "Dup", active: "Y" },
  ]);
  await insertVici(v, "vicidial_dnc", [{ phone_number: "3125550005" }, { phone_number: "900XXXXXXX" }]);
  const row = (
    lead_id: number,
    phone_number: string,
    list_id: number,
    status: string,
    vendor_lead_code: string | null = null,
  ) => ({
    lead_id,
    phone_number,
    list_id,
    status,
    vendor_lead_code,
    phone_code: "1",
    entry_date: localAgo(100 * DAY),
    first_name: `F${lead_id}`,
  });
  await insertVici(v, "vicidial_list", [
    row(1, "7275550001", 1001, "NA", "V-1"),
    row(2, "7275550001", 2001, "NEW"), // same phone, other campaign, called later
    row(3, "7275550003", 1002, "SALE", ""),
    row(4, "7275550004", 1001, "NA", "V-4"), // V-4 is another Brain lead's id: conflict
    row(5, "3125550005", 2001, "B"), // system DNC
    row(6, "9005550006", 1001, "NEW"), // area-code wildcard
    row(7, "7270007", 1001, "NEW"), // not a valid phone
    row(8, "4155550008", 3001, "NA"), // campaign not chosen
    row(9, "4045550009", 1001, "DNC"), // DNC status
    row(10, "2125550010", 2001, "NA", "V-10"), // Brain has this phone (unlinked)
    row(11, "5125550011", 4001, "NA", "SAME"), // two phones, one vendor code, one batch
    row(12, "5125550012", 4001, "NA", "SAME"),
  ]);
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "1.1",
      lead_id: 1,
      list_id: 1001,
      call_date: localAgo(40 * DAY),
      status: "NA",
      phone_number: "7275550001",
    },
    {
      uniqueid: "1.2",
      lead_id: 2,
      list_id: 2001,
      call_date: localAgo(10 * DAY),
      status: "NA",
      phone_number: "7275550001",
    },
    {
      uniqueid: "1.10",
      lead_id: 10,
      list_id: 2001,
      call_date: localAgo(60 * DAY),
      status: "NA",
      phone_number: "2125550010",
    },
  ]);
  await insertBrainLeads(gw.app.brain, [
    { externalLeadId: "V-4", phone: "+16175559999", origin: "api" },
    { externalLeadId: "BR-10", phone: "+12125550010", origin: "api" },
  ]);
});
afterAll(() => gw?.stop());

describe("VICI_IMPORT", () => {
  beforeEach(reset);

  it("collapses a phone's rows into one lead, primary = most recently called, marks DNC and recent calls", async () => {
    // One row per batch: the two rows of 7275550001 meet in different batches.
    const job = await run(SyncJobKind.VICI_IMPORT, { batchSize: 1 });
    // Every row in one counter: row 2 joins row 1's lead (linked); row 4's lead is created with a
    // conflict (V-4 is another Brain lead's id), row 10 links Brain's lead BR-10 while holding V-10 (a conflict).
    expect(job).toMatchObject({
      state: "SUCCEEDED",
      processed: 9,
      total: 9,
      created: 5,
      linked: 1,
      updated: 0,
      unchanged: 0,
      skipped: 1,
      conflicts: 2,
      errors: 0,
    });

    const a = await importedLead("+17275550001");
    expect(a).toMatchObject({
      external_lead_id: "V-1",
      origin: "vici_import",
      do_not_call: true,
      do_not_call_reason: "recently_called",
    });
    expect(a.meta).toMatchObject({
      vici_lead_id: 2,
      vici_lead_ids: [1, 2],
      vici_campaign_id: "Autodial",
      vici_list_id: 2001,
      vici_status: "NEW",
      origin: "vici_import",
    });
    expect(Date.now() - Date.parse(a.meta.last_call_date)).toBeLessThan(10 * DAY + 3_600_000);
    expect(a.meta.synced_at).toBeTruthy();

    expect(await importedLead("+17275550003")).toMatchObject({
      do_not_call: false,
      meta: expect.objectContaining({ vici_status: "SALE", last_call_date: null }),
    });
    const c = await importedLead("+17275550004");
    expect(c.external_lead_id).toMatch(/^[0-9A-Z]{20}$/);
    for (const phone of ["+13125550005", "+19005550006", "+14045550009"]) {
      expect(await importedLead(phone)).toMatchObject({ do_not_call: true, do_not_call_reason: "dnc" });
    }
    // An existing Brain lead is linked, its own id and origin kept.
    const linked = await importedLead("+12125550010");
    expect(linked).toMatchObject({
      external_lead_id: "BR-10",
      origin: "api",
      meta: expect.objectContaining({ vici_lead_id: 10, vici_lead_ids: [10] }),
    });
    expect(await importedLead("+14155550008")).toBeUndefined();

    const issues = await gw.app.services.syncJobs.issues(job.id, {});
    // HELD: stored, but not to be called (yet), in callVerdict's codes and words.
    expect(issues.map((i: any) => [i.kind, i.viciLeadId])).toEqual([
      ["HELD", 1],
      ["CONFLICT", 4],
      ["HELD", 5],
      ["HELD", 6],
      ["SKIPPED", 7],
      ["HELD", 9],
      ["CONFLICT", 10],
    ]);
    const ends = new Date(Date.parse(a.meta.last_call_date) + 30 * DAY);
    expect(a.do_not_call_until).toEqual(ends); // recency never a permanent flag
    expect(issues[0]).toMatchObject({
      brainLeadId: a.id,
      reason: `do-not-call: RECENTLY_CALLED: last called ${a.meta.last_call_date}, less than 30 days ago (lifts ${ends.toISOString()})`,
    });
    expect(issues[2].reason).toBe("do-not-call: DNC_SYSTEM: the number is on the system DNC list");
    expect(issues[3].reason).toBe("do-not-call: DNC_SYSTEM: its area code is on the system DNC list (900XXXXXXX)");
    expect(issues[5].reason).toBe("do-not-call: DNC_STATUS: Vici lead 9 has do-not-call status DNC");
    for (const phone of ["+13125550005", "+19005550006", "+14045550009"])
      expect((await importedLead(phone)).do_not_call_until).toBeNull();
    expect(issues[1].reason).toContain("it is already another Brain lead's external_lead_id");
    expect(issues[4].reason).not.toContain("7270007");
    expect(issues[6]).toMatchObject({
      brainLeadId: linked.id,
      reason: 'vendor_lead_code "V-10" is not its Brain lead\'s external_lead_id: left alone',
    });
  });

  it("gives the same result in one batch as in many", async () => {
    await run(SyncJobKind.VICI_IMPORT, { batchSize: 1 });
    const many = (await brainLeads()).map(({ ext, updated_at, meta, ...rest }: any) => ({
      ...rest,
      meta: { ...meta, synced_at: 0 },
      ext: ext.length,
    }));
    await reset();
    await run(SyncJobKind.VICI_IMPORT, { batchSize: 5000 });
    const one = (await brainLeads()).map(({ ext, updated_at, meta, ...rest }: any) => ({
      ...rest,
      meta: { ...meta, synced_at: 0 },
      ext: ext.length,
    }));
    expect(one).toEqual(many);
  });

  it("re-running changes nothing", async () => {
    await run(SyncJobKind.VICI_IMPORT);
    const before = await brainLeads();
    const again = await run(SyncJobKind.VICI_IMPORT, { batchSize: 2 });
    expect(again).toMatchObject({ state: "SUCCEEDED", processed: 9, created: 0, updated: 0, linked: 0 });
    expect(await brainLeads()).toEqual(before);
  });

  it("a dry run reports the same counts and writes nothing", async () => {
    const before = await brainLeads();
    const dry = await run(SyncJobKind.VICI_IMPORT, { dryRun: true, batchSize: 2 });
    expect(dry).toMatchObject({
      state: "SUCCEEDED",
      dryRun: true,
      processed: 9,
      created: 5,
      linked: 1,
      skipped: 1,
      conflicts: 2,
    });
    expect(await brainLeads()).toEqual(before);
  });

  it("limit imports only the first rows (the strategy's small test batch)", async () => {
    const job = await run(SyncJobKind.VICI_IMPORT, { limit: 3, batchSize: 2 });
    expect(job).toMatchObject({ state: "SUCCEEDED", processed: 3, total: 3, created: 2 });
    expect((await brainLeads()).filter((l: any) => l.origin === "vici_import").map((l: any) => l.phone)).toEqual([
      "+17275550001",
      "+17275550003",
    ]);
  });

  it.each([1, 2])(
    "a vendor code two numbers carry is adopted by neither (batch size %i): both rows are conflicts",
    async (batchSize) => {
      const job = await run(SyncJobKind.VICI_IMPORT, { campaigns: ["Dup"], batchSize });
      expect(job).toMatchObject({ state: "SUCCEEDED", processed: 2, created: 0, conflicts: 2 });
      const [a, b] = [await importedLead("+15125550011"), await importedLead("+15125550012")];
      expect([a.external_lead_id, b.external_lead_id]).toEqual([
        expect.stringMatching(/^[0-9A-Z]{20}$/),
        expect.stringMatching(/^[0-9A-Z]{20}$/),
      ]);
      const issues = (await gw.app.services.syncJobs.issues(job.id, {})).sort(
        (x: any, y: any) => x.viciLeadId - y.viciLeadId,
      );
      expect(issues).toEqual([
        expect.objectContaining({
          kind: "CONFLICT",
          viciLeadId: 11,
          brainLeadId: a.id,
          reason: expect.stringContaining('"SAME" is not its Brain lead\'s external_lead_id'),
        }),
        expect.objectContaining({
          kind: "CONFLICT",
          viciLeadId: 12,
          brainLeadId: b.id,
          reason: expect.stringContaining("(rows of another number carry it too)"),
        }),
      ]);
    },
  );

  it("refuses unknown campaigns and bad options before starting", async () => {
    await expect(
      gw.app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: ["Nope"] }, null),
    ).rejects.toThrow(/no VICIdial lists belong to campaign\(s\) Nope/);
    const { status, body } = await gw.gql(`mutation { startSync(input: { kind: VICI_IMPORT, batchSize: 0 }) { id } }`);
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "batchSize" });
  });
});

describe("VENDOR_CODES", () => {
  beforeEach(async () => {
    await reset();
    await run(SyncJobKind.VICI_IMPORT);
  });

  it("writes Brain's id into empty vendor codes of linked rows; conflicts are reported and left alone", async () => {
    const job = await run(SyncJobKind.VENDOR_CODES);
    const ext = (phone: string) => importedLead(phone).then((l) => l.external_lead_id);
    expect(job).toMatchObject({ state: "SUCCEEDED", processed: 9, updated: 5, conflicts: 2, skipped: 1 });
    expect(job.longestStatementMs).not.toBeNull();
    const codes = await vendorCodes();
    expect(codes).toMatchObject({
      1: "V-1", // already Brain's id
      2: "V-1", // empty → the phone's Brain id
      3: await ext("+17275550003"),
      4: "V-4", // conflict: kept
      5: await ext("+13125550005"),
      6: await ext("+19005550006"),
      7: null, // not a valid phone: not linked
      8: null, // campaign not chosen
      9: await ext("+14045550009"),
      10: "V-10", // conflict: kept
    });
    const issues = await gw.app.services.syncJobs.issues(job.id, {});
    expect(issues.map((i: any) => i.viciLeadId).sort()).toEqual([10, 4]);

    const again = await run(SyncJobKind.VENDOR_CODES);
    expect(again).toMatchObject({ updated: 0, conflicts: 2 });
    expect(await vendorCodes()).toEqual(codes);
  });

  it("dry run and limit", async () => {
    const before = await vendorCodes();
    expect(await run(SyncJobKind.VENDOR_CODES, { dryRun: true })).toMatchObject({ updated: 5, conflicts: 2 });
    expect(await vendorCodes()).toEqual(before);
    expect(await run(SyncJobKind.VENDOR_CODES, { limit: 2 })).toMatchObject({ processed: 2, updated: 1 });
    expect((await vendorCodes())[3]).toBe(before[3]);
  });

  it("overwrite replaces a conflicting code, and the rollback puts the old one back", async () => {
    const job = await run(SyncJobKind.VENDOR_CODES, { overwrite: true });
    expect(job).toMatchObject({ updated: 7, conflicts: 0 });
    expect((await vendorCodes())[10]).toBe("BR-10");

    const dry = await gw.app.services.syncJobs.rollback(job.id, true, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(dry.id)).toMatchObject({ state: "SUCCEEDED", updated: 7 });
    expect((await vendorCodes())[10]).toBe("BR-10");

    // Someone edits one row after the job: that row is kept and reported.
    await gw.app.vici.query("UPDATE vicidial_list SET vendor_lead_code = 'HAND' WHERE lead_id = 5");
    const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({ state: "SUCCEEDED", updated: 6, skipped: 1 });
    expect(await vendorCodes()).toMatchObject({ 2: null, 3: "", 4: "V-4", 5: "HAND", 10: "V-10" });
    expect((await gw.app.services.syncJobs.get(job.id)).rolledBackBy).toBe(rb.id);
    await expect(gw.app.services.syncJobs.rollback(job.id, false, null)).rejects.toThrow(/already rolled back/);
  });
});

describe("FULL, rollback of an import, cancel", () => {
  beforeEach(reset);

  it("FULL imports, then writes vendor codes", async () => {
    const job = await run(SyncJobKind.FULL);
    expect(job).toMatchObject({ state: "SUCCEEDED", created: 5, linked: 1, updated: 5, processed: 18, total: 18 });
    expect((await vendorCodes())[2]).toBe("V-1");
  });

  it("rolls an import back: created leads removed unless changed since, linked leads restored", async () => {
    const job = await run(SyncJobKind.VICI_IMPORT);
    await gw.app.brain.query(
      "UPDATE leads SET first_name = 'Edited', updated_at = now() + interval '1 second' WHERE phone = '+17275550003'",
    );
    const before = await gw.app.brain.query("SELECT count(*)::int AS n FROM leads");

    const dry = await gw.app.services.syncJobs.rollback(job.id, true, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(dry.id)).toMatchObject({ state: "SUCCEEDED", updated: 6, skipped: 1 });
    expect(await gw.app.brain.query("SELECT count(*)::int AS n FROM leads")).toEqual(before);

    const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({ state: "SUCCEEDED", updated: 6, skipped: 1 });
    const left = await brainLeads();
    expect(left.map((l: any) => [l.phone, l.origin])).toEqual([
      ["+12125550010", "api"],
      ["+16175559999", "api"],
      ["+17275550003", "vici_import"], // changed after the import: kept, reported
    ]);
    expect(left[0].meta).toEqual({});
    const issues = await gw.app.services.syncJobs.issues(rb.id, {});
    expect(issues).toEqual([expect.objectContaining({ kind: "CHANGED", reason: "changed since the job: kept" })]);
  });

  it("a queued job is cancelled at once; a running one at its next batch", async () => {
    // Inserted without waking the runner, so it is still QUEUED when cancelled.
    const queued = await gw.app.services.syncJobRepo.insert({
      kind: SyncJobKind.VICI_IMPORT,
      options: { campaigns: [], dryRun: false, limit: null, batchSize: 5000, overwrite: false },
      dryRun: false,
      startedBy: null,
    });
    const cancelled = await gw.app.services.syncJobs.cancel(queued.id);
    expect(cancelled.state).toBe("CANCELLED");
    await gw.app.jobs.drain();
    expect((await gw.app.services.syncJobs.get(queued.id)).processed).toBe(0);

    const job = await gw.app.services.syncJobs.start(
      { kind: SyncJobKind.VICI_IMPORT, campaigns: [], batchSize: 1 },
      null,
    );
    let asked = false;
    for await (const e of gw.app.services.syncJobs.progress(job.id)) {
      if (e.processed >= 2 && !e.final && !asked) {
        asked = true;
        await gw.app.services.syncJobs.cancel(job.id);
      }
      if (e.final) break;
    }
    const end = await gw.app.services.syncJobs.get(job.id);
    expect(end.state).toBe("CANCELLED");
    expect(end.processed).toBeGreaterThanOrEqual(2);
    expect(end.processed).toBeLessThan(10);
    await expect(gw.app.services.syncJobs.cancel(job.id)).rejects.toThrow(/already ended/);
  });
});

describe("progress over graphql-ws", () => {
  beforeEach(reset);

  it("streams progress to completion; a late subscriber gets the final state first", async () => {
    const client = createClient({
      url: gw.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: gw.authHeaders,
    });
    const subscribe = (id: string) =>
      new Promise<any[]>((resolve, reject) => {
        const events: any[] = [];
        client.subscribe(
          {
            query: `subscription($id: ID!) { syncJobProgress(id: $id) { state phase processed total created rowsPerSecond etaSeconds final } }`,
            variables: { id },
          },
          { next: (v) => events.push(v.data!.syncJobProgress), error: reject, complete: () => resolve(events) },
        );
      });
    try {
      const started = await gw.gql(
        `mutation { startSync(input: { kind: VICI_IMPORT, campaigns: ["Auto2", "Autodial"], batchSize: 2 }) { id state } }`,
      );
      const id = started.body.data.startSync.id;
      const events = await subscribe(id);
      expect(events.length).toBeGreaterThanOrEqual(2);
      const last = events.at(-1);
      expect(last).toMatchObject({
        state: "SUCCEEDED",
        processed: 9,
        total: 9,
        created: 5,
        final: true,
        etaSeconds: 0,
      });
      const processed = events.map((e) => e.processed);
      expect(processed).toEqual([...processed].sort((a, b) => a - b));

      const late = await subscribe(id);
      expect(late).toEqual([expect.objectContaining({ state: "SUCCEEDED", processed: 9, final: true })]);

      const { body } = await gw.gql(
        `query($id: ID!) { syncJob(id: $id) { state kind created issues { kind viciLeadId reason } reportUrl } syncJobs(first: 5) { id } }`,
        { id },
      );
      expect(body.data.syncJob).toMatchObject({
        state: "SUCCEEDED",
        kind: "VICI_IMPORT",
        created: 5,
        reportUrl: `/sync-jobs/${id}/report.csv`,
      });
      expect(body.data.syncJob.issues).toHaveLength(7); // 3 rows left alone or in conflict, 4 numbers held (DNC, recently called)
      expect(body.data.syncJobs[0].id).toBe(id);
    } finally {
      await client.dispose();
    }
  });

  it("an unknown job is NOT_FOUND", async () => {
    const { status, body } = await gw.gql(`{ syncJob(id: "424242") { id } }`);
    expect(status).toBe(404);
    expect(body.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});

describe("counters add up", () => {
  beforeAll(reset);

  it("processed = created + updated + linked + skipped + unchanged + conflicts + errors for every kind, dry runs and rollbacks included", async () => {
    // A FULL dry run's total covers both phases (it showed processed 18/9).
    const fullDry = await run(SyncJobKind.FULL, { dryRun: true });
    expect(fullDry).toMatchObject({ state: "SUCCEEDED", processed: 18, total: 18 });
    // Re-runs: rows already as the job would leave them are unchanged.
    await run(SyncJobKind.VICI_IMPORT);
    // Rows holding another code than their lead's id are reported again (conflicts), as the write-back reports them.
    expect(await run(SyncJobKind.VICI_IMPORT)).toMatchObject({
      processed: 9,
      unchanged: 6,
      skipped: 1,
      conflicts: 2,
      created: 0,
      linked: 0,
      updated: 0,
    });
    await run(SyncJobKind.VENDOR_CODES);
    const again = await run(SyncJobKind.VENDOR_CODES, { dryRun: true });
    expect(again).toMatchObject({ processed: 9, updated: 0 });
    expect(again.unchanged).toBeGreaterThan(0);
    const csv = {
      content:
        "phone,first_name,list_id\n8135550101,New,1001\n8135550102,Other,1001\nnot a phone,Bad,1001\n8135550101,Again,1001\n",
      matchVici: true,
      updateExisting: false,
    };
    await run(SyncJobKind.CSV_IMPORT, { campaigns: [], csv, dryRun: true });
    const imported = await run(SyncJobKind.CSV_IMPORT, { campaigns: [], csv });
    await gw.app.services.pusher.drain(); // pushed: untouched since, a rollback deletes their VICIdial rows too
    for (const dryRun of [true, false]) {
      const rb = await gw.app.services.syncJobs.rollback(imported.id, dryRun, null);
      await gw.app.jobs.drain();
      expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({
        state: "SUCCEEDED",
        processed: 2,
        updated: 2,
        skipped: 0,
      });
    }

    const jobs: any[] = await gw.app.brain.query(
      `SELECT j.id, j.kind, j.dry_run, j.processed::int, j.created::int, j.updated::int, j.linked::int, j.skipped::int, j.unchanged::int,
              j.conflicts::int, j.errors::int,
              (SELECT count(*)::int FROM sync_job_issues i WHERE i.job_id = j.id AND i.kind IN ('SKIPPED', 'CHANGED')) AS "skippedIssues",
              (SELECT count(*)::int FROM sync_job_issues i WHERE i.job_id = j.id AND i.kind = 'ERROR') AS "errorIssues",
              (SELECT count(DISTINCT coalesce(i.vici_lead_id, i.line))::int FROM sync_job_issues i WHERE i.job_id = j.id AND i.kind = 'CONFLICT') AS "conflictRows"
         FROM sync_jobs j WHERE j.state = 'SUCCEEDED' ORDER BY j.id`,
    );
    const kinds = new Set(jobs.map((j) => `${j.kind}${j.dry_run ? " (dry run)" : ""}`));
    for (const kind of Object.values(SyncJobKind)) {
      expect(kinds).toContain(kind);
      expect(kinds).toContain(`${kind} (dry run)`);
    }
    for (const j of jobs) {
      const label = `job ${j.id} ${j.kind}${j.dry_run ? " (dry run)" : ""}`;
      expect([label, j.processed]).toEqual([
        label,
        j.created + j.updated + j.linked + j.skipped + j.unchanged + j.conflicts + j.errors,
      ]);
      // Each reported row is in the counter of its kind (a FULL job may report a row in both phases).
      expect([label, j.skipped >= j.skippedIssues, j.conflicts >= j.conflictRows, j.errors]).toEqual([
        label,
        true,
        true,
        j.errorIssues,
      ]);
    }
  });
});
