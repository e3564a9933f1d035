import pino from "pino";
import { print } from "graphql";
import { Client } from "pg";
import { createApp, type GatewayApp } from "../src/app";
import { Role, Scope } from "../src/auth/roles";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { UpdateLeadDocument, type UpdateLeadMutation } from "../generated/client/graphql";
import { dbNameFor, freshBrainDb, freshViciDb } from "./helpers/databases";
import { startFakeViciApi, type FakeViciApi } from "./helpers/fake-vici-api";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";

/**
 * Brain → VICIdial field updates, in both write modes, over real PostgreSQL and MariaDB (api
 * mode through the local Non-Agent API server, which writes the same MariaDB). A linked lead's
 * contact change (updateLead, createLead's merge, CSV --update-existing) reaches its Vici rows
 * through the outbox; a value VICIdial changed after Brain's change is kept and reported.
 *
 * The MariaDB server here runs on UTC while the gateway is told VICIdial runs on New York
 * time: modify_date (a TIMESTAMP) must be compared as an instant, not as New York wall-clock.
 */
const UPDATE = print(UpdateLeadDocument);

interface Harness {
  app: GatewayApp;
  url: string;
  key: string;
  fake: FakeViciApi | null;
  brainUrl: string;
  viciUrl: string;
  /** Every SQL statement the gateway sent to VICIdial (trace log), for counting writes. */
  viciSql: string[];
}

async function startApp(
  h: Omit<Harness, "app" | "url" | "key">,
  mode: "db" | "api",
): Promise<Pick<Harness, "app" | "url" | "key">> {
  const log = pino(
    { level: "trace" },
    {
      write(line: string) {
        const e = JSON.parse(line);
        if (e.msg === "sql" && e.db === "vici") h.viciSql.push(e.sql);
      },
    },
  );
  const app = createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      LOG_LEVEL: "silent",
      BRAIN_DATABASE_URL: h.brainUrl,
      VICI_DATABASE_URL: h.viciUrl,
      VICI_TIMEZONE: "America/New_York",
      VICI_DEFAULT_LIST_ID: "1001",
      OUTBOX_POLL_MS: "600000",
      JOB_POLL_MS: "600000",
      VICI_FOLLOW_INTERVAL_MS: "0",
      ...(mode === "api"
        ? { VICI_WRITE_MODE: "api", VICI_API_URL: h.fake!.url, VICI_API_USER: "apiuser", VICI_API_PASS: "apipass1" }
        : {}),
    }),
    { log },
  );
  const url = await app.start();
  const { key } = await app.services.apiKeys.create({ name: "test", role: Role.ADMIN, scopes: [Scope.PII] });
  return { app, url, key };
}

async function gql<T = any>(
  h: Harness,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  key = h.key,
) {
  const res = await fetch(h.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data: T; errors?: any[] } };
}

const viciRow = async (h: Harness, leadId: number) =>
  (
    await h.app.vici.query(
      "SELECT first_name, last_name, email, city, state, source_id FROM vicidial_list WHERE lead_id = ?",
      [leadId],
    )
  )[0];
const record = async (h: Harness, id: string) =>
  (
    await h.app.brain.query("SELECT kind, state, attempts, last_error, payload FROM vici_pushes WHERE id = $1", [id])
  )[0];
/** An agent's edit in VICIdial's screens: the row's modify_date moves to now. */
const agentEdit = (h: Harness, leadId: number, column: string, value: string) =>
  h.app.vici.query(`UPDATE vicidial_list SET ${column} = ? WHERE lead_id = ?`, [value, leadId]);

/** What every Vici row below holds, and so what Brain knows of it once linked. */
const FIELDS = { firstName: "Ann", lastName: "Old", city: "Tampa", state: "FL", email: "ann@old.example" };

/** Links the Brain lead of a phone to its Vici row(s) the usual way (createLead, with the fields VICIdial has). */
async function link(h: Harness, phone: string): Promise<string> {
  const r = await h.app.services.leadCreation.createLead({ phone, ...FIELDS }, { origin: "api" });
  expect(r.viciAction).toBe("LINKED_EXISTING");
  return r.lead.id;
}

