import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import pino from "pino";
import { RedisRateLimiter } from "../src/security/redis-rate-limiter";

/**
 * The per-key budget shared through Redis (REDIS_URL): two gateway processes draw on one
 * bucket, on the local Redis.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `test-rate-${randomUUID().slice(0, 8)}`;
const log = pino({ level: "silent" });
const limiters: RedisRateLimiter[] = [];
const limiter = (url = REDIS_URL, now?: () => number) => {
  const l = new RedisRateLimiter(url, PREFIX, { perMinute: 60, burst: 3 }, log, now);
  limiters.push(l);
  return l;
};

afterAll(async () => {
  await Promise.all(limiters.map((l) => l.close()));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

it("two gateways share one budget per key; another key has its own", async () => {
  let t = 1_000_000;
  const a = limiter(REDIS_URL, () => t);
  const b = limiter(REDIS_URL, () => t);
  expect([await a.take("k1"), await a.take("k1"), await b.take("k1")]).toEqual([0, 0, 0]);
  expect(await b.take("k1")).toBe(1); // burst of 3 spent on both gateways: 1 token a second
  expect(await a.take("k1")).toBe(1);
  expect(await a.take("k2")).toBe(0);
  t += 1000; // one token back
  expect(await b.take("k1")).toBe(0);
  expect(await a.take("k1")).toBe(1);
});

it("lets requests through while Redis is unreachable", async () => {
  const down = limiter("redis://127.0.0.1:1");
  for (let i = 0; i < 5; i++) expect(await down.take("k3")).toBe(0);
});
