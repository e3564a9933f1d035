import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { PayloadTooLargeError } from "../errors/errors";
import { markRefusal } from "../observability/graphql-plugin";

/** One GraphQL error as the response body (what Apollo sends for a request it refuses), logged and counted as a refusal. */
function sendError(res: Response, status: number, code: string, message: string): void {
  markRefusal(res, code);
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * express.json's refusals as GraphQL error responses instead of Express's HTML page (which
 * carries a stack trace and file paths in development): too large (413 PAYLOAD_TOO_LARGE),
 * not JSON (400 BAD_REQUEST), a charset or content encoding it cannot read (415 BAD_REQUEST).
 */
export function bodyErrorHandler(maxBytes: number) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = (err as { type?: string } | null)?.type;
    if (typeof type !== "string" || res.headersSent) return next(err);
    switch (type) {
      case "entity.too.large": {
        const e = new PayloadTooLargeError(maxBytes);
        return sendError(res, 413, e.code, e.message);
      }
      case "entity.parse.failed":
        return sendError(res, 400, "BAD_REQUEST", "the request body is not valid JSON");
      case "charset.unsupported":
        return sendError(res, 415, "BAD_REQUEST", "the request body's charset is not supported: send UTF-8 JSON");
      case "encoding.unsupported":
        return sendError(res, 415, "BAD_REQUEST", "the request body's Content-Encoding is not supported");
      default:
        return sendError(res, 400, "BAD_REQUEST", "the request body could not be read");
    }
  };
}

/**
 * The last error handler: whatever reached Express unhandled is logged whole and answered as
 * a JSON error without details, never as Express's HTML page.
 */
export function lastErrorHandler(log: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const status = Number((err as { status?: unknown } | null)?.status);
    if (Number.isInteger(status) && status >= 400 && status < 500)
      return sendError(res, status, "BAD_REQUEST", "the request could not be read");
    log.error({ err }, "unexpected error");
    sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
  };
}
