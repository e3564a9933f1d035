import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { runCli } from "./helpers/cli";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { queryCounter } from "../src/data-sources/query-counter";
import { SyncJobKind } from "../src/jobs/sync-job.types";

/**
 * Follow mode (issue 15) on one gateway, its cycles driven by the test: what VICIdial gains
 * between imports — rows loaded straight into vicidial_list, calls in vicidial_log, DNC
 * entries — reaches Brain within one cycle, exactly as VICI_IMPORT would write it, for the
 * managed campaigns only; what an idle cycle costs; and its lag in GraphQL, the CLI,
 * /metrics and /readyz. (SIGKILL and two gateways: test/follow-processes.test.ts.)
 */
const TZ = "America/New_York";
const DAY = 86_400_000;
let gw: TestGateway;

const local = (msAgo = 0) => instantToViciLocal(new Date(Date.now() - msAgo), TZ);
const cycle = async () => {
  const r = await gw.app.services.follower.cycle();
  if (!r) throw new Error("the follower did not get the lease");
  return r;
};
const lead = async (phone: string) => (await gw.app.brain.query("SELECT * FROM leads WHERE phone = $1", [phone]))[0];
const leadCount = async () => Number((await gw.app.brain.query("SELECT count(*)::int AS n FROM leads"))[0].n);
let nextId = 100;
const row = (phone: string, list: number, extra: Record<string, unknown> = {}) => ({
  lead_id: ++nextId,
  phone_code: "1",
  phone_number: phone,
  list_id: list,
  status: "NEW",
  entry_date: local(),
  first_name: `F${nextId}`,
  ...extra,
});
const importJob = async () => {
  const job = await gw.app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT }, "test");
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};

beforeAll(async () => {
  gw = await startTestGateway(__filename, {
    VICI_TIMEZONE: TZ,
    VICI_CAMPAIGNS: "Auto2,Autodial",
    // On, as in production; its own ticks are ten minutes apart, so the test's cycles are the ones that run.
    VICI_FOLLOW_INTERVAL_MS: "600000",
    VICI_FOLLOW_MAX_LAG_MS: "60000",
  });
  // The gateway's own first tick (follow mode starts with `serve`) is over before the data comes.
  await gw.app.services.follower.cycle();
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y", dial_method: "RATIO" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y", dial_method: "RATIO" },
    { campaign_id: "Survey1", campaign_name: "Survey", active: "Y", dial_method: "RATIO" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "A2", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "D1", campaign_id: "Autodial", active: "Y" },
    { list_id: 3001, list_name: "S1", campaign_id: "Survey1", active: "Y" },
  ]);
  // What the dialer held before follow mode: Phase 1 imported it.
  await insertVici(v, "vicidial_list", [
    row("7275550101", 1001, { status: "NA" }),
    row("7275550102", 2001),
    row("7275550103", 3001),
  ]);
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "100.1",
      lead_id: 101,
      list_id: 1001,
      campaign_id: "Auto2",
      call_date: local(60 * DAY),
      status: "NA",
      phone_code: "1",
      phone_number: "7275550101",
    },
  ]);
  expect((await importJob()).state).toBe("SUCCEEDED");
  // Follow mode starts again from here (its first start saw an empty VICIdial).
  await gw.app.brain.query(
    "UPDATE vici_follow_state SET lead_id_after = NULL, calls_since = NULL, dnc_since = NULL, dnc_counts = NULL, caught_up_at = NULL, totals = '{}'",
  );
});
afterAll(() => gw?.stop());

it("the first cycle follows from VICIdial's present; an idle cycle then costs a handful of statements", async () => {
  const first = await cycle();
  expect(first).toMatchObject({ leads: 0, calls: 0, dnc: 0, caughtUp: true });
  expect(await leadCount()).toBe(2); // the two managed rows of Phase 1, nothing more
  await cycle(); // the DNC table check is looked up once per process
  const brain = queryCounter(gw.app.brain);
  const vici = queryCounter(gw.app.vici);
  const [b0, v0] = [brain.mark(), vici.mark()];
  const idle = await cycle();
  expect(idle).toMatchObject({ leads: 0, calls: 0, dnc: 0, reconciled: 0, caughtUp: true });
  // Brain: take the lease, commit the cycle. VICIdial: the highest lead_id, the calls' window, the DNC tables' row counts.
  expect(brain.count - b0).toBe(2);
  expect(vici.count - v0).toBe(3);
});

