import { DataSource } from "typeorm";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { dbNameFor, freshBrainDb } from "./helpers/databases";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { brainMigrations } from "../src/migrations/brain";
import { DoNotCallUntil1765400000000 } from "../src/migrations/brain/1765400000000-do-not-call-until";
import { doNotCallHoldsSql } from "../src/services/do-not-call";

/**
 * Recency lifts (issue 14 §3-4), on real databases: a create whose only obstacle is a recent
 * call is stored DEFERRED and pushed when its window ends — by a clock the test moves — unless
 * a new call (a new window) or a DNC entry arrived meanwhile; Brain's do-not-call lifts by
 * itself; createLead speaks callVerdict's codes and words; the migration gives old flags their end.
 * The Vici server runs on New York time; the numbers sit on a campaign the gateway does not
 * manage (Survey1), so a push inserts a new row in Auto2's list 1001.
 */
const TZ = "America/New_York";
const DAY = 86_400_000;
let gw: TestGateway;
/** How far the gateway's clock runs ahead of the real one. */
let shift = 0;

const localAt = (at: Date) => instantToViciLocal(at, TZ);
const CALLED = new Date(Date.now() - 29 * DAY); // inside the 30-day window: a day to go

const create = async (input: Record<string, unknown>) => {
  const { body } = await gw.gql(
    `mutation($input: CreateLeadInput!) { createLead(input: $input) {
       viciAction callableAt reasons callReasons { code kind origin detail until }
       lead { id doNotCall doNotCallReason doNotCallUntil viciSync { state nextAttemptAt callableAt } } } }`,
    { input },
  );
  expect(body.errors).toBeUndefined();
  return body.data.createLead;
};
const leadState = async (id: string) => {
  const { body } = await gw.gql(
    `query($id: ID!) { lead(id: $id) { doNotCall doNotCallReason doNotCallUntil viciSync { state lastError nextAttemptAt callableAt } } }`,
    { id },
  );
  expect(body.errors).toBeUndefined();
  return body.data.lead;
};
const viciRowsOf = async (national: string) =>
  (
    await gw.app.vici.query("SELECT lead_id, list_id FROM vicidial_list WHERE phone_number = ? ORDER BY lead_id", [
      national,
    ])
  ).map((r: any) => [Number(r.lead_id), Number(r.list_id)]);
/** Moves the gateway's clock to `at` (plus a minute). */
const clockTo = (at: string | Date) => (shift = new Date(at).getTime() + 60_000 - Date.now());

beforeAll(async () => {
  gw = await startTestGateway(
    __filename,
    { VICI_TIMEZONE: TZ, VICI_CAMPAIGNS: "Auto2", VICI_CAMPAIGN_LISTS: "Auto2:1001", VICI_DEFAULT_LIST_ID: "1001" },
    "",
    { clock: () => new Date(Date.now() + shift) },
  );
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    {
      campaign_id: "Auto2",
      campaign_name: "Auto Two",
      active: "Y",
      use_internal_dnc: "Y",
      use_campaign_dnc: "Y",
      dial_statuses: " NEW NA -",
    },
    { campaign_id: "Survey1", campaign_name: "Survey", active: "Y" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    { list_id: 3001, list_name: "Survey A", campaign_id: "Survey1", active: "Y" },
  ]);
  const row = (leadId: number, phone: string, o: Record<string, unknown> = {}) => ({
    lead_id: leadId,
    phone_code: "1",
    phone_number: phone,
    list_id: 3001,
    status: "NA",
    entry_date: localAt(new Date(Date.now() - 90 * DAY)),
    ...o,
  });
  await insertVici(v, "vicidial_list", [
    row(1, "7275550101"),
    row(2, "7275550102"),
    row(3, "7275550103"),
    row(4, "7275550104"),
    row(5, "7275550105", { list_id: 1001, status: "DNC" }),
  ]);
  await insertVici(
    v,
    "vicidial_log",
    [1, 2, 3, 4].map((id) => ({
      uniqueid: `1.${id}`,
      lead_id: id,
      list_id: 3001,
      call_date: localAt(CALLED),
      status: "NA",
      phone_number: `727555010${id}`,
    })),
  );
  await insertVici(v, "vicidial_dnc", [{ phone_number: "7275550104" }]);
});
afterAll(() => gw?.stop());
beforeEach(() => (shift = 0));

