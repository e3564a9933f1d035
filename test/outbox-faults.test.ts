import pino from "pino";
import { Client } from "pg";
import { createApp, type GatewayApp } from "../src/app";
import { Role, Scope } from "../src/auth/roles";
import { loadConfig } from "../src/config/app-config";
import { dbNameFor, freshBrainDb, freshViciDb } from "./helpers/databases";
import { insertVici } from "./helpers/fixtures";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";
import { viciBreakerOf } from "../src/vici";

/**
 * The outbox under failure: VICIdial unreachable and back, and a process that dies between
 * the Vici insert and the Brain ack. In every case a lead lands in Vici exactly once.
 * The gateway reaches MariaDB through a loopback relay the test can cut.
 */
let app: GatewayApp;
let proxy: TcpProxy;
let brainUrl: string;
let viciUrl: string;

const env = () => ({
  NODE_ENV: "test",
  PORT: "0",
  LOG_LEVEL: "silent",
  BRAIN_DATABASE_URL: brainUrl,
  VICI_DATABASE_URL: viciUrl.replace(":3306/", `:${proxy.port}/`),
  VICI_TIMEZONE: "America/New_York",
  VICI_DEFAULT_LIST_ID: "1001",
  OUTBOX_POLL_MS: "600000",
  // Follow mode's reads would count against the circuit breaker this test watches.
  VICI_FOLLOW_INTERVAL_MS: "0",
  // Long enough that VICIdial is usually back before the circuit breaker lets a call try it:
  // the pushes after backUp() wait for its cooldown, as a real gateway's would.
  VICI_BREAKER_COOLDOWN_MS: "100",
});

let url: string;
let authHeaders: Record<string, string>;
async function startApp(): Promise<GatewayApp> {
  const a = createApp(loadConfig(env()), { log: pino({ level: "silent" }) });
  url = await a.start();
  const { key } = await a.services.apiKeys.create({ name: "test", role: Role.ADMIN, scopes: [Scope.PII] });
  authHeaders = { authorization: `Bearer ${key}` };
  return a;
}

const viciCount = async (national: string) => {
  const [{ n }] = await app.vici.query("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = ?", [national]);
  return Number(n);
};
const outbox = async (phone: string) =>
  (
    await app.brain.query(
      "SELECT o.state, o.attempts, o.last_error, o.vici_lead_id FROM vici_pushes o JOIN leads l ON l.id = o.lead_id WHERE l.phone = $1 AND o.kind = 'PUSH_LEAD'",
      [phone],
    )
  )[0];
/**
 * Makes every pending record due now (backoff would otherwise wait). A second back: the pusher asks
 * "due by the app's clock?", whose milliseconds lag PostgreSQL's microseconds within the same millisecond.
 */
const makeDue = () =>
  app.brain.query("UPDATE vici_pushes SET next_attempt_at = now() - interval '1 second' WHERE state = 'PENDING'");

/**
 * VICIdial answers again, and the next push is let through to it: the failures while it was down
 * opened the circuit breaker, whose cooldown runs from the last one. How long the test took to
 * get here is not a promise that the cooldown is over (on a busy machine it was not, and the
 * push was answered VICI_UNAVAILABLE).
 */
async function backUp(): Promise<void> {
  proxy.up();
  await viciBreakerOf(app.vici)!.cooledDown();
}

