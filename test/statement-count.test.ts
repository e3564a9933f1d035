import { queryCounter } from "../src/data-sources/query-counter";
import { LeadsPageDocument, LeadsWithVerdictsDocument } from "../generated/client/graphql";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";

/**
 * DataLoader batching: a page of leads with every Vici field costs a fixed number of SQL
 * statements on each database, whatever the page size.
 */
let gw: TestGateway;
const LEADS = 150;

beforeAll(async () => {
  // Counts what the operation costs, not the key check (one cached lookup per key per 5 s):
  // requests here carry no key.
  gw = await startTestGateway(__filename, { API_KEYS_REQUIRED: "false" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "B", campaign_id: "Autodial", active: "Y" },
  ]);
  await insertVici(v, "vicidial_campaign_statuses", [
    { status: "HOTLD", status_name: "Hot", campaign_id: "Auto2", sale: "Y" },
  ]);
  // What a call verdict in Auto2 reads besides the leads: the campaign and its call time.
  await insertVici(v, "vicidial_campaigns", [
    {
      campaign_id: "Auto2",
      campaign_name: "Auto Two",
      active: "Y",
      dial_statuses: " NEW NA -",
      local_call_time: "9am-9pm",
      lead_filter_id: "NONE",
    },
  ]);
  await insertVici(v, "vicidial_call_times", [
    { call_time_id: "9am-9pm", call_time_name: "default", ct_default_start: 900, ct_default_stop: 2100 },
  ]);
  const rows: Record<string, unknown>[] = [];
  const calls: Record<string, unknown>[] = [];
  const brain = [];
  let leadId = 0;
  for (let i = 0; i < LEADS; i++) {
    const national = `727${String(2000000 + i).padStart(7, "0")}`;
    const ids: number[] = [];
    // Every third phone sits on two lists, as re-loaded leads do.
    for (const list of i % 3 === 0 ? [1001, 2001] : [1001]) {
      ids.push(++leadId);
      rows.push({
        lead_id: leadId,
        list_id: list,
        phone_code: "1",
        phone_number: national,
        status: i % 5 ? "NA" : "HOTLD",
        entry_date: "2026-05-01 10:00:00",
      });
      calls.push({
        uniqueid: `1780000000.${leadId}`,
        lead_id: leadId,
        list_id: list,
        call_date: `2026-06-${String(1 + (leadId % 28)).padStart(2, "0")} 10:00:00`,
        status: "NA",
        phone_number: national,
      });
    }
    brain.push({
      externalLeadId: `SC-${i}`,
      phone: `+1${national}`,
      origin: "vici_import",
      meta: { vici_lead_id: ids[0], vici_lead_ids: ids, vici_campaign_id: "Auto2", vici_status: "NA" },
    });
  }
  await insertVici(v, "vicidial_list", rows);
  await insertVici(v, "vicidial_log", calls);
  await insertBrainLeads(gw.app.brain, brain);
  // The background passes that start with the gateway must be over before counting.
  await gw.app.jobs.drain();
  await gw.app.services.pusher.drain();
});

afterAll(() => gw?.stop());

async function statementsFor(first: number) {
  const brain = queryCounter(gw.app.brain);
  const vici = queryCounter(gw.app.vici);
  const before = { brain: brain.count, vici: vici.count };
  const { body } = await gw.op(LeadsPageDocument, { first }, { key: null });
  expect(body.errors).toBeUndefined();
  expect(body.data.leads.edges).toHaveLength(first);
  expect(body.data.leads.edges[0].node.viciLeads.length).toBeGreaterThan(0);
  return { brain: brain.count - before.brain, vici: vici.count - before.vici, body };
}

it("a 100-lead page with all Vici fields costs the same few statements as a 10-lead page", async () => {
  // The process's first request reads VICIdial's server version once (how it limits a statement's time).
  await statementsFor(10);
  const small = await statementsFor(10);
  const large = await statementsFor(100);
  // Batching must not depend on timing: the same query costs the same every time.
  for (let i = 0; i < 3; i++) {
    const again = await statementsFor(100);
    expect([again.brain, again.vici]).toEqual([large.brain, large.vici]);
  }
  // Page + count, then Brain leads of the Vici rows (brainLead).
  expect(large.brain).toBe(small.brain);
  expect(large.brain).toBeLessThanOrEqual(3);
  // Rows by phone (the primary row among them), status tables, call log — batched, not per lead.
  expect(large.vici).toBe(small.vici);
  expect(large.vici).toBeLessThanOrEqual(3);
  console.log(`statements for leads(first: 100) with every Vici field: brain=${large.brain} vici=${large.vici}`);

  // The batched answer is still right: every lead's rows, their campaigns and calls.
  const leads = large.body.data.leads.edges.map((e: any) => e.node);
  const twoListLead = leads.find((l: any) => l.viciLeads.length === 2);
  expect(twoListLead.viciLeads.map((r: any) => r.campaignId).sort()).toEqual(["Auto2", "Autodial"]);
  for (const l of leads) {
    expect(l.vici.brainLead.id).toBe(l.id);
    const latest = l.viciLeads
      .map((r: any) => r.lastCallAt)
      .sort()
      .at(-1);
    expect(l.lastCallAt).toBe(latest);
  }
});

it("a 100-lead page with every lead's call verdict costs the same few statements as a 10-lead page", async () => {
  const at = "2026-06-10T14:00:00.000Z"; // a Wednesday, 10:00 in New York
  const run = async (first: number) => {
    const brain = queryCounter(gw.app.brain);
    const vici = queryCounter(gw.app.vici);
    const before = { brain: brain.count, vici: vici.count };
    const { body } = await gw.op(LeadsWithVerdictsDocument, { first, campaignId: "Auto2", at }, { key: null });
    expect(body.errors).toBeUndefined();
    return {
      brain: brain.count - before.brain,
      vici: vici.count - before.vici,
      leads: body.data.leads.edges.map((e) => e.node),
    };
  };
  await run(10); // the facts reader's first read also probes VICIdial's schema (cached)
  const small = await run(10);
  const large = await run(100);
  expect(large.leads).toHaveLength(100);
  expect([large.brain, large.vici]).toEqual([small.brain, small.vici]);
  // Brain: the page (each lead's do-not-call comes with it). VICIdial: the facts reader's batch.
  expect(large.brain).toBe(1);
  expect(large.vici).toBeLessThanOrEqual(7);
  console.log(`statements for leads(first: 100) with callVerdict: brain=${large.brain} vici=${large.vici}`);
  // The batched verdicts are each lead's own: HOTLD leads are not dialed by Auto2, the others wait for the 30 days.
  for (const l of large.leads) {
    const v = l.callVerdict!;
    expect(v.phone).toBe(l.phone);
    expect(v.at).toBe(at);
    expect(v.reasons.map((r) => r.code)).toContain("RECENTLY_CALLED");
  }
  expect(large.leads.some((l) => l.callVerdict!.reasons.some((r) => r.code === "STATUS_NOT_DIALABLE"))).toBe(true);
});
