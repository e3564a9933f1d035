import { writeFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { SyncJobKind, type SyncJobRecord } from "../src/jobs/sync-job.types";
import { MAX_RECORD_LINES, readCsv } from "../src/jobs/processors/csv-import.processor";
import { Readable } from "node:stream";

/**
 * CSV_IMPORT (Option B) over real PostgreSQL and MariaDB: streamed parse, mapping, bad rows
 * with their line, --match-vici / --update-existing, the outbox, dry run, limit, re-run,
 * resume from a checkpoint, the downloadable report and the rollback.
 */
const TZ = "America/New_York";
const DAY = 86_400_000;
let gw: TestGateway;
let tmp: string;

const localAgo = (ms: number) => instantToViciLocal(new Date(Date.now() - ms), TZ);

/** CRLF on purpose: line 3's quoted field spans lines 3-4 with a CRLF inside. */
const CSV = [
  "Phone,First Name,Last Name,E-mail,Address,City,State,Zip,Source,Notes", // 1
  '1 (727) 555-0001,Ann,Lee,ann@example.com,"1 Main St, Apt 2",Tampa,fl,33601,facebook,ok', // 2: created
  '727-555-0002,Bob,,,"12 Oak Ave', // 3: created (a quoted line break)
  'Unit 5",Tampa,FL,33602,,', // 4
  "12345,Bad,Phone,,,,,,,", // 5: not a phone
  "7275550003,Carl,,not-an-email,,,,,,", // 6: bad email
  "7275550004,ThisFirstNameIsWayTooLongForVicidial,,,,,,,,", // 7: too long for VICIdial
  "7275550005,Too,Many,,,,,,,,extra", // 8: 11 fields
  "", // 9: blank
  "(727) 555-0001,Ann,Again,,,,,,,", // 10: same phone as line 2
  "813-555-0001,Vic,Linked,,,,,,,", // 11: VICIdial has it
  "813-555-0002,Rec,Called,,,,,,,", // 12: VICIdial has it, called 5 days ago: created do-not-call, nothing linked
  "727-555-0100,New,Name,new@example.com,,,,,,", // 13: Brain has it: updated
  "727-555-0101,Same,,,,,,,,", // 14: Brain has it, nothing new
  '"7275550006","Quote ""Q"" Smith",,,,,,,,', // 15: created
  "813-555-0003,Con,Flict,,,,,,,", // 16: VICIdial has it, its vendor code is another Brain lead's id
].join("\r\n");

// One counter per row (the linked row with a vendor-code conflict counts as a conflict).
const FULL_COUNTERS = {
  processed: 13,
  created: 4,
  linked: 1,
  updated: 1,
  skipped: 1,
  unchanged: 1,
  conflicts: 1,
  errors: 4,
};

const csvJob = (csv: Record<string, unknown>, opts: Record<string, unknown> = {}) =>
  gw.app.services.syncJobs.start(
    { kind: SyncJobKind.CSV_IMPORT, csv: { content: CSV, matchVici: true, updateExisting: true, ...csv }, ...opts },
    "test",
  );
const run = async (csv: Record<string, unknown> = {}, opts: Record<string, unknown> = {}): Promise<SyncJobRecord> => {
  const job = await csvJob(csv, opts);
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};
interface Reported {
  kind: string;
  line: number | null;
  reason: string;
  vici: number | null;
}
const issues = async (id: string): Promise<Reported[]> =>
  (await gw.app.services.syncJobs.issues(id, { first: 1000 })).map((i: any) => ({
    kind: i.kind,
    line: i.line,
    reason: i.reason,
    vici: i.viciLeadId,
  }));
const lead = async (phone: string) => (await gw.app.brain.query("SELECT * FROM leads WHERE phone = $1", [phone]))[0];
const counts = async () => {
  const [[{ leads }], [{ outbox }], [{ vici }], [{ changes }]] = await Promise.all([
    gw.app.brain.query("SELECT count(*)::int AS leads FROM leads"),
    gw.app.brain.query("SELECT count(*)::int AS outbox FROM vici_pushes"),
    gw.app.vici.query("SELECT COUNT(*) AS vici FROM vicidial_list"),
    gw.app.brain.query("SELECT count(*)::int AS changes FROM sync_job_changes"),
  ]);
  return { leads, outbox, vici: Number(vici), changes };
};
const viciRows = async (national: string) =>
  (
    await gw.app.vici.query(
      "SELECT lead_id, list_id, vendor_lead_code FROM vicidial_list WHERE phone_number = ? ORDER BY lead_id",
      [national],
    )
  ).map((r: any) => ({ ...r, list_id: Number(r.list_id) }));
/** Brain as a comparable snapshot (ids and generated external ids aside). */
const brainState = async () =>
  (
    await gw.app.brain.query(
      `SELECT phone, first_name, last_name, email, address1, city, state, postal_code, source, origin, do_not_call, do_not_call_reason,
              CASE WHEN (meta->>'vici_lead_id')::bigint > 3 THEN 'pushed' ELSE meta->>'vici_lead_id' END AS vici,
              created_by_job_id IS NOT NULL AS by_job
         FROM leads ORDER BY phone`,
    )
  ).map((r: any) => r);

/** Back to the fixture: only the fixture leads, as they were; no pushes; Vici as seeded. */
async function reset() {
  await gw.app.services.pusher.drain();
  await gw.app.brain.query("DELETE FROM leads WHERE phone NOT IN ('+17275550100', '+17275550101', '+16175550000')");
  await gw.app.brain.query("DELETE FROM vici_pushes");
  await gw.app.brain.query(
    "UPDATE leads SET first_name = CASE phone WHEN '+17275550100' THEN 'Old' WHEN '+17275550101' THEN 'Same' END, last_name = NULL, email = NULL, updated_at = now()",
  );
  await gw.app.vici.query("DELETE FROM vicidial_list WHERE lead_id > 3");
  await gw.app.vici.query(
    "UPDATE vicidial_list SET vendor_lead_code = CASE lead_id WHEN 3 THEN 'TAKEN-1' ELSE NULL END",
  );
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "csv-import-"));
  gw = await startTestGateway(__filename, { VICI_TIMEZONE: TZ, VICI_DEFAULT_LIST_ID: "1001" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "A2", campaign_id: "Auto2", active: "Y" },
  ]);
  const row = (lead_id: number, phone_number: string, vendor_lead_code: string | null = null) => ({
    lead_id,
    phone_number,
    vendor_lead_code,
    list_id: 1001,
    status: "NA",
    phone_code: "1",
    entry_date: localAgo(100 * DAY),
  });
  await insertVici(v, "vicidial_list", [row(1, "8135550001"), row(2, "8135550002"), row(3, "8135550003", "TAKEN-1")]);
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "1.2",
      lead_id: 2,
      list_id: 1001,
      call_date: localAgo(5 * DAY),
      status: "NA",
      phone_number: "8135550002",
    },
  ]);
  await insertBrainLeads(gw.app.brain, [
    { externalLeadId: "BR-100", phone: "+17275550100", firstName: "Old" },
    { externalLeadId: "BR-101", phone: "+17275550101", firstName: "Same" },
    { externalLeadId: "TAKEN-1", phone: "+16175550000" },
  ]);
});
afterAll(async () => {
  await gw?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});
