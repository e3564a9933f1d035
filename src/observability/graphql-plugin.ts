import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context";
import type { GatewayMetrics } from "./metrics";

/** Codes are labels: anything not shaped like one of ours or Apollo's is folded. */
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * One log line and the metrics per GraphQL operation over HTTP: name, type, duration and the
 * error codes. Variables are never logged (they hold phone numbers). graphql-ws subscriptions
 * do not pass through Apollo's plugins.
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
          for (const e of rc.errors) {
            const code = e.extensions?.code;
            codes.push(typeof code === "string" && CODE.test(code) ? code : code === undefined ? "INTERNAL_SERVER_ERROR" : "OTHER");
          }
        },
        async willSendResponse(rc) {
          const seconds = (performance.now() - started) / 1000;
          const name = (rc.operationName ?? rc.request.operationName ?? null)?.slice(0, 100) ?? null;
          metrics.operationDuration.observe({ operation: metrics.operationLabel(name), type }, seconds);
          for (const code of codes) metrics.errors.inc({ code });
          contextValue.log.info(
            { operation: name, type, ms: Math.round(seconds * 1000), status: rc.response.http.status ?? 200, errors: codes },
            "graphql operation",
          );
        },
      };
    },
  };
}
