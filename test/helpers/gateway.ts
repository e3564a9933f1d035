import pino, { type Logger } from "pino";
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { loadConfig, type AppConfig } from "../../src/config/app-config";
import { createApp, type GatewayApp } from "../../src/app";
import { dbNameFor, freshBrainDb, freshViciDb } from "./databases";

/** `errors` is absent on success; typed loosely so tests can read codes directly. */
export interface GqlResponse<T> {
  status: number;
  body: { data: T; errors: any };
}

export interface TestGateway {
  app: GatewayApp;
  url: string;
  config: AppConfig;
  /** POST a GraphQL operation; returns the HTTP status and the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  /** Runs a codegen TypedDocumentNode: typed variables in, typed data out. */
  op<TResult, TVars>(doc: TypedDocumentNode<TResult, TVars>, variables: TVars): Promise<GqlResponse<TResult>>;
  stop(): Promise<void>;
}

/**
 * A gateway on fresh databases named after the test file, listening on a free port.
 * `opts.log` replaces the silent test logger (a test that reads the logs).
 */
export async function startTestGateway(
  testFile: string,
  env: Record<string, string> = {},
  suffix = "",
  opts: { log?: Logger } = {},
): Promise<TestGateway> {
  const name = dbNameFor(testFile, suffix);
  const [brainUrl, viciUrl] = await Promise.all([freshBrainDb(name), freshViciDb(name)]);
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    BRAIN_DATABASE_URL: brainUrl,
    VICI_DATABASE_URL: viciUrl,
    VICI_TIMEZONE: "America/New_York",
    LOG_LEVEL: "silent",
    // Tests drive the outbox with drain(); a background poll would race their counts.
    OUTBOX_POLL_MS: "600000",
    JOB_POLL_MS: "600000",
    ...env,
  });
  const app = createApp(config, { log: opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  const url = await app.start();
  const gw: TestGateway = {
    app,
    url,
    config,
    async gql(query, variables) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    op(doc, variables) {
      return gw.gql(print(doc), variables as Record<string, unknown>);
    },
    stop: () => app.stop(),
  };
  return gw;
}
