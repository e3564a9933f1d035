import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type RequestHandler, type Router } from "express";
import { packageRoot } from "../util/package-root";

/** Where `npm run build` puts the browser pages (Vite, vite.config.mts): one folder per page, assets shared. */
export const WEB_DIST = join(packageRoot(), "dist", "web");

/**
 * Pages run only code and styles of this origin; they talk to this origin over HTTP and
 * WebSocket. Nothing is loaded from elsewhere, which also makes the promise checkable.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL's editors and animations set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** The built pages' assets, at /web/ (file names carry a content hash: cached for good). */
export function webAssetsRouter(): Router {
  const router = express.Router();
  router.use(
    "/web/assets",
    express.static(join(WEB_DIST, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }),
  );
  return router;
}

/**
 * Serves a built page (e.g. "ide") to browsers: a GET that prefers text/html. Anything else
 * (GraphQL over GET, another Accept) goes on to `next`. The page carries no secret: a key is
 * pasted into it, or read from the URL fragment, in the browser.
 */
export function webPage(name: string): RequestHandler {
  const file = join(WEB_DIST, name, "index.html");
  return (req, res, next) => {
    if (
      req.method !== "GET" ||
      req.accepts(["application/json", "application/graphql-response+json", "text/html"]) !== "text/html"
    )
      return next();
    if (!existsSync(file)) {
      res.status(503).type("text/plain").send(`The ${name} page is not built: run npm run build.\n`);
      return;
    }
    res.setHeader("Content-Security-Policy", PAGE_CSP);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.sendFile(file);
  };
}