describe("a create whose only obstacle is a recent call", () => {
  it("is stored DEFERRED, do-not-call until the window ends; when it ends (the test's clock) every check runs again and it is pushed", async () => {
    const r = await create({ phone: "727-555-0101", campaignId: "Auto2" });
    const ends = new Date(Math.floor(CALLED.getTime() / 1000) * 1000 + 30 * DAY).toISOString(); // call_date has whole seconds
    expect(r).toMatchObject({
      viciAction: "DEFERRED",
      callableAt: ends,
      lead: {
        doNotCall: true,
        doNotCallReason: "recently_called",
        doNotCallUntil: ends,
        viciSync: { state: "DEFERRED", nextAttemptAt: ends, callableAt: ends },
      },
    });
    // Not due yet: nothing reaches VICIdial, however often the pusher runs.
    await gw.app.services.pusher.drain();
    await gw.app.services.pusher.drain();
    expect(await viciRowsOf("7275550101")).toEqual([[1, 3001]]);
    const { body } = await gw.gql(
      `{ viciOutbox { pending deferred } viciPushes(states: [DEFERRED]) { state callableAt lead { id } } }`,
    );
    expect(body.data.viciOutbox).toEqual({ pending: 0, deferred: 1 });
    expect(body.data.viciPushes).toEqual([{ state: "DEFERRED", callableAt: ends, lead: { id: r.lead.id } }]);

    clockTo(ends);
    expect(await gw.app.services.pusher.drain()).toBe(1);
    const rows = await viciRowsOf("7275550101");
    expect(rows).toEqual([
      [1, 3001],
      [expect.any(Number), 1001],
    ]);
    // The flag lifted by itself (it is still stored, with its end): nothing cleared it.
    expect(await leadState(r.lead.id)).toMatchObject({
      doNotCall: false,
      doNotCallReason: "recently_called",
      doNotCallUntil: ends,
      viciSync: { state: "DONE", nextAttemptAt: null, callableAt: null },
    });
  });

  it("is not pushed when a new call arrived meanwhile: deferred again, to the end of the new window", async () => {
    const r = await create({ phone: "7275550102" });
    expect(r.viciAction).toBe("DEFERRED");
    // A call 12 hours from now (real time), before the window ends: a new window.
    const again = new Date(Math.floor((Date.now() + 12 * 3_600_000) / 1000) * 1000);
    await insertVici(gw.app.vici, "vicidial_log", [
      {
        uniqueid: "2.2",
        lead_id: 2,
        list_id: 3001,
        call_date: localAt(again),
        status: "NA",
        phone_number: "7275550102",
      },
    ]);
    clockTo(r.callableAt);
    expect(await gw.app.services.pusher.drain()).toBe(1);
    const later = new Date(again.getTime() + 30 * DAY).toISOString();
    expect(await viciRowsOf("7275550102")).toEqual([[2, 3001]]);
    const s = await leadState(r.lead.id);
    expect(s).toMatchObject({
      doNotCall: true,
      doNotCallReason: "recently_called",
      doNotCallUntil: later,
      viciSync: { state: "DEFERRED", nextAttemptAt: later, callableAt: later },
    });
    expect(s.viciSync.lastError).toMatch(/^DEFERRED: /);
    expect(s.viciSync.lastError).toContain(
      `RECENTLY_CALLED: last called ${again.toISOString()}, less than 30 days ago (lifts ${later})`,
    );
    // Due again at the new end only.
    expect(await gw.app.services.pusher.drain()).toBe(0);
    clockTo(later);
    expect(await gw.app.services.pusher.drain()).toBe(1);
    expect((await viciRowsOf("7275550102")).map(([, list]: number[]) => list)).toEqual([3001, 1001]);
  });

  it("is skipped for good when the number went on DNC meanwhile (SKIPPED_DNC), the flag permanent", async () => {
    const r = await create({ phone: "7275550103" });
    expect(r.viciAction).toBe("DEFERRED");
    await insertVici(gw.app.vici, "vicidial_dnc", [{ phone_number: "7275550103" }]);
    clockTo(r.callableAt);
    expect(await gw.app.services.pusher.drain()).toBe(1);
    expect(await viciRowsOf("7275550103")).toEqual([[3, 3001]]);
    const s = await leadState(r.lead.id);
    expect(s).toMatchObject({
      doNotCall: true,
      doNotCallReason: "dnc",
      doNotCallUntil: null,
      viciSync: { state: "SKIPPED", callableAt: null },
    });
    expect(s.viciSync.lastError).toMatch(/^SKIPPED_DNC: .*DNC_SYSTEM: the number is on the system DNC list/);
  });

  it("is skipped when Brain's own do-not-call (not a recency flag) holds by then", async () => {
    await gw.app.brain.query("DELETE FROM leads WHERE phone = '+17275550104'");
    await gw.app.vici.query("DELETE FROM vicidial_dnc WHERE phone_number = '7275550104'");
    const r = await create({ phone: "7275550104" });
    expect(r.viciAction).toBe("DEFERRED");
    // Meanwhile another path (an import that saw a DNC list since emptied) marks the lead dnc.
    await gw.app.brain.query("UPDATE leads SET do_not_call_reason = 'dnc', do_not_call_until = NULL WHERE id = $1", [
      r.lead.id,
    ]);
    clockTo(r.callableAt);
    expect(await gw.app.services.pusher.drain()).toBe(1);
    expect(await viciRowsOf("7275550104")).toEqual([[4, 3001]]);
    expect((await leadState(r.lead.id)).viciSync).toMatchObject({
      state: "SKIPPED",
      lastError: "SKIPPED_DNC: BRAIN_DO_NOT_CALL: Brain marks the lead do-not-call (dnc)",
    });
    await insertVici(gw.app.vici, "vicidial_dnc", [{ phone_number: "7275550104" }]);
    await gw.app.brain.query("DELETE FROM leads WHERE id = $1", [r.lead.id]);
  });

  it("deferred: false answers SKIPPED_RECENTLY_CALLED and nothing waits: the flag lifts, the lead stays unpushed", async () => {
    await gw.app.brain.query("DELETE FROM leads WHERE phone = '+17275550101'");
    const r = await create({ phone: "7275550101", deferred: false });
    expect(r).toMatchObject({ viciAction: "SKIPPED_RECENTLY_CALLED", lead: { doNotCall: true, viciSync: null } });
    clockTo(r.callableAt);
    expect(await gw.app.services.pusher.drain()).toBe(0);
    expect(await leadState(r.lead.id)).toMatchObject({ doNotCall: false, viciSync: null });
  });
});

