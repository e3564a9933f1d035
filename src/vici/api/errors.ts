import type { ApiLine } from "./lines";

/**
 * What the Non-Agent API client throws when VICIdial answers but refuses (auth, a rejected
 * call, a value refused locally). "Cannot reach it" is vici/errors.ts's ViciUnavailableError,
 * the one unavailable error of the database and the API alike.
 */

export class ViciApiError extends Error {
  readonly retryable: boolean;
  /** The (redacted) result line that caused the error; null for transport and local errors. */
  readonly line: ApiLine | null;
  /** The API function that was called. */
  readonly apiFunction: string;
  constructor(message: string, opts: { retryable: boolean; line?: ApiLine | null; apiFunction: string }) {
    super(message);
    this.name = new.target.name;
    this.retryable = opts.retryable;
    this.line = opts.line ?? null;
    this.apiFunction = opts.apiFunction;
  }
}

/** The API user was refused (login, lockout, IP, permission, user group). Latches the client. */
export class ViciApiAuthError extends ViciApiError {
  constructor(message: string, line: ApiLine, apiFunction: string) {
    super(message, { retryable: false, line, apiFunction });
  }
}

/** Any other ERROR line (invalid phone, duplicate, not found, NO FUNCTION SPECIFIED...). */
export class ViciApiRejectedError extends ViciApiError {
  constructor(message: string, line: ApiLine | null, apiFunction: string) {
    super(message, { retryable: false, line, apiFunction });
  }
}

/** Refused locally, nothing sent: the API would have mangled or ignored the value. */
export class ViciApiInputError extends ViciApiRejectedError {
  /** The offending parameter, in the client's naming (e.g. `vendorLeadCode`). */
  readonly field: string;
  constructor(field: string, problem: string, apiFunction: string) {
    super(`VICIdial ${apiFunction}: ${field} ${problem} (not sent)`, null, apiFunction);
    this.field = field;
  }
}