beforeAll(async () => {
  const name = dbNameFor(__filename);
  [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
  proxy = await startTcpProxy("127.0.0.1", 3306);
  app = await startApp();
  await insertVici(app.vici, "vicidial_lists", [{ list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" }]);
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

it("Vici unreachable at create: the lead is stored and queued, retried with backoff, delivered once when Vici is back", async () => {
  proxy.down();
  const r = await app.services.leadCreation.createLead({ phone: "7275550301", firstName: "Queued" }, { origin: "api" });
  expect(r).toMatchObject({ created: true, viciAction: "QUEUED" });
  expect(r.reasons.join(" ")).toMatch(/unreachable/);

  // Still down: each pass fails, counts an attempt and pushes the next try out.
  await makeDue();
  await app.services.pusher.drain();
  await makeDue();
  await app.services.pusher.drain();
  const failing = await outbox("+17275550301");
  expect(failing.state).toBe("PENDING");
  expect(failing.attempts).toBeGreaterThanOrEqual(2);
  expect(failing.last_error).toBeTruthy();
  const [{ wait }] = await app.brain.query(
    "SELECT extract(epoch from next_attempt_at - now()) AS wait FROM vici_pushes o JOIN leads l ON l.id = o.lead_id WHERE l.phone = '+17275550301'",
  );
  expect(Number(wait)).toBeGreaterThan(1);

  await backUp();
  await makeDue();
  await app.services.pusher.drain();
  expect(await outbox("+17275550301")).toMatchObject({ state: "DONE" });
  expect(await viciCount("7275550301")).toBe(1);
  // Further passes change nothing.
  await makeDue();
  await app.services.pusher.drain();
  expect(await viciCount("7275550301")).toBe(1);
});

it("Vici gone between create and push: retried until it is back, then exactly one Vici lead", async () => {
  await app.services.intakeSwitch.set(true, "hold the push");
  const r = await app.services.leadCreation.createLead({ phone: "7275550302" }, { origin: "api" });
  expect(r.viciAction).toBe("QUEUED");
  proxy.down();
  await app.services.intakeSwitch.set(false, null);
  await makeDue();
  await app.services.pusher.drain();
  expect(await outbox("+17275550302")).toMatchObject({ state: "PENDING", attempts: 1 });
  await backUp();
  await makeDue();
  await app.services.pusher.drain();
  expect(await outbox("+17275550302")).toMatchObject({ state: "DONE" });
  expect(await viciCount("7275550302")).toBe(1);
});

it("a crash between the Vici insert and the Brain ack leaves no second Vici lead after restart", async () => {
  await app.services.intakeSwitch.set(true, "queue it");
  const r = await app.services.leadCreation.createLead({ phone: "7275550303" }, { origin: "api" });
  await app.services.intakeSwitch.set(false, null);

  // The "crash": right after the Vici insert, the pusher's Brain connection dies, so its
  // transaction (the ack) is lost and nothing records the attempt — as when a process is killed.
  const killer = new Client({ connectionString: brainUrl });
  await killer.connect();
  let inserted: number | null = null;
  app.services.pusher.faults.afterViciInsert = async (viciLeadId) => {
    inserted = viciLeadId;
    await killer.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()",
    );
  };
  await expect(app.services.pusher.drain()).rejects.toThrow();
  await killer.end();
  expect(inserted).not.toBeNull();
  expect(await viciCount("7275550303")).toBe(1);
  // The ack died with the connection: Brain still says "not pushed yet", as after a kill.
  expect(await outbox("+17275550303")).toMatchObject({ state: "PENDING", attempts: 0, vici_lead_id: null });

  // Restart: a new process over the same databases picks the record up again (its pusher
  // starts at once; drain() waits for that pass).
  app.services.pusher.faults = {};
  await app.stop();
  app = await startApp();
  await app.services.pusher.drain();
  expect(await outbox("+17275550303")).toMatchObject({ state: "DONE", vici_lead_id: String(inserted) });
  expect(await viciCount("7275550303")).toBe(1);
  const lead = await app.services.leads.findOne({ id: r.lead.id });
  expect(lead!.meta.vici_lead_id).toBe(inserted);
});

it("reads during a Vici outage: Brain fields answer, Vici fields fail with VICI_UNAVAILABLE", async () => {
  proxy.down();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders },
      body: JSON.stringify({ query: `{ lead(phone: "7275550301") { externalLeadId vici { leadId } } }` }),
    });
    const body: any = await res.json();
    expect(body.data.lead).toMatchObject({ externalLeadId: expect.any(String), vici: null });
    expect(body.errors[0].extensions.code).toBe("VICI_UNAVAILABLE");
    expect(body.errors[0].path).toEqual(["lead", "vici"]);
  } finally {
    proxy.up();
  }
});
