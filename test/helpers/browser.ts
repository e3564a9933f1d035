import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/**
 * Real headless Chromium for the gateway's browser pages: Debian's `chromium` (browser
 * downloads fail on these machines; .ci/run installs it), driven by playwright-core. The
 * network is refused to anything but the gateway, twice over: Chromium resolves no host name
 * but the gateway's, and every request and WebSocket to another origin is aborted and recorded
 * in `refused`, so a test can assert that a page asked for nothing outside the machine. The
 * pages are the ones `npm run build` bundled into dist/web (test/global-setup.ts builds them).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
