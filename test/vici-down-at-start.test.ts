import mysql from "mysql2/promise";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { dbNameFor, freshBrainDb, MYSQL_SERVER } from "./helpers/databases";
import { insertBrainLeads } from "./helpers/fixtures";
import { spawnCli } from "./helpers/cli";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";
import { SyncJobKind } from "../src/jobs/sync-job.types";

/**
 * `serve` while VICIdial's database is down (a dialer reboot, maintenance): the gateway
 * starts anyway, serves Brain, answers VICI_UNAVAILABLE for Vici fields, says so on /readyz,
 * queues creates in the outbox, lets jobs wait, and connects by itself once VICIdial answers:
 * the queued create then reaches it and the job runs. MariaDB is reached through a loopback relay the test cuts before the
 * gateway starts and restores later. A database that does not exist is a mistake in the URL,
 * not an outage: `serve` stops with a message naming the variable.
 */
let proxy: TcpProxy;
let gw: TestGateway;
let direct: string;
/** The job started while VICIdial is down, and the runner's pass that runs it. */
let job: { id: string };
let running: Promise<void>;

const poll = async <T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> => {
  const until = Date.now() + ms;
  let v = await read();
  while (!done(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
};
const readyz = async () => {
  const res = await fetch(new URL("/readyz", gw.url));
  return { status: res.status, body: (await res.json()) as any };
};
const LEAD_QUERY = `query Lead($phone: String!) { lead(phone: $phone) { externalLeadId firstName viciSync { state viciLeadId } vici { leadId listId } } }`;

beforeAll(async () => {
  proxy = await startTcpProxy("127.0.0.1", 3306);
  proxy.down();
  gw = await startTestGateway(
    __filename,
    // The pusher runs by itself here (no drain()), and VICIdial is tried again every 100 ms.
    {
      VICI_DEFAULT_LIST_ID: "1001",
      OUTBOX_POLL_MS: "100",
      VICI_BREAKER_COOLDOWN_MS: "100",
      READY_TIMEOUT_MS: "1000",
      JOB_RETRY_BACKOFF_MS: "100",
    },
    "",
    { viciVia: (url) => url.replace(":3306/", `:${proxy.port}/`) },
  );
  direct = gw.env.VICI_DATABASE_URL.replace(`:${proxy.port}/`, ":3306/");
  await insertBrainLeads(gw.app.brain, [
    // Linked to a Vici row: its `vici` field reads VICIdial.
    {
      externalLeadId: "BRAIN-LINKED-1",
      phone: "+17275550801",
      firstName: "Brainy",
      meta: { vici_lead_id: 99, vici_lead_ids: [99] },
    },
  ]);
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await proxy?.close();
});

it("starts without VICIdial: Brain answers, Vici fields VICI_UNAVAILABLE, /readyz 503 naming vici, a create is queued, a job waits", async () => {
  expect(gw.app.vici.isInitialized).toBe(false);

  const read = await gw.gql(LEAD_QUERY, { phone: "7275550801" });
  expect(read.body.data.lead).toMatchObject({ externalLeadId: "BRAIN-LINKED-1", firstName: "Brainy", vici: null });
  expect(read.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([
    [["lead", "vici"], "VICI_UNAVAILABLE"],
  ]);
  const campaigns = await gw.gql("{ campaigns { campaignId } }");
  expect(campaigns.body.errors[0].extensions.code).toBe("VICI_UNAVAILABLE");

  const r = await readyz();
  expect(r.status).toBe(503);
  expect(r.body).toMatchObject({
    status: "not ready",
    checks: { brain: { ok: true }, migrations: { ok: true }, vici: { ok: false } },
  });
  expect(r.body.checks.vici.error).toBeTruthy();

  const created = await gw.gql(
    `mutation { createLead(input: { phone: "7275550802", firstName: "Waiting" }) { created viciAction lead { viciSync { state } } } }`,
  );
  expect(created.body).toEqual({
    data: { createLead: { created: true, viciAction: "QUEUED", lead: { viciSync: { state: "PENDING" } } } },
  });

  // A job waits for VICIdial instead of failing.
  job = await gw.app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: [] }, "test");
  running = gw.app.jobs.drain();
  const waiting = await poll(
    () => gw.app.services.syncJobs.get(job.id),
    (j) => j.state === "WAITING",
  );
  expect(waiting).toMatchObject({ state: "WAITING", waitReason: expect.stringMatching(/VICIdial/) });
});

it("connects by itself when VICIdial is back: /readyz 200, the queued create delivered once, Vici fields answer, the job runs", async () => {
  // VICIdial comes back (with the list the create goes to).
  proxy.up();
  const conn = await mysql.createConnection(direct);
  try {
    await conn.query(
      "INSERT INTO vicidial_lists (list_id, list_name, campaign_id, active) VALUES (1001, 'A', 'Auto2', 'Y')",
    );
  } finally {
    await conn.end();
  }

  expect((await poll(readyz, (x) => x.status === 200)).status).toBe(200);
  const lead = await poll(
    async () => (await gw.gql(LEAD_QUERY, { phone: "7275550802" })).body,
    (b) => b.data?.lead?.viciSync?.state === "DONE",
  );
  expect(lead.errors).toBeUndefined();
  expect(lead.data.lead).toMatchObject({ firstName: "Waiting", viciSync: { state: "DONE" }, vici: { listId: 1001 } });
  expect(lead.data.lead.vici.leadId).toBe(lead.data.lead.viciSync.viciLeadId);
  const [[{ n }]] = (await gw.app.vici
    .query("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = '7275550802'")
    .then((rows: any) => [rows])) as any;
  expect(Number(n)).toBe(1);
  expect((await gw.gql("{ campaigns { campaignId } }")).body).toEqual({
    data: { campaigns: [expect.objectContaining({ campaignId: "Auto2" })] },
  });

  // The job that waited went on by itself.
  await running;
  expect(await gw.app.services.syncJobs.get(job.id)).toMatchObject({ state: "SUCCEEDED", waitReason: null });
});

it("a VICIdial database that does not exist stops `serve` with a message naming VICI_DATABASE_URL and --demo (exit 2)", async () => {
  const brainUrl = await freshBrainDb(dbNameFor(__filename, "nodb"));
  const missing = `${MYSQL_SERVER}/${dbNameFor(__filename, "missing")}`;
  const r = await spawnCli(["serve"], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    BRAIN_DATABASE_URL: brainUrl,
    VICI_DATABASE_URL: missing,
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/VICI_DATABASE_URL names the database "[^"]+_missing", which does not exist/);
  expect(r.stderr).toMatch(/--demo/);
  expect(r.stdout).not.toMatch(/GraphQL API/);
}, 60_000);