it("a row inserted straight into vicidial_list appears in Brain within one cycle, as VICI_IMPORT imports it; unmanaged rows never", async () => {
  await insertVici(gw.app.vici, "vicidial_list", [
    row("7275550201", 1001), // a new number ...
    row("7275550201", 2001, { vendor_lead_code: "" }), // ... in two managed lists: one Brain lead
    row("7275550202", 1002, { vendor_lead_code: "VEND-202" }), // a vendor's own code: the lead's id (the vendor-code rule)
    row("7275550203", 3001), // Survey1 is not managed: never imported
    row("7275550101", 1002), // a number Brain has: linked to its lead
  ]);
  const r = await cycle();
  expect(r).toMatchObject({ leads: 4, caughtUp: true });
  const a = await lead("+17275550201");
  expect(a).toMatchObject({ origin: "vici_import", first_name: "F104", created_by_job_id: null });
  expect(a.meta).toMatchObject({
    origin: "vici_import",
    vici_lead_ids: [104, 105],
    vici_campaign_id: expect.any(String),
  });
  expect((await lead("+17275550202")).external_lead_id).toBe("VEND-202");
  expect(await lead("+17275550203")).toBeUndefined();
  expect((await lead("+17275550101")).meta.vici_lead_ids).toEqual([101, 108]);
  // The rows with no code get the lead's id through the outbox (empty codes only, as the write-back writes).
  const codes = await gw.app.brain.query(
    "SELECT lead_id::text, payload FROM vici_pushes WHERE kind = 'SET_VENDOR_CODE' ORDER BY (payload->>'viciLeadId')::int",
  );
  expect(codes.map((c: any) => [c.payload.viciLeadId, c.payload.vendorLeadCode])).toEqual([
    [104, a.external_lead_id],
    [105, a.external_lead_id],
    [108, (await lead("+17275550101")).external_lead_id],
  ]);
  // Exactly what the import writes: running it now changes nothing.
  const again = await importJob();
  expect(again).toMatchObject({ state: "SUCCEEDED", created: 0, linked: 0, updated: 0 });
  // The next cycle finds nothing new.
  expect(await cycle()).toMatchObject({ leads: 0, caughtUp: true });
});

it("a call logged in vicidial_log updates the last call, the status and recent-call do-not-call of every Brain lead with the number, once", async () => {
  // A CSV lead whose number VICIdial holds only in an unmanaged list.
  const [csvLead] = await insertBrainLeads(gw.app.brain, [
    { externalLeadId: "CSV-1", phone: "+17275550203", origin: "csv_import" },
  ]);
  const before = await lead("+17275550101");
  expect(before.do_not_call).toBe(false);
  const at = local(5000);
  // The dialer logs the call and sets the lead's status.
  await insertVici(gw.app.vici, "vicidial_log", [
    {
      uniqueid: "200.1",
      lead_id: 101,
      list_id: 1001,
      campaign_id: "Auto2",
      call_date: at,
      status: "SALE",
      phone_code: "1",
      phone_number: "7275550101",
    },
    {
      uniqueid: "200.2",
      lead_id: 107,
      list_id: 3001,
      campaign_id: "Survey1",
      call_date: at,
      status: "NA",
      phone_code: "1",
      phone_number: "7275550203",
    },
  ]);
  await gw.app.vici.query("UPDATE vicidial_list SET status = 'SALE' WHERE lead_id = 101");
  const r = await cycle();
  expect(r).toMatchObject({ calls: 2, caughtUp: true });
  const after = await lead("+17275550101");
  expect(after).toMatchObject({ do_not_call: true, do_not_call_reason: "recently_called" });
  expect(after.meta).toMatchObject({ vici_status: "SALE", vici_lead_id: 101 });
  expect(new Date(after.meta.last_call_date).getTime()).toBe(new Date(`${at.replace(" ", "T")}-05:00`).getTime());
  const csv = (await gw.app.brain.query("SELECT * FROM leads WHERE id = $1", [csvLead]))[0];
  expect(csv).toMatchObject({ do_not_call: true, do_not_call_reason: "recently_called" });
  expect(csv.meta.vici_lead_ids).toBeUndefined(); // nothing of an unmanaged campaign is linked
  expect(csv.meta.last_call_date).toBe(after.meta.last_call_date);
  // Read again in the next cycle's overlap window, but counted once.
  const totals = (await gw.app.services.follower.status()).totals.calls;
  expect(await cycle()).toMatchObject({ calls: 0 });
  expect((await gw.app.services.follower.status()).totals.calls).toBe(totals);
  // GraphQL's lastCallAt (read live) agrees.
  const { body } = await gw.gql(`{ lead(phone: "+17275550101") { lastCallAt doNotCall } }`);
  expect(new Date(body.data.lead.lastCallAt).toISOString()).toBe(after.meta.last_call_date);
});

it("a DNC added in VICIdial marks the Brain lead do-not-call within one cycle", async () => {
  expect((await lead("+17275550202")).do_not_call).toBe(false);
  await insertVici(gw.app.vici, "vicidial_dnc", [{ phone_number: "7275550202" }]);
  await insertVici(gw.app.vici, "vicidial_dnc_log", [
    { phone_number: "7275550202", campaign_id: "-SYSINT-", action: "add", action_date: local(), user: "admin" },
  ]);
  const r = await cycle();
  expect(r).toMatchObject({ dnc: 1, caughtUp: true });
  expect(await lead("+17275550202")).toMatchObject({ do_not_call: true, do_not_call_reason: "dnc" });
  // Unchanged DNC tables: not read again.
  const vici = queryCounter(gw.app.vici);
  const v0 = vici.mark();
  await cycle();
  expect(vici.sinceMatching(v0, /vicidial_dnc_log WHERE/)).toBe(0);
});

