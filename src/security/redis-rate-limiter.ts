import Redis from "ioredis";
import type { Logger } from "pino";
import type { BucketPolicy, RateLimiter } from "./rate-limiter";

/**
 * The token bucket of rate-limiter.ts (takeToken), kept in Redis so every gateway process
 * draws on one budget per key. One script: read, refill, take and write are atomic.
 */
const TAKE = `
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local now = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local retry = 0
if tokens >= 1 then tokens = tokens - 1 else retry = math.max(1, math.ceil((1 - tokens) / perMs / 1000)) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return retry`;

export class RedisRateLimiter implements RateLimiter {
  private readonly client: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly policy: BucketPolicy,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // Answers within 250 ms or not at all: while Redis is away, take() lets requests through.
    this.client = new Redis(redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 250,
      retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
    });
    this.client.on("error", () => undefined); // reported by take(), not as unhandled events
  }

  async take(key: string): Promise<number> {
    // A bucket left alone refills completely in this time; Redis forgets it after that.
    const fullAfterMs = Math.ceil((this.policy.burst / this.policy.perMinute) * 60_000) + 1000;
    try {
      const retry = await this.client.eval(
        TAKE,
        1,
        `${this.prefix}:rate:${key}`,
        this.now(),
        this.policy.perMinute / 60_000,
        this.policy.burst,
        fullAfterMs,
      );
      return Number(retry);
    } catch (e) {
      // Rate limiting protects the gateway; it must not take it down with Redis.
      this.log.warn(
        { err: e instanceof Error ? e.message : String(e) },
        "rate limiter: Redis unavailable, request allowed",
      );
      return 0;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
