import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { print } from "graphql";
import { DateTime } from "luxon";
import { DbViciWriter } from "../src/vici/writers/db-vici-writer";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { CreateLeadDocument, type CreateLeadMutation } from "../generated/client/graphql";

/**
 * createLead over real PostgreSQL and MariaDB, writing Vici directly (VICI_WRITE_MODE=db).
 * The Vici server runs on Chicago time, so the 30-day rule is checked in a non-UTC zone.
 */
const TZ = "America/Chicago";
let gw: TestGateway;

/** The typed operation from codegen (test/operations/create-lead.graphql). */
const CREATE = print(CreateLeadDocument);

const create = async (input: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const res = await fetch(gw.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...gw.authHeaders, ...headers },
    body: JSON.stringify({ query: CREATE, variables: { input } }),
  });
  return { status: res.status, body: (await res.json()) as { data: CreateLeadMutation; errors?: any } as any };
};
const ok = async (input: Record<string, unknown>, headers?: Record<string, string>) => {
  const r = await create(input, headers);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.createLead;
};
const viciRows = async (national: string) =>
  (
    await gw.app.vici.query(
      "SELECT lead_id, list_id, status, vendor_lead_code, phone_code, entry_date, user FROM vicidial_list WHERE phone_number = ? ORDER BY lead_id",
      [national],
    )
  ).map((r: any) => ({ ...r, list_id: Number(r.list_id) }));
const counts = async () => {
  const [[{ leads }], [{ outbox }], [{ vici }]] = await Promise.all([
    gw.app.brain.query("SELECT count(*)::int AS leads FROM leads"),
    gw.app.brain.query("SELECT count(*)::int AS outbox FROM vici_pushes"),
    gw.app.vici.query("SELECT COUNT(*) AS vici FROM vicidial_list"),
  ]);
  return { leads, outbox, vici: Number(vici) };
};
const localAgo = (ms: number) => instantToViciLocal(new Date(Date.now() - ms), TZ);
const DAY = 86_400_000;

beforeAll(async () => {
  gw = await startTestGateway(__filename, {
    VICI_TIMEZONE: TZ,
    VICI_CAMPAIGN_LISTS: "Auto2:1001,Autodial:2001",
    VICI_DEFAULT_LIST_ID: "1001",
    OUTBOX_POLL_MS: "600000",
  });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "Autodial A", campaign_id: "Autodial", active: "Y" },
  ]);
  await insertVici(v, "vicidial_dnc", [{ phone_number: "3125550999" }, { phone_number: "900XXXXXXX" }]);
  await insertVici(v, "vicidial_campaign_dnc", [
    { phone_number: "3125550888", campaign_id: "Autodial" },
    { phone_number: "3125550887", campaign_id: "Autodial" },
  ]);
  const lead = (o: Record<string, unknown>) => ({
    phone_code: "1",
    list_id: 2001,
    status: "NA",
    entry_date: localAgo(200 * DAY),
    ...o,
  });
  await insertVici(v, "vicidial_list", [
    lead({ lead_id: 100, phone_number: "8135550100", vendor_lead_code: "VND-77" }),
    lead({ lead_id: 101, phone_number: "8135550101", vendor_lead_code: "" }),
    lead({ lead_id: 102, phone_number: "8135550101", list_id: 1001, vendor_lead_code: null }),
    lead({ lead_id: 103, phone_number: "8135550103" }),
    lead({ lead_id: 104, phone_number: "8135550104" }),
    lead({ lead_id: 105, phone_number: "8135550105", status: "DNC" }),
  ]);
  await insertVici(v, "vicidial_log", [
    // 29 days and 23 h ago in Chicago wall-clock time: inside the window.
    {
      uniqueid: "1.103",
      lead_id: 103,
      list_id: 2001,
      call_date: localAgo(30 * DAY - 3_600_000),
      status: "NA",
      phone_number: "8135550103",
    },
    // 30 days and 1 h ago: outside.
    {
      uniqueid: "1.104",
      lead_id: 104,
      list_id: 2001,
      call_date: localAgo(30 * DAY + 3_600_000),
      status: "NA",
      phone_number: "8135550104",
    },
  ]);
});
afterAll(() => gw?.stop());

