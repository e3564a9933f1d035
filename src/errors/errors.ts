import { GraphQLError } from "graphql";

/** Every `extensions.code` the gateway itself emits. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "INVALID_PHONE"
  | "INVALID_CURSOR"
  | "PAGE_SIZE_EXCEEDED"
  | "NOT_FOUND"
  | "VICI_UNAVAILABLE"
  | "BRAIN_UNAVAILABLE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "INVALID_SIGNATURE"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "QUERY_TOO_DEEP"
  | "QUERY_TOO_COSTLY"
  | "QUERY_TOO_COMPLEX"
  | "STATEMENT_TIMEOUT"
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
  protected constructor(
    message: string,
    code: ErrorCode,
    status: number,
    field?: string,
    headers?: Map<string, string>,
  ) {
    super(message, {
      extensions: { code, http: headers ? { status, headers } : { status }, ...(field ? { field } : {}) },
    });
    this.name = new.target.name;
  }
}

/**
 * The typed error behind `e`: itself, or one a database client raised inside a TypeORM
 * QueryFailedError (TimedPgClient's STATEMENT_TIMEOUT).
 */
export function gatewayErrorOf(e: unknown): GatewayError | null {
  if (e instanceof GatewayError) return e;
  const driver = (e as { driverError?: unknown } | null)?.driverError;
  return driver instanceof GatewayError ? driver : null;
}

export class UserInputError extends GatewayError {
  readonly code = "BAD_USER_INPUT" as const;
  constructor(message: string, field?: string) {
    super(message, "BAD_USER_INPUT", 400, field);
  }
}

/**
 * A campaign outside VICI_CAMPAIGNS named where the gateway would read it to write (a job, an
 * audit, createLead's campaignId). BAD_USER_INPUT; the CLI exits 2 (bad arguments for this
 * configuration).
 */
export class CampaignNotManagedError extends UserInputError {
  constructor(
    readonly campaignIds: readonly string[],
    managed: readonly string[],
    field = "campaigns",
  ) {
    super(
      `campaign${campaignIds.length > 1 ? "s" : ""} ${campaignIds.join(", ")} ${campaignIds.length > 1 ? "are" : "is"} not managed by this gateway (VICI_CAMPAIGNS=${managed.join(",")})`,
      field,
    );
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

/** Brain (PostgreSQL) did not answer; the message says what became of the request. */
export class BrainUnavailableError extends GatewayError {
  readonly code = "BRAIN_UNAVAILABLE" as const;
  constructor(detail: string) {
    super(`Brain is unavailable: ${detail}`, "BRAIN_UNAVAILABLE", 503);
  }
}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends GatewayError {
  readonly code = "IDEMPOTENCY_KEY_REUSED" as const;
  constructor() {
    super(
      "this Idempotency-Key was already used for a different request",
      "IDEMPOTENCY_KEY_REUSED",
      422,
      "Idempotency-Key",
    );
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

/**
 * The operation's estimated cost (fields, times the page sizes they are under) is over the
 * limit, or it asks for more fields that scan a table than an operation may.
 */
export class QueryTooCostlyError extends GatewayError {
  readonly code = "QUERY_TOO_COSTLY" as const;
  constructor(cost: number, max: number, atLeast = false, scans?: { scans: number; maxScans: number }) {
    super(
      scans
        ? `the operation asks for ${scans.scans} fields that scan a table (totalCount, leadCount, audit, syncHealth, callVerdicts); at most ${scans.maxScans} per operation`
        : `the operation costs ${atLeast ? "at least " : ""}${cost}; at most ${max} is allowed (ask for smaller pages or fewer fields)`,
      "QUERY_TOO_COSTLY",
      400,
    );
  }
}

/** More aliases or fragment spreads than an operation may have (each multiplies the work). */
export class QueryTooComplexError extends GatewayError {
  readonly code = "QUERY_TOO_COMPLEX" as const;
  constructor(what: string, max: number) {
    super(`the operation has ${what}; at most ${max} are allowed`, "QUERY_TOO_COMPLEX", 400);
  }
}

/** A statement of this request ran longer than STATEMENT_TIMEOUT_MS and was stopped (504). */
export class StatementTimeoutError extends GatewayError {
  readonly code = "STATEMENT_TIMEOUT" as const;
  constructor(database: "Brain" | "VICIdial", ms: number) {
    super(
      `a ${database} statement of this request ran longer than ${ms} ms and was stopped: ask for less (a narrower filter, a smaller page)`,
      "STATEMENT_TIMEOUT",
      504,
    );
  }
}

export class PayloadTooLargeError extends GatewayError {
  readonly code = "PAYLOAD_TOO_LARGE" as const;
  constructor(maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`, "PAYLOAD_TOO_LARGE", 413);
  }
}