describe("createLead speaks callVerdict's codes and words", () => {
  const verdictReasons = async (phone: string, codes: string[]) => {
    const { body } = await gw.gql(
      `query($p: String!) { callVerdict(phone: $p, campaignId: "Auto2") { reasons { code kind origin detail until } } }`,
      { p: phone },
    );
    expect(body.errors).toBeUndefined();
    return body.data.callVerdict.reasons.filter((x: any) => codes.includes(x.code));
  };
  it.each([
    ["on the system DNC list and recently called", "7275550104", ["DNC_SYSTEM", "RECENTLY_CALLED"]],
    ["a managed row with a do-not-call status", "7275550105", ["DNC_STATUS"]],
  ])("%s: the same codes, details and ends", async (_name, phone, codes) => {
    const r = await create({ phone });
    expect(r.viciAction).toBe("SKIPPED_DNC");
    expect(r.callReasons.map((c: any) => c.code)).toEqual(codes);
    expect(await verdictReasons(phone, codes)).toEqual(r.callReasons);
    for (const c of r.callReasons)
      expect(r.reasons).toContain(`${c.code}: ${c.detail}${c.until ? ` (lifts ${c.until})` : ""}`);
  });
});

describe("Brain's do-not-call lifts by itself", () => {
  it("holds while its end is ahead (or it has none) — Lead.doNotCall and the leads filter agree, at the request's clock", async () => {
    const inHour = new Date(Date.now() + 3_600_000);
    const [soon, never, past] = (
      await gw.app.brain.query(
        `INSERT INTO leads (external_lead_id, phone, do_not_call, do_not_call_reason, do_not_call_until) VALUES
           ('L-SOON', '+14045550001', true, 'recently_called', $1), ('L-NEVER', '+14045550002', true, 'operator: asked', NULL),
           ('L-PAST', '+14045550003', true, 'recently_called', now() - interval '1 hour') RETURNING id::text AS id`,
        [inHour],
      )
    ).map((x: any) => x.id);
    const held = async () => {
      const { body } =
        await gw.gql(`{ yes: leads(first: 50, filter: { doNotCall: true, search: "404555" }) { edges { node { id doNotCall } } }
                                        no: leads(first: 50, filter: { doNotCall: false, search: "404555" }) { edges { node { id doNotCall } } } }`);
      expect(body.errors).toBeUndefined();
      const ids = (c: any) => c.edges.map((e: any) => e.node.id).sort();
      for (const e of body.data.yes.edges) expect(e.node.doNotCall).toBe(true);
      for (const e of body.data.no.edges) expect(e.node.doNotCall).toBe(false);
      return { yes: ids(body.data.yes), no: ids(body.data.no) };
    };
    expect(await held()).toEqual({ yes: [soon, never].sort(), no: [past] });
    clockTo(new Date(inHour.getTime() + 60_000));
    expect(await held()).toEqual({ yes: [never], no: [soon, past].sort() });
  });
});