beforeEach(reset);

describe("reading the CSV", () => {
  const read = async (text: string) => {
    const out: any[] = [];
    for await (const item of readCsv(Readable.from([Buffer.from(text)]))) out.push(item);
    return out.map((i) => [i.kind, i.line, i.kind === "unreadable" ? i.reason : i.cells.join("|")]);
  };

  it("numbers records by the line they start on, whatever the line breaks and quoted newlines", async () => {
    expect(await read('\ufeffa,b\r\n\r\n1,"x\r\ny"\r\n2,z\r3,w\n  \n4,"q" x\n5,end')).toEqual([
      ["header", 1, "a|b"],
      ["record", 3, "1|x\ny"],
      ["record", 5, "2|z"],
      ["record", 6, "3|w"],
      ["record", 8, '4|"q" x'],
      ["record", 9, "5|end"],
    ]);
  });

  it("reports an unclosed quote at the line it opens, after what it could read", async () => {
    expect(await read('a,b\n1,ok\n2,"never closed\n3,lost\n')).toEqual([
      ["header", 1, "a|b"],
      ["record", 2, "1|ok"],
      [
        "unreadable",
        3,
        "a quoted field opened on line 3 is never closed: line 3 is not imported; line 4 was read on their own",
      ],
      ["record", 4, "3|lost"],
    ]);
  });

  it("reads the lines a runaway quote swallowed again, each on its own, and reports the record's first and last line", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i + 4},row${i + 4}`); // lines 4-15
    const text = ["a,b", "1,ok", '2,"opened and never closed', ...rows, '16,"closes it",x', "17,after"].join("\n");
    expect(await read(text)).toEqual([
      ["header", 1, "a|b"],
      ["record", 2, "1|ok"],
      [
        "unreadable",
        3,
        `a quoted field opened on line 3 runs to line 16 (a record may span at most ${MAX_RECORD_LINES} lines): line 3 is not imported; lines 4-16 were read on their own`,
      ],
      ...rows.map((r, i) => ["record", i + 4, r.replace(",", "|")]),
      // The line whose quote closed the runaway, read alone, is a record of its own.
      ["record", 16, "16|closes it|x"],
      ["record", 17, "17|after"],
    ]);
  });

  it("takes a record spanning lines with more fields than the header for a runaway too", async () => {
    expect(await read('a,b\n1,"x\n2,y\n3,z",w\n4,v')).toEqual([
      ["header", 1, "a|b"],
      [
        "unreadable",
        2,
        "a quoted field opened on line 2 runs to line 4, leaving 3 fields where the header has 2: line 2 is not imported; lines 3-4 were read on their own",
      ],
      ["record", 3, "2|y"],
      ["record", 4, '3|z"|w'],
      ["record", 5, "4|v"],
    ]);
  });

  it("decodes Latin-1 (Windows-1252) when told; bytes that are not UTF-8 otherwise become U+FFFD, never dropped silently", async () => {
    const bytes = Buffer.concat([Buffer.from("a,b\n1,Jos"), Buffer.from([0xe9, 0x20, 0x80, 0x0a])]);
    const items = async (encoding?: "latin1") => {
      const out: any[] = [];
      for await (const item of readCsv(Readable.from([bytes]), encoding)) out.push(item);
      return out.map((i) => [i.kind, i.line, i.cells.join("|")]);
    };
    expect(await items("latin1")).toEqual([
      ["header", 1, "a|b"],
      ["record", 2, "1|José €"],
    ]);
    expect(await items()).toEqual([
      ["header", 1, "a|b"],
      ["record", 2, "1|Jos\uFFFD \uFFFD"],
    ]);
  });
});

describe("CSV_IMPORT", () => {
  it("imports: counters, bad rows with line and reason, Brain rows, pushes reach VICIdial once", async () => {
    const job = await run();
    expect(job).toMatchObject({ state: "SUCCEEDED", error: null, ...FULL_COUNTERS });
    expect(await issues(job.id)).toEqual([
      { kind: "ERROR", line: 5, reason: 'phone "*****" is too short for a US number', vici: null },
      { kind: "ERROR", line: 6, reason: "email is not an email address", vici: null },
      { kind: "ERROR", line: 7, reason: "firstName is longer than 30 characters (VICIdial's column size)", vici: null },
      { kind: "ERROR", line: 8, reason: "11 fields where the header has 10", vici: null },
      { kind: "SKIPPED", line: 10, reason: "duplicate: the phone is already on line 2", vici: null },
      // Stored, its push deferred to the end of the number's window: callVerdict's code and words.
      {
        kind: "HELD",
        line: 12,
        reason: expect.stringMatching(
          /^DEFERRED: RECENTLY_CALLED: last called \S+Z, less than 30 days ago \(lifts \S+Z\)$/,
        ),
        vici: null,
      },
      {
        kind: "CONFLICT",
        line: 16,
        reason:
          'Vici lead 3: vendor_lead_code "TAKEN-1" was not adopted (it is already another Brain lead\'s external_lead_id): left alone',
        vici: 3,
      },
    ]);

    const ann = await lead("+17275550001");
    expect(ann).toMatchObject({
      first_name: "Ann",
      last_name: "Lee",
      email: "ann@example.com",
      address1: "1 Main St, Apt 2",
      city: "Tampa",
      state: "FL",
      postal_code: "33601",
      source: "facebook",
      origin: "csv_import",
      created_by_job_id: job.id,
      do_not_call: false,
    });
    expect(await lead("+17275550002")).toMatchObject({
      first_name: "Bob",
      last_name: null,
      address1: "12 Oak Ave Unit 5",
      postal_code: "33602",
    });
    expect(await lead("+17275550006")).toMatchObject({ first_name: 'Quote "Q" Smith' });
    const linked = await lead("+18135550001");
    expect(linked).toMatchObject({
      first_name: "Vic",
      origin: "csv_import",
      do_not_call: false,
      meta: expect.objectContaining({ vici_lead_id: 1, vici_lead_ids: [1] }),
    });
    // Recently called: Brain marks it do-not-call with the number's last call; a skipped create links nothing.
    const recent = await lead("+18135550002");
    expect(recent).toMatchObject({ do_not_call: true, do_not_call_reason: "recently_called" });
    expect(recent.meta).toEqual({ last_call_date: expect.any(String) });
    // Not for ever: until the call is 30 days old, and the push waits in the outbox until then.
    expect(recent.do_not_call_until).toEqual(new Date(Date.parse(recent.meta.last_call_date) + 30 * DAY));
    const [deferred] = await gw.app.brain.query("SELECT state, next_attempt_at FROM vici_pushes WHERE lead_id = $1", [
      recent.id,
    ]);
    expect(deferred).toEqual({ state: "DEFERRED", next_attempt_at: recent.do_not_call_until });
    const conflict = await lead("+18135550003");
    expect(conflict.external_lead_id).not.toBe("TAKEN-1");
    expect(await lead("+17275550100")).toMatchObject({
      first_name: "New",
      last_name: "Name",
      email: "new@example.com",
      origin: "api",
      created_by_job_id: null,
    });
    for (const phone of ["+17275550003", "+17275550004", "+17275550005"]) expect(await lead(phone)).toBeUndefined();

    // The outbox delivers: one Vici row per new phone, with Brain's id as vendor code.
    await gw.app.services.pusher.drain();
    await gw.app.services.pusher.drain();
    for (const [national, phone] of [
      ["7275550001", "+17275550001"],
      ["7275550002", "+17275550002"],
      ["7275550006", "+17275550006"],
    ]) {
      const ext = (await lead(phone)).external_lead_id;
      expect(await viciRows(national)).toEqual([{ lead_id: expect.any(Number), list_id: 1001, vendor_lead_code: ext }]);
    }
    // Linked rows: never a second Vici lead; an empty vendor code gets Brain's id.
    expect(await viciRows("8135550001")).toEqual([
      { lead_id: 1, list_id: 1001, vendor_lead_code: linked.external_lead_id },
    ]);
    expect(await viciRows("8135550002")).toHaveLength(1);
    expect((await viciRows("8135550003"))[0].vendor_lead_code).toBe("TAKEN-1");
    expect(await counts()).toMatchObject({ leads: 3 + 6, vici: 3 + 3 });

    // Queryable through GraphQL too.
    const q = await gw.gql(
      `query($id: ID!) { syncJob(id: $id) { state created errors reportUrl issues(first: 2) { kind line reason } } }`,
      { id: job.id },
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data.syncJob).toMatchObject({
      state: "SUCCEEDED",
      created: 4,
      errors: 4,
      reportUrl: `/sync-jobs/${job.id}/report.csv`,
    });
    expect(q.body.data.syncJob.issues.map((i: any) => i.line)).toEqual([5, 6]);
  });

  it("re-running the same file creates, updates and pushes nothing", async () => {
    await run();
    await gw.app.services.pusher.drain();
    const before = await counts();
    const state = await brainState();
    const again = await run();
    expect(again).toMatchObject({
      state: "SUCCEEDED",
      processed: 13,
      created: 0,
      linked: 0,
      updated: 0,
      conflicts: 0,
      skipped: 1,
      errors: 4,
    });
    await gw.app.services.pusher.drain();
    expect(await counts()).toEqual(before);
    expect(await brainState()).toEqual(state);
  });

  it("without --match-vici and --update-existing: phones VICIdial or Brain has are reported and left alone", async () => {
    const job = await run({ matchVici: false, updateExisting: false });
    expect(job).toMatchObject({
      state: "SUCCEEDED",
      processed: 13,
      created: 3,
      linked: 0,
      updated: 0,
      skipped: 6,
      conflicts: 0,
      errors: 4,
    });
    const skipped = (await issues(job.id)).filter((i) => i.kind === "SKIPPED");
    expect(skipped).toEqual([
      { kind: "SKIPPED", line: 10, reason: "duplicate: the phone is already on line 2", vici: null },
      {
        kind: "SKIPPED",
        line: 11,
        reason: expect.stringMatching(
          /^in VICIdial as lead\(s\) 1: left alone \(matchVici: true links it; on the command line --match-vici\)/,
        ),
        vici: 1,
      },
      { kind: "SKIPPED", line: 12, reason: expect.stringMatching(/^in VICIdial as lead\(s\) 2: left alone/), vici: 2 },
      {
        kind: "SKIPPED",
        line: 13,
        reason: "already in Brain: left alone (updateExisting: true updates it; on the command line --update-existing)",
        vici: null,
      },
      {
        kind: "SKIPPED",
        line: 14,
        reason: "already in Brain: left alone (updateExisting: true updates it; on the command line --update-existing)",
        vici: null,
      },
      { kind: "SKIPPED", line: 16, reason: expect.stringMatching(/^in VICIdial as lead\(s\) 3:/), vici: 3 },
    ]);
    for (const phone of ["+18135550001", "+18135550002", "+18135550003"]) expect(await lead(phone)).toBeUndefined();
    expect(await lead("+17275550100")).toMatchObject({ first_name: "Old", email: null });
    await gw.app.services.pusher.drain();
    expect(await viciRows("8135550001")).toEqual([{ lead_id: 1, list_id: 1001, vendor_lead_code: null }]);
    expect(await counts()).toMatchObject({ leads: 3 + 3, vici: 3 + 3, changes: expect.any(Number) });
  });

  it("a dry run writes nothing and reports what a real run does", async () => {
    const before = await counts();
    const state = await brainState();
    // Through the API this time: startSync, as a dashboard would.
    const started = await gw.gql(
      `mutation($input: StartSyncInput!) { startSync(input: $input) { id kind state dryRun reportUrl } }`,
      { input: { kind: "CSV_IMPORT", dryRun: true, csv: { content: CSV, matchVici: true, updateExisting: true } } },
    );
    expect(started.body.errors).toBeUndefined();
    expect(started.body.data.startSync).toMatchObject({ kind: "CSV_IMPORT", dryRun: true });
    await gw.app.jobs.drain();
    const dry = await gw.app.services.syncJobs.get(started.body.data.startSync.id);
    expect(dry).toMatchObject({ state: "SUCCEEDED", dryRun: true, ...FULL_COUNTERS });
    expect(await gw.app.services.pusher.drain()).toBe(0);
    expect(await counts()).toEqual(before);
    expect(await brainState()).toEqual(state);
    expect(await viciRows("8135550001")).toEqual([{ lead_id: 1, list_id: 1001, vendor_lead_code: null }]);

    const real = await run();
    expect(await issues(dry.id)).toEqual(await issues(real.id));
  });

  it("maxErrors fails the job once more rows than that are bad; what came before stays", async () => {
    const job = await run({ maxErrors: 1 }, { batchSize: 2 });
    // Lines 5 and 6 are bad: the batch holding line 6 makes it 2 > 1.
    expect(job).toMatchObject({ state: "FAILED", errors: 2, created: 2 });
    expect(job.error).toBe(
      "more than 1 bad rows (maxErrors): 2 by line 6; stopped there. What was imported stays: roll it back, or fix the file and import it again",
    );
    const fine = await run({ maxErrors: 4 });
    expect(fine).toMatchObject({ state: "SUCCEEDED", errors: 4 });
    const bad = await gw.gql(
      `mutation { startSync(input: { kind: CSV_IMPORT, csv: { content: "phone\\n", maxErrors: -1 } }) { id } }`,
    );
    expect(bad.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "csv.maxErrors" });
  });

  it("limit reads at most that many data rows (bad rows included)", async () => {
    const job = await run({}, { limit: 3 });
    expect(job).toMatchObject({
      state: "SUCCEEDED",
      processed: 3,
      created: 2,
      errors: 1,
      checkpoint: { line: 5, rows: 3 },
    });
    expect(await counts()).toMatchObject({ leads: 3 + 2 });
  });

  it("resumes after a stop from its checkpoint and ends as an uninterrupted run does", async () => {
    const straight = await run({}, { batchSize: 2 });
    await gw.app.services.pusher.drain(); // the pushes the batches kicked, settled
    const expected = { state: await brainState(), issues: await issues(straight.id) };
    await reset();

    // Stop the runner as soon as the first batch commits (a shutdown): the job stays RUNNING.
    const repo = gw.app.services.syncJobRepo;
    const commitBatch = repo.commitBatch;
    repo.commitBatch = async (...args: Parameters<typeof commitBatch>) => {
      const r = await commitBatch.apply(repo, args);
      void gw.app.jobs.stop();
      return r;
    };
    let job: SyncJobRecord;
    try {
      job = await csvJob({}, { batchSize: 2 });
      await gw.app.jobs.drain();
    } finally {
      repo.commitBatch = commitBatch;
    }
    const paused = await gw.app.services.syncJobs.get(job.id);
    expect(paused).toMatchObject({ state: "RUNNING", processed: 2, created: 2, checkpoint: { line: 4, rows: 2 } });
    expect(await counts()).toMatchObject({ leads: 3 + 2 });

    gw.app.jobs.start();
    await gw.app.jobs.drain();
    const resumed = await gw.app.services.syncJobs.get(job.id);
    expect(resumed).toMatchObject({ state: "SUCCEEDED", ...FULL_COUNTERS });
    expect(await issues(job.id)).toEqual(expected.issues);
    await gw.app.services.pusher.drain();
    expect(await brainState()).toEqual(expected.state);
  });

  it("reads a file by path with a custom mapping; a bad mapping or no phone column fails the job before any row", async () => {
    const file = path.join(tmp, "vendor.csv");
    await writeFile(
      file,
      "Tel;Given;Surname;Lista;Phone Number\n7275550201;Dana;Ro;1002;junk\n7275550202;Eve;;1001;junk\nnone;Zed;;1001;7275550203\n".replace(
        /;/g,
        ",",
      ),
    );
    const mapping = { tel: "phone", Given: "first name", SURNAME: "lastName", lista: "list_id", "phone number": "" };
    const job = await run({ content: null, path: file, mapping });
    expect(job).toMatchObject({ state: "SUCCEEDED", processed: 3, created: 2, errors: 1 });
    expect(await issues(job.id)).toEqual([
      { kind: "ERROR", line: 4, reason: 'phone "none" is not a phone number: letters (column "Tel")', vici: null },
    ]);
    expect(await lead("+17275550201")).toMatchObject({ first_name: "Dana", last_name: "Ro" });
    await gw.app.services.pusher.drain();
    expect((await viciRows("7275550201"))[0].list_id).toBe(1002);
    expect((await viciRows("7275550202"))[0].list_id).toBe(1001);

    const before = await counts();
    const failures: SyncJobRecord[] = [];
    for (const csv of [
      { content: null, path: file, mapping: { Tel: "telephone" } },
      { content: null, path: file, mapping: { Fax: "phone" } },
      { content: "name,email\nAnn,a@b.co\n" },
      { content: null, path: path.join(tmp, "missing.csv") },
    ]) {
      failures.push(await run(csv));
    }
    expect(failures.map((f) => f.state)).toEqual(["FAILED", "FAILED", "FAILED", "FAILED"]);
    expect(failures[0].error).toMatch(/maps "Tel" to "telephone", which is not a lead field/);
    expect(failures[1].error).toMatch(/names column "Fax", which the CSV header \(line 1\) does not have/);
    expect(failures[2].error).toMatch(/the CSV has no phone column/);
    expect(failures[3].error).toMatch(/ENOENT/);
    expect(failures.map((f) => f.processed)).toEqual([0, 0, 0, 0]);
    expect(await counts()).toEqual(before);
  });

  it("serves the report as a CSV download", async () => {
    const job = await run();
    const base = gw.url.replace(/\/graphql$/, "");
    const res = await fetch(`${base}/sync-jobs/${job.id}/report.csv`, { headers: gw.authHeaders });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="sync-job-${job.id}-report.csv"`);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 7);
    expect(lines[0]).toBe("id,kind,line,vici_lead_id,brain_lead_id,reason");
    expect(lines[2]).toMatch(/^\d+,ERROR,6,,,email is not an email address$/);
    expect(lines[3]).toMatch(/^\d+,ERROR,7,,,firstName is longer than 30 characters \(VICIdial's column size\)$/);
    expect(lines[5]).toMatch(/^\d+,SKIPPED,10,,,duplicate: the phone is already on line 2$/);
    expect(lines[6]).toMatch(
      /^\d+,HELD,12,,\d+,"DEFERRED: RECENTLY_CALLED: last called \S+Z, less than 30 days ago \(lifts \S+Z\)"$/,
    );
    expect(lines[7]).toMatch(
      /^\d+,CONFLICT,16,3,\d+,"Vici lead 3: vendor_lead_code ""TAKEN-1"" was not adopted \(it is already another Brain lead's external_lead_id\): left alone"$/,
    );

    const missing = await fetch(`${base}/sync-jobs/999999/report.csv`, { headers: gw.authHeaders });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "NOT_FOUND", message: "sync job 999999 not found" } });
    const bad = await fetch(`${base}/sync-jobs/abc/report.csv`, { headers: gw.authHeaders });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe("BAD_USER_INPUT");
  });

  it("rolls a CSV job back: created leads removed unless changed since, updated leads and vendor codes restored", async () => {
    const job = await run();
    await gw.app.services.pusher.drain();
    await gw.app.services.pusher.drain();
    // Someone edits one created lead after the job (after its push): kept and reported.
    await gw.app.brain.query(
      "UPDATE leads SET first_name = 'Edited', updated_at = now() + interval '1 second' WHERE phone = '+17275550002'",
    );
    const before = await counts();
    const state = await brainState();

    const dry = await gw.app.services.syncJobs.rollback(job.id, true, null);
    await gw.app.jobs.drain();
    // 6 created: 5 removed (2 of them pushed: their VICIdial rows, untouched since, deleted too), 1 kept (skipped);
    // 1 updated lead restored; 1 vendor code (Vici lead 1) restored (lead 2's number was recently called: nothing written).
    expect(await gw.app.services.syncJobs.get(dry.id)).toMatchObject({
      state: "SUCCEEDED",
      processed: 8,
      updated: 7,
      skipped: 1,
    });
    expect((await issues(dry.id)).filter((i) => i.kind === "NOTICE").map((i) => i.reason)).toEqual([
      expect.stringMatching(/^would delete VICIdial lead \d+: untouched since the push$/),
      expect.stringMatching(/^would delete VICIdial lead \d+: untouched since the push$/),
    ]);
    expect(await counts()).toEqual(before);
    expect(await brainState()).toEqual(state);

    const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({
      state: "SUCCEEDED",
      processed: 8,
      updated: 7,
      skipped: 1,
    });
    expect((await gw.app.brain.query("SELECT phone FROM leads ORDER BY phone")).map((r: any) => r.phone)).toEqual([
      "+16175550000",
      "+17275550002", // changed since the job: kept
      "+17275550100",
      "+17275550101",
    ]);
    expect(await lead("+17275550100")).toMatchObject({ first_name: "Old", last_name: null, email: null });
    expect(await viciRows("8135550001")).toEqual([{ lead_id: 1, list_id: 1001, vendor_lead_code: null }]);
    expect(await viciRows("8135550002")).toEqual([{ lead_id: 2, list_id: 1001, vendor_lead_code: null }]);
    const reported = await issues(rb.id);
    expect(reported.filter((i) => i.kind === "CHANGED")).toEqual([
      { kind: "CHANGED", line: null, reason: "changed since the job: kept", vici: null },
    ]);
    // Pushed leads leave Brain and VICIdial: their rows were untouched since the push (reported).
    const deleted = reported.filter((i) => i.kind === "NOTICE");
    expect(deleted.map((i) => i.reason)).toEqual([
      expect.stringMatching(/^deleted VICIdial lead \d+: untouched since the push$/),
      expect.stringMatching(/^deleted VICIdial lead \d+: untouched since the push$/),
    ]);
    expect(reported.filter((i) => i.kind === "SKIPPED")).toEqual([]);
    expect(await viciRows("7275550001")).toEqual([]);
    expect(await viciRows("7275550006")).toEqual([]);
    expect(await viciRows("7275550002")).toHaveLength(1); // its lead was kept: so is its row
    expect((await gw.app.services.syncJobs.get(job.id)).rolledBackBy).toBe(rb.id);
  });
});

