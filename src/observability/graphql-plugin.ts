import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { RequestHandler, Response } from "express";
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { RequestContext } from "../context";
import { GatewayError } from "../errors/errors";
import type { GatewayMetrics } from "./metrics";
import { maskPhonesInText } from "../util/phone";

/** A client-chosen operation name as logs show it: cut short, phone numbers masked (`_1*******0142`). */
export function loggedOperationName(name: string | null | undefined): string | null {
  return name ? maskPhonesInText(name.slice(0, 100)) : null;
}

/** Codes are labels: anything not shaped like one of ours or Apollo's is folded. */
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/** An error's code as a metric label and log field; an error without one is an internal error. */
export function errorCode(e: GraphQLError): string {
  const code = e.extensions?.code;
  return typeof code === "string" && CODE.test(code) ? code : code === undefined ? "INTERNAL_SERVER_ERROR" : "OTHER";
}

/** Neither ours (a GatewayError) nor a code Apollo or graphql-ws gave: a bug or an outage nobody named. */
export function isUnexpected(e: GraphQLError): boolean {
  const code = e.extensions?.code;
  return (code === undefined || code === "INTERNAL_SERVER_ERROR") && !(unwrapResolverError(e) instanceof GatewayError);
}

/** Unexpected errors, whole (stack included), on the operation's logger: the line carries its request id. */
export function logUnexpected(log: Logger, errors: readonly GraphQLError[]): void {
  for (const e of errors)
    if (isUnexpected(e)) log.error({ err: unwrapResolverError(e), path: e.path }, "unexpected error");
}

/**
 * One log line and the metrics per GraphQL operation over HTTP: name, type, duration and the
 * error codes. Variables are never logged (they hold phone numbers). graphql-ws operations
 * bypass Apollo's plugins: WsOperationObserver does the same for them.
 */
export function operationObserver(metrics: GatewayMetrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let type = "unknown";
      const codes: string[] = [];
      return {
        async didResolveOperation(rc) {
          type = rc.operation?.operation ?? type;
        },
        async didEncounterErrors(rc) {
          codes.push(...rc.errors.map(errorCode));
          logUnexpected(contextValue.log, rc.errors);
        },
        async willSendResponse(rc) {
          const seconds = (performance.now() - started) / 1000;
          const name = rc.operationName ?? rc.request.operationName ?? null;
          metrics.operationDuration.observe(
            { operation: metrics.operationLabel(name, contextValue.principal?.keyId), type },
            seconds,
          );
          for (const code of codes) metrics.errors.inc({ code });
          contextValue.log.info(
            {
              operation: loggedOperationName(name),
              type,
              ms: Math.round(seconds * 1000),
              status: rc.response.http.status ?? 200,
              errors: codes,
            },
            "graphql operation",
          );
        },
      };
    },
  };
}

/** Set by whoever refused a /graphql request before it became an operation: the code to log and count. */
export function markRefusal(res: Response, code: string): void {
  res.locals.graphqlRefusal = code;
}

/** Set once a request has its context: from then on operationObserver logs and counts it. */
export function markOperation(res: Response): void {
  res.locals.graphqlOperation = true;
}

/**
 * Requests to /graphql refused before they became an operation — no or a bad key (401), the
 * rate limit (429), a body too large (413), Apollo's CSRF and request-shape checks (400) — get
 * the same log line and error count as an operation, with their code. Apollo's plugins never
 * see them: they are refused before the context exists.
 */
export function refusalObserver(metrics: GatewayMetrics, log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once("finish", () => {
      if (res.locals.graphqlOperation || res.statusCode < 400) return;
      const code =
        typeof res.locals.graphqlRefusal === "string"
          ? res.locals.graphqlRefusal
          : res.statusCode === 400
            ? "BAD_REQUEST"
            : "INTERNAL_SERVER_ERROR";
      const raw = (req.body as { operationName?: unknown } | undefined)?.operationName;
      const name = typeof raw === "string" ? raw.slice(0, 100) : null;
      const seconds = (performance.now() - started) / 1000;
      metrics.operationDuration.observe({ operation: metrics.operationLabel(name), type: "unknown" }, seconds);
      metrics.errors.inc({ code });
      log.info(
        {
          requestId: res.locals.requestId,
          operation: loggedOperationName(name),
          type: "unknown",
          ms: Math.round(seconds * 1000),
          status: res.statusCode,
          errors: [code],
        },
        "graphql operation",
      );
    });
    next();
  };
}
