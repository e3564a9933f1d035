import "reflect-metadata";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { AppConfig } from "./config/app-config";
import type { RequestContext } from "./context";
import { createLogger, redactUrl } from "./logger";
import { buildGatewaySchema } from "./schema/build-schema";
import type { Services } from "./services";
import type { JobQueueStrategy } from "./jobs/queue/job-queue-strategy";
import type { GatewayMetrics } from "./observability/metrics";
import { createAppServices } from "./server/app-services";
import { RequestPipeline } from "./server/request-pipeline";
import { serveGraphqlWs } from "./server/graphql-ws";
import { startHttpApp } from "./server/http-app";

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
 * consumes the job queue and runs the pusher. Without REDIS_URL a gateway does both
 * itself (one process, as the quick start runs).
 */
export type AppRole = "gateway" | "worker";

export interface CreateAppOptions {
  log?: Logger;
  role?: AppRole;
  /** "Now" of each request (call verdicts asked for now); tests give a clock they control. */
  clock?: () => Date;
}

/**
 * The app's lifecycle over its parts (src/server/): the services container (app-services.ts),
 * the request pipeline both transports share (request-pipeline.ts), HTTP with Apollo
 * (http-app.ts) and graphql-ws (graphql-ws.ts).
 */
export function createApp(config: AppConfig, opts: CreateAppOptions = {}): GatewayApp {
  const role = opts.role ?? "gateway";
  const clock = opts.clock ?? (() => new Date());
  const log = opts.log ?? createLogger(config.logLevel);
  const { brain, vici, viciConnection, metrics, services, jobs } = createAppServices(config, log, clock);
  // With Redis, background work (jobs, the pusher) belongs to the workers.
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
  const pipeline = new RequestPipeline(config, services, metrics, log, clock);

  const listen = async (): Promise<string> => {
    await init();
    if (runsBackground) {
      services.drift.start();
      services.follower.start();
    }
    const schema = await buildGatewaySchema();
    const transport = { httpServer, schema, pipeline, config, services, metrics, log };
    const ws = serveGraphqlWs(transport);
    apollo = await startHttpApp({ ...transport, brain, vici, drain: () => ws.dispose() });

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
      await Promise.all([services.syncJobs.bus.close(), pipeline.close()]);
      await Promise.all([brain.isInitialized && brain.destroy(), viciConnection.close()]);
      log.info(role === "worker" ? "worker stopped" : "gateway stopped");
    },
  };
}
