import type http from "node:http";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { execute, GraphQLError, parse, subscribe, type GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { Services } from "../services";
import type { GatewayMetrics } from "../observability/metrics";
import { errorCode } from "../observability/graphql-plugin";
import { WsOperationObserver } from "../observability/ws-observer";
import { clientAddress } from "../auth/authenticate";
import { keyFromHeaders } from "../auth/api-key";
import { WsKeyRecheck } from "../auth/ws-key-recheck";
import type { Principal } from "../auth/principal";
import { RateLimitedError } from "../errors/errors";
import { runInRequest } from "../util/request-scope";
import type { RequestPipeline } from "./request-pipeline";

export interface GraphqlWsDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  pipeline: RequestPipeline;
  config: AppConfig;
  services: Services;
  metrics: GatewayMetrics;
  log: Logger;
}

/**
 * GraphQL over graphql-ws at /graphql (subscriptions, and any operation a socket sends).
 * graphql-ws bypasses Apollo (its plugins, CSRF, body limit): the pipeline's key check, rate
 * limit, query limits, statement limit and error shaping are applied here again. Returns what
 * closes it (the sockets, the key recheck).
 */
export function serveGraphqlWs({ httpServer, schema, pipeline, config, services, metrics, log }: GraphqlWsDeps): {
  dispose(): Promise<void>;
} {
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const principals = new WeakMap<object, Principal>();
  const recheck = new WsKeyRecheck(services.apiKeys, config.auth.wsRecheckMs, log);
  const observer = new WsOperationObserver(metrics, log);
  // A graphql-ws operation's statements run under the request limits, as an HTTP one's do.
  const limits = { statementTimeoutMs: pipeline.statementTimeoutMs };
  const cleanup = useServer(
    {
      schema,
      execute: (args) => runInRequest(limits, () => execute(args)),
      subscribe: (args) => runInRequest(limits, () => subscribe(args)),
      onConnect: async (ctx) => {
        try {
          const key = keyFromParams(ctx.connectionParams);
          await pipeline.authenticateKey(key, clientAddress(ctx.extra.request));
          recheck.track(ctx.extra.socket, key);
          return true;
        } catch (e) {
          // 4401 for a missing or bad key (returning false alone would say 4403 Forbidden), 4429 for an address that failed too often.
          const code = e instanceof RateLimitedError ? 4429 : 4401;
          ctx.extra.socket.close(code, e instanceof GraphQLError ? e.message.slice(0, 120) : "Unauthorized");
          observer.refused(e instanceof GraphQLError ? errorCode(e) : "UNAUTHENTICATED");
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        try {
          // Per operation: a key revoked after the socket opened stops working here too.
          principals.set(
            ctx,
            await pipeline.authenticate(keyParams(ctx.connectionParams), clientAddress(ctx.extra.request)),
          );
          let document;
          try {
            document = parse(payload.query);
          } catch (e) {
            // The code Apollo gives a syntax error over HTTP.
            if (e instanceof GraphQLError)
              return [
                new GraphQLError(e.message, {
                  source: e.source,
                  positions: e.positions,
                  extensions: { code: "GRAPHQL_PARSE_FAILED" },
                }),
              ];
            throw e;
          }
          pipeline.enforceQueryLimits(schema, document, payload.operationName, payload.variables ?? undefined);
        } catch (e) {
          if (e instanceof GraphQLError) return [e];
          throw e;
        }
      },
      context: (ctx, id, _payload, args) => {
        const c = pipeline.context(principals.get(ctx)!);
        observer.started(ctx, id, c, args);
        return c;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        const errors = observer.errors(ctx, id, null, result.errors);
        return { ...result, errors: errors.map((e) => pipeline.formatSocketError(e, principals.get(ctx) ?? null)) };
      },
      onError: (ctx, id, payload, errors) =>
        observer
          .errors(ctx, id, payload.operationName, errors)
          .map((e) => pipeline.formatSocketError(e, principals.get(ctx) ?? null)),
      onComplete: (ctx, id) => observer.completed(ctx, id),
    },
    wsServer,
  );
  return {
    async dispose() {
      recheck.stop();
      await cleanup.dispose();
    },
  };
}

/** graphql-ws connectionParams as credentials: `{ authorization: "Bearer <key>" }` or `{ apiKey }`. */
function keyParams(params: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return params ?? {};
}

function keyFromParams(params: Readonly<Record<string, unknown>> | undefined): string | null {
  return keyFromHeaders(keyParams(params));
}
