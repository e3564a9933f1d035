import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { seedDemoVici } from "../src/vici/demo-data";
import { Role } from "../src/auth/roles";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { connectServer } from "../src/vici/vici-ddl";
import { instantToViciLocal } from "../src/vici/rules/vici-time";
import { openBrowser, type TestBrowser } from "./helpers/browser";
import { dbNameFor, freshViciDb, MYSQL_SERVER } from "./helpers/databases";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";

/**
 * The operations console as an operator uses it: real headless Chromium on /console, every
 * request to anything but the gateway refused. One gateway and one browser for the file; the
 * gateway reaches VICIdial through a TCP relay the last test cuts. Screenshots of every page
 * go to test-output/console/ (git-ignored) for review.
 */
jest.setTimeout(180_000);

// Globals of the page, for the functions page.evaluate runs there (the project compiles without DOM types).
declare const window: any;
declare const document: any;
declare const localStorage: { getItem(key: string): string | null };
declare const MutationObserver: any;
declare const PerformanceObserver: any;

const SHOTS = join(__dirname, "..", "test-output", "console");
const TZ = "America/New_York";
/** Demo VICIdial rows: Auto2 alone holds far more than the 100 rows the tests import. */
const VICI_LEADS = 1200;

let gw: TestGateway;
let web: TestBrowser;
let origin: string;
let vici: TcpProxy;
/** The admin's console tab, shared by the tests that act as an admin. */
let admin: Page;

async function openConsole(key: string, path = "/console"): Promise<Page> {
  const page = await web.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${origin}${path}#key=${key}`);
  await page.getByTestId("viewer").waitFor();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Goes to a console path the way a person does: its link in the navigation, or the address bar. */
async function go(page: Page, path: string): Promise<void> {
  await page.goto(`${origin}/console${path}`);
  await page.getByTestId("viewer").waitFor();
}

const jobIdOf = (page: Page) => /\/console\/jobs\/(\d+)$/.exec(page.url())?.[1] ?? null;

/** The page of a job (another than `leaving`'s, when given) once it shows `state`. */
async function waitForJobPage(page: Page, state: RegExp, leaving?: string): Promise<string> {
  await page.waitForURL(
    (u) => /^\/console\/jobs\/\d+$/.test(u.pathname) && (!leaving || u.pathname !== `/console/jobs/${leaving}`),
  );
  await page.locator(".status-line .badge").filter({ hasText: state }).waitFor({ timeout: 60_000 });
  return jobIdOf(page)!;
}

/** Page errors except the HTTP statuses the console shows as typed errors (a 503 when Vici is down, ...). */
const unexpectedPageErrors = () =>
  web.pageErrors.filter(
    (e) => !/Failed to load resource: the server responded with a status of (400|401|403|503)/.test(e),
  );

async function startForm(
  page: Page,
  opts: { campaign: string; dryRun: boolean; limit: number; batchSize: number },
): Promise<void> {
  await page.getByTestId("start-job").click();
  await page.getByTestId("start-form").waitFor();
  await page.getByRole("checkbox", { name: new RegExp(`^${opts.campaign}\\b`) }).check();
  await page.locator("input[name=dryRun]").setChecked(opts.dryRun);
  await page.locator("input[name=limit]").fill(String(opts.limit));
  await page.locator("input[name=batchSize]").fill(String(opts.batchSize));
  await page.getByRole("button", { name: /^Start / }).click();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The gateway's VICIdial URL, through a relay: the database freshViciDb creates for this file.
  const name = dbNameFor(__filename);
  const direct = new URL(await freshViciDb(name));
  vici = await startTcpProxy(direct.hostname, Number(direct.port || 3306));
  const relayed = new URL(direct);
  relayed.port = String(vici.port);
  // JOBS_RUN=false: the first job waits QUEUED until the test starts the runner, so its bar is seen from 0%.
  gw = await startTestGateway(__filename, {
    JOBS_RUN: "false",
    VICI_DATABASE_URL: relayed.toString(),
    VICI_DEFAULT_LIST_ID: "1001",
    VICI_TIMEZONE: TZ,
  });
  const root = parseMysqlUrl(`${MYSQL_SERVER}/${name}`);
  const conn = await connectServer(root, root.database);
  try {
    await seedDemoVici(conn, { leads: VICI_LEADS, timeZone: TZ, now: new Date("2026-11-20T12:00:00Z") });
  } finally {
    await conn.end();
  }
  origin = new URL(gw.url).origin;
  web = await openBrowser(origin);
  admin = await openConsole(gw.adminKey);
});

