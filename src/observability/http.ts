import { randomUUID } from "node:crypto";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { Logger } from "pino";
import { maskPhonesInLogText } from "../logger";
import type { GatewayMetrics } from "./metrics";
import type { Readiness } from "./readiness";

export const REQUEST_ID_HEADER = "x-request-id";
/** Short, printable, and not something the log masking would alter (a phone number as an id). */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane (a proxy's or client's id ties logs together), else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && SANE_ID.test(given) && maskPhonesInLogText(given) === given ? given : randomUUID();
}

/** The request id this middleware gave the request (also in the X-Request-Id response header). */
export function requestIdOf(res: Response): string {
  return res.locals.requestId as string;
}

/** Mounts that are not express routes (no req.route): their path is the label. */
const MOUNTS = new Set(["/graphql"]);

/** A label of bounded cardinality: the route pattern, never the raw URL (ids, query strings). */
function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl ?? ""}${req.route.path}`;
  const path = req.originalUrl.split("?")[0].replace(/\/+$/, "") || "/";
  return MOUNTS.has(path) ? path : "unmatched";
}

/** First middleware: the request id (echoed back), then latency by route and status when the response ends. */
export function observeHttp(metrics: GatewayMetrics, log: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    const started = performance.now();
    res.once("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(req);
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      log.debug(
        { requestId: id, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        "http request",
      );
    });
    next();
  };
}

/** GET /healthz (the process answers), /readyz (it can serve: 200 or 503 naming the failed check), /metrics. */
export function observabilityRouter(metrics: GatewayMetrics, readiness: () => Promise<Readiness>): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    const r = await readiness();
    res
      .status(r.ready ? 200 : 503)
      .json({ status: !r.ready ? "not ready" : r.degraded ? "degraded" : "ready", checks: r.checks });
  });
  router.get("/metrics", async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
