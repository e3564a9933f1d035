import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { DataSource } from "typeorm";
import { loadConfig } from "../src/config/app-config";
import { createBrainDataSource } from "../src/data-sources/brain.data-source";
import { createViciDataSource, parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { connectServer } from "../src/vici/vici-ddl";
import { loadDemo } from "../src/demo/load-demo";
import { ROOT, runCli, spawnCli, type CliRun } from "./helpers/cli";
import { dbNameFor, freshBrainDb, freshViciDb, viciRootUrl } from "./helpers/databases";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";

/**
 * The CLI as operators and scripts run it, against real PostgreSQL and MariaDB. Commands run
 * in this process (runCli: the same program, stdout and stderr captured, never a TTY); the
 * ones where the process itself matters — Ctrl-C, a closed pipe — run as real child
 * processes of the built CLI (spawnCli).
 */
jest.setTimeout(60_000);

const ANSI = /\x1b\[/;
let brainUrl: string;
let viciUrl: string;
let brain: DataSource;
let vici: DataSource;

const envFor = (extra: Record<string, string> = {}): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  BRAIN_DATABASE_URL: brainUrl,
  VICI_DATABASE_URL: viciUrl,
  VICI_TIMEZONE: "America/New_York",
  LOG_LEVEL: "silent",
  NODE_ENV: "test",
  ...extra,
});
/** `vici-brain ...args`, in this process. */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, envFor(env));
type Run = CliRun;

const json = (r: Run) => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout is not one JSON value (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
};
const brainLeads = (): Promise<{ phone: string; ext: string; meta: any }[]> =>
  brain.query("SELECT phone, external_lead_id AS ext, meta FROM leads ORDER BY phone");
const vendorCodes = async (): Promise<Record<number, string | null>> =>
  Object.fromEntries(
    (await vici.query("SELECT lead_id, vendor_lead_code FROM vicidial_list ORDER BY lead_id")).map((r: any) => [
      r.lead_id,
      r.vendor_lead_code,
    ]),
  );

beforeAll(async () => {
  [brainUrl, viciUrl] = await Promise.all([freshBrainDb(dbNameFor(__filename)), freshViciDb(dbNameFor(__filename))]);
  vici = createViciDataSource(viciUrl);
  brain = createBrainDataSource(brainUrl);
  await Promise.all([vici.initialize(), brain.initialize()]);
  // Migrated once here: commands started side by side would otherwise race to migrate it.
  await brain.runMigrations({ transaction: "each" });
  await insertSystemStatuses(vici);
  await insertVici(vici, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "Y" },
  ]);
  await insertVici(vici, "vicidial_lists", [
    { list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" },
    { list_id: 2001, list_name: "D1", campaign_id: "Autodial", active: "Y" },
  ]);
  const row = (lead_id: number, phone_number: string, list_id: number, status: string) => ({
    lead_id,
    phone_number,
    list_id,
    status,
    phone_code: "1",
    entry_date: "2026-01-15 10:00:00",
    first_name: `F${lead_id}`,
  });
  await insertVici(vici, "vicidial_list", [
    row(1, "7275550001", 1001, "NA"),
    row(2, "7275550002", 1001, "NEW"),
    row(3, "7275550003", 1001, "SALE"),
    row(4, "7270004", 1001, "NEW"), // not a valid phone: SKIPPED
    row(5, "8135550005", 2001, "NEW"),
  ]);
});
afterAll(async () => {
  await Promise.all([brain?.destroy(), vici?.destroy()]);
});

