import pino, { type Logger } from "pino";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { loadConfig, type AppConfig } from "../../src/config/app-config";
import { createApp, type GatewayApp } from "../../src/app";
import { dbNameFor, freshBrainDb, freshViciDb } from "./databases";
import { Role, Scope } from "../../src/auth/roles";

/** `errors` is absent on success; typed loosely so tests can read codes directly. */
export interface GqlResponse<T> {
  status: number;
  body: { data: T; errors: any };
}

export interface GqlOptions {
  /** The API key to send (default: the gateway's admin key); null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
}

export interface TestGateway {
  app: GatewayApp;
  url: string;
  config: AppConfig;
  /** The environment its config was loaded from (for another app on the same databases). */
  env: Record<string, string>;
  /** An admin key with the pii scope, created at start; gql() and op() send it unless told otherwise. */
  adminKey: string;
  /** `{ authorization: "Bearer <adminKey>" }`, for tests that fetch or open graphql-ws themselves. */
  authHeaders: Record<string, string>;
  /** POST a GraphQL operation; returns the HTTP status and the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResponse<T>>;
  /** Runs a codegen TypedDocumentNode: typed variables in, typed data out. */
  op<TResult, TVars>(
    doc: TypedDocumentNode<TResult, TVars>,
    variables: TVars,
    opts?: GqlOptions,
  ): Promise<GqlResponse<TResult>>;
  /** A new key with this role (and scopes). */
  createKey(role: Role, scopes?: Scope[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A gateway on fresh databases named after the test file, listening on a free port.
 * `opts.log` replaces the silent test logger (a test that reads the logs); `opts.viciVia`
 * rewrites the VICIdial URL the gateway uses (through a TcpProxy); `opts.clock` is "now" of each request.
 */
export async function startTestGateway(
  testFile: string,
  env: Record<string, string> = {},
  suffix = "",
  opts: { log?: Logger; viciVia?: (url: string) => string; clock?: () => Date } = {},
): Promise<TestGateway> {
  const name = dbNameFor(testFile, suffix);
  const [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
  const settings: Record<string, string> = {
    NODE_ENV: "test",
    PORT: "0",
    BRAIN_DATABASE_URL: brainUrl,
    VICI_DATABASE_URL: opts.viciVia ? opts.viciVia(viciUrl) : viciUrl,
    VICI_TIMEZONE: "America/New_York",
    LOG_LEVEL: "silent",
    // Tests drive the outbox with drain(); a background poll would race their counts.
    OUTBOX_POLL_MS: "600000",
    JOB_POLL_MS: "600000",
    // Follow mode's background cycles would race the tests' counts; test/follow.test.ts drives it.
    VICI_FOLLOW_INTERVAL_MS: "0",
    ...env,
  };
  const config = loadConfig(settings);
  const app = createApp(config, {
    log: opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    clock: opts.clock,
  });
  const url = await app.start();
  const createKey = async (role: Role, scopes: Scope[] = []) =>
    (
      await app.services.apiKeys.create({
        name: `test ${role}${scopes.length ? " " + scopes.join(",") : ""}`,
        role,
        scopes,
      })
    ).key;
  const adminKey = await createKey(Role.ADMIN, [Scope.PII]);
  const gw: TestGateway = {
    app,
    url,
    config,
    env: settings,
    adminKey,
    authHeaders: { authorization: `Bearer ${adminKey}` },
    createKey,
    async gql(query, variables, opts = {}) {
      const key = opts.key === undefined ? adminKey : opts.key;
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    op(doc, variables, opts) {
      return gw.gql(print(doc), variables as Record<string, unknown>, opts);
    },
    stop: () => app.stop(),
  };
  return gw;
}
