import { Writable } from "node:stream";
import pino from "pino";
import { queryCounter } from "../src/data-sources/query-counter";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertVici } from "./helpers/fixtures";

/**
 * Group commit: concurrent creates share one Brain transaction and their pushes one
 * vicidial_list INSERT. A create that fails inside a group fails alone (its own error); the
 * others are created and pushed. A grouped push that crashed after its INSERT is found again
 * row by row by vendor code: never a second VICIdial row.
 */
let gw: TestGateway;
const logLines: any[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  // No default list: a create naming neither list nor campaign is refused under its phone's lock.
  gw = await startTestGateway(__filename, { VICI_CAMPAIGN_LISTS: "Auto2:1001" }, "", {
    log: pino({ level: "info" }, sink),
  });
  await insertVici(gw.app.vici, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
  ]);
});
afterAll(() => gw?.stop());

const create = (phone: string, extra: Record<string, unknown> = {}) =>
  gw.app.services.leadCreation.createLead(
    { phone, firstName: "Group", campaignId: "Auto2", ...extra },
    { origin: "api" },
  );
const viciRows = async (national: string) =>
  (
    await gw.app.vici.query("SELECT lead_id, vendor_lead_code FROM vicidial_list WHERE phone_number = ?", [national])
  ).map((r: any) => ({ leadId: Number(r.lead_id), code: r.vendor_lead_code }));
const push = async (leadId: string) =>
  (
    await gw.app.brain.query(
      "SELECT state, attempts, vici_lead_id::float8 AS vici FROM vici_pushes WHERE lead_id = $1 AND kind = 'PUSH_LEAD'",
      [leadId],
    )
  )[0];
const phones = (from: number, n: number) => Array.from({ length: n }, (_, i) => `72755${from + i}`);

it("concurrent creates share their Brain transactions and VICIdial inserts: each is created and pushed", async () => {
  // A first create reads what is read once per process (VICIdial's version, its status tables).
  await create("7275569999");
  const nums = phones(57000, 8);
  const brain = queryCounter(gw.app.brain);
  const vici = queryCounter(gw.app.vici);
  const before = { brain: brain.count, vici: vici.count };
  const results = await Promise.all(nums.map((p) => create(p)));
  const statements = { brain: brain.count - before.brain, vici: vici.count - before.vici };
  for (const [i, r] of results.entries()) {
    expect(r).toMatchObject({ created: true, viciAction: "CREATED", lead: { phone: `+1${nums[i]}` } });
    const rows = await viciRows(nums[i]);
    expect(rows).toEqual([{ leadId: r.lead.meta.vici_lead_id, code: r.lead.externalLeadId }]);
    expect(await push(r.lead.id)).toMatchObject({ state: "DONE", attempts: 1, vici: rows[0].leadId });
  }
  // Alone, each create costs a transaction of its own (BEGIN, lock and read, INSERT, COMMIT) and
  // a push of its own (transaction, INSERT into vicidial_list): the group shares them.
  expect(statements.brain).toBeLessThan(8 * 4);
  expect(statements.vici).toBeLessThan(8);
});

it("a create refused inside a group fails alone with its own error; the others are created", async () => {
  logLines.length = 0;
  const nums = phones(57100, 7);
  // Six numbers VICIdial has (their creates link them: no list needed) and one it has not. None
  // names a list or campaign, and there is no default list: the new number is refused once its
  // facts are read, under the group's locks, beside the others.
  await insertVici(
    gw.app.vici,
    "vicidial_list",
    nums
      .filter((_, i) => i !== 3)
      .map((p, i) => ({ lead_id: 9100 + i, list_id: 1001, phone_code: "1", phone_number: p, status: "NEW" })),
  );
  const results = await Promise.allSettled(nums.map((p) => create(p, { campaignId: null })));
  const rolledBack = logLines.filter((l) => /group's transaction was rolled back/.test(l.msg));
  expect(rolledBack).toEqual([expect.objectContaining({ creates: 7, err: expect.stringMatching(/no VICIdial list/) })]);
  for (const [i, r] of results.entries()) {
    const [{ n }] = await gw.app.brain.query("SELECT count(*)::int AS n FROM leads WHERE phone = $1", [`+1${nums[i]}`]);
    if (i === 3) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        message: expect.stringMatching(/no VICIdial list for this lead/),
        code: "BAD_USER_INPUT",
      });
      expect(n).toBe(0);
      expect(await viciRows(nums[i])).toEqual([]);
      continue;
    }
    expect(r).toMatchObject({ status: "fulfilled", value: { created: true, viciAction: "LINKED_EXISTING" } });
    expect(n).toBe(1);
    const lead = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof create>>>).value.lead;
    expect(lead.meta.vici_lead_id).toBe(9100 + (i > 3 ? i - 1 : i));
  }
});

