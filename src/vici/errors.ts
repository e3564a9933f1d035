import { GatewayError } from "../errors/errors";
import type { ApiLine } from "./api/lines";

/**
 * VICIdial cannot be reached right now — its database (viciQuery, the circuit breaker) or its
 * Non-Agent API (network error, timeout, an answer without the expected result): the ONE
 * unavailable error. VICI_UNAVAILABLE, HTTP 503; retryable (the outbox tries again later).
 */
export class ViciUnavailableError extends GatewayError {
  readonly code = "VICI_UNAVAILABLE" as const;
  /** Worth trying again later (the outbox retries it). */
  readonly retryable = true;
  /** The API function called, when the API was the one that failed; null for the database. */
  readonly apiFunction: string | null;
  /** The API's (redacted) result line that made the answer unusable, if any. */
  readonly line: ApiLine | null;
  constructor(detail: string, api?: { apiFunction: string; line?: ApiLine | null }) {
    super(
      api ? `VICIdial ${api.apiFunction} unavailable: ${detail}` : `VICIdial is unavailable: ${detail}`,
      "VICI_UNAVAILABLE",
      503,
    );
    this.apiFunction = api?.apiFunction ?? null;
    this.line = api?.line ?? null;
  }
}
