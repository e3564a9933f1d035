import "reflect-metadata";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import cors from "cors";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { execute, GraphQLError, parse, subscribe, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { AppConfig } from "./config/app-config";
import type { RequestContext } from "./context";
import { createBrainDataSource } from "./data-sources/brain.data-source";
import { createViciDataSource } from "./data-sources/vici.data-source";
import { ViciConnection } from "./data-sources/vici-connection";
import { createLoaders } from "./loaders/loaders";
import { createLogger, redactUrl } from "./logger";
import { buildGatewaySchema } from "./schema/build-schema";
import { createServices, type Services } from "./services";
import { GatewayError, RateLimitedError } from "./errors/errors";
import { unwrapResolverError } from "@apollo/server/errors";
import { webhookRouter } from "./http/webhook";
import { jobReportRouter } from "./http/job-report";
import { webAssetsRouter, webPage } from "./http/web-pages";
import { JobRunner } from "./jobs/job-runner";
import type { JobQueueStrategy } from "./jobs/queue/job-queue-strategy";
import { InProcessJobQueueStrategy } from "./jobs/queue/in-process-job-queue-strategy";
import { createProcessors } from "./jobs/processors";
import { guardViciCalls, observeViciQueries, ViciBreaker } from "./vici/db/vici-query";
import { GatewayMetrics } from "./observability/metrics";
import { errorCode, isUnexpected, markOperation, markRefusal, operationObserver, refusalObserver } from "./observability/graphql-plugin";
import { WsOperationObserver } from "./observability/ws-observer";
import { observeHttp, observabilityRouter, requestIdOf } from "./observability/http";
import { checkReadiness, withTimeout } from "./observability/readiness";
import { authenticateKey, authenticateRequest, clientAddress, requireKey, type AuthLimits } from "./auth/authenticate";
import { keyFromHeaders } from "./auth/api-key";
import { WsKeyRecheck } from "./auth/ws-key-recheck";
import type { Principal } from "./auth/principal";
import { keepUnmaskedMessage, messageFor, unmaskPiiErrorsPlugin } from "./auth/pii-errors";
import { Role } from "./auth/roles";
import { bodyErrorHandler, lastErrorHandler } from "./security/body-errors";
import { enforceQueryLimits, queryLimitsPlugin } from "./security/query-limits";
import { AuthFailureLimiter } from "./security/rate-limiter";
import { createRateLimiter } from "./security/create-rate-limiter";
import { ConcurrencyGate, requestLimits } from "./security/concurrency-gate";
import { runInRequest } from "./util/request-scope";

export interface GatewayApp {
  readonly config: AppConfig;
  readonly brain: DataSource;
  readonly vici: DataSource;
  readonly services: Services;
  readonly log: Logger;
  /** Where sync jobs run: this process, or BullMQ workers (REDIS_URL). */
  readonly jobs: JobQueueStrategy;
  readonly role: AppRole;
  /** This app's Prometheus series (its own registry), served at /metrics. */
  readonly metrics: GatewayMetrics;
  /** Opens both databases, runs Brain's migrations, starts the pusher and the job runner (no HTTP: the CLI). */
  init(): Promise<void>;
  /** init(), then listens. Resolves with the GraphQL URL. */
  start(): Promise<string>;
  /** Drains HTTP and WebSocket clients, then closes both databases. */
  stop(): Promise<void>;
}

/**
 * `gateway` serves GraphQL; `worker` (the `worker` command) serves nothing and, with REDIS_URL,
 * consumes the job queue and runs the outbox pusher. Without REDIS_URL a gateway does both
 * itself (one process, as the quick start runs).
 */
export type AppRole = "gateway" | "worker";

export interface CreateAppOptions {
  log?: Logger;
  role?: AppRole;
  /** "Now" of each request (call verdicts asked for now); tests give a clock they control. */
  clock?: () => Date;
}

export function createApp(config: AppConfig, opts: CreateAppOptions = {}): GatewayApp {
  const role = opts.role ?? "gateway";
  const clock = opts.clock ?? (() => new Date());
  const log = opts.log ?? createLogger(config.logLevel);
  const brain = createBrainDataSource(config.brain.url, log);
  const vici = createViciDataSource(config.vici.url, log, {
    connectTimeoutMs: config.vici.connectTimeoutMs,
    queryTimeoutMs: config.vici.queryTimeoutMs,
    requestStatementTimeoutMs: config.limits.statementTimeoutMs,
  });
  const metrics = new GatewayMetrics({
    outboxBacklog: () => withTimeout(services.pusher.backlog(), config.readiness.timeoutMs),
    followStatus: () => withTimeout(services.follower.status(), config.readiness.timeoutMs),
  });
  const viciConnection = new ViciConnection(vici, config.vici.url, log, config.vici.breakerCooldownMs);
  const services = createServices(config, brain, vici, log, metrics.observeViciCall, clock);
  observeViciQueries(vici, metrics.observeViciCall);
  guardViciCalls(vici, new ViciBreaker({ failures: config.vici.breakerFailures, cooldownMs: config.vici.breakerCooldownMs }));
  const bus = metrics.observeJobBus(services.syncJobs.bus);
  const runner = new JobRunner({ brain, vici, config, log }, services.syncJobRepo, bus, createProcessors(services), {
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseMs,
    retryBackoffMs: config.jobs.retryBackoffMs,
    maxWaitMs: config.jobs.maxWaitMs,
  });
  const jobs: JobQueueStrategy = config.redis
    ? bullMqStrategy(config.redis, {
        runner,
        repo: services.syncJobRepo,
        bus,
        log,
        leaseMs: config.jobs.leaseMs,
        retryBackoffMs: config.jobs.retryBackoffMs,
        maxWaitMs: config.jobs.maxWaitMs,
      })
    : new InProcessJobQueueStrategy(runner);
  services.syncJobs.attach(jobs);
  // With Redis, background work (jobs, the outbox pusher) belongs to the workers.
  const runsBackground = !config.redis || role === "worker";
  let initialized = false;
  const init = async () => {
    if (initialized) return;
    initialized = true;
    await brain.initialize();
    const applied = await brain.runMigrations({ transaction: "each" });
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, "brain migrations applied");
    // Serves without VICIdial when it is down (and connects when it answers); a wrong URL stops here.
    await viciConnection.start();
    if (runsBackground) {
      services.pusher.start();
      if (config.jobs.run || role === "worker") await jobs.start();
    }
    // A serving gateway without Redis, or a worker: the CLI's short runs take no daily snapshot
    // and never follow VICIdial.
    if (role === "worker") {
      services.drift.start();
      services.follower.start();
    }
  };
  const httpServer = http.createServer();
  let apollo: ApolloServer<RequestContext> | null = null;
  let stopped = false;

  const rateLimiter = createRateLimiter({ perMinute: config.limits.rateLimitPerMinute, burst: config.limits.rateLimitBurst }, config.redis, log);
  const authLimits: AuthLimits = {
    requests: rateLimiter,
    failures: new AuthFailureLimiter({ perMinute: config.limits.authFailuresPerMinute, burst: config.limits.authFailuresBurst }),
  };

  const context = (
    principal: Principal,
    headers: Record<string, string | string[] | undefined> = {},
    requestId: string = randomUUID(),
  ): RequestContext => {
    const key = headers["idempotency-key"];
    return {
      requestId,
      config,
      services,
      loaders: createLoaders(services, metrics.observeLoaderBatch, clock()),
      log: log.child({ requestId }),
      idempotencyKey: (Array.isArray(key) ? key[0] : key) ?? null,
      principal,
    };
  };

  const listen = async (): Promise<string> => {
    await init();
    if (runsBackground) {
      services.drift.start();
      services.follower.start();
    }
    const schema = await buildGatewaySchema();
    const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
    // graphql-ws bypasses Apollo (its plugins, CSRF, body limit): the key, the rate limit and
    // the query limits are applied here again.
    const wsPrincipals = new WeakMap<object, Principal>();
    const wsRecheck = new WsKeyRecheck(services.apiKeys, config.auth.wsRecheckMs, log);
    const wsObserver = new WsOperationObserver(metrics, log);
    // A graphql-ws operation's statements run under the request limits, as an HTTP one's do.
    const wsLimits = { statementTimeoutMs: config.limits.statementTimeoutMs };
    const wsCleanup = useServer(
      {
        schema,
        execute: (args) => runInRequest(wsLimits, () => execute(args)),
        subscribe: (args) => runInRequest(wsLimits, () => subscribe(args)),
        onConnect: async (ctx) => {
          try {
            const key = keyFromParams(ctx.connectionParams);
            await authenticateKey(services.apiKeys, authLimits.failures, key, clientAddress(ctx.extra.request));
            wsRecheck.track(ctx.extra.socket, key);
            return true;
          } catch (e) {
            // 4401 for a missing or bad key (returning false alone would say 4403 Forbidden), 4429 for an address that failed too often.
            const code = e instanceof RateLimitedError ? 4429 : 4401;
            ctx.extra.socket.close(code, e instanceof GraphQLError ? e.message.slice(0, 120) : "Unauthorized");
            wsObserver.refused(e instanceof GraphQLError ? errorCode(e) : "UNAUTHENTICATED");
            return false;
          }
        },
        onSubscribe: async (ctx, _id, payload) => {
          try {
            // Per operation: a key revoked after the socket opened stops working here too.
            wsPrincipals.set(ctx, await authenticateRequest(services.apiKeys, authLimits, keyParams(ctx.connectionParams), clientAddress(ctx.extra.request)));
            let document;
            try {
              document = parse(payload.query);
            } catch (e) {
              // The code Apollo gives a syntax error over HTTP.
              if (e instanceof GraphQLError) return [new GraphQLError(e.message, { source: e.source, positions: e.positions, extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
              throw e;
            }
            const operation = document.definitions.find(
              (d) => d.kind === "OperationDefinition" && (!payload.operationName || d.name?.value === payload.operationName),
            );
            if (operation && operation.kind === "OperationDefinition") {
              enforceQueryLimits(schema, document, operation, payload.variables ?? undefined, config.pagination.defaultPageSize, config.limits);
            }
          } catch (e) {
            if (e instanceof GraphQLError) return [e];
            throw e;
          }
        },
        context: (ctx, id, _payload, args) => {
          const c = context(wsPrincipals.get(ctx)!);
          wsObserver.started(ctx, id, c, args);
          return c;
        },
        onNext: (ctx, id, _payload, _args, result) => {
          if (!result.errors?.length) return;
          const errors = wsObserver.errors(ctx, id, null, result.errors);
          return { ...result, errors: errors.map((e) => messageFor(formatWsError(e, config), wsPrincipals.get(ctx) ?? null)) };
        },
        onError: (ctx, id, payload, errors) =>
          wsObserver.errors(ctx, id, payload.operationName, errors).map((e) => messageFor(formatWsError(e, config), wsPrincipals.get(ctx) ?? null)),
        onComplete: (ctx, id) => wsObserver.completed(ctx, id),
      },
      wsServer,
    );

    apollo = new ApolloServer<RequestContext>({
      schema,
      // The IDE needs the schema; every request still needs a key.
      introspection: config.env !== "production" || config.graphql.ide,
      // Unexpected errors are logged whole (with their stack) in any case.
      includeStacktraceInErrorResponses: config.graphql.debug,
      allowBatchedHttpRequests: false,
      // Refuses "simple" requests a browser would send cross-site without a preflight.
      csrfPrevention: true,
      // main.ts owns SIGTERM/SIGINT: it stops the whole app (Apollo, WS, both databases).
      stopOnTerminationSignals: false,
      formatError: (formatted, error) => formatError(formatted, error, config),
      plugins: [
        operationObserver(metrics),
        unmaskPiiErrorsPlugin(),
        // No cache hints here; Apollo's default cache-control plugin would wrap every field's
        // resolver (willResolveField) for nothing: a quarter of a 100-lead page's allocations.
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginDrainHttpServer({ httpServer }),
        queryLimitsPlugin<RequestContext>(config.limits, config.pagination.defaultPageSize),
        // Never Apollo's landing page (its sandbox loads from a CDN): GET /graphql in a browser
        // is our own bundled GraphiQL when config.graphql.ide is on (webPage below).
        ApolloServerPluginLandingPageDisabled(),
        {
          serverWillStart: async () => ({
            drainServer: async () => {
              wsRecheck.stop();
              await wsCleanup.dispose();
            },
          }),
        },
      ],
    });
    await apollo.start();

    const app = express();
    app.disable("x-powered-by");
    app.use(observeHttp(metrics, log));
    // Where this deployment follows VICIdial, its lag degrades /readyz (whichever process follows).
    const followLag = config.follow.intervalMs > 0
      ? async () => {
          const s = await services.follower.status();
          return { lagSeconds: s.lagSeconds, following: s.following, maxLagSeconds: config.follow.maxLagMs / 1000 };
        }
      : undefined;
    app.use(observabilityRouter(metrics, () => checkReadiness(brain, vici, config.readiness.timeoutMs, followLag)));
    const limits = requestLimits(config.limits.statementTimeoutMs);
    app.use(webhookRouter(config.webhook.secret, services.leadIntake, log, limits));
    app.use("/sync-jobs", requireKey(services.apiKeys, authLimits, Role.READER), limits);
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
            principal = await authenticateRequest(services.apiKeys, authLimits, req.headers, clientAddress(req));
          } catch (e) {
            if (e instanceof GraphQLError) markRefusal(res, errorCode(e));
            throw e;
          }
          markOperation(res);
          return context(principal, req.headers, requestIdOf(res));
        },
      }),
    );
    app.use(lastErrorHandler(log));
    httpServer.on("request", app);

    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.http.port, config.http.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://${config.http.host}:${port}/graphql`;
    log.info(
      { url, brain: redactUrl(config.brain.url), vici: redactUrl(config.vici.url), viciTimeZone: config.vici.timeZone },
      "gateway listening",
    );
    return url;
  };

  return {
    config,
    brain,
    vici,
    services,
    log,
    jobs,
    role,
    metrics,
    init,

    async start() {
      try {
        return await listen();
      } catch (e) {
        await this.stop().catch(() => undefined);
        throw e;
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      // Requests first (they may push), then the pusher, then the databases.
      if (apollo) await apollo.stop();
      else if (httpServer.listening) await new Promise((r) => httpServer.close(r));
      await Promise.all([services.pusher.stop(), jobs.stop(), services.drift.stop(), services.follower.stop()]);
      await Promise.all([services.syncJobs.bus.close(), rateLimiter.close?.()]);
      await Promise.all([brain.isInitialized && brain.destroy(), viciConnection.close()]);
      log.info(role === "worker" ? "worker stopped" : "gateway stopped");
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

/** Loaded only with REDIS_URL: the one-process setup needs none of the Redis packages. */
function bullMqStrategy(
  ...args: ConstructorParameters<typeof import("./jobs/queue/bullmq-job-queue-strategy").BullMqJobQueueStrategy>
): JobQueueStrategy {
  const { BullMqJobQueueStrategy } = require("./jobs/queue/bullmq-job-queue-strategy") as typeof import("./jobs/queue/bullmq-job-queue-strategy");
  return new BullMqJobQueueStrategy(...args);
}

function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .*$/s, "");
}

/** formatError for graphql-ws, which sends errors as graphql-js formats them (an unexpected one without a code). */
function formatWsError(e: GraphQLError, config: AppConfig): GraphQLFormattedError {
  // Over HTTP Apollo turns extensions.http into the status and drops it; a socket has no status.
  const { http: _http, ...extensions } = e.extensions ?? {};
  const formatted = { ...e.toJSON(), extensions: Object.keys(extensions).length ? extensions : undefined };
  if (!isUnexpected(e)) return formatError(formatted, e, config);
  return formatError({ ...formatted, extensions: { ...formatted.extensions, code: "INTERNAL_SERVER_ERROR" } }, e, config);
}

/**
 * Typed errors pass through; anything else is, in production, masked (operationObserver and
 * WsOperationObserver have logged it whole, with its request id).
 */
function formatError(formatted: GraphQLFormattedError, error: unknown, config: AppConfig): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (config.env === "production" && formatted.extensions?.code === "GRAPHQL_VALIDATION_FAILED") {
    // "Did you mean ...?" would list the schema's names to a client that may not introspect it.
    return { ...formatted, message: withoutSuggestions(formatted.message) };
  }
  if (original instanceof GatewayError || formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return keepUnmaskedMessage(formatted, error);
  if (config.env === "production") {
    return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
  return formatted;
}
