import { GraphQLError } from "graphql";

/** Every `extensions.code` the gateway itself emits. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "INVALID_PHONE"
  | "INVALID_CURSOR"
  | "PAGE_SIZE_EXCEEDED"
  | "NOT_FOUND"
  | "VICI_UNAVAILABLE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "INVALID_SIGNATURE"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "QUERY_TOO_DEEP"
  | "QUERY_TOO_COSTLY"
  | "PAYLOAD_TOO_LARGE"
  | "INTERNAL_SERVER_ERROR";

declare module "graphql" {
  interface GraphQLErrorExtensions {
    code?: string;
    /** Apollo sets the response's status (and headers, e.g. Retry-After) from this. */
    http?: { status: number; headers?: Map<string, string> };
    /** The argument or input field at fault, when there is one. */
    field?: string;
  }
}

/** Base of the gateway's typed errors: a code for clients and the HTTP status that fits. */
export abstract class GatewayError extends GraphQLError {
  abstract readonly code: ErrorCode;
  protected constructor(message: string, code: ErrorCode, status: number, field?: string, headers?: Map<string, string>) {
    super(message, { extensions: { code, http: headers ? { status, headers } : { status }, ...(field ? { field } : {}) } });
    this.name = new.target.name;
  }
}

export class UserInputError extends GatewayError {
  readonly code = "BAD_USER_INPUT" as const;
  constructor(message: string, field?: string) {
    super(message, "BAD_USER_INPUT", 400, field);
  }
}

export class InvalidPhoneError extends GatewayError {
  readonly code = "INVALID_PHONE" as const;
  /**
   * `message` quotes the phone masked; this quotes it whole, for keys with the pii scope
   * (unmaskPiiErrors). Never logged: the operation log carries codes, not messages.
   */
  readonly unmaskedMessage: string;
  constructor(message: string, field = "phone", unmaskedMessage = message) {
    super(message, "INVALID_PHONE", 400, field);
    Object.defineProperty(this, "unmaskedMessage", { value: unmaskedMessage, enumerable: false });
  }
}

export class InvalidCursorError extends GatewayError {
  readonly code = "INVALID_CURSOR" as const;
  constructor(field = "after") {
    super(`"${field}" is not a cursor this query returned`, "INVALID_CURSOR", 400, field);
  }
}

export class PageSizeError extends GatewayError {
  readonly code = "PAGE_SIZE_EXCEEDED" as const;
  constructor(requested: number, max: number) {
    super(`"first" must be between 0 and ${max} (got ${requested})`, "PAGE_SIZE_EXCEEDED", 400, "first");
  }
}

export class NotFoundError extends GatewayError {
  readonly code = "NOT_FOUND" as const;
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`, "NOT_FOUND", 404);
  }
}

export class ViciUnavailableError extends GatewayError {
  readonly code = "VICI_UNAVAILABLE" as const;
  /** Worth trying again later (the outbox retries it). */
  readonly retryable = true;
  constructor(detail: string) {
    super(`VICIdial is unavailable: ${detail}`, "VICI_UNAVAILABLE", 503);
  }
}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends GatewayError {
  readonly code = "IDEMPOTENCY_KEY_REUSED" as const;
  constructor() {
    super("this Idempotency-Key was already used for a different request", "IDEMPOTENCY_KEY_REUSED", 422, "Idempotency-Key");
  }
}

/** No API key, or one that is unknown, malformed or revoked (401). */
export class UnauthenticatedError extends GatewayError {
  readonly code = "UNAUTHENTICATED" as const;
  constructor(message = "an API key is required: send Authorization: Bearer <key>") {
    super(message, "UNAUTHENTICATED", 401);
  }
}

/** A valid key whose role does not allow the operation (403). */
export class ForbiddenError extends GatewayError {
  readonly code = "FORBIDDEN" as const;
  constructor(message: string) {
    super(message, "FORBIDDEN", 403);
  }
}

/** The key used up its request budget; Retry-After says when the next request is allowed (429). */
export class RateLimitedError extends GatewayError {
  readonly code = "RATE_LIMITED" as const;
  constructor(readonly retryAfterSeconds: number) {
    super(
      `too many requests: try again in ${retryAfterSeconds} s`,
      "RATE_LIMITED",
      429,
      undefined,
      new Map([["retry-after", String(retryAfterSeconds)]]),
    );
  }
}

export class QueryTooDeepError extends GatewayError {
  readonly code = "QUERY_TOO_DEEP" as const;
  constructor(depth: number, max: number) {
    super(`the operation nests ${depth} levels deep; at most ${max} are allowed`, "QUERY_TOO_DEEP", 400);
  }
}

/** The operation's estimated cost (fields, times the page sizes they are under) is over the limit. */
export class QueryTooCostlyError extends GatewayError {
  readonly code = "QUERY_TOO_COSTLY" as const;
  constructor(cost: number, max: number) {
    super(`the operation costs ${cost}; at most ${max} is allowed (ask for smaller pages or fewer fields)`, "QUERY_TOO_COSTLY", 400);
  }
}

export class PayloadTooLargeError extends GatewayError {
  readonly code = "PAYLOAD_TOO_LARGE" as const;
  constructor(maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`, "PAYLOAD_TOO_LARGE", 413);
  }
}
