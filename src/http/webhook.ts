import { createHmac, timingSafeEqual } from "node:crypto";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { Logger } from "pino";
import { gatewayErrorOf } from "../errors/errors";
import type { LeadIntakeService } from "../services/lead-intake.service";
import { doNotCallHolds } from "../services/do-not-call";

export const SIGNATURE_HEADER = "x-signature";

/** `sha256=<hex>` of the raw body under the shared secret — what senders put in X-Signature. */
export function signBody(secret: string, body: string | Buffer): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

function signatureOk(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
}

/**
 * POST /webhooks/leads: a lead as JSON (the createLead input), signed with HMAC-SHA256 of the
 * raw body. Same service as the mutation, so the same rules and the same answer:
 * 201 created, 200 already there (or a replayed Idempotency-Key), 4xx with a typed code.
 */
export function webhookRouter(
  secret: string | null,
  intake: LeadIntakeService,
  log: Logger,
  limits: RequestHandler,
): Router {
  const router = express.Router();
  router.post(
    "/webhooks/leads",
    express.raw({ type: () => true, limit: "100kb" }),
    limits,
    async (req: Request, res: Response) => {
      if (!secret) return fail(res, 503, "WEBHOOK_DISABLED", "the lead webhook is off: set WEBHOOK_SECRET");
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signatureOk(secret, body, req.header(SIGNATURE_HEADER))) {
        return fail(
          res,
          401,
          "INVALID_SIGNATURE",
          `missing or wrong ${SIGNATURE_HEADER} (sha256=HMAC-SHA256 of the body)`,
        );
      }
      if (!/^application\/json\b/i.test(req.header("content-type") ?? "")) {
        return fail(res, 415, "BAD_USER_INPUT", "send the lead as application/json");
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString("utf8"));
      } catch {
        return fail(res, 400, "BAD_USER_INPUT", "the body is not valid JSON");
      }
      try {
        const r = await intake.createLead(payload, {
          origin: "webhook",
          idempotencyKey: req.header("idempotency-key") ?? null,
          idempotencyScope: "webhook",
        });
        const l = r.lead;
        res.status(r.created ? 201 : 200).json({
          lead: {
            id: l.id,
            externalLeadId: l.externalLeadId,
            phone: l.phone,
            doNotCall: doNotCallHolds(l, new Date()),
            doNotCallReason: l.doNotCallReason,
            doNotCallUntil: l.doNotCallUntil,
          },
          created: r.created,
          viciAction: r.viciAction,
          reasons: r.reasons,
          // As createLead answers them (callVerdict's codes and words).
          callReasons: (r.callReasons ?? []).map((c) => ({
            code: c.code,
            kind: c.kind,
            detail: c.detail,
            until: c.until,
          })),
          callableAt: r.callableAt ?? null,
        });
      } catch (caught) {
        const e = gatewayErrorOf(caught);
        if (e) {
          const ext = e.extensions;
          return fail(res, ext.http?.status ?? 400, e.code, e.message, ext.field);
        }
        log.error({ err: caught }, "webhook failed");
        fail(
          res,
          500,
          "INTERNAL_SERVER_ERROR",
          "internal error; nothing was lost if you retry with the same Idempotency-Key",
        );
      }
    },
  );
  // express.raw's own refusals (413 too large) in the same shape.
  router.use("/webhooks", (err: any, _req: Request, res: Response, _next: unknown) => {
    fail(
      res,
      err?.status ?? 400,
      "BAD_USER_INPUT",
      err?.type === "entity.too.large" ? "the body is larger than 100kb" : "unreadable body",
    );
  });
  return router;
}
