import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { dbNameFor, freshBrainDb, freshViciDb } from "./helpers/databases";
import { insertVici } from "./helpers/fixtures";
import { startFakeViciApi, type FakeViciApi } from "./helpers/fake-vici-api";

/**
 * createLead with VICI_WRITE_MODE=api: pushes go through VICIdial's Non-Agent API (a local
 * server speaking it exactly, over the real MariaDB), reads stay on the database.
 */
let api: FakeViciApi;
let brainUrl: string;
let viciUrl: string;
const apps: GatewayApp[] = [];

async function startApp(pass = "apipass1", suffix = ""): Promise<GatewayApp> {
  const app = createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      LOG_LEVEL: "silent",
      BRAIN_DATABASE_URL: suffix ? await freshBrainDb(dbNameFor(__filename, suffix)) : brainUrl,
      VICI_DATABASE_URL: viciUrl,
      VICI_TIMEZONE: "America/New_York",
      VICI_WRITE_MODE: "api",
      VICI_API_URL: api.url,
      VICI_API_USER: "apiuser",
      VICI_API_PASS: pass,
      VICI_DEFAULT_LIST_ID: "1001",
      OUTBOX_POLL_MS: "600000",
      VICI_FOLLOW_INTERVAL_MS: "0",
    }),
    { log: pino({ level: "silent" }) },
  );
  await app.start();
  apps.push(app);
  return app;
}

const rows = async (app: GatewayApp, national: string) =>
  app.vici.query(
    "SELECT lead_id, vendor_lead_code, user, status FROM vicidial_list WHERE phone_number = ? ORDER BY lead_id",
    [national],
  );
const push = async (app: GatewayApp, phone: string) =>
  (
    await app.brain.query(
      "SELECT o.state, o.attempts, o.last_error FROM vici_pushes o JOIN leads l ON l.id = o.lead_id WHERE l.phone = $1 AND o.kind = 'PUSH_LEAD'",
      [phone],
    )
  )[0];
const makeDue = (app: GatewayApp) =>
  app.brain.query("UPDATE vici_pushes SET next_attempt_at = now() - interval '1 second' WHERE state = 'PENDING'");

let app: GatewayApp;
beforeAll(async () => {
  const name = dbNameFor(__filename);
  [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
  api = await startFakeViciApi({ mysqlUrl: viciUrl });
  app = await startApp();
  await insertVici(app.vici, "vicidial_lists", [{ list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(app.vici, "vicidial_list", [
    { lead_id: 500, list_id: 1001, phone_code: "1", phone_number: "4155550500", status: "NA", vendor_lead_code: "" },
  ]);
});
afterAll(async () => {
  for (const a of apps) await a.stop();
  await api?.close();
});

it("pushes a new lead with add_lead, vendor_lead_code = external_lead_id", async () => {
  const r = await app.services.leadCreation.createLead({ phone: "727-555-0401", firstName: "Api" }, { origin: "api" });
  expect(r).toMatchObject({ created: true, viciAction: "CREATED" });
  const [row] = await rows(app, "7275550401");
  expect(row).toMatchObject({ vendor_lead_code: r.lead.externalLeadId, user: "apiuser", status: "NEW" });
  const add = api.calls.find((c) => c.fn === "add_lead")!;
  expect(add.params).toMatchObject({
    phone_number: "7275550401",
    phone_code: "1",
    list_id: "1001",
    vendor_lead_code: r.lead.externalLeadId,
  });
  expect(add.method).toBe("POST");
  expect(api.calls.every((c) => !c.secretInUrl && !("DB" in c.params))).toBe(true);
  expect(r.lead.meta.vici_lead_id).toBe(Number(row.lead_id));
});

it("links an existing Vici lead and writes the vendor code through update_lead (searched by lead_id)", async () => {
  const r = await app.services.leadCreation.createLead({ phone: "4155550500" }, { origin: "api" });
  expect(r.viciAction).toBe("LINKED_EXISTING");
  await app.services.pusher.drain();
  expect((await rows(app, "4155550500"))[0].vendor_lead_code).toBe(r.lead.externalLeadId);
  const update = api.calls.find((c) => c.fn === "update_lead" && c.params.vendor_lead_code === r.lead.externalLeadId)!;
  expect(update.params).toMatchObject({ search_method: "LEAD_ID", lead_id: "500" });
});

it("API down: the lead is queued and retried, then delivered exactly once", async () => {
  api.setDown(true, "503");
  const r = await app.services.leadCreation.createLead({ phone: "7275550402" }, { origin: "api" });
  expect(r.viciAction).toBe("QUEUED");
  expect(await push(app, "+17275550402")).toMatchObject({ state: "PENDING", attempts: 1 });
  api.setDown(false);
  await makeDue(app);
  await app.services.pusher.drain();
  expect(await push(app, "+17275550402")).toMatchObject({ state: "DONE" });
  expect(await rows(app, "7275550402")).toHaveLength(1);
});

it("the API inserts, then the connection dies before the answer: the retry finds the lead, no second add_lead", async () => {
  api.afterInsert = () => {
    throw new Error("crash after insert");
  };
  const r = await app.services.leadCreation.createLead({ phone: "7275550403" }, { origin: "api" });
  api.afterInsert = undefined;
  expect(r.viciAction).toBe("QUEUED");
  expect(await rows(app, "7275550403")).toHaveLength(1);
  const adds = () => api.calls.filter((c) => c.fn === "add_lead" && c.params.phone_number === "7275550403").length;
  expect(adds()).toBe(1);
  await makeDue(app);
  await app.services.pusher.drain();
  expect(await push(app, "+17275550403")).toMatchObject({ state: "DONE" });
  expect(await rows(app, "7275550403")).toHaveLength(1);
  expect(adds()).toBe(1);
});

it("a login error is final: no retry that would lock the API user, and no password in the error", async () => {
  const wrong = await startApp("wrongpass9", "wrongpass");
  const failedBefore = api.failedLogins("apiuser");
  const r = await wrong.services.leadCreation.createLead({ phone: "7275550404" }, { origin: "api" });
  expect(r.viciAction).toBe("QUEUED");
  for (let i = 0; i < 3; i++) {
    await makeDue(wrong);
    await wrong.services.pusher.drain();
  }
  const state = await push(wrong, "+17275550404");
  expect(state).toMatchObject({ state: "FAILED", attempts: 1 });
  expect(state.last_error).toMatch(/Login incorrect/);
  expect(state.last_error).not.toContain("wrongpass9");
  expect(api.failedLogins("apiuser") - failedBefore).toBe(1);
  expect(await rows(app, "7275550404")).toHaveLength(0);

  // An operator's retry on the same (still wrong) process fails at once without a login.
  await wrong.services.pusher.retry(r.lead.id);
  await wrong.services.pusher.drain();
  expect(await push(wrong, "+17275550404")).toMatchObject({ state: "FAILED", attempts: 2 });
  expect(api.failedLogins("apiuser") - failedBefore).toBe(1);
  api.resetLockouts();
});
