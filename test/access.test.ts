import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { Role, ROLES, roleIncludes, Scope } from "../src/auth/roles";

/**
 * Access control as a client meets it: API keys over HTTP and graphql-ws, each role against
 * every kind of operation, and phone numbers masked unless the key has the pii scope.
 */
let gw: TestGateway;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_DEFAULT_LIST_ID: "1001", WS_KEY_RECHECK_MS: "100" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(v, "vicidial_list", [
    {
      lead_id: 1,
      phone_code: "1",
      phone_number: "7275550101",
      list_id: 1001,
      status: "NA",
      vendor_lead_code: "EXT-A",
      entry_date: "2026-01-15 10:00:00",
    },
  ]);
  await insertBrainLeads(gw.app.brain, [
    {
      externalLeadId: "EXT-A",
      phone: "+17275550101",
      firstName: "Ann",
      origin: "vici_import",
      meta: { vici_lead_id: 1, note: "call back on +1 727 555 0101" },
    },
  ]);
  for (const role of ROLES) keys[role] = await gw.createKey(role);
});

afterAll(() => gw?.stop());

const codes = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  (body.errors ?? []).map((e) => e.extensions?.code);

describe("without a valid key", () => {
  const query = "{ campaigns { campaignId } }";

  it("refuses a request with no key: 401 UNAUTHENTICATED", async () => {
    const res = await gw.gql(query, {}, { key: null });
    expect(res.status).toBe(401);
    expect(codes(res.body)).toEqual(["UNAUTHENTICATED"]);
    expect(res.body.data).toBeUndefined();
  });

  it.each([
    ["an unknown key", "vbg_0123456789ab_" + "A".repeat(43)],
    ["a malformed key", "not-a-key"],
  ])("refuses %s: 401 UNAUTHENTICATED", async (_what, key) => {
    const res = await gw.gql(query, {}, { key });
    expect(res.status).toBe(401);
    expect(codes(res.body)).toEqual(["UNAUTHENTICATED"]);
  });

  it("refuses a known id with a wrong secret", async () => {
    const key = await gw.createKey(Role.ADMIN);
    const forged = key.slice(0, -4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
    const res = await gw.gql(query, {}, { key: forged });
    expect(res.status).toBe(401);
  });

  it("refuses a revoked key from the moment it is revoked", async () => {
    const key = await gw.createKey(Role.READER);
    expect((await gw.gql(query, {}, { key })).status).toBe(200);
    const id = key.split("_")[1];
    const revoked = await gw.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id });
    expect(revoked.body.data.revokeApiKey).toMatchObject({ id, revokedAt: expect.any(String) });
    const res = await gw.gql(query, {}, { key });
    expect(res.status).toBe(401);
    expect(codes(res.body)).toEqual(["UNAUTHENTICATED"]);
    expect(res.body.errors[0].message).toMatch(/revoked/);
  });

  it("accepts the key as x-api-key too", async () => {
    const res = await gw.gql(query, {}, { key: null, headers: { "x-api-key": keys.reader } });
    expect(res.status).toBe(200);
    expect(res.body.data.campaigns).toEqual([{ campaignId: "Auto2" }]);
  });

  it("guards the job report download", async () => {
    const base = gw.url.replace("/graphql", "");
    const none = await fetch(`${base}/sync-jobs/1/report.csv`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.any(String) } });
    const reader = await fetch(`${base}/sync-jobs/999999/report.csv`, {
      headers: { authorization: `Bearer ${keys.reader}` },
    });
    expect(reader.status).toBe(404);
  });
});