async function updateLead(h: Harness, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const r = await gql<UpdateLeadMutation>(h, UPDATE, { input }, headers);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.updateLead;
}

/**
 * An update held back (paused intake: updateLead's own push attempt waits), then delivered by
 * a pusher whose Brain connection is killed right after the VICIdial write, inside its
 * transaction: the ack is lost, as when the process dies. Returns the row it wrote.
 */
async function updateAndCrash(
  h: Harness,
  input: Record<string, unknown>,
): Promise<{ pushId: string; written: number | null }> {
  await h.app.services.intakeSwitch.set(true, "hold it");
  const u = await updateLead(h, input);
  // updateLead kicked a background pass: let it end (finding intake paused) before resuming,
  // or it could deliver the update before the fault below is armed.
  await h.app.services.pusher.settled();
  await h.app.services.intakeSwitch.set(false, null);
  let written: number | null = null;
  h.app.services.fieldUpdates.faults.afterViciUpdate = async (viciLeadId) => {
    written = viciLeadId;
    const killer = new Client({ connectionString: h.brainUrl });
    await killer.connect();
    // With a timeout, pg_terminate_backend returns once the backend is gone.
    await killer.query(
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()",
    );
    await killer.end();
  };
  await expect(h.app.services.pusher.drain()).rejects.toThrow();
  h.app.services.fieldUpdates.faults = {};
  return { pushId: u.viciPush!.id, written };
}

const row = (leadId: number, phone: string, o: Record<string, unknown> = {}) => ({
  lead_id: leadId,
  list_id: 1001,
  phone_code: "1",
  phone_number: phone,
  status: "NA",
  vendor_lead_code: `V${leadId}`,
  first_name: "Ann",
  last_name: "Old",
  city: "Tampa",
  state: "FL",
  email: "ann@old.example",
  entry_date: "2024-01-02 10:00:00",
  ...o,
});