describe("the migration gives recently_called flags written the old way their end", () => {
  it("last call + RECENT_CALL_DAYS, or updated_at + RECENT_CALL_DAYS when Brain knows no call; other flags stay permanent", async () => {
    const ds = new DataSource({
      type: "postgres",
      url: await freshBrainDb(dbNameFor(__filename, "migration")),
      migrations: brainMigrations,
      migrationsTableName: "brain_migrations",
    });
    await ds.initialize();
    try {
      // Brain as it was before: every migration before this one.
      const before = brainMigrations.slice(0, brainMigrations.indexOf(DoNotCallUntil1765400000000));
      const setup = ds.createQueryRunner();
      for (const M of before) await new M().up(setup);
      await setup.release();
      await ds.query(
        `INSERT INTO leads (external_lead_id, phone, do_not_call, do_not_call_reason, meta, updated_at) VALUES
           ('R-KNOWN', '+15125550001', true, 'recently_called', '{"last_call_date": "2026-11-20T15:04:05.000Z"}', '2026-11-21T00:00:00Z'),
           ('R-OLD', '+15125550002', true, 'recently_called', '{"last_call_date": "2020-01-01T00:00:00.000Z"}', '2020-01-02T00:00:00Z'),
           ('R-NONE', '+15125550003', true, 'recently_called', '{}', '2026-11-25T10:00:00Z'),
           ('D-1', '+15125550004', true, 'dnc', '{}', now()),
           ('O-1', '+15125550005', true, 'operator: lawyer', '{}', now()),
           ('N-1', '+15125550006', false, NULL, '{"last_call_date": "2026-11-20T15:04:05.000Z"}', now())`,
      );
      const runner = ds.createQueryRunner();
      await new DoNotCallUntil1765400000000().up(runner);
      await runner.release();
      const rows = await ds.query(
        `SELECT external_lead_id AS id, do_not_call_until AS until, ${doNotCallHoldsSql("$1")} AS holds FROM leads ORDER BY id`,
        [new Date("2026-12-02T00:00:00Z")],
      );
      expect(rows).toEqual([
        { id: "D-1", until: null, holds: true },
        { id: "N-1", until: null, holds: false },
        { id: "O-1", until: null, holds: true },
        { id: "R-KNOWN", until: new Date("2026-12-20T15:04:05.000Z"), holds: true },
        { id: "R-NONE", until: new Date("2026-12-25T10:00:00Z"), holds: true },
        // Called in 2020: the flag the old code kept for ever has lifted.
        { id: "R-OLD", until: new Date("2020-01-31T00:00:00.000Z"), holds: false },
      ]);
    } finally {
      await ds.destroy();
    }
  });
});