describe("each role against every kind of operation", () => {
  let phone = 10;
  /** One of each: reads, lead creation, job control, the intake switch, push retries, key management. */
  const OPERATIONS: { name: string; need: Role; query: () => string }[] = [
    { name: "leads (query)", need: Role.READER, query: () => `{ leads(first: 1) { totalCount } }` },
    { name: "syncJobs (query)", need: Role.READER, query: () => `{ syncJobs(first: 1) { id } }` },
    {
      name: "createLead",
      need: Role.WRITER,
      query: () =>
        `mutation { createLead(input: { phone: "+1727555${String(200 + phone++)}0", firstName: "T" }) { created } }`,
    },
    {
      name: "startSync",
      need: Role.OPERATOR,
      query: () => `mutation { startSync(input: { kind: VICI_IMPORT, dryRun: true, limit: 1 }) { id } }`,
    },
    { name: "cancelSyncJob", need: Role.OPERATOR, query: () => `mutation { cancelSyncJob(id: "999999") { id } }` },
    {
      name: "rollbackSyncJob",
      need: Role.OPERATOR,
      query: () => `mutation { rollbackSyncJob(id: "999999", dryRun: true) { id } }`,
    },
    { name: "pauseIntake", need: Role.OPERATOR, query: () => `mutation { pauseIntake(reason: "test") { paused } }` },
    { name: "resumeIntake", need: Role.OPERATOR, query: () => `mutation { resumeIntake { paused } }` },
    { name: "retryViciPush", need: Role.OPERATOR, query: () => `mutation { retryViciPush(leadId: "999999") { id } }` },
    {
      name: "viciPushes (query)",
      need: Role.READER,
      query: () => `{ viciPushes(first: 1) { id } viciOutbox { pending } }`,
    },
    { name: "driftHistory (query)", need: Role.READER, query: () => `{ driftHistory { day } viewer { role } }` },
    { name: "retryFailedViciPushes", need: Role.OPERATOR, query: () => `mutation { retryFailedViciPushes }` },
    { name: "apiKeys (query)", need: Role.ADMIN, query: () => `{ apiKeys { id role } }` },
    {
      name: "createApiKey",
      need: Role.ADMIN,
      query: () => `mutation { createApiKey(input: { name: "made by test", role: READER }) { key apiKey { role } } }`,
    },
    { name: "revokeApiKey", need: Role.ADMIN, query: () => `mutation { revokeApiKey(id: "000000000000") { id } }` },
  ];
  const cases = ROLES.flatMap((role) =>
    OPERATIONS.map((op) => [role, op.name, roleIncludes(role, op.need) ? "allowed" : "FORBIDDEN", op] as const),
  );

  it.each(cases)("%s → %s: %s", async (role, _name, expected, op) => {
    const res = await gw.gql(op.query(), {}, { key: keys[role] });
    if (expected === "FORBIDDEN") {
      expect(res.status).toBe(403);
      expect(codes(res.body)).toEqual(["FORBIDDEN"]);
      expect(res.body.errors[0].message).toContain(`needs the ${op.need} role`);
      expect(res.body.data).toBeNull();
    } else {
      // Allowed: past the role check. Some answer NOT_FOUND (ids that do not exist), never a refusal.
      expect(codes(res.body).filter((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED")).toEqual([]);
      expect(codes(res.body).every((c) => c === "NOT_FOUND")).toBe(true);
    }
  });

  it("a key made through GraphQL works, and its secret is never listed", async () => {
    const made = await gw.gql(
      `mutation { createApiKey(input: { name: "dash", role: READER, scopes: [PII] }) { key apiKey { id role scopes createdBy } } }`,
    );
    const { key, apiKey } = made.body.data.createApiKey;
    expect(apiKey).toMatchObject({
      role: "READER",
      scopes: ["PII"],
      createdBy: expect.stringMatching(/^key:[0-9a-f]{12} /),
    });
    expect(key).toMatch(new RegExp(`^vbg_${apiKey.id}_`));
    const res = await gw.gql(`{ lead(phone: "+17275550101") { phone } }`, {}, { key });
    expect(res.body.data.lead.phone).toBe("+17275550101");
    const listed = await gw.gql(`{ apiKeys { id name role } }`);
    expect(JSON.stringify(listed.body)).not.toContain(key.split("_").slice(2).join("_"));
    const [{ secret_hash }] = await gw.app.brain.query(`SELECT secret_hash FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(Buffer.from(secret_hash).length).toBe(32);
    expect(Buffer.from(secret_hash).toString("utf8")).not.toContain(key.slice(-20));
  });
});

describe("phone numbers", () => {
  const Q = `{ lead(phone: "+17275550101") { phone meta vici { phone phoneNumber } viciLeads { phone phoneNumber brainLead { phone } } } }`;

  it("are masked for a key without the pii scope, whatever its role", async () => {
    for (const role of ROLES) {
      const res = await gw.gql(Q, {}, { key: keys[role] });
      expect(res.body.errors).toBeUndefined();
      const lead = res.body.data.lead;
      expect(lead.phone).toBe("+1******0101");
      expect(lead.vici).toEqual({ phone: "+1******0101", phoneNumber: "******0101" });
      expect(lead.viciLeads).toEqual([
        { phone: "+1******0101", phoneNumber: "******0101", brainLead: { phone: "+1******0101" } },
      ]);
      expect(lead.meta.note).toBe("call back on +1******0101");
      expect(JSON.stringify(res.body)).not.toMatch(/5550101/);
    }
  });

  it("are whole for a key with the pii scope, even a reader's", async () => {
    const key = await gw.createKey(Role.READER, [Scope.PII]);
    const res = await gw.gql(Q, {}, { key });
    expect(res.body.data.lead).toMatchObject({
      phone: "+17275550101",
      meta: { note: "call back on +1 727 555 0101" },
      vici: { phone: "+17275550101", phoneNumber: "7275550101" },
    });
  });

  it("are masked in Vici browsing and in job options (CSV text) too", async () => {
    const vl = await gw.gql(
      `{ viciLeads(first: 1) { edges { node { leadId phone phoneNumber } } } }`,
      {},
      { key: keys.reader },
    );
    expect(vl.body.data.viciLeads.edges).toEqual([
      { node: { leadId: 1, phone: "+1******0101", phoneNumber: "******0101" } },
    ]);
    const started = await gw.gql(
      `mutation($csv: String!) { startSync(input: { kind: CSV_IMPORT, dryRun: true, csv: { content: $csv } }) { id } }`,
      { csv: "phone,first_name\n7275550199,Zed\n" },
      { key: keys.operator },
    );
    const id = started.body.data.startSync.id;
    const job = await gw.gql(`query($id: ID!) { syncJob(id: $id) { options } }`, { id }, { key: keys.reader });
    expect(job.body.data.syncJob.options.csv.content).toBe("phone,first_name\n******0199,Zed\n");
  });
});

describe("what a key without the pii scope can learn", () => {
  const search = (text: string, key: string) =>
    gw.gql(
      `query($s: String!) { leads(filter: { search: $s }) { edges { node { firstName phone } } } }`,
      { s: text },
      { key },
    );

  it("a phone search takes the whole number: a part of one is refused, not an oracle one digit at a time", async () => {
    for (const part of ["727", "727555", "7275550", "727555010"]) {
      const res = await search(part, keys.reader);
      expect(res.status).toBe(400);
      expect(codes(res.body)).toEqual(["BAD_USER_INPUT"]);
      expect(res.body.errors[0]).toMatchObject({
        message: "without the pii scope, a phone search takes the whole number",
        extensions: { field: "filter.search" },
      });
    }
    // The whole number, in any format, finds the lead (the caller knows it already); name search is unchanged.
    for (const whole of ["727-555-0101", "+1 (727) 555-0101"]) {
      expect((await search(whole, keys.reader)).body.data.leads.edges).toEqual([
        { node: { firstName: "Ann", phone: "+1******0101" } },
      ]);
    }
    expect((await search("727-555-0102", keys.reader)).body.data.leads.edges).toEqual([]);
    expect((await search("Ann", keys.reader)).body.data.leads.edges).toEqual([
      { node: { firstName: "Ann", phone: "+1******0101" } },
    ]);
    // With pii, a part of a number still searches.
    const pii = await gw.createKey(Role.READER, [Scope.PII]);
    expect((await search("5550101", pii)).body.data.leads.edges).toEqual([
      { node: { firstName: "Ann", phone: "+17275550101" } },
    ]);
  });

  it("job options mask a phone in every form the importer reads, e.g. 503 - 555 - 0142", async () => {
    const csv = "phone,first_name\n503 - 555 - 0142,Zed\n503/555/0143,Yan\n(503) 555 0144,Xu\n";
    const started = await gw.gql(
      `mutation($csv: String!) { startSync(input: { kind: CSV_IMPORT, dryRun: true, csv: { content: $csv } }) { id } }`,
      { csv },
      { key: keys.operator },
    );
    const id = started.body.data.startSync.id;
    const job = await gw.gql(`query($id: ID!) { syncJob(id: $id) { options } }`, { id }, { key: keys.reader });
    expect(job.body.data.syncJob.options.csv.content).toBe(
      "phone,first_name\n******0142,Zed\n******0143,Yan\n******0144,Xu\n",
    );
  });

  it("the report download masks issue reasons as GraphQL does", async () => {
    const [{ id }] = await gw.app.brain.query(
      "INSERT INTO sync_jobs (kind, state, options, dry_run, finished_at) VALUES ('VICI_IMPORT', 'SUCCEEDED', '{}', false, now()) RETURNING id::text AS id",
    );
    await gw.app.brain.query(
      "INSERT INTO sync_job_issues (job_id, kind, vici_lead_id, reason) VALUES ($1, 'CONFLICT', 7, $2)",
      [id, 'vendor_lead_code "503-555-0142" is already another Brain lead\'s external_lead_id'],
    );
    const report = async (key: string) =>
      (
        await fetch(gw.url.replace("/graphql", `/sync-jobs/${id}/report.csv`), {
          headers: { authorization: `Bearer ${key}` },
        })
      ).text();
    const masked = await report(keys.reader);
    expect(masked).toContain('vendor_lead_code ""******0142"" is already');
    expect(masked).not.toMatch(/555.?0142/);
    const gql = await gw.gql(
      `query($id: ID!) { syncJob(id: $id) { issues(first: 5) { reason } } }`,
      { id },
      { key: keys.reader },
    );
    expect(gql.body.data.syncJob.issues[0].reason).toBe(
      'vendor_lead_code "******0142" is already another Brain lead\'s external_lead_id',
    );
    expect(await report(await gw.createKey(Role.READER, [Scope.PII]))).toContain("503-555-0142");
  });

  it("an id that is a phone number (a vendor's code adopted as externalLeadId) is masked too", async () => {
    await insertBrainLeads(gw.app.brain, [{ externalLeadId: "5035550142", phone: "+15035550142", firstName: "Vee" }]);
    const q = `{ lead(phone: "503-555-0142") { externalLeadId } }`;
    expect((await gw.gql(q, {}, { key: keys.reader })).body.data.lead).toEqual({ externalLeadId: "******0142" });
    expect((await gw.gql(q)).body.data.lead).toEqual({ externalLeadId: "5035550142" });
    // A generated id is never taken for a phone, digits and all.
    const mixed = await gw.gql(`{ lead(phone: "727-555-0101") { externalLeadId } }`, {}, { key: keys.reader });
    expect(mixed.body.data.lead).toEqual({ externalLeadId: "EXT-A" });
  });
});

describe("a phone quoted in an error message", () => {
  const Q = `{ lead(phone: "(000) 000-0000") { id } }`;

  it("is masked for a key without the pii scope and whole with it, saying what is wrong in words", async () => {
    const masked = await gw.gql(Q, {}, { key: keys.admin });
    expect(masked.status).toBe(400);
    expect(masked.body.errors[0]).toMatchObject({
      message: 'phone "(***) ***-0000" is not a valid US number',
      extensions: { code: "INVALID_PHONE", field: "phone" },
    });
    const pii = await gw.gql(Q, {}, { key: await gw.createKey(Role.READER, [Scope.PII]) });
    expect(pii.body.errors[0].message).toBe('phone "(000) 000-0000" is not a valid US number');
    const letters = await gw.gql(`{ lead(phone: "abc") { id } }`, {}, { key: keys.reader });
    expect(letters.body.errors[0].message).toBe('phone "abc" is not a phone number: letters');
  });
});

describe("graphql-ws", () => {
  const url = () => gw.url.replace("http", "ws");

  /** Opens a client, runs one operation; resolves with its result or the close code. */
  const run = (connectionParams: Record<string, unknown> | undefined, query: string) =>
    new Promise<{ data?: any; errors?: any; closeCode?: number }>((resolve) => {
      const client = createClient({
        url: url(),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams,
        on: { closed: (e: any) => resolve({ closeCode: e.code }) },
      });
      let result: any;
      client.subscribe(
        { query },
        {
          next: (v) => (result = v),
          error: (e: any) => {
            if (Array.isArray(e)) resolve({ errors: e });
            void client.dispose();
          },
          complete: () => {
            resolve(result);
            void client.dispose();
          },
        },
      );
    });

  it("closes the socket with 4401 without a key, or with a bad one", async () => {
    expect(await run(undefined, "{ campaigns { campaignId } }")).toEqual({ closeCode: 4401 });
    expect(
      await run({ authorization: "Bearer vbg_0123456789ab_" + "A".repeat(43) }, "{ campaigns { campaignId } }"),
    ).toEqual({ closeCode: 4401 });
  });

  it("quotes a bad phone in an error masked, or whole for a key with the pii scope", async () => {
    const q = `{ lead(phone: "(727) 555-01") { id } }`;
    expect((await run({ authorization: `Bearer ${keys.reader}` }, q)).errors?.[0].message).toBe(
      'phone "(***) *55-01" is too short for a US number',
    );
    const pii = await gw.createKey(Role.READER, [Scope.PII]);
    expect((await run({ authorization: `Bearer ${pii}` }, q)).errors?.[0].message).toBe(
      'phone "(727) 555-01" is too short for a US number',
    );
  });

  it("serves a reader's key sent in connectionParams, phones masked", async () => {
    const r = await run({ authorization: `Bearer ${keys.reader}` }, `{ lead(phone: "+17275550101") { phone } }`);
    expect(r).toEqual({ data: { lead: { phone: "+1******0101" } } });
  });

  it("ends an open subscription once its key is revoked (4401), and only then", async () => {
    const { apiKey, key } = await gw.app.services.apiKeys.create({ name: "dashboard to revoke", role: Role.READER });
    // A job another worker holds: its progress stream stays open for as long as the socket does.
    const [{ id }] = await gw.app.brain.query(
      `INSERT INTO sync_jobs (kind, state, options, dry_run, lease_owner, lease_until, started_at)
       VALUES ('VICI_IMPORT', 'RUNNING', $1, true, 'another-worker', now() + interval '1 hour', now()) RETURNING id::text AS id`,
      [{ campaigns: [], dryRun: true, limit: 1, batchSize: 5000, csv: null, overwrite: false, targetJobId: null }],
    );
    const events: any[] = [];
    let closed: { code: number } | null = null;
    const client = createClient({
      url: url(),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${key}` },
      on: { closed: (e: any) => (closed = { code: e.code }) },
    });
    client.subscribe(
      { query: `subscription($id: ID!) { syncJobProgress(id: $id) { state } }`, variables: { id } },
      { next: (v) => events.push(v.data!.syncJobProgress), error: () => undefined, complete: () => undefined },
    );
    try {
      // Several re-check rounds (every 100 ms here) with a valid key: the stream stays open.
      await waitFor(() => events.length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect(events).toEqual([{ state: "RUNNING" }]);
      expect(closed).toBeNull();

      const revoked = await gw.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: apiKey.id });
      expect(revoked.body.errors).toBeUndefined();
      await waitFor(() => closed !== null);
      expect(closed!.code).toBe(4401);
    } finally {
      await client.dispose();
      await gw.app.brain.query(
        "UPDATE sync_jobs SET state = 'CANCELLED', finished_at = now(), lease_owner = NULL WHERE id = $1",
        [id],
      );
    }
  });

  it("follows a job's progress with a reader's key", async () => {
    const started = await gw.gql(`mutation { startSync(input: { kind: VICI_IMPORT, dryRun: true, limit: 1 }) { id } }`);
    const id = started.body.data.startSync.id;
    void gw.app.jobs.drain();
    const events: any[] = [];
    await new Promise<void>((resolve, reject) => {
      const client = createClient({
        url: url(),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${keys.reader}` },
      });
      client.subscribe(
        { query: `subscription($id: ID!) { syncJobProgress(id: $id) { state final } }`, variables: { id } },
        {
          next: (v) => events.push(v.data!.syncJobProgress),
          error: reject,
          complete: () => void Promise.resolve(client.dispose()).then(resolve),
        },
      );
    });
    expect(events[events.length - 1]).toEqual({ state: "SUCCEEDED", final: true });
  });
});

async function waitFor(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
