import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { createBrainDataSource } from "../data-sources/brain.data-source";
import { createViciDataSource } from "../data-sources/vici.data-source";
import { ViciConnection } from "../data-sources/vici-connection";
import { createServices, type Services } from "../services";
import { JobRunner } from "../jobs/job-runner";
import type { JobQueueStrategy } from "../jobs/queue/job-queue-strategy";
import { InProcessJobQueueStrategy } from "../jobs/queue/in-process-job-queue-strategy";
import { createProcessors } from "../jobs/processors";
import { guardViciCalls, observeViciQueries, ViciBreaker } from "../vici/db/vici-query";
import { GatewayMetrics } from "../observability/metrics";
import { withTimeout } from "../observability/readiness";

/** Everything an app runs on, transport aside: both databases, the metrics, the services and where jobs run. */
export interface AppServices {
  brain: DataSource;
  vici: DataSource;
  /** Opens VICIdial's pool when it answers (a gateway starts while the dialer is down). */
  viciConnection: ViciConnection;
  metrics: GatewayMetrics;
  services: Services;
  /** This process, or BullMQ workers (REDIS_URL). */
  jobs: JobQueueStrategy;
}

/** Builds the services container and what it stands on; opens nothing (createApp's init does). */
export function createAppServices(config: AppConfig, log: Logger, clock: () => Date): AppServices {
  const brain = createBrainDataSource(config.brain.url, log);
  const vici = createViciDataSource(config.vici.url, log, {
    connectTimeoutMs: config.vici.connectTimeoutMs,
    queryTimeoutMs: config.vici.queryTimeoutMs,
    requestStatementTimeoutMs: config.limits.statementTimeoutMs,
  });
  const metrics = new GatewayMetrics({
    viciPushBacklog: () => withTimeout(services.pusher.backlog(), config.readiness.timeoutMs),
    followStatus: () => withTimeout(services.follower.status(), config.readiness.timeoutMs),
  });
  const viciConnection = new ViciConnection(vici, config.vici.url, log, config.vici.breakerCooldownMs);
  const services = createServices(config, brain, vici, log, metrics.observeViciCall, clock);
  observeViciQueries(vici, metrics.observeViciCall);
  guardViciCalls(
    vici,
    new ViciBreaker({ failures: config.vici.breakerFailures, cooldownMs: config.vici.breakerCooldownMs }),
  );
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
  return { brain, vici, viciConnection, metrics, services, jobs };
}

/** Loaded only with REDIS_URL: the one-process setup needs none of the Redis packages. */
function bullMqStrategy(
  ...args: ConstructorParameters<typeof import("../jobs/queue/bullmq-job-queue-strategy").BullMqJobQueueStrategy>
): JobQueueStrategy {
  type BullMq = typeof import("../jobs/queue/bullmq-job-queue-strategy");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose (see above)
  const { BullMqJobQueueStrategy } = require("../jobs/queue/bullmq-job-queue-strategy") as BullMq;
  return new BullMqJobQueueStrategy(...args);
}
