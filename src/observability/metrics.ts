import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ViciCall } from "../vici/db/vici-query";
import type { JobProgressBus, SyncJobProgressEvent } from "../jobs/progress";
import { maskPhonesInText } from "../util/phone";
import type { FollowStatus } from "../services/vici-follower";

/** What /metrics reads from Brain at scrape time (the outbox lives there, not in this process). */
export interface ViciPushBacklog {
  pending: number;
  /** Age of the oldest PENDING record; null when there is none. */
  oldestPendingSeconds: number | null;
}

export interface MetricsSources {
  viciPushBacklog?: () => Promise<ViciPushBacklog>;
  /** Follow mode's state, read from Brain at scrape time (the follower may run in another process). */
  followStatus?: () => Promise<Pick<FollowStatus, "lagSeconds" | "following" | "lastCycle" | "totals">>;
}

/** Client-chosen operation names are labels: past this many distinct ones they count as "other". */
const MAX_OPERATION_NAMES = 200;
/** ... and one API key may bring at most this many of them: no client exhausts the others' labels. */
const MAX_OPERATION_NAMES_PER_KEY = 20;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Every Prometheus series of one gateway app, in its own Registry: tests run several apps in
 * one process, and prom-client's global registry would refuse the second set of names.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  /** How many names each API key brought into operationNames. */
  private readonly namesByKey = new Map<string, number>();
  /** Last `processed` seen per running job, so the counter adds only what a batch added. */
  private readonly jobProcessed = new Map<string, number>();

  readonly httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by method, route (the pattern, not the URL) and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: "graphql_operation_duration_seconds",
    help: "GraphQL operations over HTTP by operation name and type (query, mutation; unknown when it did not parse)",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: "graphql_errors_total",
    help: "GraphQL errors by extensions.code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: "dataloader_batch_size",
    help: "Keys per DataLoader batch, by loader",
    labelNames: ["loader"] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  readonly viciCallDuration = new Histogram({
    name: "vici_call_duration_seconds",
    help: "Calls to VICIdial: via db (SQL through viciQuery) or api (Non-Agent API function), by outcome",
    labelNames: ["via", "operation", "outcome"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobRows = new Counter({
    name: "sync_job_rows_processed_total",
    help: "Rows processed by sync jobs in this process, by kind (rate() gives rows/s)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly jobRowsPerSecond = new Gauge({
    name: "sync_job_rows_per_second",
    help: "Rows/s of the sync job running in this process, by kind (0 when none runs)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricsSources = {}) {
    collectDefaultMetrics({ register: this.registry });
    if (sources.followStatus) this.followGauges(sources.followStatus);
    const backlog = sources.viciPushBacklog;
    // Both gauges come from one query per scrape; the first collect() starts it, the second reuses it.
    let scrape: Promise<ViciPushBacklog | null> | null = null;
    const read = () =>
      (scrape ??= (backlog ? backlog() : Promise.resolve(null))
        .catch(() => null) // Brain down: the gauges are left out of this scrape, /readyz says why
        .finally(() => (scrape = null)));
    new Gauge({
      name: "vici_outbox_pending",
      help: "Outbox records waiting to reach VICIdial (state PENDING), read from Brain at scrape time",
      registers: [this.registry],
      async collect() {
        const b = await read();
        if (b) this.set(b.pending);
        else this.reset();
      },
    });
    new Gauge({
      name: "vici_outbox_oldest_pending_age_seconds",
      help: "Age of the oldest PENDING outbox record (0 when none), read from Brain at scrape time",
      registers: [this.registry],
      async collect() {
        const b = await read();
        if (b) this.set(b.oldestPendingSeconds ?? 0);
        else this.reset();
      },
    });
  }

  /** Follow mode's gauges: one Brain read per scrape, shared by the four. */
  private followGauges(source: NonNullable<MetricsSources["followStatus"]>): void {
    let scrape: Promise<Awaited<ReturnType<typeof source>> | null> | null = null;
    const read = () =>
      (scrape ??= source()
        .catch(() => null)
        .finally(() => (scrape = null)));
    const SOURCES = ["leads", "calls", "dnc", "reconciled"] as const;
    new Gauge({
      name: "vici_follow_lag_seconds",
      help: "Seconds since the start of follow mode's last cycle that read every VICIdial source to its end (absent before it first ran)",
      registers: [this.registry],
      async collect() {
        const s = await read();
        if (s && s.lagSeconds !== null) this.set(s.lagSeconds);
        else this.reset();
      },
    });
    new Gauge({
      name: "vici_follow_following",
      help: "1 while a process holds the follower lease, else 0",
      registers: [this.registry],
      async collect() {
        const s = await read();
        if (s) this.set(s.following ? 1 : 0);
        else this.reset();
      },
    });
    new Gauge({
      name: "vici_follow_cycle_rows",
      help: "Rows follow mode's last cycle applied, by source (leads, calls, dnc, reconciled)",
      labelNames: ["source"] as const,
      registers: [this.registry],
      async collect() {
        const s = await read();
        this.reset();
        if (s?.lastCycle) for (const k of SOURCES) this.set({ source: k }, s.lastCycle[k] ?? 0);
      },
    });
    new Gauge({
      name: "vici_follow_rows_applied",
      help: "Rows follow mode applied since it started, across every process that followed, by source",
      labelNames: ["source"] as const,
      registers: [this.registry],
      async collect() {
        const s = await read();
        this.reset();
        if (s) for (const k of SOURCES) this.set({ source: k }, s.totals[k]);
      },
    });
    new Gauge({
      name: "vici_follow_cycle_seconds",
      help: "How long follow mode's last cycle took",
      registers: [this.registry],
      async collect() {
        const s = await read();
        if (s?.lastCycle) this.set(s.lastCycle.ms / 1000);
        else this.reset();
      },
    });
  }

  /**
   * The operation label: a sane name seen before, or a new one within the caps (all names, and
   * the names of the key that sends it); anything else — a name holding a phone number too — is
   * folded into "other".
   */
  operationLabel(name: string | null | undefined, keyId: string | null = null): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name) || maskPhonesInText(name) !== name) return "other";
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return "other";
    const owner = keyId ?? "";
    const brought = this.namesByKey.get(owner) ?? 0;
    if (brought >= MAX_OPERATION_NAMES_PER_KEY) return "other";
    this.namesByKey.set(owner, brought + 1);
    this.operationNames.add(name);
    return name;
  }

  observeViciCall = (c: ViciCall): void => {
    this.viciCallDuration.observe({ via: c.via, operation: c.operation, outcome: c.outcome }, c.seconds);
  };

  observeLoaderBatch = (loader: string, size: number): void => {
    this.loaderBatchSize.observe({ loader }, size);
  };

  /** The job runner's bus, also feeding the job series with every progress event published on it. */
  observeJobBus(bus: JobProgressBus): JobProgressBus {
    return {
      publish: (e) => {
        this.observeJobProgress(e);
        bus.publish(e);
      },
      subscribe: (jobId) => bus.subscribe(jobId),
      close: () => bus.close(),
    };
  }

  private observeJobProgress(e: SyncJobProgressEvent): void {
    const before = this.jobProcessed.get(e.jobId);
    // The first event of a run (fresh or resumed here) is the baseline: rows done elsewhere are not ours.
    if (before !== undefined && e.processed > before) this.jobRows.inc({ kind: e.kind }, e.processed - before);
    if (e.final) {
      this.jobProcessed.delete(e.jobId);
      this.jobRowsPerSecond.set({ kind: e.kind }, 0);
    } else {
      this.jobProcessed.set(e.jobId, e.processed);
      this.jobRowsPerSecond.set({ kind: e.kind }, e.rowsPerSecond ?? 0);
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
