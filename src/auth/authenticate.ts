import type { NextFunction, Request, Response } from "express";
import { GatewayError, RateLimitedError, UnauthenticatedError } from "../errors/errors";
import type { AuthFailureLimiter, RateLimiter } from "../security/rate-limiter";
import type { ApiKeyService } from "./api-key.service";
import { keyFromHeaders } from "./api-key";
import type { Principal } from "./principal";
import type { Role } from "./roles";

/** The limits authentication applies: per key once accepted, per client address before. */
export interface AuthLimits {
  /** Requests per API key. */
  requests: RateLimiter;
  /** Failed authentications per client address. */
  failures: AuthFailureLimiter;
}

/**
 * A key as a Principal, for a request from `client` (its address): an address that has used
 * up its failed authentications is refused (RATE_LIMITED) before a key it sends is looked up
 * in Brain; a key that does not authenticate counts against it. Throws UnauthenticatedError
 * or RateLimitedError.
 */
export async function authenticateKey(
  apiKeys: ApiKeyService,
  failures: AuthFailureLimiter,
  key: string | null,
  client: string,
): Promise<Principal> {
  try {
    return await apiKeys.authenticate(key, () => {
      const wait = failures.retryAfter(client);
      if (wait > 0) throw new RateLimitedError(wait);
    });
  } catch (e) {
    if (e instanceof UnauthenticatedError) failures.failed(client);
    throw e;
  }
}

/**
 * Every way in (HTTP, graphql-ws, the report download) starts here: the key the request
 * carries becomes a Principal, then one request is taken from that key's budget.
 * Throws UnauthenticatedError or RateLimitedError.
 */
export async function authenticateRequest(
  apiKeys: ApiKeyService,
  limits: AuthLimits,
  credentials: Record<string, unknown> | null | undefined,
  client: string,
): Promise<Principal> {
  const principal = await authenticateKey(apiKeys, limits.failures, keyFromHeaders(credentials), client);
  const retryAfterSeconds = await limits.requests.take(principal.keyId);
  if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds);
  return principal;
}

/** The address a request comes from, for the failed-authentication limit. */
export function clientAddress(req: { socket: { remoteAddress?: string } }): string {
  return req.socket.remoteAddress ?? "unknown";
}

/** Express routes outside GraphQL (the job report): a key with at least `need`, errors as `{ error: { code, message } }`. */
export function requireKey(apiKeys: ApiKeyService, limits: AuthLimits, need: Role) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const principal = await authenticateRequest(apiKeys, limits, req.headers, clientAddress(req));
      apiKeys.authorize(principal, need, `${req.method} ${req.baseUrl}${req.path}`);
      res.locals.principal = principal;
      next();
    } catch (e) {
      if (!(e instanceof GatewayError)) return next(e);
      const http = e.extensions.http;
      for (const [k, v] of http?.headers ?? []) res.setHeader(k, v);
      res.status(http?.status ?? 401).json({ error: { code: e.code, message: e.message } });
    }
  };
}
