import type { Logger } from "pino";
import { InMemoryRateLimiter, unlimited, type BucketPolicy, type RateLimiter } from "./rate-limiter";

// A file of its own: the Redis limiter implements rate-limiter.ts's interface, so the factory
// that picks between them cannot live there without the two importing each other.

/**
 * In memory for one process; in Redis when the gateway runs as several (REDIS_URL), so a key's
 * budget is the same whichever gateway it calls.
 */
export function createRateLimiter(
  policy: BucketPolicy,
  redis: { url: string; prefix: string } | null,
  log: Logger,
): RateLimiter {
  if (policy.perMinute <= 0) return unlimited;
  if (!redis) return new InMemoryRateLimiter(policy);
  // Loaded only with REDIS_URL: the one-process setup needs none of the Redis packages.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose (see above)
  const { RedisRateLimiter } = require("./redis-rate-limiter") as typeof import("./redis-rate-limiter");
  return new RedisRateLimiter(redis.url, redis.prefix, policy, log);
}
