import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { parse, type OperationDefinitionNode } from "graphql";
import { createApp } from "../src/app";
import { Role } from "../src/auth/roles";
import { loadConfig } from "../src/config/app-config";
import { buildGatewaySchema } from "../src/schema/build-schema";
import { enforceQueryLimits } from "../src/security/query-limits";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { startTestGateway, type TestGateway } from "./helpers/gateway";

/**
 * What the operations console needs from the gateway, as API: its page at /console, who the
 * key is (viewer), the outbox by state with retry-all, and the drift history every audit
 * records (plus the daily snapshot a background process takes).
 */
let gw: TestGateway;
const keys = {} as Record<"reader" | "operator", string>;
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  (body.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_DEFAULT_LIST_ID: "1001" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Survey1", campaign_name: "Survey", active: "Y" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
    { list_id: 3001, list_name: "S", campaign_id: "Survey1", active: "Y" },
  ]);
  await insertVici(v, "vicidial_list", [
    {
      lead_id: 1,
      phone_code: "1",
      phone_number: "7275550101",
      list_id: 1001,
      status: "NEW",
      entry_date: "2026-01-15 10:00:00",
    },
    {
      lead_id: 2,
      phone_code: "1",
      phone_number: "7275550102",
      list_id: 1001,
      status: "NEW",
      entry_date: "2026-01-15 10:00:00",
    },
    {
      lead_id: 3,
      phone_code: "1",
      phone_number: "7275550103",
      list_id: 3001,
      status: "NEW",
      entry_date: "2026-01-15 10:00:00",
    },
  ]);
  keys.reader = await gw.createKey(Role.READER);
  keys.operator = await gw.createKey(Role.OPERATOR);
});

afterAll(() => gw?.stop());

