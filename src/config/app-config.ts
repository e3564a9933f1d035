import { resolve } from "node:path";
import { z } from "zod";
import { getCountries, type CountryCode } from "libphonenumber-js";

/**
 * The one typed configuration of the gateway. `loadConfig(env)` is the only place that
 * reads environment variables; everything else receives an AppConfig.
 */
export interface AppConfig {
  env: "development" | "test" | "production";
  http: { host: string; port: number };
  brain: { url: string };
  vici: {
    /** mysql://user:pass@host:port/db or mysql://user@localhost/db?socketPath=/run/mysqld/mysqld.sock */
    url: string;
    /** IANA zone of the VICIdial server: its DATETIMEs are wall-clock times there. */
    timeZone: string;
    /** How long opening a connection to VICIdial's database may take. */
    connectTimeoutMs: number;
    /**
     * How long a VICIdial statement outside an API request (jobs, the pusher, the CLI) may go
     * unanswered before its connection is dropped; API requests wait STATEMENT_TIMEOUT_MS + 1 s.
     */
    queryTimeoutMs: number;
    /** This many calls in a row failing to reach VICIdial open the circuit breaker ... */
    breakerFailures: number;
    /** ... which answers at once (VICI_UNAVAILABLE) this long, then lets one call try again. */
    breakerCooldownMs: number;
    /**
     * The campaigns the gateway manages (VICI_CAMPAIGNS), as written; null = every campaign
     * that exists. Only rows of their lists are imported, linked, given a vendor code or rolled
     * back (src/vici/db/managed-campaigns.ts); every row of a number is still read for safety.
     */
    campaigns: string[] | null;
    /**
     * VICI_CUTOVER_AT: from when new leads are meant to come through Brain (syncHealth's
     * createdOutsideBrain, the import's report); null = when the gateway first pushed a lead.
     */
    cutoverAt: Date | null;
  };
  phone: { defaultRegion: CountryCode };
  /** Where new Brain leads go in Vici and how they get there. */
  push: {
    /** "db": INSERT into vicidial_list; "api": VICIdial's Non-Agent API (add_lead/update_lead). */
    writer: "db" | "api";
    api: { url: string; user: string; pass: string; source: string } | null;
    /** List for a lead with neither a listId, a mapped source nor a mapped campaign. */
    defaultListId: number | null;
    /** campaign id (lower case) → list id */
    campaignLists: Record<string, number>;
    /** lead source (lower case) → list id */
    sourceLists: Record<string, number>;
    /** vicidial_list.user on rows the db writer inserts. */
    dbUser: string;
    /** Also match vicidial_list.alt_phone (unindexed: a scan of the dialer's table per create). */
    checkAltPhoneColumn: boolean;
    pollMs: number;
    maxBackoffMs: number;
  };
  /** The 30-day rule: a number called within this many days is not dialed again. */
  recentCallDays: number;
  /** Our own calling rules (state windows, call caps): a JSON file read by src/config/call-rules.ts; null = none. */
  callRules: { file: string | null };
  /**
   * `leads(filter: { callableNow, campaignId })`: at most this many Brain leads get a verdict
   * per request; then the page ends early with a cursor to go on (CallableScan.limitReached).
   */
  callableNowScanMax: number;
  webhook: { secret: string | null };
  jobs: {
    /** Run sync jobs in this process (false: only queue them, e.g. a read-only gateway). */
    run: boolean;
    pollMs: number;
    /** A job whose process stops renewing this lease for this long is taken over. */
    leaseMs: number;
    /** First wait before a batch that failed to reach a database is tried again (doubling, at most 30 s). */
    retryBackoffMs: number;
    /** A job that cannot reach a database for this long ends FAILED. */
    maxWaitMs: number;
  };
  /**
   * Scale-out (REDIS_URL set): sync jobs go to BullMQ queues consumed by `worker` processes,
   * progress goes over Redis pub/sub, and the outbox pusher runs on the workers. null: one
   * process does everything (the in-process job runner and progress bus).
   */
  redis: {
    url: string;
    /** Namespaces BullMQ's keys and the pub/sub channels (one Redis, several deployments). */
    prefix: string;
    /** A VICI_IMPORT is cut into at most this many lead_id ranges that workers share. */
    ranges: number;
    /** A worker that stops renewing a queue job's lock this long is presumed dead. */
    lockMs: number;
    /** How often workers look for queue jobs whose lock expired (then handed to another worker). */
    stalledIntervalMs: number;
  } | null;
  /** Follow mode (src/services/vici-follower.ts): Brain keeps up with VICIdial between imports. */
  follow: {
    /** How often `serve` (without Redis) or a worker follows; 0 = never. */
    intervalMs: number;
    /** How often the slow pass reads every managed row again (status changes, list moves); 0 = never. */
    reconcileIntervalMs: number;
    /** /readyz says "degraded" (still 200) when follow mode is further behind than this. */
    maxLagMs: number;
    /** Rows (or numbers) per Vici read and Brain transaction. */
    batchSize: number;
  };
  pagination: { defaultPageSize: number; maxPageSize: number };
  /** /readyz: how long each check (a database ping, the migrations read) may take before it fails. */
  readiness: { timeoutMs: number };
  auth: {
    /** false: a request without a key acts with full rights (local development; refused in production). */
    apiKeysRequired: boolean;
    /** How often the key of every open graphql-ws socket is checked again (a revoked key's subscriptions end). */
    wsRecheckMs: number;
  };
  /** Abuse limits; each refusal is a typed GraphQL error. */
  limits: {
    /** Deepest field nesting an operation may have (introspection fields not counted). */
    maxDepth: number;
    /** Most an operation may cost: 1 per field, times the page size (`first`/`limit`) of the lists it sits under. */
    maxCost: number;
    /** Largest /graphql request body (413 above). */
    maxBodyBytes: number;
    /** Requests (HTTP operations and graphql-ws subscriptions) per key per minute; 0 = no limit. */
    rateLimitPerMinute: number;
    /** Requests a key may make at once before the per-minute rate applies. */
    rateLimitBurst: number;
    /** HTTP GraphQL operations executing at once in this process; the others queue (FIFO). 0 = no gate. */
    maxConcurrentOperations: number;
    /** Aliased fields in one operation's document. */
    maxAliases: number;
    /** Fragment spreads in one operation's document. */
    maxFragmentSpreads: number;
    /** Fields that scan a table (counts, audit, health) in one operation. */
    maxScans: number;
    /** Longest a single statement of an API request may run, in Brain and in VICIdial; 0 = no limit. */
    statementTimeoutMs: number;
    /** Failed authentications per client address per minute (then 429); 0 = no limit. */
    authFailuresPerMinute: number;
    /** Failed authentications a client address may make at once before the per-minute rate applies. */
    authFailuresBurst: number;
  };
  /** What GET /graphql and error responses show a person. */
  graphql: {
    /** Serve the GraphiQL IDE on GET /graphql (default: not in production). */
    ide: boolean;
    /** Serve the operations console on GET /console (a page with no secret; every request it makes needs a key). */
    console: boolean;
    /** Stack traces in error responses (always logged; sent only when this is true). */
    debug: boolean;
  };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

const countries = new Set<string>(getCountries());

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(" or ")}` },
  );

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** "Auto2,Autodial" → ["Auto2", "Autodial"] (VICIdial campaign ids, duplicates ignored without case); "" → null (every campaign). */
const campaignSet = z
  .string()
  .default("")
  .transform((v, ctx) => {
    const out: string[] = [];
    for (const id of v
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean)) {
      if (!/^[-_0-9A-Za-z]{1,8}$/.test(id)) {
        ctx.addIssue({ code: "custom", message: `"${id}" is not a VICIdial campaign id (1 to 8 of A-Z a-z 0-9 - _)` });
        return z.NEVER;
      }
      if (!out.some((c) => c.toLowerCase() === id.toLowerCase())) out.push(id);
    }
    return out.length ? out : null;
  });

/** "Auto2:1001,Autodial:2001" → { auto2: 1001, autodial: 2001 } (keys compared case-insensitively). */
const listMap = z
  .string()
  .default("")
  .transform((v, ctx) => {
    const out: Record<string, number> = {};
    for (const pair of v
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([^:\s]+)\s*:\s*([0-9]{3,14})$/.exec(pair);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `"${pair}" is not NAME:LIST_ID (list ids have 3+ digits)` });
        return z.NEVER;
      }
      out[m[1].toLowerCase()] = Number(m[2]);
    }
    return out;
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: int(0, 65535).default(4000),
    BRAIN_DATABASE_URL: url(["postgres", "postgresql"]).default("postgres://postgres@127.0.0.1:5432/brain"),
    VICI_DATABASE_URL: url(["mysql", "mariadb"]).default("mysql://root@127.0.0.1:3306/vici"),
    VICI_TIMEZONE: z
      .string()
      .default("UTC")
      .refine(isTimeZone, { message: "must be an IANA time zone such as America/New_York" }),
    PHONE_DEFAULT_REGION: z
      .string()
      .default("US")
      .transform((v) => v.toUpperCase())
      .refine((v) => countries.has(v), { message: "must be an ISO 3166 country code such as US" }),
    DEFAULT_PAGE_SIZE: int(1, 10_000).default(50),
    MAX_PAGE_SIZE: int(1, 10_000).default(500),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    VICI_WRITE_MODE: z.enum(["db", "api"]).default("db"),
    VICI_API_URL: url(["http", "https"]).optional(),
    VICI_API_USER: z
      .string()
      .regex(/^[-_0-9a-zA-Z]+$/, "letters, digits, - and _ only (VICIdial drops the rest)")
      .optional(),
    VICI_API_PASS: z
      .string()
      .regex(/^[-_0-9a-zA-Z]+$/, "letters, digits, - and _ only (VICIdial drops the rest)")
      .optional(),
    VICI_API_SOURCE: z
      .string()
      .regex(/^[0-9a-zA-Z]{2,20}$/, "2-20 letters or digits")
      .default("brain"),
    VICI_DEFAULT_LIST_ID: int(100, 99_999_999_999_999).optional(),
    VICI_CAMPAIGNS: campaignSet,
    VICI_CUTOVER_AT: z
      .string()
      .refine(
        (v) =>
          /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) &&
          !Number.isNaN(new Date(v).getTime()),
        {
          message: "must be an ISO 8601 date or date-time, e.g. 2025-08-11 or 2025-08-11T09:00:00-04:00",
        },
      )
      .optional(),
    VICI_CAMPAIGN_LISTS: listMap,
    VICI_SOURCE_LISTS: listMap,
    VICI_DB_USER: z.string().max(20).default("BRAIN"),
    VICI_CHECK_ALT_PHONE_COLUMN: z.enum(["true", "false"]).default("false"),
    OUTBOX_POLL_MS: int(10, 600_000).default(1000),
    OUTBOX_MAX_BACKOFF_MS: int(100, 86_400_000).default(300_000),
    RECENT_CALL_DAYS: int(0, 3650).default(30),
    CALL_RULES_FILE: z.string().optional(),
    CALLABLE_NOW_SCAN_MAX: int(100, 1_000_000).default(5000),
    WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    JOBS_RUN: z.enum(["true", "false"]).default("true"),
    JOB_POLL_MS: int(10, 600_000).default(2000),
    JOB_LEASE_MS: int(500, 3_600_000).default(30_000),
    READY_TIMEOUT_MS: int(50, 60_000).default(2000),
    API_KEYS_REQUIRED: z.enum(["true", "false"]).default("true"),
    WS_KEY_RECHECK_MS: int(100, 3_600_000).default(10_000),
    MAX_QUERY_DEPTH: int(2, 100).default(12),
    MAX_QUERY_COST: int(10, 100_000_000).default(100_000),
    MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(102_400),
    RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(1200),
    RATE_LIMIT_BURST: int(1, 1_000_000).default(100),
    REDIS_URL: url(["redis", "rediss"]).optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[-_.0-9A-Za-z]{1,64}$/, "1-64 letters, digits, - _ .")
      .default("vici-brain"),
    JOB_RANGES: int(1, 64).default(4),
    WORKER_LOCK_MS: int(500, 600_000).default(30_000),
    WORKER_STALLED_INTERVAL_MS: int(200, 600_000).default(30_000),
    GRAPHQL_MAX_CONCURRENT: int(0, 10_000).default(8),
    MAX_QUERY_ALIASES: int(0, 100_000).default(30),
    MAX_FRAGMENT_SPREADS: int(0, 100_000).default(50),
    MAX_SCAN_FIELDS: int(0, 100).default(1),
    STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(5000),
    AUTH_FAILURES_PER_MINUTE: int(0, 1_000_000).default(60),
    AUTH_FAILURES_BURST: int(1, 1_000_000).default(20),
    VICI_CONNECT_TIMEOUT_MS: int(100, 600_000).default(2000),
    VICI_QUERY_TIMEOUT_MS: int(100, 86_400_000).default(120_000),
    VICI_BREAKER_FAILURES: int(1, 1000).default(3),
    VICI_BREAKER_COOLDOWN_MS: int(10, 3_600_000).default(5000),
    JOB_RETRY_BACKOFF_MS: int(10, 600_000).default(1000),
    JOB_MAX_WAIT_MS: int(100, 7 * 86_400_000).default(1_800_000),
    VICI_FOLLOW_INTERVAL_MS: int(0, 86_400_000).default(60_000),
    VICI_RECONCILE_INTERVAL_MS: int(0, 30 * 86_400_000).default(86_400_000),
    VICI_FOLLOW_MAX_LAG_MS: int(1000, 30 * 86_400_000).default(300_000),
    VICI_FOLLOW_BATCH_SIZE: int(10, 10_000).default(1000),
    GRAPHQL_IDE: z.enum(["true", "false"]).optional(),
    WEB_CONSOLE: z.enum(["true", "false"]).default("true"),
    GRAPHQL_DEBUG: z.enum(["true", "false"]).default("false"),
  })
  .refine((e) => e.VICI_WRITE_MODE !== "api" || (e.VICI_API_URL && e.VICI_API_USER && e.VICI_API_PASS), {
    message: "VICI_WRITE_MODE=api needs VICI_API_URL, VICI_API_USER and VICI_API_PASS",
    path: ["VICI_WRITE_MODE"],
  })
  .refine((e) => !(e.NODE_ENV === "production" && e.API_KEYS_REQUIRED === "false"), {
    message: "must be true when NODE_ENV=production",
    path: ["API_KEYS_REQUIRED"],
  })
  .refine((e) => e.DEFAULT_PAGE_SIZE <= e.MAX_PAGE_SIZE, {
    message: "must not exceed MAX_PAGE_SIZE",
    path: ["DEFAULT_PAGE_SIZE"],
  });

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "not set": shells and .env files often leave them blank.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT },
    brain: { url: e.BRAIN_DATABASE_URL },
    vici: {
      url: e.VICI_DATABASE_URL,
      timeZone: e.VICI_TIMEZONE,
      connectTimeoutMs: e.VICI_CONNECT_TIMEOUT_MS,
      queryTimeoutMs: e.VICI_QUERY_TIMEOUT_MS,
      breakerFailures: e.VICI_BREAKER_FAILURES,
      breakerCooldownMs: e.VICI_BREAKER_COOLDOWN_MS,
      campaigns: e.VICI_CAMPAIGNS,
      cutoverAt: e.VICI_CUTOVER_AT ? new Date(e.VICI_CUTOVER_AT) : null,
    },
    phone: { defaultRegion: e.PHONE_DEFAULT_REGION as CountryCode },
    push: {
      writer: e.VICI_WRITE_MODE,
      api:
        e.VICI_API_URL && e.VICI_API_USER && e.VICI_API_PASS
          ? { url: e.VICI_API_URL, user: e.VICI_API_USER, pass: e.VICI_API_PASS, source: e.VICI_API_SOURCE }
          : null,
      defaultListId: e.VICI_DEFAULT_LIST_ID ?? null,
      campaignLists: e.VICI_CAMPAIGN_LISTS,
      sourceLists: e.VICI_SOURCE_LISTS,
      dbUser: e.VICI_DB_USER,
      checkAltPhoneColumn: e.VICI_CHECK_ALT_PHONE_COLUMN === "true",
      pollMs: e.OUTBOX_POLL_MS,
      maxBackoffMs: e.OUTBOX_MAX_BACKOFF_MS,
    },
    recentCallDays: e.RECENT_CALL_DAYS,
    callRules: { file: e.CALL_RULES_FILE ? resolve(e.CALL_RULES_FILE) : null },
    callableNowScanMax: e.CALLABLE_NOW_SCAN_MAX,
    webhook: { secret: e.WEBHOOK_SECRET ?? null },
    jobs: {
      run: e.JOBS_RUN === "true",
      pollMs: e.JOB_POLL_MS,
      leaseMs: e.JOB_LEASE_MS,
      retryBackoffMs: e.JOB_RETRY_BACKOFF_MS,
      maxWaitMs: e.JOB_MAX_WAIT_MS,
    },
    redis: e.REDIS_URL
      ? {
          url: e.REDIS_URL,
          prefix: e.REDIS_PREFIX,
          ranges: e.JOB_RANGES,
          lockMs: e.WORKER_LOCK_MS,
          stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
        }
      : null,
    follow: {
      intervalMs: e.VICI_FOLLOW_INTERVAL_MS,
      reconcileIntervalMs: e.VICI_RECONCILE_INTERVAL_MS,
      maxLagMs: e.VICI_FOLLOW_MAX_LAG_MS,
      batchSize: e.VICI_FOLLOW_BATCH_SIZE,
    },
    pagination: { defaultPageSize: e.DEFAULT_PAGE_SIZE, maxPageSize: e.MAX_PAGE_SIZE },
    readiness: { timeoutMs: e.READY_TIMEOUT_MS },
    auth: { apiKeysRequired: e.API_KEYS_REQUIRED === "true", wsRecheckMs: e.WS_KEY_RECHECK_MS },
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxCost: e.MAX_QUERY_COST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      rateLimitBurst: e.RATE_LIMIT_BURST,
      maxConcurrentOperations: e.GRAPHQL_MAX_CONCURRENT,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxFragmentSpreads: e.MAX_FRAGMENT_SPREADS,
      maxScans: e.MAX_SCAN_FIELDS,
      statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
      authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
      authFailuresBurst: e.AUTH_FAILURES_BURST,
    },
    graphql: {
      ide: e.GRAPHQL_IDE ? e.GRAPHQL_IDE === "true" : e.NODE_ENV !== "production",
      console: e.WEB_CONSOLE === "true",
      debug: e.GRAPHQL_DEBUG === "true",
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** Config for code paths (tests, scripts) that build one from parts. */
export function mergeConfig(base: AppConfig, patch: DeepPartial<AppConfig>): AppConfig {
  const out: any = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) ? { ...(base as any)[k], ...v } : v;
  }
  return out;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
