import express from "express";
import cors from "cors";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { RequestContext } from "../context";
import {
  errorCode,
  markOperation,
  markRefusal,
  operationObserver,
  refusalObserver,
} from "../observability/graphql-plugin";
import { observeHttp, observabilityRouter, requestIdOf } from "../observability/http";
import { checkReadiness } from "../observability/readiness";
import { clientAddress, requireKey } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { unmaskPiiErrorsPlugin } from "../auth/pii-errors";
import { Role } from "../auth/roles";
import { webhookRouter } from "../http/webhook";
import { jobReportRouter } from "../http/job-report";
import { webAssetsRouter, webPage } from "../http/web-pages";
import { bodyErrorHandler, lastErrorHandler } from "../security/body-errors";
import { ConcurrencyGate, requestLimits } from "../security/concurrency-gate";
import type { GraphqlWsDeps } from "./graphql-ws";
import { CompiledExecutor } from "./compiled-executor";

/** What graphql-ws stands on, and the databases the health routes ask. */
export interface HttpAppDeps extends GraphqlWsDeps {
  brain: DataSource;
  vici: DataSource;
  /** Run when Apollo drains (stop): closes what else serves on this HTTP server (graphql-ws). */
  drain: () => Promise<void>;
}

/**
 * The HTTP side: Apollo at /graphql (the pipeline's key check in its context, query limits and
 * error shaping in its plugins and formatError, the statement limit as express middleware), the
 * webhook, the job report, health and metrics, the IDE and console pages. Started and attached
 * to `httpServer`; returns Apollo (its stop drains the server).
 */
export async function startHttpApp({
  httpServer,
  schema,
  pipeline,
  config,
  services,
  metrics,
  log,
  brain,
  vici,
  drain,
}: HttpAppDeps): Promise<ApolloServer<RequestContext>> {
  const apollo = new ApolloServer<RequestContext>({
    // The schema and a compiled executor for its queries (Apollo's only way to take one).
    gateway: new CompiledExecutor(schema).gateway(),
    // The IDE needs the schema; every request still needs a key.
    introspection: config.env !== "production" || config.graphql.ide,
    // Unexpected errors are logged whole (with their stack) in any case.
    includeStacktraceInErrorResponses: config.graphql.debug,
    allowBatchedHttpRequests: false,
    // Refuses "simple" requests a browser would send cross-site without a preflight.
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT: it stops the whole app (Apollo, WS, both databases).
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => pipeline.formatError(formatted, error),
    plugins: [
      operationObserver(metrics),
      unmaskPiiErrorsPlugin(),
      // No cache hints here; Apollo's default cache-control plugin would wrap every field's
      // resolver (willResolveField) for nothing: a quarter of a 100-lead page's allocations.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      pipeline.queryLimitsPlugin(),
      // Never Apollo's landing page (its sandbox loads from a CDN): GET /graphql in a browser
      // is our own bundled GraphiQL when config.graphql.ide is on (webPage below).
      ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: drain }) },
    ],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.use(observeHttp(metrics, log));
  // Where this deployment follows VICIdial, its lag degrades /readyz (whichever process follows).
  const followLag =
    config.follow.intervalMs > 0
      ? async () => {
          const s = await services.follower.status();
          return { lagSeconds: s.lagSeconds, following: s.following, maxLagSeconds: config.follow.maxLagMs / 1000 };
        }
      : undefined;
  app.use(observabilityRouter(metrics, () => checkReadiness(brain, vici, config.readiness.timeoutMs, followLag)));
  const limits = requestLimits(pipeline.statementTimeoutMs);
  app.use(webhookRouter(config.webhook.secret, services.leadCreation, log, limits));
  app.use("/sync-jobs", requireKey(services.apiKeys, pipeline.authLimits, Role.READER), limits);
  app.use(jobReportRouter(services.syncJobRepo, config.phone.defaultRegion));
  if (config.graphql.ide || config.graphql.console) app.use(webAssetsRouter());
  if (config.graphql.ide) app.get("/graphql", webPage("ide"));
  // The console's own paths (/console/jobs/42, ...) are its pages too: a reload keeps the page.
  if (config.graphql.console) app.get(["/console", "/console/{*page}"], webPage("console"));
  app.use(
    "/graphql",
    // Before the body is read: a queued operation holds nothing but its socket.
    new ConcurrencyGate(config.limits.maxConcurrentOperations).middleware(),
    refusalObserver(metrics, log),
    cors(),
    express.json({ limit: config.limits.maxBodyBytes }),
    bodyErrorHandler(config.limits.maxBodyBytes),
    limits,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        let principal: Principal;
        try {
          principal = await pipeline.authenticate(req.headers, clientAddress(req));
        } catch (e) {
          if (e instanceof GraphQLError) markRefusal(res, errorCode(e));
          throw e;
        }
        markOperation(res);
        return pipeline.context(principal, req.headers, requestIdOf(res));
      },
    }),
  );
  app.use(lastErrorHandler(log));
  httpServer.on("request", app);
  return apollo;
}
