import type { NextFunction, Request, Response } from "express";
import { PayloadTooLargeError } from "../errors/errors";
import { markRefusal } from "../observability/graphql-plugin";

/**
 * express.json's "too large" as a GraphQL error response (413, PAYLOAD_TOO_LARGE) instead of
 * express's HTML page. Other errors go on to the next handler.
 */
export function payloadTooLargeHandler(maxBytes: number) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if ((err as { type?: string } | null)?.type !== "entity.too.large") return next(err);
    const e = new PayloadTooLargeError(maxBytes);
    markRefusal(res, e.code);
    res.status(413).json({ errors: [{ message: e.message, extensions: { code: e.code } }] });
  };
}