describe("GET /console", () => {
  it("serves the console's page for /console and every path under it, to browsers only, with no secret in it", async () => {
    for (const path of ["/console", "/console/", "/console/jobs/42", "/console/outbox?state=FAILED"]) {
      const res = await fetch(new URL(path, gw.url), { headers: { accept: "text/html" } });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
      const html = await res.text();
      expect(html).toContain("<title>vici-brain console</title>");
      expect(html).not.toContain(gw.adminKey);
      expect(html).not.toMatch(/https?:\/\//);
    }
    // Its script is served, and is not the IDE's.
    const html = await (await fetch(new URL("/console", gw.url), { headers: { accept: "text/html" } })).text();
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1];
    const js = await fetch(new URL(script, gw.url));
    expect(js.status).toBe(200);
    expect(await js.text()).not.toMatch(/GraphiQL/);
    // Not a page for a client that asked for JSON.
    expect((await fetch(new URL("/console/jobs", gw.url), { headers: { accept: "application/json" } })).status).toBe(
      404,
    );
  });

  it("is off with WEB_CONSOLE=false", async () => {
    const app = createApp(loadConfig({ ...gw.env, PORT: "0", WEB_CONSOLE: "false" }), {
      log: pino({ level: "silent" }),
    });
    const url = await app.start();
    try {
      const res = await fetch(new URL("/console", url), { headers: { accept: "text/html" } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("vici-brain console");
    } finally {
      await app.stop();
    }
  });
});

describe("viewer", () => {
  it("says which key asks, its role and scopes, never its secret", async () => {
    const admin = await gw.gql("{ viewer { keyId name role scopes } }");
    expect(admin.body.data.viewer).toEqual({
      keyId: /^vbg_([0-9a-f]{12})_/.exec(gw.adminKey)![1],
      name: "test admin pii",
      role: "ADMIN",
      scopes: ["PII"],
    });
    const reader = await gw.gql("{ viewer { role scopes } }", {}, { key: keys.reader });
    expect(reader.body.data.viewer).toEqual({ role: "READER", scopes: [] });
    const none = await gw.gql("{ viewer { role } }", {}, { key: null });
    expect(none.status).toBe(401);
  });
});

describe("the outbox: viciPushes, viciOutbox, retryFailedViciPushes", () => {
  const PUSHES = `query($states: [ViciSyncState!], $first: Int, $after: ID) {
    viciPushes(states: $states, first: $first, after: $after) { id kind state attempts lastError viciLeadId nextAttemptAt lead { id externalLeadId phone } }
  }`;
  const SUMMARY = "{ viciOutbox { pending failed oldestPendingAt } }";
  const leads: { id: string; externalLeadId: string; phone: string }[] = [];

  beforeAll(async () => {
    await gw.app.services.intakeSwitch.set(true, "test: hold the pushes");
    for (const phone of ["+13125550201", "+13125550202", "+13125550203"]) {
      const r = await gw.gql(
        `mutation($p: String!) { createLead(input: { phone: $p }) { viciAction lead { id externalLeadId phone } } }`,
        { p: phone },
      );
      expect(r.body.data.createLead.viciAction).toBe("QUEUED");
      leads.push(r.body.data.createLead.lead);
    }
    // The last one refused for good, its error quoting a phone number (as VICIdial's answers can).
    await gw.app.brain.query(
      "UPDATE vici_pushes SET state = 'FAILED', attempts = 3, last_error = 'add_lead refused: DUPLICATE PHONE 3125550203' WHERE lead_id = $1",
      [leads[2].id],
    );
  });

  it("counts what waits and what failed", async () => {
    const r = await gw.gql(SUMMARY, {}, { key: keys.reader });
    expect(r.body.data.viciOutbox).toEqual({ pending: 2, failed: 1, oldestPendingAt: expect.any(String) });
  });

  it("lists records by state, newest first, with their lead; phones and errors masked without pii", async () => {
    const pending = await gw.gql(PUSHES, { states: ["PENDING"] });
    expect(pending.body.data.viciPushes.map((p: any) => p.lead.id)).toEqual([leads[1].id, leads[0].id]);
    expect(pending.body.data.viciPushes[0]).toMatchObject({
      kind: "PUSH_LEAD",
      state: "PENDING",
      attempts: 0,
      nextAttemptAt: expect.any(String),
    });

    const asAdmin = await gw.gql(PUSHES, { states: ["FAILED"] });
    expect(asAdmin.body.data.viciPushes).toEqual([
      expect.objectContaining({
        state: "FAILED",
        attempts: 3,
        lastError: "add_lead refused: DUPLICATE PHONE 3125550203",
        nextAttemptAt: null,
        lead: leads[2],
      }),
    ]);
    const asReader = await gw.gql(PUSHES, { states: ["FAILED"] }, { key: keys.reader });
    const [masked] = asReader.body.data.viciPushes;
    expect(masked.lead.phone).toBe("+1******0203");
    expect(masked.lastError).not.toContain("3125550203");
    expect(masked.lastError).toContain("0203");
    // The lead's own view of its push masks it the same way.
    const lead = await gw.gql(
      `query($id: ID!) { lead(id: $id) { viciSync { lastError } } }`,
      { id: leads[2].id },
      { key: keys.reader },
    );
    expect(lead.body.data.lead.viciSync.lastError).toBe(masked.lastError);

    // Keyset pages, every state when none is given.
    const first = await gw.gql(PUSHES, { first: 2 });
    const next = await gw.gql(PUSHES, { first: 2, after: first.body.data.viciPushes[1].id });
    expect([...first.body.data.viciPushes, ...next.body.data.viciPushes].map((p: any) => p.lead.id)).toEqual([
      leads[2].id,
      leads[1].id,
      leads[0].id,
    ]);

    const bad = await gw.gql(PUSHES, { first: 500 });
    expect(bad.status).toBe(400);
    expect(codes(bad.body)).toEqual(["BAD_USER_INPUT"]);
  });

  it("retryFailedViciPushes needs an operator, re-queues every FAILED record, and the pusher delivers them", async () => {
    const refused = await gw.gql("mutation { retryFailedViciPushes }", {}, { key: keys.reader });
    expect(refused.status).toBe(403);
    expect(codes(refused.body)).toEqual(["FORBIDDEN"]);

    const r = await gw.gql("mutation { retryFailedViciPushes }", {}, { key: keys.operator });
    expect(r.body.data.retryFailedViciPushes).toBe(1);
    expect((await gw.gql(SUMMARY)).body.data.viciOutbox).toMatchObject({ pending: 3, failed: 0 });
    expect(
      (await gw.gql("mutation { retryFailedViciPushes }", {}, { key: keys.operator })).body.data.retryFailedViciPushes,
    ).toBe(0);

    await gw.app.services.intakeSwitch.set(false, null);
    await gw.app.services.pusher.drain();
    expect((await gw.gql(SUMMARY)).body.data.viciOutbox).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
    const done = await gw.gql(PUSHES, { states: ["DONE"] });
    expect(done.body.data.viciPushes).toHaveLength(3);
    for (const p of done.body.data.viciPushes) expect(p.viciLeadId).toEqual(expect.any(Number));
  });
});

describe("driftHistory: the audit's drift, day by day", () => {
  const HISTORY = `query($campaigns: [String!], $days: Int) {
    driftHistory(campaigns: $campaigns, days: $days) { day takenAt viciRows viciNotInBrain brainNotInVici conflictingLinks phonesOnSeveralDialableRows }
  }`;
  const AUDIT = `query($campaigns: [String!]) { audit(campaigns: $campaigns) { totals { rows } viciNotInBrain { count } brainNotInVici { count } conflictingLinks { count } phonesOnSeveralDialableRows { count } } }`;
  const today = () =>
    gw.app.brain
      .query("SELECT to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD') AS d", [gw.config.vici.timeZone])
      .then((r: any) => r[0].d as string);

  beforeEach(async () => {
    await gw.app.brain.query("DELETE FROM drift_snapshots");
    await gw.app.brain.query("DELETE FROM gateway_settings WHERE name = 'drift_snapshot'");
  });

  it("every audit records its numbers as today's snapshot of its campaign set; the day's last audit wins", async () => {
    const audit = (await gw.gql(AUDIT)).body.data.audit;
    const [snap] = (await gw.gql(HISTORY)).body.data.driftHistory;
    expect(snap).toEqual({
      day: await today(),
      takenAt: expect.any(String),
      viciRows: audit.totals.rows,
      viciNotInBrain: audit.viciNotInBrain.count,
      brainNotInVici: audit.brainNotInVici.count,
      conflictingLinks: audit.conflictingLinks.count,
      phonesOnSeveralDialableRows: audit.phonesOnSeveralDialableRows.count,
    });

    // Another campaign set is its own series (case and order do not matter).
    await gw.gql(AUDIT, { campaigns: ["survey1"] });
    expect((await gw.gql(HISTORY, { campaigns: ["SURVEY1"] })).body.data.driftHistory).toEqual([
      expect.objectContaining({ viciRows: 1 }),
    ]);

    // The day's last audit replaces the day's snapshot.
    await insertVici(gw.app.vici, "vicidial_list", [
      {
        lead_id: 900,
        phone_code: "1",
        phone_number: "7275550104",
        list_id: 1001,
        status: "NEW",
        entry_date: "2026-01-15 10:00:00",
      },
    ]);
    await gw.gql(AUDIT);
    const after = (await gw.gql(HISTORY)).body.data.driftHistory;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ viciRows: snap.viciRows + 1, viciNotInBrain: snap.viciNotInBrain + 1 });
  });

  it("returns the last `days` days, oldest first", async () => {
    const rows = (await gw.gql(AUDIT)).body.data.audit.totals.rows;
    const day = await today();
    const insert = (daysAgo: number, n: number) =>
      gw.app.brain.query(
        `INSERT INTO drift_snapshots (campaigns, day, vici_rows, vici_not_in_brain, brain_not_in_vici, conflicting_links, phones_on_several_dialable_rows)
         VALUES ('', $1::date - $2::int, $3, $3, 0, 0, 0)`,
        [day, daysAgo, n],
      );
    await insert(10, 100);
    await insert(40, 400);
    const month = (await gw.gql(HISTORY, { days: 30 })).body.data.driftHistory;
    expect(month.map((s: any) => s.viciRows)).toEqual([100, rows]);
    const twoMonths = (await gw.gql(HISTORY, { days: 60 })).body.data.driftHistory;
    expect(twoMonths.map((s: any) => s.viciRows)).toEqual([400, 100, rows]);
    const bad = await gw.gql(HISTORY, { days: 0 });
    expect(codes(bad.body)).toEqual(["BAD_USER_INPUT"]);
  });

  it("a background process takes the day's snapshot once, whoever asks (one claim per day; a dead claimer's claim lapses)", async () => {
    const drift = gw.app.services.drift;
    const taken = await Promise.all([drift.takeDailyIfDue(), drift.takeDailyIfDue(), drift.takeDailyIfDue()]);
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await drift.takeDailyIfDue()).toBe(false);
    const rows = (await gw.app.services.audit.audit([])).totals.rows;
    expect((await gw.gql(HISTORY)).body.data.driftHistory).toEqual([
      expect.objectContaining({ day: await today(), viciRows: rows }),
    ]);

    // A claim for today with no snapshot: another process is on it, unless the claim is old.
    await gw.app.brain.query("DELETE FROM drift_snapshots");
    expect(await drift.takeDailyIfDue()).toBe(false);
    await gw.app.brain.query(
      "UPDATE gateway_settings SET updated_at = now() - interval '2 hours' WHERE name = 'drift_snapshot'",
    );
    expect(await drift.takeDailyIfDue()).toBe(true);
    expect((await gw.gql(HISTORY)).body.data.driftHistory).toHaveLength(1);
  });
});

describe("the console's operations", () => {
  it("each fits the gateway's query limits (depth, cost) with the defaults", async () => {
    const schema = await buildGatewaySchema();
    const dir = join(__dirname, "..", "web", "console", "operations");
    const files = readdirSync(dir).filter((f) => f.endsWith(".graphql"));
    expect(files.length).toBeGreaterThan(0);
    const doc = parse(files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n"));
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    // The largest pages the console asks for.
    const variables = { first: 50, days: 366 };
    for (const op of ops) {
      expect(() =>
        enforceQueryLimits(schema, doc, op, variables, gw.config.pagination.defaultPageSize, gw.config.limits),
      ).not.toThrow();
    }
    expect(ops.map((o) => o.name?.value)).toContain("ConsoleJobProgress");
  });
});