it("a statement Brain refuses for one create of a group (its row breaks a constraint) fails that create alone", async () => {
  logLines.length = 0;
  const nums = phones(57200, 6);
  // A constraint only this test's rows meet: the group's one INSERT of every new lead is refused.
  await gw.app.brain.query(
    "ALTER TABLE leads ADD CONSTRAINT test_refused CHECK (first_name IS DISTINCT FROM 'Refused') NOT VALID",
  );
  let results;
  try {
    results = await Promise.allSettled(nums.map((p, i) => create(p, i === 2 ? { firstName: "Refused" } : {})));
  } finally {
    await gw.app.brain.query("ALTER TABLE leads DROP CONSTRAINT test_refused");
  }
  expect(logLines.filter((l) => /group's transaction was rolled back/.test(l.msg))).toEqual([
    expect.objectContaining({ creates: 6, err: expect.stringMatching(/test_refused/) }),
  ]);
  for (const [i, r] of results.entries()) {
    const [{ n }] = await gw.app.brain.query("SELECT count(*)::int AS n FROM leads WHERE phone = $1", [`+1${nums[i]}`]);
    if (i === 2) {
      expect(r.status).toBe("rejected");
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/test_refused/);
      expect(n).toBe(0);
      expect(await viciRows(nums[i])).toEqual([]);
    } else {
      expect(r).toMatchObject({ status: "fulfilled", value: { created: true, viciAction: "CREATED" } });
      expect(n).toBe(1);
      expect(await viciRows(nums[i])).toHaveLength(1);
    }
  }
});

it("a grouped push that crashed after its VICIdial INSERT is found again row by row: never a second row", async () => {
  const nums = phones(57300, 4);
  // The "crash": each row's ack is lost after the one INSERT of the group landed them all.
  const inserted: number[] = [];
  gw.app.services.pusher.faults.afterViciInsert = async (id) => {
    inserted.push(id);
    throw new Error("crash after the VICIdial insert");
  };
  let results;
  try {
    results = await Promise.all(nums.map((p) => create(p)));
  } finally {
    gw.app.services.pusher.faults = {};
  }
  expect(inserted).toHaveLength(4);
  for (const [i, r] of results.entries()) {
    // The lead is kept; its push is queued, not confirmed.
    expect(r).toMatchObject({ created: true, viciAction: "QUEUED" });
    expect(await push(r.lead.id)).toMatchObject({ state: "PENDING", vici: null });
    expect(await viciRows(nums[i])).toEqual([{ leadId: inserted[i], code: r.lead.externalLeadId }]);
  }
  // One row never landed after all (a multi-row INSERT on MyISAM can stop part-way): the replay
  // must insert that one and link the others to the rows they have.
  await gw.app.services.pusher.settled(); // the pass the queued pushes kicked (nothing was due yet)
  await gw.app.vici.query("DELETE FROM vicidial_list WHERE lead_id = ?", [inserted[1]]);
  await gw.app.brain.query(
    "UPDATE vici_pushes SET next_attempt_at = now() - interval '1 second' WHERE state = 'PENDING'",
  );
  // Replayed as a group (the pushes of concurrent creates), then whatever is left by the pass.
  const states = await Promise.all(
    results.map((r) => gw.app.services.pusher.deliverLead(r.lead.id, { recheck: false })),
  );
  expect(states).toEqual(["DONE", "DONE", "DONE", "DONE"]);
  for (const [i, r] of results.entries()) {
    const rows = await viciRows(nums[i]);
    expect(rows).toHaveLength(1);
    expect(rows[0].code).toBe(r.lead.externalLeadId);
    if (i !== 1) expect(rows[0].leadId).toBe(inserted[i]);
    expect(await push(r.lead.id)).toMatchObject({ state: "DONE", vici: rows[0].leadId });
    const lead = await gw.app.services.leads.findOne({ id: r.lead.id });
    expect(lead!.meta.vici_lead_id).toBe(rows[0].leadId);
  }
});