describe("createLead: the decision, end to end", () => {
  it("a new phone goes to Brain, then into Vici with vendor_lead_code = external_lead_id", async () => {
    const r = await ok({ phone: "(727) 555-0101", firstName: "Ann", campaignId: "Auto2" });
    expect(r).toMatchObject({ created: true, viciAction: "CREATED" });
    expect(r.lead.externalLeadId).toMatch(/^[0-9A-Z]{20}$/);
    const rows = await viciRows("7275550101");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      list_id: 1001,
      status: "NEW",
      vendor_lead_code: r.lead.externalLeadId,
      phone_code: "1",
      user: "BRAIN",
    });
    // entry_date is the Vici server's wall clock (Chicago), not UTC.
    expect(
      Math.abs(
        Date.parse(rows[0].entry_date.replace(" ", "T") + "Z") -
          Date.parse(instantToViciLocal(new Date(), TZ).replace(" ", "T") + "Z"),
      ),
    ).toBeLessThan(120_000);
    expect(r.lead.vici).toMatchObject({
      leadId: Number(rows[0].lead_id),
      listId: 1001,
      campaignId: "Auto2",
      status: { code: "NEW", category: "NEW" },
    });
    expect(r.lead.meta).toMatchObject({
      vici_lead_id: Number(rows[0].lead_id),
      vici_campaign_id: "Auto2",
      vici_status: "NEW",
    });
    expect(r.lead.viciSync).toMatchObject({ state: "DONE", attempts: 1, viciLeadId: Number(rows[0].lead_id) });
  });

  it("the same phone again returns the Brain lead, merges new fields, and sends only them to its Vici row (no new Vici lead)", async () => {
    const before = await counts();
    const r = await ok({ phone: "+1 727 555 0101", city: "Tampa", firstName: "" });
    expect(r).toMatchObject({
      created: false,
      viciAction: "ALREADY_IN_BRAIN",
      lead: { firstName: "Ann", city: "Tampa" },
    });
    expect(await counts()).toEqual({ ...before, outbox: before.outbox + 1 }); // the field update
    await gw.app.services.pusher.drain();
    const [row] = await gw.app.vici.query(
      "SELECT first_name, city FROM vicidial_list WHERE phone_number = '7275550101'",
    );
    expect(row).toEqual({ first_name: "Ann", city: "Tampa" });
    expect(await counts()).toEqual({ ...before, outbox: before.outbox + 1 });
  });

  it("links a phone Vici already has, adopting its vendor code", async () => {
    const r = await ok({ phone: "813-555-0100" });
    expect(r).toMatchObject({
      created: true,
      viciAction: "LINKED_EXISTING",
      lead: { externalLeadId: "VND-77", doNotCall: false, viciSync: null },
    });
    expect(r.lead.vici).toMatchObject({ leadId: 100, listId: 2001, campaignId: "Autodial" });
    expect(await viciRows("8135550100")).toHaveLength(1);
  });

  it("links every row of a phone and writes Brain's id where Vici has no vendor code; lists never change", async () => {
    const r = await ok({ phone: "8135550101", campaignId: "Auto2" });
    expect(r.viciAction).toBe("LINKED_EXISTING");
    expect(r.lead.meta.vici_lead_ids).toEqual([101, 102]);
    await gw.app.services.pusher.drain();
    const rows = await viciRows("8135550101");
    expect(rows.map((x: any) => [x.lead_id, x.list_id, x.vendor_lead_code])).toEqual([
      [101, 2001, r.lead.externalLeadId],
      [102, 1001, r.lead.externalLeadId],
    ]);
  });

  it("a number called 29 days 23 hours ago (Chicago time) is stored DEFERRED: do-not-call until its window ends, the push waiting until then", async () => {
    const r = await ok({ phone: "8135550103" });
    const ends = new Date(Date.parse(r.lead.meta.last_call_date) + 30 * DAY).toISOString();
    expect(Date.parse(ends) - Date.now()).toBeGreaterThan(3_500_000); // about an hour from now
    expect(Date.parse(ends) - Date.now()).toBeLessThan(3_700_000);
    expect(r).toMatchObject({
      viciAction: "DEFERRED",
      callableAt: ends,
      callReasons: [{ code: "RECENTLY_CALLED", kind: "COMPLIANCE", origin: "OURS", until: ends }],
      lead: {
        doNotCall: true,
        doNotCallReason: "recently_called",
        doNotCallUntil: ends,
        viciSync: { state: "DEFERRED", nextAttemptAt: ends, callableAt: ends },
      },
    });
    expect(r.reasons).toContain(`RECENTLY_CALLED: ${r.callReasons[0].detail} (lifts ${ends})`);
    await gw.app.services.pusher.drain();
    expect(await viciRows("8135550103")).toHaveLength(1);
  });

  it("deferred: false keeps SKIPPED_RECENTLY_CALLED: nothing queued, the flag still ends with the window", async () => {
    await insertVici(gw.app.vici, "vicidial_list", [
      {
        lead_id: 9106,
        phone_code: "1",
        phone_number: "8135550106",
        list_id: 2001,
        status: "NA",
        entry_date: localAgo(200 * DAY),
      },
    ]);
    await insertVici(gw.app.vici, "vicidial_log", [
      {
        uniqueid: "1.9106",
        lead_id: 9106,
        list_id: 2001,
        call_date: localAgo(2 * DAY),
        status: "NA",
        phone_number: "8135550106",
      },
    ]);
    const r = await ok({ phone: "8135550106", deferred: false });
    const ends = new Date(Date.parse(r.lead.meta.last_call_date) + 30 * DAY).toISOString();
    expect(r).toMatchObject({
      viciAction: "SKIPPED_RECENTLY_CALLED",
      callableAt: ends,
      lead: { doNotCall: true, doNotCallReason: "recently_called", doNotCallUntil: ends, viciSync: null },
    });
    expect(r.callReasons.map((c: any) => c.code)).toEqual(["RECENTLY_CALLED"]);
  });

  it("a number last called 30 days 1 hour ago is linked and callable", async () => {
    const r = await ok({ phone: "8135550104" });
    expect(r).toMatchObject({ viciAction: "LINKED_EXISTING", lead: { doNotCall: false } });
  });

  it.each([
    ["on the system DNC list", { phone: "3125550999" }],
    ["in an area code blocked by 900XXXXXXX", { phone: "9005550123" }],
    ["on the target campaign's DNC list", { phone: "3125550888", campaignId: "Autodial" }],
    ["on a Vici lead with a DNC status", { phone: "8135550105" }],
  ])("a number %s is do-not-call and never pushed", async (_n, input) => {
    const before = await counts();
    const r = await ok(input);
    expect(r).toMatchObject({
      created: true,
      viciAction: "SKIPPED_DNC",
      callableAt: null,
      lead: { doNotCall: true, doNotCallReason: "dnc", doNotCallUntil: null },
    });
    expect(r.callReasons.map((c: any) => c.code)).toEqual([expect.stringMatching(/^DNC_(SYSTEM|CAMPAIGN|STATUS)$/)]);
    expect(r.callReasons[0].until).toBeNull();
    await gw.app.services.pusher.drain();
    expect((await counts()).vici).toBe(before.vici);
    const [{ n }] = await gw.app.brain.query(
      "SELECT count(*)::int AS n FROM vici_pushes WHERE lead_id = $1 AND kind = 'PUSH_LEAD'",
      [r.lead.id],
    );
    expect(n).toBe(0);
  });

  it("another campaign's DNC list does not block the number", async () => {
    const r = await ok({ phone: "3125550887", campaignId: "Auto2" });
    expect(r).toMatchObject({ viciAction: "CREATED", lead: { doNotCall: false } });
  });

  it("an explicit listId wins over the campaign mapping", async () => {
    const r = await ok({ phone: "4045550142", listId: 2001 });
    expect(r.lead.vici).toMatchObject({ listId: 2001, campaignId: "Autodial" });
  });
});

