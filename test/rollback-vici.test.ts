import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind, type SyncJobRecord } from "../src/jobs/sync-job.types";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { deleteUntouchedRow, readPushedRows } from "../src/vici/db/pushed-rows";
import { dbNameFor, freshBrainDb, freshViciDb } from "./helpers/databases";
import { startFakeViciApi, type FakeViciApi } from "./helpers/fake-vici-api";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";

/**
 * Rollback and imports agree, in both write modes, on real PostgreSQL and MariaDB (the dialer
 * user): rolling back a CSV import deletes the VICIdial rows its leads were pushed as when
 * they are untouched since, keeps (reports, marks) the ones dialed or edited, and a later
 * VICI_IMPORT leaves the kept ones alone; a rollback killed with SIGKILL between its VICIdial
 * deletes resumes elsewhere and ends as an uninterrupted one. And syncHealth.createdOutsideBrain
 * counts rows loaded straight into VICIdial after the cut-over, not rows the gateway pushed.
 */
jest.setTimeout(120_000);

const TZ = "America/New_York";
const ROOT = join(__dirname, "..");
const apps: GatewayApp[] = [];

function settings(
  mode: "db" | "api",
  brainUrl: string,
  viciUrl: string,
  fake: FakeViciApi | null,
  extra: Record<string, string> = {},
) {
  return {
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    BRAIN_DATABASE_URL: brainUrl,
    VICI_DATABASE_URL: viciUrl,
    VICI_TIMEZONE: TZ,
    VICI_CAMPAIGNS: "Auto2",
    VICI_DEFAULT_LIST_ID: "1001",
    OUTBOX_POLL_MS: "600000",
    // Jobs run when a test drains them (a background poll would take the killed job over too early).
    JOB_POLL_MS: "600000",
    JOB_LEASE_MS: "1500",
    ...(mode === "api"
      ? { VICI_WRITE_MODE: "api", VICI_API_URL: fake!.url, VICI_API_USER: "apiuser", VICI_API_PASS: "apipass1" }
      : {}),
    ...extra,
  };
}

async function openApp(env: Record<string, string>): Promise<GatewayApp> {
  const app = createApp(loadConfig(env), { log: pino({ level: "silent" }) });
  await app.init();
  apps.push(app);
  return app;
}

afterAll(async () => {
  for (const a of apps) await a.stop();
});

interface Reported {
  kind: string;
  vici: number | null;
  reason: string;
}
const issues = async (app: GatewayApp, id: string): Promise<Reported[]> =>
  (await app.services.syncJobs.issues(id, { first: 1000 })).map((i: any) => ({
    kind: i.kind,
    vici: i.viciLeadId,
    reason: i.reason,
  }));
const counters = (j: SyncJobRecord) => ({
  state: j.state,
  processed: j.processed,
  created: j.created,
  updated: j.updated,
  linked: j.linked,
  skipped: j.skipped,
  unchanged: j.unchanged,
  conflicts: j.conflicts,
  errors: j.errors,
});
const csvOf = (phones: string[]) => ["phone,first_name", ...phones.map((p, i) => `${p},Row${i}`)].join("\n");

async function importCsv(
  app: GatewayApp,
  phones: string[],
): Promise<{ job: SyncJobRecord; pushed: Map<string, number> }> {
  const started = await app.services.syncJobs.start(
    { kind: SyncJobKind.CSV_IMPORT, csv: { content: csvOf(phones), matchVici: true, updateExisting: false } },
    "test",
  );
  await app.jobs.drain();
  await app.services.pusher.drain();
  const job = await app.services.syncJobs.get(started.id);
  expect(job).toMatchObject({ state: "SUCCEEDED", created: phones.length });
  const rows: { phone: string; vici: string }[] = await app.brain.query(
    `SELECT l.phone, o.vici_lead_id::text AS vici FROM leads l JOIN vici_pushes o ON o.lead_id = l.id AND o.kind = 'PUSH_LEAD' AND o.state = 'DONE'
      WHERE l.created_by_job_id = $1`,
    [job.id],
  );
  expect(rows).toHaveLength(phones.length);
  return { job, pushed: new Map(rows.map((r) => [r.phone.replace(/^\+1/, ""), Number(r.vici)])) };
}