afterAll(async () => {
  await web?.close();
  await gw?.stop();
  await vici?.close();
});

describe("the operations console in a browser (headless Chromium, outside network refused)", () => {
  it("GET /console serves the bundled page with no secret in it; it asks for a key, keeps it in this browser, and takes a #key= link's out of the address bar", async () => {
    const res = await fetch(`${origin}/console/jobs/42?state=RUNNING`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const html = await res.text();
    expect(html).toContain('src="/web/assets/');
    expect(html).not.toMatch(/vbg_|https?:\/\//i);

    const page = await web.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${origin}/console/outbox?state=FAILED`);
    await page.getByTestId("key-prompt").waitFor();
    await shot(page, "0-key-prompt");
    await page.locator("#api-key").fill(gw.adminKey);
    await page.getByRole("button", { name: "Use key" }).click();
    // The page asked for stays the page shown.
    await page.getByRole("tab", { name: "Failed", selected: true }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("vici-brain:api-key"))).toBe(gw.adminKey);
    expect(page.url()).toBe(`${origin}/console/outbox?state=FAILED`);
    // A reload keeps the page and its state (the URL holds it).
    await page.reload();
    await page.getByRole("tab", { name: "Failed", selected: true }).waitFor();
    await page.close();

    // The admin tab opened with the demo-style link: the key is stored, the fragment gone.
    expect(admin.url()).toBe(`${origin}/console/jobs`);
    expect(web.refused).toEqual([]);
  });

  it("starts a dry-run import with limit 100 and watches its bar go from 0% to 100% without moving anything on the page", async () => {
    const page = admin;
    await go(page, "/jobs");
    await page.getByText("No job yet").waitFor();
    await startForm(page, { campaign: "Auto2", dryRun: true, limit: 100, batchSize: 10 });
    const id = await waitForJobPage(page, /QUEUED/);
    const bar = page.getByRole("progressbar");
    expect(await bar.getAttribute("aria-valuenow")).toBe("0");

    // Record every value the bar shows, and every layout shift, while the job streams.
    await page.evaluate(() => {
      const el = document.querySelector("[role=progressbar]");
      window.__seen = [Number(el.getAttribute("aria-valuenow"))];
      new MutationObserver(() => window.__seen.push(Number(el.getAttribute("aria-valuenow")))).observe(el, {
        attributes: true,
        attributeFilter: ["aria-valuenow"],
      });
      window.__shift = 0;
      new PerformanceObserver((list: any) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          window.__shift += e.value;
          window.__shifts = [
            ...(window.__shifts ?? []),
            `${e.value}: ` +
              e.sources
                .map(
                  (x: any) =>
                    `${x.node?.nodeName} ${x.node?.parentElement?.className ?? x.node?.className} "${x.node?.textContent?.slice(0, 30)}" ${x.previousRect.x},${x.previousRect.y},${x.previousRect.width} -> ${x.currentRect.x},${x.currentRect.y},${x.currentRect.width}`,
                )
                .join(" | "),
          ];
        }
      }).observe({ type: "layout-shift" });
    });
    await gw.app.jobs.start(); // the runner takes the job now; its batches stream to the page

    await page.locator(".status-line .badge").filter({ hasText: "SUCCEEDED" }).waitFor({ timeout: 60_000 });
    await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
    expect(await page.getByTestId("progress-rows").innerText()).toBe("100 / 100 rows");
    expect(await page.locator('[data-counter="processed"]').innerText()).toBe("100");
    const seen: number[] = await page.evaluate(() => window.__seen);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // never backwards
    expect({
      shift: await page.evaluate(() => window.__shift),
      moved: await page.evaluate(() => window.__shifts ?? []),
    }).toEqual({ shift: 0, moved: [] });

    const job = await gw.app.services.syncJobs.get(id);
    expect(job).toMatchObject({
      kind: SyncJobKind.VICI_IMPORT,
      dryRun: true,
      state: "SUCCEEDED",
      processed: 100,
      total: 100,
    });
    const [{ n }] = await gw.app.brain.query("SELECT count(*)::int AS n FROM leads");
    expect(n).toBe(0); // a dry run writes nothing
    await shot(page, "1-job-dry-run");
    // The list shows it with its counters.
    await page.getByRole("navigation").getByRole("link", { name: "Jobs" }).click();
    await page.locator(`tr[data-job="${id}"]`).getByText("SUCCEEDED").waitFor();
    await shot(page, "2-jobs");
  });

  it("runs a real import (confirmed), previews its rollback as a dry run, then rolls it back", async () => {
    const page = admin;
    await gw.app.jobs.start();
    await go(page, "/jobs");
    await startForm(page, { campaign: "Auto2", dryRun: false, limit: 100, batchSize: 50 });
    // A job that writes is confirmed first.
    const dialog = page.getByRole("dialog");
    await dialog.getByText("This is not a dry run").waitFor();
    await dialog.getByRole("button", { name: "Start, writing" }).click();
    const importId = await waitForJobPage(page, /SUCCEEDED/);
    const counter = async (name: string) =>
      Number((await page.locator(`[data-counter="${name}"]`).innerText()).replace(/,/g, ""));
    const created = await counter("created");
    expect(created).toBeGreaterThan(0);
    const count = async () =>
      (await gw.app.brain.query("SELECT count(*)::int AS n FROM leads WHERE origin = 'vici_import'"))[0].n;
    // The leads it made: its `created` rows, and new leads whose first row holds a vendor code
    // the lead could not take (counted in `conflicts`).
    const leads = await count();
    expect(leads).toBeGreaterThanOrEqual(created);
    expect(leads).toBeLessThanOrEqual(created + (await counter("conflicts")));

    // The preview: a dry-run ROLLBACK, on its own page, changing nothing.
    await page.getByTestId("rollback-preview").click();
    const previewId = await waitForJobPage(page, /SUCCEEDED/, importId);
    expect(previewId).not.toBe(importId);
    await page.getByTestId("rollback-panel").getByText(`Rollback preview of job #${importId}`).waitFor();
    expect(await counter("updated")).toBe(leads);
    expect(await count()).toBe(leads);
    await shot(page, "3-rollback-preview");

    // The real rollback, from the preview, confirmed.
    await page.getByTestId("rollback-for-real").click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: `Roll back job #${importId}` })
      .click();
    const rollbackId = await waitForJobPage(page, /SUCCEEDED/, previewId);
    expect(await count()).toBe(0);
    const rollback = await gw.app.services.syncJobs.get(rollbackId);
    expect(rollback).toMatchObject({
      kind: SyncJobKind.ROLLBACK,
      dryRun: false,
      parentJobId: importId,
      updated: leads,
    });
    // The import's page says who undid it, and offers no second rollback.
    await go(page, `/jobs/${importId}`);
    await page.getByText(`Rolled back by job #${rollbackId}`).waitFor();
    expect(await page.getByTestId("rollback-preview").count()).toBe(0);
  });

  it("cancels a running job from its page", async () => {
    const page = admin;
    await gw.app.jobs.start();
    await go(page, "/jobs/new?kind=FULL");
    await page.getByRole("checkbox", { name: /^Auto2\b/ }).check();
    await page.getByRole("checkbox", { name: /^Autodial\b/ }).check();
    await page.locator("input[name=batchSize]").fill("1");
    await page.getByRole("button", { name: "Start dry run" }).click();
    const id = await waitForJobPage(page, /RUNNING/);
    await page.getByTestId("cancel-job").click();
    await page.locator(".status-line .badge").filter({ hasText: "CANCELLED" }).waitFor({ timeout: 60_000 });
    const job = await gw.app.services.syncJobs.get(id);
    expect(job.state).toBe("CANCELLED");
    expect(job.processed).toBeLessThan(job.total!);
    expect(await page.getByTestId("cancel-job").isVisible()).toBe(false);
  });

  it("pauses intake (confirmed, with its reason), shows a queued lead waiting and a failed one with its error, resumes, and sees them pushed", async () => {
    const page = admin;
    await go(page, "/outbox");
    await page.getByTestId("intake-state").getByText("Pushing").waitFor();
    await page.getByTestId("intake-toggle").click();
    const dialog = page.getByRole("dialog");
    // The reason is required before the switch flips.
    expect(await dialog.getByRole("button", { name: "Pause intake" }).isDisabled()).toBe(true);
    await dialog.getByTestId("pause-reason").fill("carrier outage drill");
    await dialog.getByRole("button", { name: "Pause intake" }).click();
    await page.getByTestId("intake-state").getByText("Paused").waitFor();
    expect(await page.getByTestId("intake-reason").innerText()).toBe("carrier outage drill");
    expect((await gw.app.services.intakeSwitch.state()).paused).toBe(true);

    const create = async (phone: string, firstName: string) => {
      const r = await gw.gql(
        `mutation($input: CreateLeadInput!) { createLead(input: $input) { viciAction lead { id externalLeadId } } }`,
        {
          input: { phone, firstName, lastName: "Console" },
        },
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.createLead.viciAction).toBe("QUEUED");
      return r.body.data.createLead.lead as { id: string; externalLeadId: string };
    };
    const queued = await create("+1 (312) 555-0142", "Queued");
    const failed = await create("+1 (312) 555-0143", "Failing");
    // A push VICIdial refused for good (as a refused login ends).
    await gw.app.brain.query(
      "UPDATE vici_pushes SET state = 'FAILED', attempts = 1, last_error = 'VICIdial refused the login (ERROR: Invalid Username/Password)' WHERE lead_id = $1",
      [failed.id],
    );

    await page.locator(`tr[data-lead="${queued.externalLeadId}"]`).getByText("PENDING").waitFor();
    await page.getByTestId("outbox-counts").getByText("1 pending").waitFor();
    await shot(page, "4-outbox-paused");

    await page.getByTestId("intake-toggle").click();
    await page.getByRole("dialog").getByRole("button", { name: "Resume intake" }).click();
    await page.getByTestId("intake-state").getByText("Pushing").waitFor();
    // The queued lead leaves the pending list: it is in VICIdial now.
    await page.locator(`tr[data-lead="${queued.externalLeadId}"]`).waitFor({ state: "detached" });
    await page.getByRole("tab", { name: "Done" }).click();
    await page.locator(`tr[data-lead="${queued.externalLeadId}"]`).getByText("DONE").waitFor();
    expect(page.url()).toBe(`${origin}/console/outbox?state=DONE`);
    const inVici = async (code: string) =>
      (await gw.app.vici.query("SELECT count(*) AS n FROM vicidial_list WHERE vendor_lead_code = ?", [code]))[0].n;
    expect(Number(await inVici(queued.externalLeadId))).toBe(1);

    // The failed one waits for an operator: its error shows, Retry pushes it.
    await page.getByRole("tab", { name: "Failed" }).click();
    const row = page.locator(`tr[data-lead="${failed.externalLeadId}"]`);
    await row.getByText("Invalid Username/Password").waitFor();
    await shot(page, "5-outbox-failed");
    await row.getByRole("button", { name: "Retry" }).click();
    await row.waitFor({ state: "detached" });
    await page.getByRole("tab", { name: "Done" }).click();
    await page.locator(`tr[data-lead="${failed.externalLeadId}"]`).getByText("DONE").waitFor();
    expect(Number(await inVici(failed.externalLeadId))).toBe(1);
  });

  it("shows a recently called number's deferred push under Deferred, with when it is tried", async () => {
    const page = admin;
    // A number VICIdial called 29 days ago (its wall clock): the push waits a day.
    const called = new Date(Math.floor((Date.now() - 29 * 86_400_000) / 1000) * 1000);
    await gw.app.vici.query(
      "INSERT INTO vicidial_list (lead_id, list_id, phone_code, phone_number, status) VALUES (9901, 1001, '1', '3125550146', 'NA')",
    );
    await gw.app.vici.query(
      "INSERT INTO vicidial_log (uniqueid, lead_id, list_id, call_date, status, phone_number) VALUES ('9901.1', 9901, 1001, ?, 'NA', '3125550146')",
      [instantToViciLocal(called, TZ)],
    );
    const r = await gw.gql(
      `mutation { createLead(input: { phone: "+1 312 555 0146", firstName: "Dora", lastName: "Deferred" }) { viciAction callableAt lead { externalLeadId } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createLead).toMatchObject({
      viciAction: "DEFERRED",
      callableAt: new Date(called.getTime() + 30 * 86_400_000).toISOString(),
    });
    await go(page, "/outbox");
    await page
      .getByTestId("outbox-counts")
      .getByText(/[1-9]\d* deferred/)
      .waitFor();
    await page.getByRole("tab", { name: "Deferred" }).click();
    expect(page.url()).toBe(`${origin}/console/outbox?state=DEFERRED`);
    const row = page.locator(`tr[data-lead="${r.body.data.createLead.lead.externalLeadId}"]`);
    await row.getByText("DEFERRED", { exact: true }).waitFor();
    expect(await row.getByTestId("callable-at").innerText()).toMatch(/^recently called: tried \w{3} \d{1,2}, \d{4}, /);
    expect(await row.innerText()).toContain("RECENTLY_CALLED: last called");
    await shot(page, "5c-outbox-deferred");
  });

  it("lists a field update that met a newer VICIdial edit under Conflicts, with the value kept and the one lost", async () => {
    const page = admin;
    const created = await gw.gql(
      `mutation { createLead(input: { phone: "+1 312 555 0144", firstName: "Cora", lastName: "Console" }) { viciAction lead { id externalLeadId } } }`,
    );
    expect(created.body.data.createLead.viciAction).toBe("CREATED");
    const lead = created.body.data.createLead.lead as { id: string; externalLeadId: string };
    await gw.app.services.intakeSwitch.set(true, "hold the update");
    const updated = await gw.gql(
      `mutation($id: ID!) { updateLead(input: { id: $id, firstName: "Corabelle" }) { viciPush { id } } }`,
      { id: lead.id },
    );
    expect(updated.body.data.updateLead.viciPush).not.toBeNull();
    // Meanwhile an agent fixes the name in VICIdial: the newer edit.
    await gw.app.vici.query("UPDATE vicidial_list SET first_name = 'Coralie' WHERE vendor_lead_code = ?", [
      lead.externalLeadId,
    ]);
    await gw.app.services.intakeSwitch.set(false, null);
    await gw.app.services.pusher.drain();

    await go(page, "/outbox");
    await page
      .getByTestId("outbox-counts")
      .getByText(/[1-9]\d* in conflict/)
      .waitFor();
    await page.getByRole("tab", { name: "Conflicts" }).click();
    expect(page.url()).toBe(`${origin}/console/outbox?state=CONFLICT`);
    const row = page.locator(`tr[data-lead="${lead.externalLeadId}"]`);
    await row.getByText("CONFLICT").waitFor();
    expect(await row.getByRole("cell", { name: "fields" }).count()).toBe(1);
    expect(await row.getByTestId("field-conflicts").innerText()).toMatch(
      /firstName on Vici lead \d+: VICIdial's newer value \W?Coralie\W? kept, \W?Corabelle\W? lost/,
    );
    await shot(page, "5b-outbox-conflict");
  });

  it("finds a lead by phone or name and shows the merged lead: Brain, every Vici row, status category, last call, do-not-call and why", async () => {
    const page = admin;
    // A phone the demo VICIdial has on several rows.
    const [row] = await gw.app.vici.query(
      "SELECT phone_number AS phone FROM vicidial_list WHERE phone_code = '1' GROUP BY phone_number HAVING count(*) >= 2 ORDER BY phone_number LIMIT 1",
    );
    const r = await gw.gql(
      `mutation($input: CreateLeadInput!) { createLead(input: $input) { viciAction lead { id doNotCall doNotCallReason doNotCallUntil } } }`,
      {
        input: { phone: `+1${row.phone}`, firstName: "Merged", lastName: "Lookup" },
      },
    );
    expect(r.body.errors).toBeUndefined();
    const lead = r.body.data.createLead.lead;
    await go(page, "/leads");
    await page.getByText("Type a phone number").waitFor();
    await page
      .getByLabel("Phone or name")
      .fill(`(${row.phone.slice(0, 3)}) ${row.phone.slice(3, 6)}-${row.phone.slice(6)}`);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("leads").getByRole("link", { name: "Merged Lookup" }).click();
    await page.waitForURL(`${origin}/console/leads/${lead.id}`);
    const viciRows = await gw.app.vici.query("SELECT lead_id FROM vicidial_list WHERE phone_number = ?", [row.phone]);
    await page
      .getByTestId("vici-rows")
      .locator("tbody tr")
      .nth(viciRows.length - 1)
      .waitFor();
    expect(await page.getByTestId("vici-rows").locator("tbody tr").count()).toBe(viciRows.length);
    const dnc = await page.getByTestId("lead-dnc").innerText();
    const why = lead.doNotCall
      ? `do not call${lead.doNotCallReason ? `: ${lead.doNotCallReason}` : ""}`
      : "may be called";
    // A recency flag shows when it lifts.
    if (lead.doNotCall && lead.doNotCallUntil)
      expect(dnc).toMatch(new RegExp(`^${why} until \\w{3} \\d{1,2}, \\d{4}, `));
    else expect(dnc).toBe(why);
    expect(await page.getByTestId("lead-facts").innerText()).toContain(`+1${row.phone}`);
    await shot(page, "6-lead");
    // By name, from the address bar (the search lives in the URL).
    await go(page, "/leads?q=Lookup");
    await page.getByTestId("leads").getByRole("link", { name: "Merged Lookup" }).waitFor();
    await shot(page, "7-leads");
  });

  it("shows the success metrics, the audit per campaign and the drift over time (each audit is the day's snapshot)", async () => {
    const page = admin;
    await go(page, "/health?campaigns=Auto2,Autodial");
    await page.getByTestId("metric-vendor-codes").locator(".big").filter({ hasText: "%" }).waitFor({ timeout: 60_000 });
    await page.getByTestId("audit-campaigns").getByText("Autodial").waitFor({ timeout: 60_000 });
    const audit = await gw.app.services.audit.audit(["Auto2", "Autodial"]);
    expect(await page.locator('[data-drift="viciNotInBrain"] .big').innerText()).toBe(
      audit.viciNotInBrain.count.toLocaleString("en-US"),
    );
    // The audit the page ran is today's point of the chart for this campaign set.
    await page.getByTestId("drift-chart").locator("circle").first().waitFor();
    const history = await gw.app.services.drift.history({ campaignIds: ["autodial", "AUTO2"], days: 30 });
    expect(history).toHaveLength(1);
    expect(history[0].viciNotInBrain).toBe(audit.viciNotInBrain.count);
    // Follow mode's panel (syncStatus): nobody follows this test gateway's VICIdial.
    await page.getByTestId("follow-lag").locator(".big").filter({ hasText: "off" }).waitFor();
    // The scope is in the URL: a reload measures the same campaigns.
    await page.reload();
    await page.getByRole("checkbox", { name: "Autodial" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Autodial" }).isChecked()).toBe(true);
    await shot(page, "8-health");
  });

  it("creates a key (shown once) and revokes one, as an admin", async () => {
    const page = admin;
    await go(page, "/keys");
    await page.getByTestId("create-key").getByLabel("Name").fill("night shift");
    await page.getByTestId("create-key").getByRole("combobox").selectOption("OPERATOR");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByTestId("new-key").getByRole("textbox").inputValue();
    expect(secret).toMatch(/^vbg_[0-9a-f]{12}_/);
    const id = /^vbg_([0-9a-f]{12})_/.exec(secret)![1];
    await shot(page, "9-keys");
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.getByTestId("new-key").count()).toBe(0);
    // The list never shows a secret.
    expect(await page.getByTestId("keys").innerText()).not.toContain(secret.slice(18));
    await page.locator(`tr[data-key="${id}"]`).getByRole("button", { name: "Revoke…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await page.locator(`tr[data-key="${id}"].revoked`).waitFor();
    await expect(gw.app.services.apiKeys.authenticate(secret)).rejects.toMatchObject({
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("a reader key sees no operator or admin buttons on any page, and the gateway refuses those operations anyway", async () => {
    const readerKey = await gw.createKey(Role.READER);
    const [job] = await gw.app.services.syncJobs.list({ first: 1 });
    const page = await openConsole(readerKey, "/console/jobs");
    await page.getByTestId("jobs").waitFor();
    expect(await page.getByTestId("start-job").count()).toBe(0);
    expect(await page.getByRole("navigation").getByRole("link", { name: "Keys" }).count()).toBe(0);
    for (const [path, wait] of [
      [`/jobs/${job.id}`, "progress"],
      ["/outbox", "intake"],
      ["/health", "metrics"],
    ] as const) {
      await go(page, path);
      await page.getByTestId(wait).waitFor();
      for (const button of ["cancel-job", "rollback-preview", "rollback-for-real", "intake-toggle", "retry-all"])
        expect(await page.getByTestId(button).count()).toBe(0);
      expect(await page.getByRole("button", { name: /Retry|Cancel|Pause|Resume|Roll back/ }).count()).toBe(0);
    }
    await shot(page, "10-outbox-reader");
    await go(page, "/jobs/new");
    await page.getByText("Starting jobs needs an operator key.").waitFor();
    await go(page, "/keys");
    await page.getByText("Managing keys needs an admin key.").waitFor();
    // Phones are masked for a key without pii.
    await go(page, "/leads?q=Lookup");
    const phone = await page.getByTestId("leads").locator("tbody tr td").nth(1).innerText();
    expect(phone).toMatch(/^\+1\*{6}\d{4}$/);

    // What the buttons would send, sent anyway from this page with this key: refused.
    const refused = await page.evaluate(async (key: string) => {
      const send = async (query: string) => {
        const res = await fetch("/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ query }),
        });
        const body: any = await res.json();
        return [res.status, body.errors?.[0]?.extensions?.code];
      };
      return [
        await send("mutation { startSync(input: { kind: VICI_IMPORT, dryRun: true, limit: 1 }) { id } }"),
        await send('mutation { pauseIntake(reason: "no") { paused } }'),
        await send("mutation { retryFailedViciPushes }"),
        await send('mutation { createApiKey(input: { name: "x", role: ADMIN }) { key } }'),
      ];
    }, readerKey);
    expect(refused).toEqual([
      [403, "FORBIDDEN"],
      [403, "FORBIDDEN"],
      [403, "FORBIDDEN"],
      [403, "FORBIDDEN"],
    ]);
    expect((await gw.app.services.intakeSwitch.state()).paused).toBe(false);
    await page.close();
  });

  it("a revoked key is sent back to the key prompt, and forgotten", async () => {
    const key = await gw.createKey(Role.OPERATOR);
    const page = await openConsole(key, "/console/outbox");
    await page.getByTestId("intake").waitFor();
    await gw.app.services.apiKeys.revoke(/^vbg_([0-9a-f]{12})_/.exec(key)![1]);
    await page.getByRole("navigation").getByRole("link", { name: "Jobs" }).click();
    await page.getByTestId("key-refused").waitFor();
    await page.getByTestId("key-prompt").waitFor();
    expect(await page.evaluate(() => localStorage.getItem("vici-brain:api-key"))).toBeNull();
    await shot(page, "11-key-refused");
    await page.close();
  });

  it("is usable from the keyboard, and fits 1280×800 and a 1366×768 laptop without sideways scrolling", async () => {
    const page = admin;
    await go(page, "/jobs");
    // Tab to the navigation, Enter follows the link.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.textContent)) === "Outbox") break;
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(`${origin}/console/outbox`);
    // The pause dialog opens from the keyboard, and Escape leaves everything as it was.
    await page.getByTestId("intake-toggle").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("pause-reason");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect((await gw.app.services.intakeSwitch.state()).paused).toBe(false);

    for (const size of [
      { width: 1280, height: 800 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      for (const path of [
        "/jobs",
        "/jobs/1",
        "/jobs/new?kind=CSV_IMPORT",
        "/health",
        "/outbox?state=ALL",
        "/leads?q=Console",
        "/keys",
      ]) {
        await go(page, path);
        await page.locator("main h1").first().waitFor();
        await page.waitForLoadState("networkidle");
        const [scrollWidth, innerWidth] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          window.innerWidth,
        ]);
        expect({ path, size, fits: scrollWidth <= innerWidth }).toEqual({ path, size, fits: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("starts a CSV import from a file: a file that is not UTF-8 is refused in the page until its encoding is chosen", async () => {
    const page = admin;
    await go(page, "/jobs/new?kind=CSV_IMPORT");
    const latin1 = Buffer.from(
      "phone,first_name,last_name\n+13125550177,Jos\xe9,Mu\xf1oz\n+13125550178,Ana,Pe\xf1a\nnot a phone,Bad,Row\n",
      "latin1",
    );
    await page.locator("input[type=file]").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: latin1 });
    await page.getByRole("button", { name: "Start dry run" }).click();
    await page.getByTestId("error-banner").getByText("leads.csv is not UTF-8 text").waitFor();
    await page.getByLabel("Encoding").selectOption("windows-1252");
    await page.getByRole("button", { name: "Start dry run" }).click();
    const id = await waitForJobPage(page, /SUCCEEDED/);
    const job = await gw.app.services.syncJobs.get(id);
    expect(job).toMatchObject({ kind: SyncJobKind.CSV_IMPORT, dryRun: true, processed: 3, created: 2 });
    expect((job.options.csv as { content: string }).content).toContain("José,Muñoz");
    // The bad row is in the issues table with its line, and in the report the page downloads.
    const issue = page.getByTestId("issues").locator("tbody tr").first();
    await issue.waitFor();
    expect(await issue.locator("td").nth(1).innerText()).toBe("4");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-report").click()]);
    expect(download.suggestedFilename()).toBe(`job-${id}-report.csv`);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe("id,kind,line,vici_lead_id,brain_lead_id,reason");
    expect(lines).toHaveLength(2);
    expect(lines[1].split(",").slice(1, 3)).toEqual([await issue.locator("td").nth(0).innerText(), "4"]);
  });

  it("says VICI_UNAVAILABLE when VICIdial's database is down, and still shows Brain's data", async () => {
    const page = admin;
    vici.down();
    try {
      await go(page, "/leads?q=Lookup");
      await page.getByTestId("error-banner").getByText("VICI_UNAVAILABLE").waitFor();
      await page.getByTestId("leads").getByRole("link", { name: "Merged Lookup" }).waitFor();
      // Its Vici fields are unknown, not "not linked".
      expect(await page.getByTestId("leads").locator("tbody tr td").nth(4).innerText()).toBe("unknown");
      await shot(page, "12-vici-down");
      // The lead's page: Brain's facts, and the outage where VICIdial's rows would be.
      await page.getByTestId("leads").getByRole("link", { name: "Merged Lookup" }).click();
      await page.getByTestId("lead-facts").getByText("+1").first().waitFor();
      await page.getByTestId("error-banner").getByText("VICI_UNAVAILABLE").first().waitFor();
      expect(await page.getByTestId("vici-rows").count()).toBe(0);
    } finally {
      vici.up();
    }
    expect(unexpectedPageErrors()).toEqual([]);
    expect(web.refused).toEqual([]);
  });
});
