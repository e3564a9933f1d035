import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { allVendorCodeChanges } from "./helpers/vendor-code-changes";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import {
  readVendorCodeChanges,
  recordVendorCodeChanges,
  vendorCodeLeadIdsAfter,
} from "../src/jobs/vendor-code-changes";

/**
 * The write-back's before-values in sync_job_changes: change sets (one row per chunk) and the
 * per-row records jobs wrote before them, read alike by the rollback, the resume check and the
 * migration's way back.
 */
const TZ = "America/New_York";
const LEADS = 250;
let gw: TestGateway;

const run = async (kind: SyncJobKind, opts: Record<string, unknown> = {}) => {
  const job = await gw.app.services.syncJobs.start({ kind, campaigns: ["Auto2"], batchSize: 100, ...opts }, "test");
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};
const codes = async (): Promise<Record<number, string | null>> =>
  Object.fromEntries(
    (await gw.app.vici.query("SELECT lead_id, vendor_lead_code FROM vicidial_list ORDER BY lead_id")).map((r: any) => [
      Number(r.lead_id),
      r.vendor_lead_code,
    ]),
  );
/** As generated: every third row '', the others NULL; lead_ids 1..9 and 1000.. so keys differ in digits. */
const leadIdOf = (i: number) => (i < 9 ? i + 1 : 1000 + i);
const generated = () =>
  Object.fromEntries(Array.from({ length: LEADS }, (_, i) => [leadIdOf(i), i % 3 === 0 ? "" : null]));

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_TIMEZONE: TZ });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(
    v,
    "vicidial_list",
    Array.from({ length: LEADS }, (_, i) => ({
      lead_id: leadIdOf(i),
      list_id: 1001,
      status: "NEW",
      phone_code: "1",
      phone_number: String(7275000000 + i),
      entry_date: "2025-01-02 10:00:00",
      vendor_lead_code: i % 3 === 0 ? "" : null,
    })),
  );
}, 60_000);

afterAll(async () => {
  await gw?.stop();
});

it("records a chunk as one change set, read back in lead_id order with NULL and '' kept apart, after per-row records in key order", async () => {
  const job = await run(SyncJobKind.VENDOR_CODES, { dryRun: true }); // a job row to hang records on
  // Per-row records as jobs wrote them before change sets: keys 9, 10 and 1,000,000.
  for (const key of [9, 10, 1_000_000])
    await gw.app.brain.query(
      `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
       VALUES ($1, 'vici', $2, 'vendor_code', jsonb_build_object('vendor_lead_code', $3::text), jsonb_build_object('vendor_lead_code', $4::text))`,
      [job.id, key, key === 10 ? null : `b${key}`, `a${key}`],
    );
  await recordVendorCodeChanges(gw.app.brain, job.id, [
    { leadId: 1000, before: " x", after: "A1000" },
    { leadId: 20, before: null, after: "A20" },
    { leadId: 100, before: "", after: null },
  ]);
  const [set] = await gw.app.brain.query(
    "SELECT key::text AS key, keys::text AS keys, action FROM sync_job_changes WHERE job_id = $1 AND keys IS NOT NULL",
    [job.id],
  );
  expect(set).toEqual({ key: "20", keys: "{20,100,1000}", action: "vendor_codes" });

  // Whole records in key order (as numbers: 9 < 10 < 20 < 1,000,000), at most `limit` per-row ones, or one set.
  const reads = [];
  for (let after = "0"; ;) {
    const r = await readVendorCodeChanges(gw.app.brain, job.id, after, 2);
    if (r.lastKey === null) break;
    reads.push(r);
    after = r.lastKey;
  }
  expect(reads).toEqual([
    {
      lastKey: "10",
      changes: [
        { leadId: 9, before: "b9", after: "a9" },
        { leadId: 10, before: null, after: "a10" },
      ],
    },
    {
      lastKey: "20",
      changes: [
        { leadId: 20, before: null, after: "A20" },
        { leadId: 100, before: "", after: null },
        { leadId: 1000, before: " x", after: "A1000" },
      ],
    },
    { lastKey: "1000000", changes: [{ leadId: 1_000_000, before: "b1000000", after: "a1000000" }] },
  ]);
  // What a resumed run counts as its own: every lead_id of the records after its checkpoint.
  expect((await vendorCodeLeadIdsAfter(gw.app.brain, job.id, 15)).sort((a, b) => a - b)).toEqual([
    20, 100, 1000, 1_000_000,
  ]);
  expect(await vendorCodeLeadIdsAfter(gw.app.brain, job.id, 1_000_000)).toEqual([]);
});

it("the migration's way back turns sets into per-row records; a rollback reads those (and sets) and restores every row", async () => {
  expect(await run(SyncJobKind.VICI_IMPORT)).toMatchObject({ state: "SUCCEEDED", created: LEADS });
  const job = await run(SyncJobKind.VENDOR_CODES);
  expect(job).toMatchObject({ state: "SUCCEEDED", updated: LEADS });
  const recorded = await allVendorCodeChanges(gw.app.brain, job.id);
  expect(recorded).toHaveLength(LEADS);
  const [{ sets }] = await gw.app.brain.query(
    "SELECT count(*)::int AS sets FROM sync_job_changes WHERE job_id = $1 AND keys IS NOT NULL",
    [job.id],
  );
  expect(sets).toBe(3); // chunks of 100 rows

  // Down (the code before change sets reads per-row records only), then up again.
  await gw.app.brain.undoLastMigration({ transaction: "each" });
  const rows: { key: string; before: string | null; after: string | null; action: string }[] = await gw.app.brain.query(
    `SELECT key::text AS key, before->>'vendor_lead_code' AS before, after->>'vendor_lead_code' AS after, action
         FROM sync_job_changes WHERE job_id = $1 ORDER BY sync_job_changes.key`,
    [job.id],
  );
  expect(rows).toEqual(
    recorded.map((c) => ({ key: String(c.leadId), before: c.before, after: c.after, action: "vendor_code" })),
  );
  await gw.app.brain.runMigrations({ transaction: "each" });
  expect(await allVendorCodeChanges(gw.app.brain, job.id)).toEqual(recorded);

  // One chunk written again as a set beside the per-row records: the rollback takes both forms.
  const [first] = recorded;
  await gw.app.brain.query("DELETE FROM sync_job_changes WHERE job_id = $1 AND key = $2", [job.id, first.leadId]);
  await recordVendorCodeChanges(gw.app.brain, job.id, [first]);
  const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
  await gw.app.jobs.drain();
  expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({
    state: "SUCCEEDED",
    processed: LEADS,
    updated: LEADS,
    skipped: 0,
  });
  expect(await codes()).toEqual(generated());
});
