/**
 * Per-key request budgets. One interface so a shared store (Redis, when the gateway runs as
 * several processes) can replace the in-memory one without touching its callers.
 */
export interface RateLimiter {
  /** Takes one request from `key`'s budget: 0 when allowed, else the seconds until it would be. */
  take(key: string): Promise<number>;
  close?(): Promise<void>;
}

export interface BucketPolicy {
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** Most tokens a bucket holds (how many requests may come at once). */
  burst: number;
}

export interface Bucket {
  tokens: number;
  /** ms timestamp of the last refill. */
  at: number;
}

/**
 * The token-bucket decision, pure: refill by elapsed time, then take one token if there is
 * one. Returns the new bucket and, when refused, the whole seconds until a token is there.
 */
export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  policy: BucketPolicy,
): { bucket: Bucket; retryAfterSeconds: number } {
  const perMs = policy.perMinute / 60_000;
  const start = bucket ?? { tokens: policy.burst, at: now };
  const tokens = Math.min(policy.burst, start.tokens + Math.max(0, now - start.at) * perMs);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, retryAfterSeconds: 0 };
  return { bucket: { tokens, at: now }, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
}

/** Seconds until `bucket` (refilled to `now`) holds a token; 0 when it holds one now. Takes nothing. */
export function waitForToken(bucket: Bucket | undefined, now: number, policy: BucketPolicy): number {
  if (!bucket) return 0;
  const perMs = policy.perMinute / 60_000;
  const tokens = Math.min(policy.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
}

/**
 * Failed authentications per client address (in memory, per process): once an address has
 * used up its budget, a request from it that would need a key looked up in Brain is refused
 * (RATE_LIMITED) before the look-up. A flood of made-up keys costs Brain nothing then.
 */
export class AuthFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private failures = 0;

  constructor(
    private readonly policy: BucketPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when `client` may try a key, else the seconds until it may. */
  retryAfter(client: string): number {
    if (this.policy.perMinute <= 0) return 0;
    return waitForToken(this.buckets.get(client), this.now(), this.policy);
  }

  /** `client` sent a key that did not authenticate. */
  failed(client: string): void {
    if (this.policy.perMinute <= 0) return;
    const now = this.now();
    this.buckets.set(client, takeToken(this.buckets.get(client), now, this.policy).bucket);
    if (++this.failures % 1000 === 0) {
      const fullAfterMs = (this.policy.burst / this.policy.perMinute) * 60_000;
      for (const [k, b] of this.buckets) if (now - b.at > fullAfterMs) this.buckets.delete(k);
    }
  }
}

/** One process's buckets, in memory. Buckets that would be full again are dropped. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(
    private readonly policy: BucketPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string): Promise<number> {
    const now = this.now();
    const r = takeToken(this.buckets.get(key), now, this.policy);
    this.buckets.set(key, r.bucket);
    if (++this.takes % 1000 === 0) this.sweep(now);
    return r.retryAfterSeconds;
  }

  private sweep(now: number): void {
    const fullAfterMs = (this.policy.burst / this.policy.perMinute) * 60_000;
    for (const [k, b] of this.buckets) if (now - b.at > fullAfterMs) this.buckets.delete(k);
  }
}

/** RATE_LIMIT_PER_MINUTE=0: every request allowed. */
export const unlimited: RateLimiter = { take: async () => 0 };