const viciIds = async (app: GatewayApp, ids: number[]): Promise<number[]> =>
  (await app.vici.query("SELECT lead_id FROM vicidial_list WHERE lead_id IN (?) ORDER BY lead_id", [ids])).map(
    (r: any) => Number(r.lead_id),
  );
const ignored = async (app: GatewayApp) =>
  (await app.brain.query(
    "SELECT vici_lead_id::int AS id, why, job_id::text AS job FROM vici_ignored_rows ORDER BY vici_lead_id",
  )) as { id: number; why: string; job: string }[];
const brainPhones = async (app: GatewayApp) =>
  (await app.brain.query("SELECT phone FROM leads ORDER BY phone")).map((r: any) => r.phone);

/** The dialer dials the row: VICIdial's own updates, and a vicidial_log row. */
async function dial(app: GatewayApp, leadId: number, phone: string): Promise<void> {
  await app.vici.query(
    "UPDATE vicidial_list SET called_count = called_count + 1, status = 'NA', called_since_last_reset = 'Y', user = 'VDAD' WHERE lead_id = ?",
    [leadId],
  );
  await insertVici(app.vici, "vicidial_log", [
    {
      uniqueid: `${leadId}.1`,
      lead_id: leadId,
      list_id: 1001,
      campaign_id: "Auto2",
      call_date: instantToViciLocal(new Date(), TZ),
      status: "NA",
      phone_code: "1",
      phone_number: phone,
      user: "VDAD",
    },
  ]);
}
/** An agent edits the row in VICIdial's screens a few seconds after the push: modify_date moves. */
const agentEdit = (app: GatewayApp, leadId: number) =>
  app.vici.query(
    "UPDATE vicidial_list SET first_name = 'Agent', modify_date = FROM_UNIXTIME(UNIX_TIMESTAMP() + 5) WHERE lead_id = ?",
    [leadId],
  );

