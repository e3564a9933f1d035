import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { dbNameFor, freshBrainDb, freshDemoViciDb } from "./helpers/databases";
import { importSnapshot } from "./helpers/import-state";

/**
 * Follow mode across processes (issue 15): a follower killed with SIGKILL mid-cycle — twice,
 * in the new rows and in the calls — is resumed by another process with nothing lost or
 * applied twice, and Brain ends exactly as one VICI_IMPORT of the final VICIdial leaves it;
 * two serving gateways never follow at once, and the other takes over when one stops.
 */
jest.setTimeout(180_000);

const TZ = "America/New_York";
const ROOT = join(__dirname, "..");
const apps: GatewayApp[] = [];
let viciUrl: string;

const env = (brainUrl: string, extra: Record<string, string> = {}) => ({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  BRAIN_DATABASE_URL: brainUrl,
  VICI_DATABASE_URL: viciUrl,
  VICI_TIMEZONE: TZ,
  VICI_CAMPAIGNS: "Auto2,Autodial",
  JOB_LEASE_MS: "1500",
  JOB_POLL_MS: "600000",
  OUTBOX_POLL_MS: "600000",
  // Cycles are driven by hand here (a lease of JOB_LEASE_MS); the last test turns them on.
  VICI_FOLLOW_INTERVAL_MS: "0",
  VICI_FOLLOW_BATCH_SIZE: "50",
  ...extra,
});

async function openApp(brainUrl: string, extra: Record<string, string> = {}): Promise<GatewayApp> {
  const app = createApp(loadConfig(env(brainUrl, extra)), { log: pino({ level: "silent" }) });
  await app.init();
  apps.push(app);
  return app;
}

async function importAll(app: GatewayApp) {
  const job = await app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, batchSize: 500 }, "test");
  await app.jobs.drain();
  expect((await app.services.syncJobs.get(job.id)).state).toBe("SUCCEEDED");
}

/** A follower in a child process that kills itself after the nth commit of one source. */
async function killedFollower(brainUrl: string, dieAfter: string): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "dist", "test", "helpers", "follow-child.js")], {
    cwd: ROOT,
    env: { ...process.env, ...env(brainUrl), CHILD_DIE_AFTER: dieAfter },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, s) => resolve(s)));
  expect(signal).toBe("SIGKILL");
}

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
});

beforeAll(async () => {
  viciUrl = await freshDemoViciDb(dbNameFor(__filename), 3000, TZ);
});

it("a follower killed with SIGKILL mid-cycle resumes elsewhere with nothing lost or applied twice: Brain ends as one import of the final VICIdial", async () => {
  const brainUrl = await freshBrainDb(dbNameFor(__filename, "followed"));
  const app = await openApp(brainUrl);
  await importAll(app); // Phase 1
  expect(await app.services.follower.cycle()).toMatchObject({ caughtUp: true }); // follow mode starts from here
  await app.services.follower.release();

  // VICIdial goes on: 400 rows loaded straight into it (copies of its rows with new lead_ids,
  // so numbers repeat, in managed and unmanaged lists), 250 calls on its leads, a DNC entry.
  const v = app.vici;
  const [{ max }] = await v.query("SELECT MAX(lead_id) AS max FROM vicidial_list");
  await v.query(
    `INSERT INTO vicidial_list (lead_id, entry_date, status, list_id, phone_code, phone_number, first_name, last_name, vendor_lead_code)
     SELECT lead_id + ?, entry_date, 'NEW', list_id, phone_code,
            IF(lead_id % 3 = 0, phone_number, CONCAT(LEFT(phone_number, 3), LPAD(lead_id % 10000000, 7, '9'))), first_name, last_name, ''
       FROM vicidial_list ORDER BY lead_id LIMIT 400`,
    [Number(max)],
  );
  const now = instantToViciLocal(new Date(Date.now() - 10_000), TZ);
  await v.query(
    `INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, status, phone_code, phone_number)
     SELECT CONCAT('9', lead_id, '.1'), lead_id, list_id, 'Auto2', ?, 'NA', phone_code, phone_number FROM vicidial_list ORDER BY lead_id DESC LIMIT 250`,
    [now],
  );
  const [dncPhone] = await v.query(
    "SELECT phone_number FROM vicidial_list vl JOIN vicidial_lists l USING (list_id) WHERE l.campaign_id = 'Auto2' ORDER BY lead_id LIMIT 1 OFFSET 7",
  );
  await v.query("INSERT IGNORE INTO vicidial_dnc (phone_number) VALUES (?)", [dncPhone.phone_number]);
  await v.query(
    "INSERT INTO vicidial_dnc_log (phone_number, campaign_id, action, action_date, user) VALUES (?, '-SYSINT-', 'add', ?, 'admin')",
    [dncPhone.phone_number, now],
  );
  const [{ managed }] = await v.query(
    "SELECT COUNT(*) AS managed FROM vicidial_list vl JOIN vicidial_lists l USING (list_id) WHERE vl.lead_id > ? AND l.campaign_id IN ('Auto2', 'Autodial')",
    [Number(max)],
  );
  expect(Number(managed)).toBeGreaterThan(200);

  // Killed in the new rows, then (another process) in the calls.
  await killedFollower(brainUrl, "leads:3");
  const mid = await app.services.follower.status();
  expect(mid.watermarks.leadIdAfter).toBeGreaterThan(Number(max));
  expect(mid.totals.leads).toBeLessThan(Number(managed));
  await new Promise((r) => setTimeout(r, 1600)); // the dead process's lease runs out
  await killedFollower(brainUrl, "calls:2");
  expect((await app.services.follower.status()).totals.calls).toBe(0); // the calls' window had not committed
  await new Promise((r) => setTimeout(r, 1600));

  // This process takes over and catches up.
  for (let i = 0; i < 50; i++) {
    const r = await app.services.follower.cycle();
    if (r?.caughtUp) break;
    if (!r) await new Promise((res) => setTimeout(res, 200));
  }
  const s = await app.services.follower.status();
  expect(s.totals).toMatchObject({ leads: Number(managed), calls: 250, dnc: 1 });
  // Each new row's vendor code queued once.
  const [codes] = await app.brain.query(
    "SELECT count(*)::int AS n, count(DISTINCT payload->>'viciLeadId')::int AS rows FROM vici_pushes WHERE kind = 'SET_VENDOR_CODE'",
  );
  expect(codes.n).toBe(codes.rows);
  expect(codes.n).toBe(Number(managed));

  // One import of the final VICIdial into an empty Brain writes the same leads.
  const reference = await openApp(await freshBrainDb(dbNameFor(__filename, "reference")));
  await importAll(reference);
  const followed = (await importSnapshot(app)).leads;
  const imported = (await importSnapshot(reference)).leads;
  expect(followed.length).toBe(imported.length);
  expect(followed).toEqual(imported);
});