describe("createLead: what else VICIdial knows", () => {
  it("reports a number that is another Vici lead's alternate phone", async () => {
    await insertVici(gw.app.vici, "vicidial_list_alt_phones", [
      {
        lead_id: 104,
        phone_code: "1",
        phone_number: "6175550170",
        alt_phone_note: "work",
        alt_phone_count: 1,
        active: "Y",
      },
    ]);
    const r = await ok({ phone: "617-555-0170" });
    expect(r.viciAction).toBe("CREATED");
    expect(r.reasons).toContain("number is an alternate phone of Vici lead(s) 104");
  });

  it("sets gmt_offset_now from VICIdial's phone-code table when the server has one", async () => {
    // VICIdial's area-code table (in the project's DDL; filled on real servers by ADMIN_area_code_populate.pl).
    try {
      await insertVici(gw.app.vici, "vicidial_phone_codes", [
        {
          country_code: 1,
          country: "USA",
          areacode: "201",
          state: "NJ",
          GMT_offset: "-5.00",
          DST: "Y",
          DST_range: "SSM-FSN",
        },
        {
          country_code: 1,
          country: "USA",
          areacode: "808",
          state: "HI",
          GMT_offset: "-10.00",
          DST: "N",
          DST_range: "",
        },
      ]);
      // A new writer: the table's presence is read once per process.
      const writer = new DbViciWriter(gw.app.vici, { timeZone: TZ, user: "BRAIN", managed: gw.app.services.managed });
      const ny = await writer.gmtOffset({ phoneCode: "1", phoneNumber: "2015550180" });
      expect(ny).toBe(DateTime.now().setZone("America/New_York").isInDST ? -4 : -5);
      expect(await writer.gmtOffset({ phoneCode: "1", phoneNumber: "8085550181" })).toBe(-10);
      const id = await writer.insertLead({
        phone: { phoneCode: "1", phoneNumber: "8085550181" },
        listId: 1001,
        vendorLeadCode: "GMT-TEST",
        sourceId: null,
        firstName: null,
        lastName: null,
        email: null,
        address1: null,
        address2: null,
        city: null,
        state: null,
        postalCode: null,
      });
      const [row] = await gw.app.vici.query("SELECT gmt_offset_now FROM vicidial_list WHERE lead_id = ?", [id]);
      expect(Number(row.gmt_offset_now)).toBe(-10);
    } finally {
      await gw.app.vici.query("DELETE FROM vicidial_phone_codes");
    }
  });
});