describe.each(["db", "api"] as const)("VICI_WRITE_MODE=%s", (mode) => {
  let brainUrl: string;
  let viciUrl: string;
  let fake: FakeViciApi | null = null;
  let app: GatewayApp;
  const env = (extra: Record<string, string> = {}) => settings(mode, brainUrl, viciUrl, fake, extra);

  beforeAll(async () => {
    const name = dbNameFor(__filename, mode);
    [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    if (mode === "api") fake = await startFakeViciApi({ mysqlUrl: viciUrl });
    app = await openApp(env());
    await insertSystemStatuses(app.vici);
    await insertVici(app.vici, "vicidial_campaigns", [
      { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
      { campaign_id: "Other", campaign_name: "Not managed", active: "Y" },
    ]);
    await insertVici(app.vici, "vicidial_lists", [
      { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
      { list_id: 5001, list_name: "Other A", campaign_id: "Other", active: "Y" },
    ]);
    // A lead loaded into VICIdial long ago: the later import creates it.
    await insertVici(app.vici, "vicidial_list", [
      {
        lead_id: 10,
        list_id: 1001,
        phone_code: "1",
        phone_number: "7275552000",
        status: "NEW",
        entry_date: "2024-01-02 10:00:00",
        first_name: "Old",
      },
    ]);
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("a rolled-back CSV import deletes its untouched VICIdial rows, keeps (reports, marks) the dialed and edited ones, and a later VICI_IMPORT leaves those alone", async () => {
    const phones = ["7275551001", "7275551002", "7275551003", "7275551004", "7275551005"];
    const { job, pushed } = await importCsv(app, phones);
    const [untouchedA, called, edited, untouchedB, moved] = phones.map((p) => pushed.get(p)!);
    await dial(app, called, "7275551002");
    await agentEdit(app, edited);
    // An admin moves one row to a list outside VICI_CAMPAIGNS (modify_date moves too).
    await app.vici.query("UPDATE vicidial_list SET list_id = 5001 WHERE lead_id = ?", [moved]);
    const all = [...pushed.values()];

    const dry = await app.services.syncJobs.rollback(job.id, true, null);
    await app.jobs.drain();
    const want = {
      state: "SUCCEEDED",
      processed: 5,
      created: 0,
      updated: 2,
      linked: 0,
      skipped: 3,
      unchanged: 0,
      conflicts: 0,
      errors: 0,
    };
    expect(counters(await app.services.syncJobs.get(dry.id))).toEqual(want);
    const dryIssues = await issues(app, dry.id);
    expect(dryIssues.filter((i) => i.kind === "NOTICE")).toEqual([
      {
        kind: "NOTICE",
        vici: untouchedA,
        reason: `would delete VICIdial lead ${untouchedA}: untouched since the push`,
      },
      {
        kind: "NOTICE",
        vici: untouchedB,
        reason: `would delete VICIdial lead ${untouchedB}: untouched since the push`,
      },
    ]);
    expect(await viciIds(app, all)).toEqual(all); // a dry run deletes nothing
    expect(await ignored(app)).toEqual([]);
    expect(await brainPhones(app)).toHaveLength(5);

    const rb = await app.services.syncJobs.rollback(job.id, false, null);
    await app.jobs.drain();
    expect(counters(await app.services.syncJobs.get(rb.id))).toEqual(want);
    expect(await viciIds(app, all)).toEqual([called, edited, moved]);
    expect(await brainPhones(app)).toEqual([]);
    const reported = await issues(app, rb.id);
    expect(reported.filter((i) => i.kind === "NOTICE")).toEqual([
      { kind: "NOTICE", vici: untouchedA, reason: `deleted VICIdial lead ${untouchedA}: untouched since the push` },
      { kind: "NOTICE", vici: untouchedB, reason: `deleted VICIdial lead ${untouchedB}: untouched since the push` },
    ]);
    const skipped = new Map(reported.filter((i) => i.kind === "SKIPPED").map((i) => [i.vici, i.reason]));
    expect([...skipped.keys()]).toEqual([called, edited, moved]);
    expect(skipped.get(called)).toMatch(
      /^removed from Brain only: its VICIdial row is kept \(touched since the push: dialed \(called_count > 0\); status is NA, not NEW; .*has calls in vicidial_log\) and imports leave it alone$/,
    );
    expect(skipped.get(edited)).toBe(
      "removed from Brain only: its VICIdial row is kept (touched since the push: edited since the push (modify_date)) and imports leave it alone",
    );
    expect(skipped.get(moved)).toBe(
      "removed from Brain only: its VICIdial row is kept (its list is outside the managed campaigns (VICI_CAMPAIGNS) now) and imports leave it alone",
    );
    expect(await ignored(app)).toEqual(
      [
        { id: called, why: expect.stringMatching(/^touched since the push: dialed/), job: rb.id },
        { id: edited, why: "touched since the push: edited since the push (modify_date)", job: rb.id },
        { id: moved, why: "its list is outside the managed campaigns (VICI_CAMPAIGNS) now", job: rb.id },
      ].sort((a, b) => a.id - b.id),
    );

    // The import reads the managed rows (lead 10 and the two kept rows): the kept ones stay out of Brain.
    const imp = await app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: [] }, "test");
    await app.jobs.drain();
    expect(counters(await app.services.syncJobs.get(imp.id))).toMatchObject({
      state: "SUCCEEDED",
      processed: 3,
      created: 1,
      skipped: 2,
      errors: 0,
    });
    expect(await brainPhones(app)).toEqual(["+17275552000"]);
    expect((await issues(app, imp.id)).filter((i) => i.kind === "SKIPPED")).toEqual(
      [called, edited].map((id) => ({
        kind: "SKIPPED",
        vici: id,
        reason: expect.stringMatching(
          new RegExp(`^left alone: a rollback \\(job ${rb.id}\\) kept this row in VICIdial \\(`),
        ),
      })),
    );
    // The kept rows were pushed by the gateway: not "created outside Brain".
    const health = await app.services.healthMetrics.measure({
      campaignIds: [],
      cutoverAt: new Date(Date.now() - 3_600_000),
    });
    expect(health.createdOutsideBrain).toMatchObject({ count: 0, total: 2 });

    if (mode === "api") {
      // Each delete is one update_lead by LEAD_ID with delete_lead=Y; nothing else was deleted.
      const deletes = fake!.calls.filter((c) => c.fn === "update_lead" && c.params.delete_lead === "Y");
      expect(deletes.map((c) => ({ lead: Number(c.params.lead_id), method: c.params.search_method }))).toEqual([
        { lead: untouchedA, method: "LEAD_ID" },
        { lead: untouchedB, method: "LEAD_ID" },
      ]);
    }
  });

  it("follow mode agrees: what a rolled-back CSV import left in VICIdial is never imported by the follower (new rows, calls, reconciliation)", async () => {
    const follow = async () => {
      const r = await app.services.follower.cycle();
      if (!r) throw new Error("the follower did not get the lease");
      return r;
    };
    await follow(); // follow mode's first cycle: it follows from here
    const phones = ["7275556001", "7275556002"];
    const { job, pushed } = await importCsv(app, phones);
    const [untouched, called] = phones.map((p) => pushed.get(p)!);
    await dial(app, called, "7275556002");
    await app.services.syncJobs.rollback(job.id, false, null);
    await app.jobs.drain();
    expect(await viciIds(app, [untouched, called])).toEqual([called]);

    // The kept row is above the follower's watermark, and its call is new: both are read, neither imports it.
    expect(await follow()).toMatchObject({ caughtUp: true });
    await app.brain.query("UPDATE vici_follow_state SET reconcile_done_at = now() - interval '2 days'");
    expect((await follow()).reconciled).toBeGreaterThan(0);
    const now = await brainPhones(app);
    for (const p of phones) expect(now).not.toContain(`+1${p}`);
  });

  it("a lead whose push delivers while the rollback runs: removed from Brain, its row kept, reported and marked (never an unknown row)", async () => {
    await app.services.intakeSwitch.set(true, "hold the pushes");
    const started = await app.services.syncJobs.start(
      {
        kind: SyncJobKind.CSV_IMPORT,
        csv: { content: csvOf(["7275554101", "7275554102"]), matchVici: true, updateExisting: false },
      },
      "test",
    );
    await app.jobs.drain();
    // The import kicked a background pass when its batch committed: it must read the switch
    // closed. Opened under it, the pass delivers the late lead before the rollback plans it, and
    // the rollback rightly deletes that untouched row: not the race this test is about.
    await app.services.pusher.settled();
    await app.services.intakeSwitch.set(false, null);
    const [first, late] = (
      await app.brain.query("SELECT id::text AS id FROM leads WHERE created_by_job_id = $1 ORDER BY id", [started.id])
    ).map((r: any) => r.id);
    expect(await app.services.pusher.deliverLead(first, { recheck: true })).toBe("DONE");
    const [waiting] = await app.brain.query("SELECT state FROM vici_pushes WHERE lead_id = $1 AND kind = 'PUSH_LEAD'", [
      late,
    ]);
    expect(waiting).toEqual({ state: "PENDING" }); // not pushed when the rollback plans it
    // The rollback plans the late lead as not pushed; the pusher delivers it during the rollback's VICIdial deletes.
    const writer = app.services.writer;
    const deleteLead = writer.deleteLead;
    writer.deleteLead = async (...args) => {
      expect(await app.services.pusher.deliverLead(late, { recheck: true })).toBe("DONE");
      return deleteLead.apply(writer, args);
    };
    try {
      const rb = await app.services.syncJobs.rollback(started.id, false, null);
      await app.jobs.drain();
      const [push] = await app.brain.query("SELECT 1 FROM vici_pushes WHERE lead_id = $1", [late]);
      expect(push).toBeUndefined(); // the lead (and its outbox) left Brain
      const [lateRow] = await app.vici.query("SELECT lead_id FROM vicidial_list WHERE phone_number = '7275554102'");
      expect(lateRow).toBeDefined();
      expect(counters(await app.services.syncJobs.get(rb.id))).toMatchObject({
        state: "SUCCEEDED",
        processed: 2,
        updated: 1,
        skipped: 1,
      });
      expect((await issues(app, rb.id)).filter((i) => i.kind === "SKIPPED")).toEqual([
        {
          kind: "SKIPPED",
          vici: Number(lateRow.lead_id),
          reason:
            "removed from Brain only: its VICIdial row is kept (pushed to VICIdial while the rollback ran) and imports leave it alone",
        },
      ]);
      expect((await ignored(app)).find((r) => r.id === Number(lateRow.lead_id))).toMatchObject({
        why: "pushed to VICIdial while the rollback ran",
        job: rb.id,
      });
    } finally {
      writer.deleteLead = deleteLead;
    }
  });

  it("a rollback killed with SIGKILL between its VICIdial deletes resumes elsewhere: nothing deleted twice, nothing lost, the report as an uninterrupted one's", async () => {
    const phones = Array.from({ length: 7 }, (_, i) => `72755530${String(i).padStart(2, "0")}`);
    const { job, pushed } = await importCsv(app, phones);
    const ids = phones.map((p) => pushed.get(p)!);
    const called = ids[3];
    await dial(app, called, phones[3]);
    const untouched = ids.filter((id) => id !== called);
    const deleteCallsBefore = fake?.calls.filter((c) => c.params.delete_lead === "Y").length ?? 0;

    const child: ChildProcess = spawn(process.execPath, [join(ROOT, "dist", "test", "helpers", "job-child.js")], {
      cwd: ROOT,
      env: { ...process.env, ...env(), CHILD_ROLLBACK_OF: job.id, CHILD_DIE_AFTER_VICI_DELETES: "2" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, signal) => resolve(signal)),
    );
    const rollbackId: string = await new Promise((resolve, reject) => {
      child.stdout!.once("data", (d) => resolve(JSON.parse(String(d)).jobId));
      child.once("exit", () => reject(new Error("the child exited before starting the job")));
    });
    expect(await exited).toBe("SIGKILL");
    const killed = await app.services.syncJobs.get(rollbackId);
    expect(killed.state).toBe("RUNNING");
    // It died after its 2nd VICIdial delete, with the chunk's plan committed and nothing else.
    expect((killed.checkpoint as any).plan.deletes).toHaveLength(6);
    expect(killed.processed).toBe(0);
    expect(await viciIds(app, ids)).toHaveLength(5);
    expect(await brainPhones(app)).toHaveLength(8); // lead 10's and the seven

    // Another process takes it over once the lease has run out.
    await new Promise((r) => setTimeout(r, 1600));
    const successor = await openApp(env());
    await successor.jobs.drain();
    const resumed = await successor.services.syncJobs.get(rollbackId);
    expect(counters(resumed)).toEqual({
      state: "SUCCEEDED",
      processed: 7,
      created: 0,
      updated: 6,
      linked: 0,
      skipped: 1,
      unchanged: 0,
      conflicts: 0,
      errors: 0,
    });
    expect(await viciIds(app, ids)).toEqual([called]);
    expect(await brainPhones(app)).toEqual(["+17275552000"]);
    const reported = await issues(app, rollbackId);
    expect(reported.filter((i) => i.kind === "NOTICE")).toEqual(
      untouched.map((id) => ({
        kind: "NOTICE",
        vici: id,
        reason: `deleted VICIdial lead ${id}: untouched since the push`,
      })),
    );
    expect(reported.filter((i) => i.kind === "SKIPPED").map((i) => i.vici)).toEqual([called]);
    expect((await ignored(app)).map((r) => r.id)).toContain(called);
    expect((await successor.services.syncJobs.get(job.id)).rolledBackBy).toBe(rollbackId);
    if (mode === "api") {
      // 2 deletes before the kill, 4 after: the resumed job read the first two gone and sent nothing for them.
      const deletes = fake!.calls
        .filter((c) => c.params.delete_lead === "Y")
        .slice(deleteCallsBefore)
        .map((c) => Number(c.params.lead_id));
      expect(deletes.sort((a, b) => a - b)).toEqual(untouched);
    }
  });
});

describe("syncHealth.createdOutsideBrain", () => {
  let app: GatewayApp;
  let brainUrl: string;
  let viciUrl: string;

  beforeAll(async () => {
    const name = dbNameFor(__filename, "health");
    [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    app = await openApp(settings("db", brainUrl, viciUrl, null));
    await insertSystemStatuses(app.vici);
    await insertVici(app.vici, "vicidial_campaigns", [
      { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    ]);
    await insertVici(app.vici, "vicidial_lists", [
      { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    ]);
    await insertVici(app.vici, "vicidial_list", [
      {
        lead_id: 10,
        list_id: 1001,
        phone_code: "1",
        phone_number: "7275554000",
        status: "NEW",
        entry_date: "2024-01-02 10:00:00",
      },
    ]);
  });

  it("counts a row inserted straight into vicidial_list after the cut-over (the first push by default), not one the gateway pushed; the import still imports it and reports it", async () => {
    // Nothing pushed, no VICI_CUTOVER_AT: no cut-over, nothing to measure.
    expect((await app.services.healthMetrics.measure({ campaignIds: [] })).createdOutsideBrain).toBeNull();

    const r = await app.services.leadCreation.createLead(
      { phone: "+17275554001", firstName: "Via" },
      { origin: "api" },
    );
    expect(r.viciAction).toBe("CREATED");
    const [push] = await app.brain.query(
      "SELECT vici_lead_id::int AS id, done_at FROM vici_pushes WHERE kind = 'PUSH_LEAD'",
    );
    // A vendor loads a lead straight into VICIdial a little later.
    await insertVici(app.vici, "vicidial_list", [
      {
        lead_id: 500,
        list_id: 1001,
        phone_code: "1",
        phone_number: "7275554002",
        status: "NEW",
        entry_date: instantToViciLocal(new Date(Date.now() + 2000), TZ),
        vendor_lead_code: "VENDOR7",
      },
    ]);

    const health = await app.services.healthMetrics.measure({ campaignIds: [] });
    expect(health.cutoverAt).toEqual(new Date(push.done_at));
    expect(health.createdOutsideBrain).toEqual({
      value: 1,
      count: 1,
      total: 2,
      target: "zero",
      met: false,
      sampleLeadIds: [500],
    });

    // The import imports it, says so, and does not say so of the pushed row or the old one.
    const imp = await app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: [] }, "test");
    await app.jobs.drain();
    expect(await app.services.syncJobs.get(imp.id)).toMatchObject({ state: "SUCCEEDED", processed: 3, created: 2 });
    expect((await app.brain.query("SELECT phone FROM leads ORDER BY phone")).map((x: any) => x.phone)).toEqual([
      "+17275554000",
      "+17275554001",
      "+17275554002",
    ]);
    expect((await issues(app, imp.id)).filter((i) => i.kind === "NOTICE")).toEqual([
      {
        kind: "NOTICE",
        vici: 500,
        reason: `loaded straight into VICIdial after the cut-over (${new Date(push.done_at).toISOString()}), not through Brain: imported`,
      },
    ]);

    // Linked and given a Brain id by the write-back, it still came from outside Brain.
    const codes = await app.services.syncJobs.start(
      { kind: SyncJobKind.VENDOR_CODES, campaigns: [], overwrite: true },
      "test",
    );
    await app.jobs.drain();
    expect(await app.services.syncJobs.get(codes.id)).toMatchObject({ state: "SUCCEEDED" });
    expect((await app.services.healthMetrics.measure({ campaignIds: [] })).createdOutsideBrain).toMatchObject({
      count: 1,
      sampleLeadIds: [500],
    });

    // VICI_CUTOVER_AT wins over the first push: from long before, the old row counts too.
    const configured = await openApp(settings("db", brainUrl, viciUrl, null, { VICI_CUTOVER_AT: "2023-06-01" }));
    await configured.jobs.stop();
    const h2 = await configured.services.healthMetrics.measure({ campaignIds: [] });
    expect(h2.cutoverAt).toEqual(new Date("2023-06-01T00:00:00Z"));
    expect(h2.createdOutsideBrain).toMatchObject({ count: 2, total: 3, sampleLeadIds: [10, 500] });
  });
});

describe("untouched since the push: the report's read and the guarded DELETE agree, check by check", () => {
  let app: GatewayApp;
  const pushedAt = new Date(Date.now() - 60_000);
  const at = (d: Date) => Math.floor(d.getTime() / 1000);

  beforeAll(async () => {
    const name = dbNameFor(__filename, "checks");
    const [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    app = await openApp(settings("db", brainUrl, viciUrl, null));
    await insertVici(app.vici, "vicidial_lists", [
      { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    ]);
  });

  // Each row differs from a freshly pushed one in one way only.
  const cases: [string, Record<string, unknown>, ((leadId: number) => Promise<void>) | null, string | null][] = [
    ["as pushed", {}, null, null],
    ["dialed", { called_count: 1 }, null, "dialed (called_count > 0)"],
    ["dispositioned", { status: "SALE" }, null, "status is SALE, not NEW"],
    ["a NULL status", { status: null }, null, "status is NULL, not NEW"],
    [
      "dialed since the list's reset",
      { called_since_last_reset: "Y" },
      null,
      "dialed since its list's last reset (called_since_last_reset is not N)",
    ],
    ["edited after the push", { modify_at: 30 }, null, "edited since the push (modify_date)"],
    [
      "a call logged",
      {},
      (id) =>
        insertVici(app.vici, "vicidial_log", [
          { uniqueid: `c${id}`, lead_id: id, list_id: 1001, call_date: "2026-01-01 10:00:00" },
        ]),
      "has calls in vicidial_log",
    ],
    [
      "an inbound call logged",
      {},
      (id) =>
        insertVici(app.vici, "vicidial_closer_log", [{ lead_id: id, list_id: 1001, call_date: "2026-01-01 10:00:00" }]),
      "has calls in vicidial_closer_log",
    ],
    [
      "in the hopper",
      {},
      (id) => insertVici(app.vici, "vicidial_hopper", [{ lead_id: id, list_id: 1001, campaign_id: "Auto2" }]),
      "queued in vicidial_hopper",
    ],
  ];

  it.each(cases)("%s", async (_label, columns, also, why) => {
    const { modify_at, ...rest } = columns as { modify_at?: number };
    const leadId = 900 + cases.findIndex((c) => c[0] === _label);
    await insertVici(app.vici, "vicidial_list", [
      {
        lead_id: leadId,
        list_id: 1001,
        phone_code: "1",
        phone_number: `72755590${leadId - 900}0`,
        status: "NEW",
        called_count: 0,
        called_since_last_reset: "N",
        entry_date: "2026-01-01 09:00:00",
        ...rest,
      },
    ]);
    // Last changed 10 s before the push (its insert), or `modify_at` s after it.
    await app.vici.query("UPDATE vicidial_list SET modify_date = FROM_UNIXTIME(?) WHERE lead_id = ?", [
      modify_at === undefined ? at(pushedAt) - 10 : at(pushedAt) + modify_at,
      leadId,
    ]);
    await also?.(leadId);
    const read = (await readPushedRows(app.vici, new Map([[leadId, pushedAt]]))).get(leadId)!;
    expect(read.touched).toEqual(why ? [why] : []);
    const deleted = await deleteUntouchedRow(app.vici, leadId, { listId: 1001, pushedAt });
    expect(deleted).toBe(why === null);
    expect(await viciIds(app, [leadId])).toEqual(why === null ? [] : [leadId]);
  });

  it("a row moved to another list since it was read is not deleted", async () => {
    await insertVici(app.vici, "vicidial_list", [
      {
        lead_id: 990,
        list_id: 1002,
        phone_code: "1",
        phone_number: "7275559990",
        status: "NEW",
        called_count: 0,
        called_since_last_reset: "N",
        entry_date: "2026-01-01 09:00:00",
      },
    ]);
    await app.vici.query("UPDATE vicidial_list SET modify_date = FROM_UNIXTIME(?) WHERE lead_id = 990", [
      at(pushedAt) - 10,
    ]);
    expect(await deleteUntouchedRow(app.vici, 990, { listId: 1001, pushedAt })).toBe(false);
    expect(await viciIds(app, [990])).toEqual([990]);
  });
});