it("two serving gateways never follow at once; when the follower stops, the other takes over", async () => {
  const brainUrl = await freshBrainDb(dbNameFor(__filename, "two"));
  const on = { VICI_FOLLOW_INTERVAL_MS: "300", PORT: "0" };
  const gateways = [
    createApp(loadConfig(env(brainUrl, on)), { log: pino({ level: "silent" }) }),
    createApp(loadConfig(env(brainUrl, on)), { log: pino({ level: "silent" }) }),
  ];
  // Every cycle that ran (held the lease), per gateway, with when it started and ended.
  const ran: { gw: number; from: number; to: number }[] = [];
  gateways.forEach((g, i) => {
    const f = g.services.follower;
    const cycle = f.cycle.bind(f);
    f.cycle = async () => {
      const from = performance.now();
      const r = await cycle();
      if (r) ran.push({ gw: i, from, to: performance.now() });
      return r;
    };
  });
  apps.push(...gateways);
  // One after the other: the first creates Brain's schema.
  for (const g of gateways) await g.start();
  await new Promise((r) => setTimeout(r, 3000));
  const followers = new Set(ran.map((c) => c.gw));
  expect(ran.length).toBeGreaterThan(3);
  expect(followers.size).toBe(1);
  const [leader] = followers;
  const other = 1 - leader;

  const stoppedAt = performance.now();
  await gateways[leader].stop(); // gives the lease up
  const [{ max }] = await gateways[other].vici.query("SELECT MAX(lead_id) AS max FROM vicidial_list");
  const [row] = await gateways[other].vici.query(
    "SELECT list_id FROM vicidial_lists WHERE campaign_id = 'Auto2' LIMIT 1",
  );
  await gateways[other].vici.query(
    "INSERT INTO vicidial_list (lead_id, entry_date, status, list_id, phone_code, phone_number, first_name) VALUES (?, NOW(), 'NEW', ?, '1', '7275559911', 'Taken')",
    [Number(max) + 1, row.list_id],
  );
  let found: any;
  // Until the lead is in Brain and the cycle that wrote it has ended.
  for (let i = 0; i < 50 && !(found && ran.some((c) => c.gw === other)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    [found] = await gateways[other].brain.query("SELECT first_name, meta FROM leads WHERE phone = '+17275559911'");
  }
  expect(found).toMatchObject({ first_name: "Taken" });
  expect(ran.some((c) => c.gw === other)).toBe(true);
  // The other followed only once the first had stopped.
  expect(ran.filter((c) => c.gw === other).every((c) => c.to >= stoppedAt)).toBe(true);
});
