import type { DataSource } from "typeorm";
import { openVici } from "../vici/db/vici-query";

export interface CheckResult {
  ok: boolean;
  ms: number;
  /** Why it failed: a connection error or the pending-migration notice, never lead data. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  /** Ready, but a check that only degrades (follow mode's lag) failed: /readyz still answers 200. */
  degraded: boolean;
  checks: {
    brain: CheckResult;
    vici: CheckResult;
    migrations: CheckResult;
    follow?: CheckResult & { lagSeconds?: number | null };
  };
}

/** Follow mode's lag against VICI_FOLLOW_MAX_LAG_MS: what /readyz reports (never a reason to refuse traffic). */
export type FollowLagCheck = () => Promise<{ lagSeconds: number | null; following: boolean; maxLagSeconds: number }>;

export class CheckTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "CheckTimeoutError";
  }
}

/** `p`, or CheckTimeoutError after `ms` (the work itself goes on: a database query cannot be cancelled here). */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function timed(timeoutMs: number, fn: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  try {
    await withTimeout(fn(), timeoutMs);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: (e instanceof Error ? e.message : String(e)).slice(0, 200),
    };
  }
}

/**
 * May this process take traffic? Both databases answer a trivial query within `timeoutMs`,
 * and Brain has no pending migration (a process started against an older schema, or a
 * newer release's migration not yet run). Never throws.
 */
export async function checkReadiness(
  brain: DataSource,
  vici: DataSource,
  timeoutMs: number,
  followLag?: FollowLagCheck,
): Promise<Readiness> {
  const ping = (ds: DataSource) => async () => {
    if (!ds.isInitialized) throw new Error("not connected");
    await ds.query("SELECT 1");
  };
  // VICIdial's pool may not be open yet (it was down at start): the check tries to open it.
  const pingVici = async () => {
    await openVici(vici);
    await vici.query("SELECT 1");
  };
  const [b, v] = await Promise.all([timed(timeoutMs, ping(brain)), timed(timeoutMs, pingVici)]);
  const migrations: CheckResult = b.ok
    ? await timed(timeoutMs, async () => {
        const pending = await pendingMigrations(brain);
        if (pending.length)
          throw new Error(`pending Brain migrations (run \`vici-brain migrate\`): ${pending.join(", ")}`);
      })
    : { ok: false, ms: 0, error: "not checked: Brain unreachable" };
  const ready = b.ok && v.ok && migrations.ok;
  if (!followLag || !b.ok) return { ready, degraded: false, checks: { brain: b, vici: v, migrations } };
  let lagSeconds: number | null = null;
  const follow = await timed(timeoutMs, async () => {
    const f = await followLag();
    lagSeconds = f.lagSeconds;
    if (f.lagSeconds !== null && f.lagSeconds > f.maxLagSeconds) {
      throw new Error(
        `follow mode is ${Math.round(f.lagSeconds)} s behind VICIdial (VICI_FOLLOW_MAX_LAG_MS: ${f.maxLagSeconds} s)${f.following ? "" : "; no process follows now"}`,
      );
    }
  });
  return { ready, degraded: !follow.ok, checks: { brain: b, vici: v, migrations, follow: { ...follow, lagSeconds } } };
}

/**
 * The code's migrations Brain has not recorded. Read directly rather than with TypeORM's
 * showMigrations(), which names none and keeps its connection when a query fails.
 */
export async function pendingMigrations(brain: DataSource): Promise<string[]> {
  const table = brain.options.migrationsTableName ?? "migrations";
  const rows: { name: string }[] = await brain.query(`SELECT name FROM "${table}"`);
  const applied = new Set(rows.map((r) => r.name));
  return brain.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
}
