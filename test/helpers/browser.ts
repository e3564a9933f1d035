import { execFileSync } from "node:child_process";
import { statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * Real headless Chromium for the gateway's browser pages: Debian's `chromium` (browser
 * downloads fail on these machines; .ci/run installs it), driven by playwright-core. The
 * network is refused to anything but the gateway, twice over: Chromium resolves no host name
 * but the gateway's, and every request and WebSocket to another origin is aborted and recorded
 * in `refused`, so a test can assert that a page asked for nothing outside the machine.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ROOT = join(__dirname, "..", "..");

export interface TestBrowser {
  browser: Browser;
  /** A new isolated context (own storage), with the same refusals. */
  newPage(): Promise<Page>;
  /** URLs of requests and WebSockets to anything but `origin`, refused. */
  refused: string[];
  /** Uncaught page errors and console errors. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(origin: string): Promise<TestBrowser> {
  const { hostname } = new URL(origin);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox", // CI runs as root
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      // No name resolves but the gateway's: a page that reaches out cannot even look a host up.
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${hostname}`,
    ],
  });
  const refused: string[] = [];
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  const allowed = (url: string) => {
    try {
      const u = new URL(url);
      return u.host === new URL(origin).host || u.protocol === "data:" || u.protocol === "blob:";
    } catch {
      return false;
    }
  };
  return {
    browser,
    refused,
    pageErrors,
    async newPage() {
      const context = await browser.newContext();
      contexts.push(context);
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (allowed(url)) return route.continue();
        refused.push(url);
        return route.abort("blockedbyclient");
      });
      await context.routeWebSocket(/.*/, (ws) => {
        if (allowed(ws.url())) return ws.connectToServer();
        refused.push(ws.url());
        return ws.close();
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") pageErrors.push(m.text());
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** Newest modification time under `path` (files and folders). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

/**
 * Builds the browser pages (Vite, into dist/web) when they are missing or older than their
 * sources, so a test never serves a stale bundle. CI has built them already (npm ci).
 */
export function ensureWebPagesBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, "dist", "web", "ide", "index.html")).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newest(join(ROOT, "web")), newest(join(ROOT, "vite.config.mts")), newest(join(ROOT, "package-lock.json")));
  if (built >= sources) return;
  execFileSync(join(ROOT, "node_modules", ".bin", "vite"), ["build"], { cwd: ROOT, stdio: "pipe" });
}
