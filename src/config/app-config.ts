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
  };
  phone: { defaultRegion: CountryCode };
  pagination: { defaultPageSize: number; maxPageSize: number };
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

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

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
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT },
    brain: { url: e.BRAIN_DATABASE_URL },
    vici: { url: e.VICI_DATABASE_URL, timeZone: e.VICI_TIMEZONE },
    phone: { defaultRegion: e.PHONE_DEFAULT_REGION as CountryCode },
    pagination: { defaultPageSize: e.DEFAULT_PAGE_SIZE, maxPageSize: e.MAX_PAGE_SIZE },
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