describe.each(["db", "api"] as const)("VICI_WRITE_MODE=%s", (mode) => {
  const h = { viciSql: [] as string[], fake: null } as unknown as Harness;

  beforeAll(async () => {
    const name = dbNameFor(__filename, mode);
    [h.brainUrl, h.viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    if (mode === "api") h.fake = await startFakeViciApi({ mysqlUrl: h.viciUrl });
    Object.assign(h, await startApp(h, mode));
    const v = h.app.vici;
    await insertSystemStatuses(v);
    await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
    await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" }]);
    await insertVici(v, "vicidial_list", [
      row(700, "7275550700"),
      row(701, "7275550701"),
      row(702, "7275550702"),
      row(703, "7275550703"),
      row(704, "7275550704"),
      row(705, "7275550705"),
      row(706, "7275550705", { first_name: "", email: null }),
      row(707, "7275550707"),
      row(708, "7275550708"),
    ]);
    // Rows last changed an hour ago (an instant: the server's zone does not matter).
    await v.query("UPDATE vicidial_list SET modify_date = FROM_UNIXTIME(?)", [Math.floor(Date.now() / 1000) - 3600]);
  });
  afterAll(async () => {
    await h.app?.stop();
    await h.fake?.close();
  });

  it("a field changed with updateLead reaches the linked VICIdial row; unchanged fields are not sent", async () => {
    const id = await link(h, "7275550700");
    const u = await updateLead(h, { id, firstName: "Ann", lastName: "Newman", city: "Orlando" });
    expect(u.changedFields).toEqual(["lastName", "city"]);
    expect(u.lead).toMatchObject({ firstName: "Ann", lastName: "Newman", city: "Orlando" });
    expect(u.viciPush).toMatchObject({ kind: "UPDATE_FIELDS", state: "PENDING", fieldConflicts: [] });

    await h.app.services.pusher.drain();
    expect(await viciRow(h, 700)).toMatchObject({
      first_name: "Ann",
      last_name: "Newman",
      city: "Orlando",
      state: "FL",
    });
    expect(await record(h, u.viciPush!.id)).toMatchObject({ state: "DONE", attempts: 1, last_error: null });
    if (mode === "api") {
      const calls = h.fake!.calls.filter((c) => c.fn === "update_lead" && c.params.lead_id === "700");
      expect(calls).toHaveLength(1);
      expect(calls[0].params).toMatchObject({ search_method: "LEAD_ID", last_name: "Newman", city: "Orlando" });
      expect(calls[0].params.first_name).toBeUndefined();
    }
    // The same update again changes nothing and queues nothing.
    const again = await updateLead(h, { id, lastName: "Newman" });
    expect(again).toMatchObject({ changedFields: [], viciPush: null });
  });

  it("createLead merging new fields into a linked lead reaches every Vici row of the phone", async () => {
    await link(h, "7275550705");
    const merged = await h.app.services.leadCreation.createLead(
      { phone: "7275550705", email: "ann@new.example", city: "Naples" },
      { origin: "api" },
    );
    expect(merged).toMatchObject({ created: false, effect: "UPDATED" });
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 705)).toMatchObject({ email: "ann@new.example", city: "Naples", first_name: "Ann" });
    // Row 706 had no email: not Brain's baseline, so edited there, an hour before Brain's
    // change: Brain's newer value replaces it, and that is reported.
    expect(await viciRow(h, 706)).toMatchObject({ email: "ann@new.example", city: "Naples" });
    const [rec] = await h.app.brain.query(
      "SELECT state, payload FROM vici_pushes WHERE kind = 'UPDATE_FIELDS' ORDER BY id DESC LIMIT 1",
    );
    expect(rec.state).toBe("DONE");
    expect(rec.payload.conflicts).toMatchObject([
      { viciLeadId: 706, field: "email", viciValue: null, brainValue: "ann@new.example", winner: "BRAIN" },
    ]);
  });

  it("CSV_IMPORT with updateExisting: a linked lead's new values reach VICIdial, and its rollback's restored values too", async () => {
    await link(h, "7275550707");
    const job = await h.app.services.syncJobs.start(
      {
        kind: SyncJobKind.CSV_IMPORT,
        csv: { content: "phone,city,state\n727-555-0707,Sarasota,fl\n", matchVici: true, updateExisting: true },
      },
      "test",
    );
    await h.app.jobs.drain();
    expect(await h.app.services.syncJobs.get(job.id)).toMatchObject({ state: "SUCCEEDED", updated: 1 });
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 707)).toMatchObject({ city: "Sarasota", state: "FL" });

    // Rolling the job back restores Brain's value, and that change reaches VICIdial too.
    const rollback = await h.app.services.syncJobs.rollback(job.id, false, null);
    await h.app.jobs.drain();
    expect(await h.app.services.syncJobs.get(rollback.id)).toMatchObject({ state: "SUCCEEDED", updated: 1 });
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 707)).toMatchObject({ city: "Tampa", state: "FL" });
  });

  it("the intake pause holds field updates; on resume a newer VICIdial edit is kept and reported, the other fields written", async () => {
    const id = await link(h, "7275550701");
    await h.app.services.intakeSwitch.set(true, "hold everything");
    try {
      const u = await updateLead(h, { id, firstName: "Brainy", city: "Miami" });
      await h.app.services.pusher.drain();
      expect(await record(h, u.viciPush!.id)).toMatchObject({ state: "PENDING", attempts: 0 });
      expect(await viciRow(h, 701)).toMatchObject({ first_name: "Ann", city: "Tampa" });
      const held = await gql(h, "{ intakeStatus { paused pendingPushes } }");
      expect(held.body.data.intakeStatus).toEqual({ paused: true, pendingPushes: 1 });
      // While the update waits, an agent corrects the name in VICIdial.
      await agentEdit(h, 701, "first_name", "Annabel");
      await h.app.services.intakeSwitch.set(false, null);
      await h.app.services.pusher.drain();
      expect(await viciRow(h, 701)).toMatchObject({ first_name: "Annabel", city: "Miami" });
      const pushes = await gql(
        h,
        `query { viciPushes(states: [CONFLICT], kinds: ["UPDATE_FIELDS"]) { id state lastError lead { id firstName } fieldConflicts { viciLeadId field brainValue viciValue winner viciModifiedAt brainChangedAt } }
                 viciOutbox { conflicts } }`,
      );
      expect(pushes.body.errors).toBeUndefined();
      const mine = pushes.body.data.viciPushes.find((p: any) => p.id === u.viciPush!.id);
      expect(mine).toMatchObject({
        state: "CONFLICT",
        lead: { id, firstName: "Brainy" }, // Brain keeps its value: the conflict is for an operator
        fieldConflicts: [
          { viciLeadId: 701, field: "firstName", brainValue: "Brainy", viciValue: "Annabel", winner: "VICI" },
        ],
      });
      expect(mine.lastError).toMatch(/VICIdial's newer value kept: firstName on lead 701/);
      expect(new Date(mine.fieldConflicts[0].viciModifiedAt).getTime() + 1000).toBeGreaterThan(
        new Date(mine.fieldConflicts[0].brainChangedAt).getTime(),
      );
      expect(pushes.body.data.viciOutbox.conflicts).toBeGreaterThanOrEqual(1);
    } finally {
      await h.app.services.intakeSwitch.set(false, null);
    }
  });

  it("a VICIdial edit older than Brain's change is replaced, and the replaced value reported", async () => {
    const id = await link(h, "7275550702");
    // An agent changed the name an hour ago (modify_date set as the instant it was, whatever the zone).
    await h.app.vici.query(
      "UPDATE vicidial_list SET first_name = 'Older', modify_date = FROM_UNIXTIME(?) WHERE lead_id = 702",
      [Math.floor(Date.now() / 1000) - 3600],
    );
    const u = await updateLead(h, { id, firstName: "Newest" });
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 702)).toMatchObject({ first_name: "Newest" });
    const rec = await record(h, u.viciPush!.id);
    expect(rec.state).toBe("DONE");
    expect(rec.last_error).toMatch(/VICIdial's older value replaced: firstName on lead 702/);
    expect(rec.payload.conflicts).toMatchObject([
      { viciLeadId: 702, field: "firstName", brainValue: "Newest", viciValue: "Older", winner: "BRAIN" },
    ]);
  });

  it("a push retried after a crash between the VICIdial write and Brain's ack does not write again", async () => {
    const id = await link(h, "7275550703");
    const apiCalls = () =>
      h.fake?.calls.filter((c) => c.fn === "update_lead" && c.params.lead_id === "703").length ?? 0;
    const dbWrites = () => h.viciSql.filter((s) => /^UPDATE vicidial_list SET last_name = \?/.test(s)).length;
    const [apiBefore, dbBefore] = [apiCalls(), dbWrites()];

    const u = await updateAndCrash(h, { id, lastName: "Crash" });
    expect(u.written).toBe(703);
    expect(await viciRow(h, 703)).toMatchObject({ last_name: "Crash" });
    expect(await record(h, u.pushId)).toMatchObject({ state: "PENDING", attempts: 0 }); // the ack died

    // A new process over the same databases delivers it again: the value is there, nothing is written.
    await h.app.stop();
    Object.assign(h, await startApp(h, mode));
    await h.app.services.pusher.drain();
    expect(await record(h, u.pushId)).toMatchObject({ state: "DONE", last_error: null });
    expect(await viciRow(h, 703)).toMatchObject({ last_name: "Crash" });
    if (mode === "api") expect(apiCalls() - apiBefore).toBe(1);
    else expect(dbWrites() - dbBefore).toBe(1);
  });

  it("after such a crash, an agent's edit before the retry is not overwritten by the retry", async () => {
    const id = await link(h, "7275550704");
    const u = await updateAndCrash(h, { id, lastName: "Crash" });
    expect(u.written).toBe(704);
    await agentEdit(h, 704, "last_name", "Agentfix");
    await h.app.stop();
    Object.assign(h, await startApp(h, mode));
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 704)).toMatchObject({ last_name: "Agentfix" });
    expect(await record(h, u.pushId)).toMatchObject({ state: "CONFLICT" });
  });

  it("changes queued one after another reach VICIdial as the last one, in one write", async () => {
    const id = await link(h, "7275550708");
    const writes = () =>
      mode === "api"
        ? h.fake!.calls.filter((c) => c.fn === "update_lead" && c.params.lead_id === "708").length
        : h.viciSql.filter((q) => /^UPDATE vicidial_list SET .*WHERE lead_id = \?/s.test(q)).length;
    const before = writes();
    await h.app.services.intakeSwitch.set(true, "batch them");
    try {
      const first = await updateLead(h, { id, city: "Ocala" });
      const second = await updateLead(h, { id, city: "Destin", lastName: "Twice" });
      expect(second.viciPush!.id).toBe(first.viciPush!.id); // folded into the record not tried yet
    } finally {
      await h.app.services.intakeSwitch.set(false, null);
    }
    await h.app.services.pusher.drain();
    expect(await viciRow(h, 708)).toMatchObject({ city: "Destin", last_name: "Twice" });
    expect(writes() - before).toBe(1);
  });

  if (mode === "api") {
    it("a value the API would alter (Jörg → Jrg) is refused before sending: FAILED with the reason, the row untouched", async () => {
      await insertVici(h.app.vici, "vicidial_list", [row(710, "7275550710")]);
      const id = await link(h, "7275550710");
      const u = await updateLead(h, { id, firstName: "Jörg" });
      await h.app.services.pusher.drain();
      const rec = await record(h, u.viciPush!.id);
      expect(rec).toMatchObject({ state: "FAILED", attempts: 1 });
      expect(rec.last_error).toMatch(/firstName may only contain .*not sent/);
      expect(await viciRow(h, 710)).toMatchObject({ first_name: "Ann" });
      expect(h.fake!.calls.some((c) => c.fn === "update_lead" && c.params.lead_id === "710")).toBe(false);
    });
  }

  if (mode === "db") {
    it("the db writer's UPDATE is guarded: a row changed since it was read (case too) is not written", async () => {
      const w = h.app.services.writer;
      await insertVici(h.app.vici, "vicidial_list", [row(709, "7275550709", { first_name: "smith" })]);
      expect(await w.updateContactFields(709, { first_name: "Jones" }, { first_name: "Smith" })).toBe("CHANGED");
      expect(await w.updateContactFields(709, { first_name: "Jones" }, { first_name: "smith ", city: "Tampa" })).toBe(
        "CHANGED",
      );
      expect(await viciRow(h, 709)).toMatchObject({ first_name: "smith" });
      expect(
        await w.updateContactFields(
          709,
          { first_name: "Jones", email: "j@x.example" },
          { first_name: "smith", email: "ann@old.example" },
        ),
      ).toBe("UPDATED");
      expect(await viciRow(h, 709)).toMatchObject({ first_name: "Jones", email: "j@x.example" });
      expect(await w.updateContactFields(9999, { first_name: "Nobody" }, { first_name: null })).toBe("MISSING");
    });
  }
});

