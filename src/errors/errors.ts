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
  | "INTERNAL_SERVER_ERROR";

declare module "graphql" {
  interface GraphQLErrorExtensions {
    code?: string;
    http?: { status: number };
    /** The argument or input field at fault, when there is one. */
    field?: string;
  }
}

/** Base of the gateway's typed errors: a code for clients and the HTTP status that fits. */
export abstract class GatewayError extends GraphQLError {
  abstract readonly code: ErrorCode;
  protected constructor(message: string, code: ErrorCode, status: number, field?: string) {
    super(message, { extensions: { code, http: { status }, ...(field ? { field } : {}) } });
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
  constructor(message: string, field = "phone") {
    super(message, "INVALID_PHONE", 400, field);
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
