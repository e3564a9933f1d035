import pino from "pino";
import { createApp, type GatewayApp } from "../src/app";
import { loadConfig } from "../src/config/app-config";
import { dbNameFor, freshBrainDb, freshViciDb } from "./helpers/databases";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";
import { CheckTimeoutError, withTimeout } from "../src/observability/readiness";
import { Role } from "../src/auth/roles";

/**
 * /healthz and /readyz over a real gateway whose MariaDB connection runs through a loopback
 * relay the test can cut, and whose Brain can be made to miss a migration.
 */
let app: GatewayApp;
let proxy: TcpProxy;
let base: string;

const get = async (path: string) => {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  const name = dbNameFor(__filename);
  const [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
  proxy = await startTcpProxy("127.0.0.1", 3306);
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    BRAIN_DATABASE_URL: brainUrl,
    VICI_DATABASE_URL: viciUrl.replace(":3306/", `:${proxy.port}/`),
    OUTBOX_POLL_MS: "600000",
    JOB_POLL_MS: "600000",
    READY_TIMEOUT_MS: "1000",
  });
  app = createApp(config, { log: pino({ level: "silent" }) });
  base = (await app.start()).replace(/\/graphql$/, "");
});
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
});

it("healthz: the process answers", async () => {
  expect(await get("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
});

it("readyz: 200 when both databases answer and Brain's migrations are current", async () => {
  const r = await get("/readyz");
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    status: "ready",
    checks: { brain: { ok: true }, vici: { ok: true }, migrations: { ok: true } },
  });
});

it("readyz: 503 naming Vici while VICIdial is unreachable, 200 again when it is back", async () => {
  proxy.down();
  try {
    const r = await get("/readyz");
    expect(r.status).toBe(503);
    expect(r.body.status).toBe("not ready");
    expect(r.body.checks.vici.ok).toBe(false);
    expect(r.body.checks.vici.error).toBeTruthy();
    expect(r.body.checks.brain.ok).toBe(true);
    expect(r.body.checks.migrations.ok).toBe(true);

    // Meanwhile a query that reads Vici fails typed, and the metrics say so.
    const q = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${(await app.services.apiKeys.create({ name: "reader", role: Role.READER })).key}`,
      },
      body: JSON.stringify({ query: "query Campaigns { campaigns { campaignId } }" }),
    });
    expect(((await q.json()) as any).errors[0].extensions.code).toBe("VICI_UNAVAILABLE");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^graphql_errors_total\{code="VICI_UNAVAILABLE"\} 1$/m);
    expect(metrics).toMatch(
      /^vici_call_duration_seconds_count\{via="db",operation="query",outcome="unavailable"\} [1-9]/m,
    );
  } finally {
    proxy.up();
  }
  // The pool replaces the connections the cut closed.
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await get("/readyz")).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(200);
});

it("readyz: 503 naming the migration while one is pending", async () => {
  const [last] = await app.brain.query("SELECT id, timestamp, name FROM brain_migrations ORDER BY id DESC LIMIT 1");
  await app.brain.query("DELETE FROM brain_migrations WHERE id = $1", [last.id]);
  try {
    const r = await get("/readyz");
    expect(r.status).toBe(503);
    expect(r.body.checks).toMatchObject({ brain: { ok: true }, vici: { ok: true }, migrations: { ok: false } });
    expect(r.body.checks.migrations.error).toContain(last.name);
  } finally {
    await app.brain.query("INSERT INTO brain_migrations (id, timestamp, name) VALUES ($1, $2, $3)", [
      last.id,
      last.timestamp,
      last.name,
    ]);
  }
  expect((await get("/readyz")).status).toBe(200);
});

it("a check that does not answer fails after the timeout instead of hanging /readyz", async () => {
  await expect(withTimeout(new Promise(() => undefined), 50)).rejects.toBeInstanceOf(CheckTimeoutError);
  await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
});