it("the reconciliation pass reads every managed row again: status changes and list moves made in VICIdial's screens reach Brain", async () => {
  await gw.app.vici.query("UPDATE vicidial_list SET status = 'DEC', list_id = 1002 WHERE lead_id = 102");
  expect(await cycle()).toMatchObject({ reconciled: 0 }); // not due yet (nightly)
  expect((await lead("+17275550102")).meta).toMatchObject({ vici_status: "NEW", vici_list_id: 2001 });
  await gw.app.brain.query("UPDATE vici_follow_state SET reconcile_done_at = now() - interval '2 days'");
  const r = await cycle();
  expect(r.reconciled).toBe(
    Number(
      (await gw.app.vici.query("SELECT COUNT(*) AS n FROM vicidial_list WHERE list_id IN (1001, 1002, 2001)"))[0].n,
    ),
  );
  expect((await lead("+17275550102")).meta).toMatchObject({
    vici_status: "DEC",
    vici_list_id: 1002,
    vici_campaign_id: "Auto2",
  });
  const s = await gw.app.services.follower.status();
  expect(s.watermarks.reconcileAfterLeadId).toBeNull();
  expect(s.watermarks.reconcileDoneAt).not.toBeNull();
});

it("syncStatus, follow-status, /metrics and /readyz show the lag; /readyz degrades (200) past VICI_FOLLOW_MAX_LAG_MS", async () => {
  await cycle();
  const { body } = await gw.gql(
    `{ syncStatus { following lastCycleAt lagSeconds pendingUpdates watermarks { leadIdAfter callsSince dncSince reconcileAfterLeadId } lastCycle { leads calls caughtUp } totals { leads calls dnc } } }`,
  );
  const s = body.data.syncStatus;
  expect(s).toMatchObject({
    following: true,
    pendingUpdates: 3,
    watermarks: { leadIdAfter: nextId, reconcileAfterLeadId: null },
    lastCycle: { caughtUp: true },
    totals: { leads: 4, calls: 2, dnc: 1 },
  });
  expect(s.lagSeconds).toBeLessThan(30);
  // The console's Health page asks exactly this (web/console/operations/health.graphql).
  const consoleQuery = await gw.gql(
    `query ConsoleSyncStatus { syncStatus { following lastCycleAt lagSeconds pendingUpdates } }`,
  );
  expect(consoleQuery.body.errors).toBeUndefined();

  const cli = await runCli(["follow-status", "--json"], gw.env);
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.stdout)).toMatchObject({
    following: true,
    watermarks: { leadIdAfter: nextId },
    totals: { leads: 4 },
  });
  const text = await runCli(["follow-status"], gw.env);
  expect(text.stdout).toMatch(/Follow mode: following/);

  const base = gw.url.replace(/\/graphql$/, "");
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/^vici_follow_lag_seconds \d/m);
  expect(metrics).toMatch(/^vici_follow_rows_applied\{source="leads"\} 4$/m);
  expect(metrics).toMatch(/^vici_follow_cycle_rows\{source="calls"\} 0$/m);

  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready", checks: { follow: { ok: true } } });
  // Ten minutes without a cycle that caught up.
  await gw.app.brain.query("UPDATE vici_follow_state SET caught_up_at = now() - interval '10 minutes'");
  const late = await fetch(`${base}/readyz`);
  expect(late.status).toBe(200);
  const lateBody: any = await late.json();
  expect(lateBody).toMatchObject({
    status: "degraded",
    checks: { brain: { ok: true }, vici: { ok: true }, follow: { ok: false } },
  });
  expect(lateBody.checks.follow.error).toMatch(/follow mode is 600 s behind/);
  await cycle();
  expect(((await (await fetch(`${base}/readyz`)).json()) as any).status).toBe("ready");
});

it("a row a rollback kept in VICIdial (vici_ignored_rows) is never imported again by the follower", async () => {
  const kept = row("7275550301", 1001, { vendor_lead_code: "ROLLED-BACK-1" });
  await insertVici(gw.app.vici, "vicidial_list", [kept]);
  await gw.app.brain.query("INSERT INTO vici_ignored_rows (vici_lead_id, why) VALUES ($1, 'called since its push')", [
    kept.lead_id,
  ]);
  expect(await cycle()).toMatchObject({ leads: 1, caughtUp: true }); // read, and left alone
  expect(await lead("+17275550301")).toBeUndefined();
  // Nor by the reconciliation pass.
  await gw.app.brain.query("UPDATE vici_follow_state SET reconcile_done_at = now() - interval '2 days'");
  expect((await cycle()).reconciled).toBeGreaterThan(0);
  expect(await lead("+17275550301")).toBeUndefined();
});
