import { randomUUID } from "node:crypto";
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { RequestContext } from "../context";
import type { Services } from "../services";
import type { GatewayMetrics } from "../observability/metrics";
import { createLoaders } from "../loaders/loaders";
import { GatewayError } from "../errors/errors";
import { isUnexpected } from "../observability/graphql-plugin";
import { authenticateKey, authenticateRequest, type AuthLimits } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { keepUnmaskedMessage, messageFor } from "../auth/pii-errors";
import { enforceQueryLimits, queryLimitsPlugin } from "../security/query-limits";
import { AuthFailureLimiter, type RateLimiter } from "../security/rate-limiter";
import { createRateLimiter } from "../security/create-rate-limiter";

/**
 * What every GraphQL request goes through, whichever transport brings it (HTTP through Apollo
 * and express, graphql-ws on its socket): the API key with its rate limits, the request's
 * context, the query limits, the statement time limit and the shaping of errors. Written once
 * here; http-app.ts and graphql-ws.ts plug each step into their transport's hooks.
 */
export class RequestPipeline {
  /** Requests per key, failed authentications per address. */
  readonly authLimits: AuthLimits;
  /** How long a request's statements may run (runInRequest / requestLimits). */
  readonly statementTimeoutMs: number;
  private readonly rateLimiter: RateLimiter;

  constructor(
    private readonly config: AppConfig,
    private readonly services: Services,
    private readonly metrics: GatewayMetrics,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {
    this.rateLimiter = createRateLimiter(
      { perMinute: config.limits.rateLimitPerMinute, burst: config.limits.rateLimitBurst },
      config.redis,
      log,
    );
    this.authLimits = {
      requests: this.rateLimiter,
      failures: new AuthFailureLimiter({
        perMinute: config.limits.authFailuresPerMinute,
        burst: config.limits.authFailuresBurst,
      }),
    };
    this.statementTimeoutMs = config.limits.statementTimeoutMs;
  }

  /** The key of a request (headers, or a socket's connectionParams), counted against its rate limit. */
  authenticate(credentials: Record<string, unknown> | null | undefined, client: string): Promise<Principal> {
    return authenticateRequest(this.services.apiKeys, this.authLimits, credentials, client);
  }

  /** The key alone (a socket opening): failures count against the address, requests are counted per operation. */
  authenticateKey(key: string | null, client: string): Promise<Principal> {
    return authenticateKey(this.services.apiKeys, this.authLimits.failures, key, client);
  }

  context(
    principal: Principal,
    headers: Record<string, string | string[] | undefined> = {},
    requestId: string = randomUUID(),
  ): RequestContext {
    const key = headers["idempotency-key"];
    return {
      requestId,
      config: this.config,
      services: this.services,
      loaders: createLoaders(this.services, this.metrics.observeLoaderBatch, this.clock()),
      log: this.log.child({ requestId }),
      idempotencyKey: (Array.isArray(key) ? key[0] : key) ?? null,
      principal,
    };
  }

  /** Depth, cost and page-size limits of one operation, found by its name in the document (graphql-ws). */
  enforceQueryLimits(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown> | undefined,
  ): void {
    const operation = document.definitions.find(
      (d) => d.kind === "OperationDefinition" && (!operationName || d.name?.value === operationName),
    );
    if (operation && operation.kind === "OperationDefinition")
      this.checkOperation(schema, document, operation, variables);
  }

  /** Depth, cost and page-size limits of one operation (HTTP: Apollo's didResolveOperation, queryLimitsPlugin). */
  checkOperation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): void {
    enforceQueryLimits(
      schema,
      document,
      operation,
      variables,
      this.config.pagination.defaultPageSize,
      this.config.limits,
    );
  }

  /** The query limits as an Apollo plugin: the same check as graphql-ws's. */
  queryLimitsPlugin(): ApolloServerPlugin<RequestContext> {
    return queryLimitsPlugin<RequestContext>((schema, document, operation, variables) =>
      this.checkOperation(schema, document, operation, variables),
    );
  }

  /**
   * Typed errors pass through; anything else is, in production, masked (operationObserver and
   * WsOperationObserver have logged it whole, with its request id).
   */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    if (this.config.env === "production" && formatted.extensions?.code === "GRAPHQL_VALIDATION_FAILED") {
      // "Did you mean ...?" would list the schema's names to a client that may not introspect it.
      return { ...formatted, message: withoutSuggestions(formatted.message) };
    }
    if (original instanceof GatewayError || formatted.extensions?.code !== "INTERNAL_SERVER_ERROR")
      return keepUnmaskedMessage(formatted, error);
    if (this.config.env === "production") {
      return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
    return formatted;
  }

  /**
   * formatError for graphql-ws, which sends errors as graphql-js formats them (an unexpected one
   * without a code), then the pii masking Apollo's plugin does over HTTP (unmaskPiiErrorsPlugin).
   */
  formatSocketError(e: GraphQLError, principal: Principal | null): GraphQLFormattedError {
    // Over HTTP Apollo turns extensions.http into the status and drops it; a socket has no status.
    const { http: _http, ...extensions } = e.extensions ?? {};
    const formatted = { ...e.toJSON(), extensions: Object.keys(extensions).length ? extensions : undefined };
    const shaped = isUnexpected(e)
      ? this.formatError({ ...formatted, extensions: { ...formatted.extensions, code: "INTERNAL_SERVER_ERROR" } }, e)
      : this.formatError(formatted, e);
    return messageFor(shaped, principal);
  }

  async close(): Promise<void> {
    await this.rateLimiter.close?.();
  }
}

function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .*$/s, "");
}