describe("createLead: bad input is refused with a typed error and nothing is written", () => {
  it.each([
    ["a phone with letters", { phone: "727-555-ABCD" }, "INVALID_PHONE", "phone"],
    ["a too-short phone", { phone: "55501" }, "INVALID_PHONE", "phone"],
    ["a bad email", { phone: "7275550177", email: "not-an-email" }, "BAD_USER_INPUT", "email"],
    ["an oversized first name", { phone: "7275550177", firstName: "x".repeat(31) }, "BAD_USER_INPUT", "firstName"],
    ["a state that is not a 2-letter code", { phone: "7275550177", state: "Florida" }, "BAD_USER_INPUT", "state"],
    ["a list VICIdial does not have", { phone: "7275550177", listId: 5555 }, "BAD_USER_INPUT", "listId"],
    [
      "a campaign without a configured list",
      { phone: "7275550177", campaignId: "Survey1" },
      "BAD_USER_INPUT",
      "campaignId",
    ],
    [
      "a list of another campaign",
      { phone: "7275550177", listId: 2001, campaignId: "Auto2" },
      "BAD_USER_INPUT",
      "campaignId",
    ],
    ["a control character", { phone: "7275550177", lastName: "Smith\u0000" }, "BAD_USER_INPUT", "lastName"],
  ])("%s", async (_n, input, code, field) => {
    const before = await counts();
    const { status, body } = await create(input);
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code, field });
    expect(body.data).toBeNull();
    expect(await counts()).toEqual(before);
  });
});