describe("CSV honesty", () => {
  it("an unclosed quote swallows no rows: they are imported, the runaway is reported with its first and last line, processed counts every line", async () => {
    const good = Array.from({ length: 30 }, (_, i) => `72755530${String(i).padStart(2, "0")},Row${i}`); // lines 4-33
    const text = [
      "phone,first_name",
      "7275553100,Before",
      '7275553101,"Opened and never closed',
      ...good,
      '7275553102,"Closes it"',
      "7275553103,After",
    ].join("\n");
    const job = await run({ content: text, mapping: null });
    expect(job).toMatchObject({ state: "SUCCEEDED", processed: 34, created: 33, errors: 1 });
    expect(await issues(job.id)).toEqual([
      {
        kind: "ERROR",
        line: 3,
        reason: `a quoted field opened on line 3 runs to line 34 (a record may span at most ${MAX_RECORD_LINES} lines): line 3 is not imported; lines 4-34 were read on their own`,
        vici: null,
      },
    ]);
    for (const [i, row] of good.entries())
      expect(await lead(`+1${row.split(",")[0]}`)).toMatchObject({ first_name: `Row${i}` });
    expect(await lead("+17275553102")).toMatchObject({ first_name: "Closes it" });
    expect(await lead("+17275553101")).toBeUndefined();
  });

  it("bytes that are not UTF-8 are refused with their line, never stored as U+FFFD; --encoding latin1 imports them", async () => {
    const file = path.join(tmp, "latin1.csv");
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from("phone,first_name\n7275553200,Jos"),
        Buffer.from([0xe9]),
        Buffer.from("\n7275553201,Plain\n"),
      ]),
    );
    const refused = await run({ content: null, path: file, mapping: null });
    expect(refused).toMatchObject({ state: "SUCCEEDED", processed: 2, created: 1, errors: 1 });
    expect(await issues(refused.id)).toEqual([
      {
        kind: "ERROR",
        line: 2,
        reason:
          'bytes that are not UTF-8 (or a U+FFFD): save the file as UTF-8, or import it as Latin-1 (--encoding latin1, csv.encoding "latin1")',
        vici: null,
      },
    ]);
    expect(await lead("+17275553200")).toBeUndefined();
    await gw.app.services.pusher.drain();
    const fffd = "%\uFFFD%";
    expect(await gw.app.brain.query("SELECT id FROM leads WHERE first_name LIKE $1", [fffd])).toEqual([]);
    expect(await gw.app.vici.query("SELECT lead_id FROM vicidial_list WHERE first_name LIKE ?", [fffd])).toEqual([]);

    const latin1 = await run({ content: null, path: file, mapping: null, encoding: "latin1" });
    expect(latin1).toMatchObject({ state: "SUCCEEDED", processed: 2, created: 1, errors: 0 });
    expect(await lead("+17275553200")).toMatchObject({ first_name: "José" });
    await gw.app.services.pusher.drain();
    const [row] = await gw.app.vici.query("SELECT first_name FROM vicidial_list WHERE phone_number = '7275553200'");
    expect(row.first_name).toBe("José");
  });

  it("createLead refuses a U+FFFD in any field: nothing is written", async () => {
    const res = await gw.gql(
      `mutation { createLead(input: { phone: "7275553300", firstName: "Jos\uFFFD" }) { created } }`,
    );
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "firstName" } });
    expect(await lead("+17275553300")).toBeUndefined();
  });
});