describe("updateLead: the mutation", () => {
  const h = { viciSql: [] as string[], fake: null } as unknown as Harness;
  beforeAll(async () => {
    const name = dbNameFor(__filename, "gql");
    [h.brainUrl, h.viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    Object.assign(h, await startApp(h, "db"));
    await insertSystemStatuses(h.app.vici);
    await insertVici(h.app.vici, "vicidial_lists", [
      { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
    ]);
    await insertVici(h.app.vici, "vicidial_list", [row(800, "7275550800")]);
  });
  afterAll(() => h.app?.stop());

  const leadState = async (id: string) =>
    (await h.app.brain.query("SELECT phone, first_name, email, updated_at FROM leads WHERE id = $1", [id]))[0];
  const outboxCount = async () =>
    Number((await h.app.brain.query("SELECT count(*) AS n FROM vici_pushes WHERE kind = 'UPDATE_FIELDS'"))[0].n);

  it("refuses bad input with typed errors and writes nothing", async () => {
    const id = await link(h, "7275550800");
    const before = await leadState(id);
    const cases: [Record<string, unknown>, number, string, string | undefined][] = [
      [{ id: "999999", firstName: "X" }, 404, "NOT_FOUND", undefined],
      [{ id, phone: "+1 727 555 0899", firstName: "X" }, 400, "BAD_USER_INPUT", "phone"],
      [{ id, phone: "not a phone" }, 400, "INVALID_PHONE", "phone"],
      [{ id, email: "nope", firstName: "X" }, 400, "BAD_USER_INPUT", "email"],
      [{ id, state: "Florida" }, 400, "BAD_USER_INPUT", "state"],
      [{ id, firstName: "x".repeat(31) }, 400, "BAD_USER_INPUT", "firstName"],
      [{ id, city: "Bad\u0007" }, 400, "BAD_USER_INPUT", "city"],
      [{ id: "abc", firstName: "X" }, 400, "BAD_USER_INPUT", "id"],
    ];
    for (const [input, status, code, field] of cases) {
      const r = await gql(h, UPDATE, { input });
      expect({
        input,
        status: r.status,
        code: r.body.errors?.[0].extensions.code,
        field: r.body.errors?.[0].extensions.field,
      }).toEqual({ input, status, code, field });
    }
    expect((await gql(h, UPDATE, { input: { id, phone: "+1 727 555 0899" } })).body.errors![0].message).toMatch(
      /phone cannot be changed/,
    );
    expect(await leadState(id)).toEqual(before);
    expect(await outboxCount()).toBe(0);

    // The lead's own phone, in any format, is accepted; a reader may not write.
    expect((await updateLead(h, { id, phone: "(727) 555-0800", firstName: "Ann" })).changedFields).toEqual([]);
    const reader = await h.app.services.apiKeys.create({ name: "reader", role: Role.READER, scopes: [] });
    const refused = await gql(h, UPDATE, { input: { id, firstName: "Reader" } }, {}, reader.key);
    expect(refused.body.errors![0].extensions.code).toBe("FORBIDDEN");
    expect(await leadState(id)).toEqual(before);
  });

  it("Idempotency-Key: a repeat answers the first result and changes nothing; another request with the key is refused", async () => {
    const [{ id }] = await h.app.brain.query("SELECT id::text AS id FROM leads WHERE phone = '+17275550800'");
    const key = { "idempotency-key": "crm-update-1" };
    const first = await updateLead(h, { id, firstName: "Once" }, key);
    expect(first.changedFields).toEqual(["firstName"]);
    // Someone else changes it meanwhile: the repeat must not put "Once" back.
    await updateLead(h, { id, firstName: "Later" });
    const repeat = await updateLead(h, { id, firstName: "Once" }, key);
    expect(repeat.changedFields).toEqual(["firstName"]);
    expect(repeat.viciPush!.id).toBe(first.viciPush!.id);
    expect(repeat.lead.firstName).toBe("Later");
    const reused = await gql(h, UPDATE, { input: { id, firstName: "Other" } }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.errors![0].extensions.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("a lead without a VICIdial row changes in Brain only", async () => {
    await h.app.services.intakeSwitch.set(true, "keep it out of VICIdial");
    try {
      const fresh = await h.app.services.leadCreation.createLead(
        { phone: "7275550898", firstName: "Queued" },
        { origin: "api" },
      );
      const u = await updateLead(h, { id: fresh.lead.id, firstName: "Renamed" });
      // Not in VICIdial yet: its push will carry the new name; no update is queued.
      expect(u).toMatchObject({ changedFields: ["firstName"], viciPush: null });
    } finally {
      await h.app.services.intakeSwitch.set(false, null);
    }
    await h.app.services.pusher.drain();
    const [pushed] = await h.app.vici.query("SELECT first_name FROM vicidial_list WHERE phone_number = '7275550898'");
    expect(pushed.first_name).toBe("Renamed");
  });
});