describe("Idempotency-Key", () => {
  it("a repeat returns the first result; the same key for another request is refused", async () => {
    const first = await ok({ phone: "6025550110", firstName: "Kim" }, { "idempotency-key": "req-1" });
    const again = await ok({ phone: "6025550110", firstName: "Kim" }, { "idempotency-key": "req-1" });
    expect(again).toEqual(first);
    expect(again).toMatchObject({ created: true, viciAction: "CREATED" });
    const other = await create({ phone: "6025550111" }, { "idempotency-key": "req-1" });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].extensions.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await viciRows("6025550111")).toHaveLength(0);
  });
});

describe("concurrency", () => {
  it("50 concurrent creates of one phone make exactly one Brain lead and one Vici lead", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ok({ phone: "5125550150", firstName: `N${i}` })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.lead.id)).size).toBe(1);
    await gw.app.services.pusher.drain();
    expect(await viciRows("5125550150")).toHaveLength(1);
    const [{ n }] = await gw.app.brain.query("SELECT count(*)::int AS n FROM leads WHERE phone = '+15125550150'");
    expect(n).toBe(1);
  });
});

describe("intake pause", () => {
  it("while paused leads are stored and queued; resume pushes each exactly once", async () => {
    const paused = await gw.gql(`mutation { pauseIntake(reason: "dialer maintenance") { paused reason } }`);
    expect(paused.body.data.pauseIntake).toEqual({ paused: true, reason: "dialer maintenance" });
    const a = await ok({ phone: "2145550160" });
    const b = await ok({ phone: "2145550161" });
    for (const r of [a, b])
      expect(r).toMatchObject({ created: true, viciAction: "QUEUED", lead: { viciSync: { state: "PENDING" } } });
    await gw.app.services.pusher.drain();
    expect(await viciRows("2145550160")).toHaveLength(0);
    expect((await gw.gql(`{ intakeStatus { paused pendingPushes } }`)).body.data.intakeStatus).toEqual({
      paused: true,
      pendingPushes: 2,
    });

    const resumed = await gw.gql(`mutation { resumeIntake { paused pendingPushes } }`);
    expect(resumed.body.data.resumeIntake.paused).toBe(false);
    await gw.app.services.pusher.drain();
    await gw.app.services.pusher.drain();
    expect(await viciRows("2145550160")).toHaveLength(1);
    expect(await viciRows("2145550161")).toHaveLength(1);
    const { body } = await gw.gql(
      `{ lead(phone: "2145550160") { vici { leadId } viciSync { state } } intakeStatus { pendingPushes } }`,
    );
    expect(body.data).toMatchObject({ lead: { viciSync: { state: "DONE" } }, intakeStatus: { pendingPushes: 0 } });
  });
});

describe("retryViciPush", () => {
  it("refuses a lead without a failed push, and an unknown lead", async () => {
    const { body: created } = await gw.gql(`{ lead(phone: "7275550101") { id } }`);
    const none = await gw.gql(`mutation($id: ID!) { retryViciPush(leadId: $id) { id } }`, { id: created.data.lead.id });
    expect(none.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const missing = await gw.gql(`mutation { retryViciPush(leadId: "999999") { id } }`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});
