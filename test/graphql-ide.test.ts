import pino from "pino";
import type { Page } from "playwright-core";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { openBrowser, type TestBrowser } from "./helpers/browser";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { startTestGateway, type TestGateway } from "./helpers/gateway";

/**
 * The GraphQL IDE as a person uses it: real headless Chromium on GET /graphql, with every
 * request to anything but the gateway refused. The page is the gateway's own bundle of
 * GraphiQL (nothing from a CDN), carries no key, and runs a query over HTTP and a
 * subscription over graphql-ws with the key the user gives it.
 */
jest.setTimeout(120_000);

// Globals of the page, for the functions page.evaluate runs there (the project compiles without DOM types).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };
declare const localStorage: { getItem(key: string): string | null };
declare const location: { href: string };

let gw: TestGateway;
let web: TestBrowser;
let origin: string;

beforeAll(async () => {
  // JOBS_RUN=false: a job stays QUEUED until the test starts the runner (the subscription first).
  gw = await startTestGateway(__filename, { JOBS_RUN: "false" });
  origin = new URL(gw.url).origin;
  const vici = gw.app.vici;
  await insertSystemStatuses(vici);
  await insertVici(vici, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(vici, "vicidial_lists", [{ list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(vici, "vicidial_list", [
    {
      lead_id: 1,
      phone_number: "7275550001",
      phone_code: "1",
      list_id: 1001,
      status: "NEW",
      entry_date: "2026-01-15 10:00:00",
    },
  ]);
  web = await openBrowser(origin);
});

afterAll(async () => {
  await web?.close();
  await gw?.stop();
});

/** GraphiQL's editors are CodeMirror 5 instances. */
async function setEditor(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .CodeMirror`).first().waitFor();
  await page.evaluate(
    ([sel, value]) =>
      (
        document.querySelector(`${sel} .CodeMirror`) as unknown as { CodeMirror: { setValue(v: string): void } }
      ).CodeMirror.setValue(value),
    [selector, text] as const,
  );
}

/** What the result pane shows (its CodeMirror document). */
const resultText = (page: Page) =>
  page.evaluate(() =>
    (
      document.querySelector(".result-window .CodeMirror") as unknown as { CodeMirror: { getValue(): string } }
    ).CodeMirror.getValue(),
  );

/** Types an operation into the query editor and runs it (once GraphiQL has named its tab after it). */
async function run(page: Page, operationName: string, query: string): Promise<void> {
  await setEditor(page, ".graphiql-query-editor", query);
  await page.getByRole("tab", { name: operationName }).waitFor();
  await page.locator(".graphiql-execute-button").click();
}

describe("GraphQL IDE in a browser (headless Chromium, outside network refused)", () => {
  it("GET /graphql serves the bundled GraphiQL with no secret in it", async () => {
    const res = await fetch(gw.url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    const html = await res.text();
    expect(html).toContain('src="/web/assets/');
    expect(html).not.toMatch(/vbg_|apollo|cdn|https?:\/\//i);
    expect(html).not.toContain(gw.adminKey);
    // GraphQL clients still get GraphQL on the same URL.
    const api = await fetch(`${gw.url}?query=${encodeURIComponent("{__typename}")}`, {
      headers: { ...gw.authHeaders, "apollo-require-preflight": "1" },
    });
    expect(await api.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("asks for a key, then runs a query over HTTP and a subscription over graphql-ws; docs, history, variables and headers are there", async () => {
    const page = await web.newPage();
    await page.goto(gw.url);
    await page.getByText("Paste an API key").waitFor();
    await page.locator("#vb-key").fill(gw.adminKey);
    await page.getByRole("button", { name: "Use key" }).click();
    await page.getByTestId("key-id").waitFor();
    expect(await page.getByTestId("key-id").innerText()).toBe(/^vbg_([0-9a-f]{12})_/.exec(gw.adminKey)![1]);
    expect(await page.evaluate(() => localStorage.getItem("vici-brain:api-key"))).toBe(gw.adminKey);

    // A query, its result on screen.
    await run(page, "Campaigns", "query Campaigns { campaigns { campaignId name } }");
    await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes("Auto Two"));
    expect(JSON.parse(await resultText(page))).toEqual({
      data: { campaigns: [{ campaignId: "Auto2", name: "Auto Two" }] },
    });

    // The panes a person expects: docs (from introspection), history, variables, headers.
    await page.getByRole("button", { name: /Show Documentation Explorer/i }).click();
    await page.getByText("Root Types").waitFor();
    await page.getByRole("link", { name: "SyncJobProgress" }).first().waitFor();
    await page.getByRole("button", { name: /Show History/i }).click();
    await page.locator(".graphiql-history").getByText("Campaigns").waitFor();
    await page.getByRole("button", { name: "Variables", exact: true }).waitFor();
    await page.getByRole("button", { name: "Headers", exact: true }).waitFor();

    // A subscription over graphql-ws: a queued job's progress, streamed to its end.
    const job = await gw.app.services.syncJobs.start(
      { kind: SyncJobKind.VICI_IMPORT, campaigns: ["Auto2"], dryRun: true },
      "test",
    );
    await run(page, "Progress", `subscription Progress { syncJobProgress(id: "${job.id}") { state processed final } }`);
    await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes("QUEUED"));
    await gw.app.jobs.start(); // now the job runs; its events reach the page
    await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes("SUCCEEDED"));
    expect(JSON.parse(await resultText(page))).toEqual({
      data: { syncJobProgress: { state: "SUCCEEDED", processed: 1, final: true } },
    });

    expect(web.refused).toEqual([]);
    expect(web.pageErrors).toEqual([]);
  });

  it("takes the key from the demo's link fragment (never sent to the server) and drops it from the address bar", async () => {
    const page = await web.newPage();
    const seen: string[] = [];
    page.on("request", (r) => seen.push(r.url()));
    await page.goto(`${gw.url}#key=${gw.adminKey}`);
    await page.getByTestId("key-id").waitFor();
    expect(await page.evaluate(() => location.href)).toBe(gw.url);
    expect(await page.evaluate(() => localStorage.getItem("vici-brain:api-key"))).toBe(gw.adminKey);
    expect(seen.filter((u) => u.includes(gw.adminKey))).toEqual([]);
    // The schema loaded with that key: the docs show the API's types.
    await page.getByRole("button", { name: /Show Documentation Explorer/i }).click();
    await page.getByText("Root Types").waitFor();
    await page.getByRole("link", { name: "SyncJobProgress" }).first().waitFor();
    expect(web.refused).toEqual([]);
  });
});

describe("GraphQL IDE switch", () => {
  /** A second gateway on the same databases with other settings. */
  async function gatewayWith(env: Record<string, string>) {
    const app = createApp(loadConfig({ ...gw.env, PORT: "0", ...env }), { log: pino({ level: "silent" }) });
    return { app, url: await app.start() };
  }

  it("is off with NODE_ENV=production, on again with GRAPHQL_IDE=true", async () => {
    const prod = await gatewayWith({ NODE_ENV: "production" });
    try {
      const res = await fetch(prod.url, { headers: { accept: "text/html" } });
      expect(res.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
      expect(await res.text()).not.toContain("/web/assets/");
      expect((await fetch(new URL("/web/assets/", prod.url))).status).toBe(404);
    } finally {
      await prod.app.stop();
    }
    const on = await gatewayWith({ NODE_ENV: "production", GRAPHQL_IDE: "true" });
    try {
      const res = await fetch(on.url, { headers: { accept: "text/html" } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('src="/web/assets/');
    } finally {
      await on.app.stop();
    }
  });
});