describe("vici-brain CLI", () => {
  let importJobId: string;
  let vendorJobId: string;

  it("exits 2 on bad arguments and 1 on an unknown campaign, with a clear message", async () => {
    const badLimit = await cli(["import-to-brain", "--limit", "abc"]);
    const unknown = await cli(["import-to-brain", "--campaigns=Nope", "--json"]);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/--limit.*'abc' is invalid\. must be a positive whole number/);
    expect(badLimit.stdout).toBe("");

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("error: no VICIdial lists belong to campaign(s) Nope");
    expect(json(unknown)).toEqual({
      error: { code: "BAD_USER_INPUT", message: "no VICIdial lists belong to campaign(s) Nope" },
    });
    // Nothing was queued.
    expect(await brain.query("SELECT id FROM sync_jobs")).toEqual([]);
  });

  it("--dry-run --limit 2 without a TTY: plain progress lines, a summary, nothing written", async () => {
    const r = await cli(["import-to-brain", "--campaigns=Auto2", "--dry-run", "--limit", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(ANSI);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^job \d+ VICI_IMPORT queued \(dry run\)$/);
    expect(lines.slice(1).length).toBeGreaterThanOrEqual(1);
    for (const l of lines.slice(1))
      expect(l).toMatch(
        /^job \d+ VICI_IMPORT (QUEUED|RUNNING|SUCCEEDED) .*created \d+ updated \d+ linked \d+ skipped \d+ unchanged \d+ conflicts \d+ errors \d+$/,
      );
    expect(lines[lines.length - 1]).toMatch(/SUCCEEDED importing: 2\/2 \(100\.0%\)/);
    expect(r.stdout).toMatch(
      /^job \d+ VICI_IMPORT SUCCEEDED in \d+s \(dry run: nothing was written\)\n  processed 2\/2  created 2  updated 0/,
    );
    expect(await brainLeads()).toEqual([]);
  });

  it("import-to-brain --json: one JSON object with the final job and its issue counts", async () => {
    const r = await cli(["import-to-brain", "--campaigns=Auto2", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = json(r);
    expect(out.job).toMatchObject({
      kind: "VICI_IMPORT",
      state: "SUCCEEDED",
      dryRun: false,
      processed: 4,
      total: 4,
      created: 3,
      updated: 0,
      linked: 0,
      skipped: 1,
      conflicts: 0,
      errors: 0,
      options: expect.objectContaining({ campaigns: ["Auto2"] }),
    });
    expect(out.job.startedBy).toMatch(/^cli:/);
    expect(out.issues).toEqual({ total: 1, byKind: { SKIPPED: 1 } });
    importJobId = out.job.id;
    const leads = await brainLeads();
    expect(leads.map((l) => [l.phone, l.meta.vici_lead_id])).toEqual([
      ["+17275550001", 1],
      ["+17275550002", 2],
      ["+17275550003", 3],
    ]);
  });

  it("update-vendor-codes --json writes Brain's ids into VICIdial", async () => {
    const r = await cli(["update-vendor-codes", "--campaigns=Auto2", "--json"]);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.job).toMatchObject({
      kind: "VENDOR_CODES",
      state: "SUCCEEDED",
      processed: 4,
      updated: 3,
      skipped: 1,
      conflicts: 0,
    });
    vendorJobId = out.job.id;
    const leads = await brainLeads();
    const codes = await vendorCodes();
    expect([codes[1], codes[2], codes[3]]).toEqual(leads.map((l) => l.ext));
    expect(codes[5]).toBeNull();
  });

  it("jobs --json lists them newest first; rollback --dry-run --json changes nothing", async () => {
    const before = await vendorCodes();
    const jobs = await cli(["jobs", "--json"]);
    const rollback = await cli(["rollback", vendorJobId, "--dry-run", "--json"]);
    expect(jobs.code).toBe(0);
    const listed = json(jobs).jobs.filter((j: any) => j.kind !== "ROLLBACK");
    expect(listed.map((j: any) => [j.id, j.kind, j.state, j.dryRun])).toEqual([
      [vendorJobId, "VENDOR_CODES", "SUCCEEDED", false],
      [importJobId, "VICI_IMPORT", "SUCCEEDED", false],
      [expect.any(String), "VICI_IMPORT", "SUCCEEDED", true],
    ]);

    expect(rollback.code).toBe(0);
    expect(json(rollback).job).toMatchObject({
      kind: "ROLLBACK",
      state: "SUCCEEDED",
      dryRun: true,
      parentJobId: vendorJobId,
    });
    expect(await vendorCodes()).toEqual(before);
  });

  it("audit --json and health --json report the state", async () => {
    const audit = await cli(["audit", "--campaigns=Auto2,Autodial", "--json"]);
    const health = await cli(["health", "--campaigns=Auto2", "--cutover", "2026-01-01", "--json"]);
    expect(audit.code).toBe(0);
    const report = json(audit);
    expect(report.campaigns.map((c: any) => [c.campaignId, c.rows, c.rowsWithVendorCode])).toEqual([
      ["Auto2", 4, 3],
      ["Autodial", 1, 0],
    ]);
    expect(report.viciNotInBrain).toMatchObject({ count: 2, sampleLeadIds: [4, 5] });

    expect(health.code).toBe(0);
    const h = json(health);
    expect(h.campaigns).toEqual(["Auto2"]);
    expect(h.vendorCodeShare).toMatchObject({ count: 3, total: 4, met: false });
    expect(h.brainLinkedShare).toMatchObject({ count: 3, total: 3, met: true });
    // Every Auto2 row was loaded straight into VICIdial after the cut-over: imported and given
    // Brain ids by the write-back since, none came through Brain (no push names it).
    expect(h.createdOutsideBrain).toMatchObject({ count: 4, total: 4, met: false, sampleLeadIds: [1, 2, 3, 4] });
  });

  /** Ctrl-C on a job waiting for a gateway cancels it (exit 130). */
  const ctrlC = async () => {
    let interrupted = false;
    // JOBS_RUN=false: this process only queues the job and follows its row (what it does
    // when a gateway elsewhere runs it).
    const cancelled = await spawnCli(["import-to-brain", "--campaigns=Autodial"], envFor({ JOBS_RUN: "false" }), {
      onStderr: (text, child) => {
        if (!interrupted && text.includes("waiting for a gateway")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(cancelled.code).toBe(130);
    expect(cancelled.stderr).toMatch(/JOBS_RUN=false: job (\d+) is queued; waiting for a gateway to run it/);
    expect(cancelled.stderr).toMatch(/cancelling job \d+\.\.\./);
    expect(cancelled.stdout).toMatch(/^job (\d+) VICI_IMPORT CANCELLED/);
    const id = /^job (\d+)/.exec(cancelled.stdout)![1];
    expect(
      await brain.query("SELECT state, cancel_requested, processed::int FROM sync_jobs WHERE id = $1", [id]),
    ).toEqual([{ state: "CANCELLED", cancel_requested: true, processed: 0 }]);
  };

  /** A reader that closes the pipe early ends the command quietly (no EPIPE trace, exit 0). */
  const closedPipe = async () => {
    const [first, closed] = await Promise.all([
      // As the README writes it: npx finds the package's own bin.
      spawnCli([], envFor(), { shell: "npx vici-brain jobs | head -1" }),
      // The reader is gone before anything is written; pipefail: the code is vici-brain's.
      spawnCli([], envFor(), { shell: "vici-brain jobs --limit 500 | true" }),
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^id\s+kind\s+state/);
    expect(first.stdout.trim().split("\n")).toHaveLength(1);
    expect(closed.stderr).toBe("");
    expect(closed.code).toBe(0);
  };

  /** npm start hands the process over to node, so SIGTERM to npm stops the gateway; a current dist/ is not rebuilt. */
  const npmStart = async () => {
    const stamp = path.join(ROOT, "dist", ".build-stamp");
    const built = fs.statSync(stamp).mtimeMs;
    // JOBS_RUN=false: this gateway must not run the job ctrlC leaves queued.
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: envFor({ PORT: "0", JOBS_RUN: "false" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      npm.stdout!.on("data", (d) => {
        out += d;
        const m = /GraphQL API: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      void exited.then(() => reject(new Error(`npm start exited before serving:\n${out}`)));
    });
    const health = url.replace(/\/graphql$/, "/healthz");
    expect((await fetch(health)).status).toBe(200);
    npm.kill("SIGTERM");
    await exited;
    await expect(fetch(health)).rejects.toThrow(); // nothing answers: no orphaned gateway
    expect(fs.statSync(stamp).mtimeMs).toBe(built);
  };

  it("as processes, side by side: Ctrl-C cancels (130); a closed pipe ends quietly (0); SIGTERM to npm start stops the gateway", async () => {
    await Promise.all([ctrlC(), closedPipe(), npmStart()]);
  });

  it("a failing job exits 1 with the job FAILED and its error", async () => {
    // As root (DDL): the gateway's user could not break its own database this way.
    const t = parseMysqlUrl(viciRootUrl(dbNameFor(__filename)));
    const root = await connectServer(t, t.database);
    await root.query("RENAME TABLE vicidial_log TO vicidial_log_away");
    try {
      const r = await cli(["import-to-brain", "--campaigns=Autodial", "--json"]);
      expect(r.code).toBe(1);
      const out = json(r);
      expect(out.job).toMatchObject({ kind: "VICI_IMPORT", state: "FAILED", processed: 0 });
      expect(out.job.error).toMatch(/vicidial_log/);
    } finally {
      await root.query("RENAME TABLE vicidial_log_away TO vicidial_log");
      await root.end();
    }
  });

  it("import-csv with a bad row: exit 3 (rows rejected), the row reported; --max-errors 0 fails the job (exit 1)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-csv-")), "leads.csv");
    fs.writeFileSync(file, "Phone Number,First Name,Notes\n(727) 555-0001,Ann,x\nnot a phone,Bob,y\n");
    const r = await cli([
      "import-csv",
      file,
      "--match-vici",
      "--map",
      "Phone Number=phone",
      "--map",
      "First Name=firstName",
      "--map",
      "Notes=",
      "--json",
    ]);
    expect(r.code).toBe(3);
    const out = json(r);
    expect(out.job).toMatchObject({
      kind: "CSV_IMPORT",
      state: "SUCCEEDED",
      processed: 2,
      created: 0,
      skipped: 1,
      errors: 1,
    });
    expect(out.job.options.csv).toMatchObject({
      path: file,
      matchVici: true,
      updateExisting: false,
      mapping: { "Phone Number": "phone", "First Name": "firstName", Notes: "" },
    });
    expect(out.issues).toEqual({ total: 2, byKind: { ERROR: 1, SKIPPED: 1 } });
    expect(r.stdout + r.stderr).not.toContain("5550001");

    const strict = await cli([
      "import-csv",
      file,
      "--match-vici",
      "--map",
      "Phone Number=phone",
      "--map",
      "Notes=",
      "--max-errors",
      "0",
      "--json",
    ]);
    expect(strict.code).toBe(1);
    expect(json(strict).job).toMatchObject({
      state: "FAILED",
      errors: 1,
      error: expect.stringMatching(/^more than 0 bad rows \(maxErrors\)/),
    });
    const clean = path.join(path.dirname(file), "clean.csv");
    fs.writeFileSync(clean, "phone\n7275550002\n");
    expect((await cli(["import-csv", clean, "--match-vici", "--json"])).code).toBe(0);
  });

  it("keys create prints the secret once; list shows ids, never secrets; revoke refuses the key from then on", async () => {
    const made = await cli(["keys", "create", "--name", "crm", "--role", "writer", "--scope", "pii", "--json"]);
    expect(made.code).toBe(0);
    const { apiKey, key } = json(made);
    expect(apiKey).toMatchObject({
      name: "crm",
      role: "writer",
      scopes: ["pii"],
      revokedAt: null,
      createdBy: expect.stringMatching(/^cli:/),
    });
    expect(key).toMatch(new RegExp(`^vbg_${apiKey.id}_[A-Za-z0-9_-]{43}$`));
    const secret = key.slice(`vbg_${apiKey.id}_`.length);

    const text = await cli(["keys", "create", "--name", "dash", "--role", "reader"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /created key [0-9a-f]{12} "dash" \(reader\)\n\n  vbg_[0-9a-f]{12}_\S{43}\n\nThis is the only time the key is shown/,
    );

    const list = await cli(["keys", "list"]);
    const bad = await cli(["keys", "create", "--name", "x", "--role", "boss"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${apiKey.id}\\s+crm\\s+writer\\s+pii`));
    expect(list.stdout + list.stderr).not.toContain(secret);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must be one of reader, writer, operator, admin/);

    const revoked = await cli(["keys", "revoke", apiKey.id, "--json"]);
    expect(revoked.code).toBe(0);
    expect(json(revoked).apiKey).toMatchObject({ id: apiKey.id, revokedAt: expect.any(String) });
    const [{ revoked_at }] = await brain.query("SELECT revoked_at FROM api_keys WHERE id = $1", [apiKey.id]);
    expect(revoked_at).toBeInstanceOf(Date);
    const missing = await cli(["keys", "revoke", "ffffffffffff", "--json"]);
    expect(missing.code).toBe(1);
    expect(json(missing).error.code).toBe("NOT_FOUND");
  });
});

describe("vici-brain CLI against the demo's databases", () => {
  it("places a campaign's rows in the demo's lists, as serve --demo does, with no list settings", async () => {
    const name = dbNameFor(__filename, "demo");
    const [demoBrain, demoVici] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
    const config = loadConfig({
      BRAIN_DATABASE_URL: demoBrain,
      VICI_DATABASE_URL: demoVici,
      VICI_TIMEZONE: "America/New_York",
      LOG_LEVEL: "silent",
    });
    await loadDemo(config, pino({ level: "silent" }), { leads: 40 });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-demo-")), "leads.csv");
    fs.writeFileSync(file, "phone,first_name,campaign\n(808) 555-0199,Demo,Auto2\n");
    const r = await runCli(["import-csv", file, "--json"], {
      ...envFor(),
      BRAIN_DATABASE_URL: demoBrain,
      VICI_DATABASE_URL: demoVici,
    });
    expect(json(r).job).toMatchObject({ state: "SUCCEEDED", created: 1, errors: 0 });
    expect(r.code).toBe(0);
  });
});
