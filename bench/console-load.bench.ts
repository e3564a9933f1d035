/**
 * `npm run bench:console [-- --leads 3000 --runs 10 --no-record]`: the operations console's
 * size and first load on loopback.
 *
 *   a. Size: the JavaScript and CSS /console loads (its index.html's script, modulepreloads and
 *      stylesheet, as `npm run build` wrote them), raw and gzipped (zlib level 9), and whether
 *      any of it is GraphiQL's.
 *   b. Load: a demo gateway (`bench_console_brain` / `bench_console_vici`, recreated, N demo
 *      leads, one finished dry-run job) in this process, and Debian's Chromium. Each cold run is
 *      a new browser context (empty cache) opening /console/jobs#key=...: DOMContentLoaded, and
 *      "jobs shown" (the jobs table on screen: the key checked, the jobs read) in ms since the
 *      navigation started, from the page's own clock. Warm runs reload in the same context
 *      (the assets cached, immutable). Health: a cold /console/health until the metrics and the
 *      audit are shown (they read VICIdial).
 *   c. A JSON result, and a row in BENCHMARKS.md's "Console: size and first load (issue 16)".
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import pino from "pino";
import { chromium, type Browser, type Page } from "playwright-core";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { ensureBrainDatabase } from "../src/data-sources/brain-database";
import { loadDemo, withDemoLists } from "../src/demo/load-demo";
import { WEB_DIST } from "../src/http/web-pages";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { recreateViciDatabase } from "../src/vici/vici-ddl";
import { CHROMIUM_PATH } from "../test/helpers/browser";
import { arg, flag, fmt, log, recordRows, versions } from "./bench-util";

const LEADS = Number(arg("leads") ?? 3000);
const RUNS = Number(arg("runs") ?? 10);
const BRAIN_URL = "postgres://postgres@127.0.0.1:5432/bench_console_brain";
const VICI_URL = "mysql://root@127.0.0.1:3306/bench_console_vici";

const SECTION = "## Console: size and first load (issue 16)";
const INTRO =
  "`npm run bench:console` (`bench/console-load.bench.ts`): the JavaScript and CSS /console loads (raw and gzip -9), " +
  "and its first load on loopback in Debian's Chromium (headless) against a demo gateway in the same process: cold = a new " +
  'browser context (empty cache), warm = a reload (assets cached). "Jobs shown" = ms from navigation start until the jobs ' +
  "table is on screen (the key checked and the jobs read, side by side); Health = until the success metrics and the audit are shown. Median / max of the runs. " +
  "Targets: JavaScript under 300 kB gzipped, the console shown in under 1 s.";
const HEADER =
  "| date | machine | load average (before → after) | data | JS raw / gzip | CSS gzip | cold: DOMContentLoaded | cold: jobs shown | warm: jobs shown | cold: Health shown |\n" +
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";

interface Asset {
  file: string;
  raw: number;
  gzip: number;
}

/** What /console's index.html makes the browser load. */
function consoleAssets(): { js: Asset[]; css: Asset[] } {
  const html = fs.readFileSync(path.join(WEB_DIST, "console", "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="\/web\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const size = (file: string): Asset => {
    const body = fs.readFileSync(path.join(WEB_DIST, file));
    return { file, raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length };
  };
  return { js: refs.filter((f) => f.endsWith(".js")).map(size), css: refs.filter((f) => f.endsWith(".css")).map(size) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** ms since navigation start, by the page's clock, once `selector` is on screen. */
async function shownAt(page: Page, selector: string): Promise<number> {
  await page.locator(selector).first().waitFor({ timeout: 30_000 });
  return page.evaluate(() => Math.round(performance.now()));
}

async function main(): Promise<void> {
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const assets = consoleAssets();
  const js = { raw: assets.js.reduce((a, x) => a + x.raw, 0), gzip: assets.js.reduce((a, x) => a + x.gzip, 0) };
  const cssGzip = assets.css.reduce((a, x) => a + x.gzip, 0);
  const graphiql = assets.js.some((a) =>
    /GraphiQL|graphiql-/.test(fs.readFileSync(path.join(WEB_DIST, a.file), "utf8")),
  );
  log(
    `console JS ${assets.js.map((a) => `${a.file} ${kB(a.gzip)}`).join(", ")}: ${kB(js.raw)} raw, ${kB(js.gzip)} gzip; GraphiQL in it: ${graphiql}`,
  );

  log(`demo databases (${fmt(LEADS)} Vici leads)`);
  await recreateViciDatabase(VICI_URL);
  await ensureBrainDatabase(BRAIN_URL, { recreate: true });
  const silent = pino({ level: "silent" });
  let config = loadConfig({
    BRAIN_DATABASE_URL: BRAIN_URL,
    VICI_DATABASE_URL: VICI_URL,
    PORT: "0",
    LOG_LEVEL: "silent",
    VICI_TIMEZONE: "America/New_York",
  });
  const { key } = await loadDemo(config, silent, { leads: LEADS });
  config = withDemoLists(config);
  const app = createApp(config, { log: silent });
  const url = await app.start();
  const origin = new URL(url).origin;
  let browser: Browser | null = null;
  try {
    const job = await app.services.syncJobs.start(
      { kind: SyncJobKind.VICI_IMPORT, campaigns: ["Auto2"], dryRun: true, limit: 100 },
      "bench",
    );
    while (!["SUCCEEDED", "FAILED"].includes((await app.services.syncJobs.get(job.id)).state))
      await new Promise((r) => setTimeout(r, 100));

    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    const cold: { dcl: number; shown: number }[] = [];
    const warm: number[] = [];
    const health: number[] = [];
    const loaded = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on("response", (r) => {
        if (r.url().endsWith(".js")) loaded.add(new URL(r.url()).pathname);
      });
      await page.goto(`${origin}/console/jobs#key=${key}`);
      const shown = await shownAt(page, "[data-testid=jobs]");
      // The page's navigation entry (a browser's performance, typed here as Node's).
      const dcl = await page.evaluate(() =>
        Math.round((performance as any).getEntriesByType("navigation")[0].domContentLoadedEventEnd),
      );
      cold.push({ dcl, shown });
      await page.reload();
      warm.push(await shownAt(page, "[data-testid=jobs]"));
      await context.close();

      const hc = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const hp = await hc.newPage();
      await hp.goto(`${origin}/console/health#key=${key}`);
      await shownAt(hp, "[data-testid=metric-vendor-codes] .big:has-text('%')");
      health.push(await shownAt(hp, "[data-testid=audit-campaigns]"));
      await hc.close();
      log(
        `run ${i + 1}: cold DOMContentLoaded ${dcl} ms, jobs shown ${shown} ms; warm ${warm[i]} ms; Health ${health[i]} ms`,
      );
    }
    const expected = assets.js.map((a) => `/web/${a.file}`).sort();
    if (JSON.stringify([...loaded].sort()) !== JSON.stringify(expected))
      throw new Error(`the console loaded ${[...loaded].join(", ")}, not ${expected.join(", ")}`);

    const v = await versions(BRAIN_URL, VICI_URL);
    const cpus = os.cpus();
    const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version.slice(1)}, ${v.pg}, ${v.maria}, Chromium ${browser.version()}`;
    const date = new Date().toISOString().slice(0, 10);
    const loadAverage = `${loadBefore} → ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`;
    const data = `${fmt(LEADS)} demo Vici leads, 1 job; ${RUNS} runs`;
    const mm = (xs: number[]) => `${median(xs)} / ${Math.max(...xs)} ms`;
    const result = {
      date,
      machine,
      loadAverage,
      data,
      js: { files: assets.js, raw: js.raw, gzip: js.gzip, graphiql },
      css: assets.css,
      coldDomContentLoadedMs: cold.map((c) => c.dcl),
      coldJobsShownMs: cold.map((c) => c.shown),
      warmJobsShownMs: warm,
      coldHealthShownMs: health,
    };
    console.log(JSON.stringify(result, null, 2));
    if (!flag("no-record")) {
      recordRows(SECTION, INTRO, HEADER, [
        `| ${date} | ${machine} | ${loadAverage} | ${data} | ${kB(js.raw)} / **${kB(js.gzip)}** | ${kB(cssGzip)} | ${mm(cold.map((c) => c.dcl))} | **${mm(cold.map((c) => c.shown))}** | ${mm(warm)} | ${mm(health)} |`,
      ]);
      log("recorded in BENCHMARKS.md");
    }
  } finally {
    await browser?.close();
    await app.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
