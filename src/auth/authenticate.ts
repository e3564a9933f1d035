import type { NextFunction, Request, Response } from "express";
import { GatewayError, RateLimitedError } from "../errors/errors";
import type { RateLimiter } from "../security/rate-limiter";
import type { ApiKeyService } from "./api-key.service";
import { keyFromHeaders } from "./api-key";
import type { Principal } from "./principal";
import type { Role } from "./roles";

/**
 * Every way in (HTTP, graphql-ws, the report download) starts here: the key the request
 * carries becomes a Principal, then one request is taken from that key's budget.
 * Throws UnauthenticatedError or RateLimitedError.
 */
export async function authenticateRequest(
  apiKeys: ApiKeyService,
  rateLimiter: RateLimiter,
  credentials: Record<string, unknown> | null | undefined,
): Promise<Principal> {
  const principal = await apiKeys.authenticate(keyFromHeaders(credentials));
  const retryAfterSeconds = await rateLimiter.take(principal.keyId);
  if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds);
  return principal;
}

/** Express routes outside GraphQL (the job report): a key with at least `need`, errors as `{ error: { code, message } }`. */
export function requireKey(apiKeys: ApiKeyService, rateLimiter: RateLimiter, need: Role) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const principal = await authenticateRequest(apiKeys, rateLimiter, req.headers);
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
