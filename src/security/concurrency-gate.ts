import type { NextFunction, Request, RequestHandler, Response } from "express";
import { runInRequest } from "../util/request-scope";

/**
 * At most `max` HTTP GraphQL operations execute at once; the others wait their turn (FIFO)
 * before their body is even read. Under load, a page of leads in flight holds thousands of
 * objects (rows, resolver promises, the result tree) until its last statement answers: with
 * every client's operation started at once they all stay alive across garbage collections,
 * which then cost more than the operations themselves (BENCHMARKS.md, "Read under load").
 * graphql-ws operations are not gated. 0 = no gate.
 *
 * An operation that waits on VICIdial for a while (see VICI_PATIENCE_MS) moves from the gate's
 * slots to a second budget of the same size, letting the next operation in: requests stuck on a
 * hung dialer (until its timeouts or the circuit breaker answer them) never hold up Brain-only
 * ones. At most 2 × `max` operations are thus in flight.
 */
export class ConcurrencyGate {
  private running = 0;
  private waitingOnVici = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Gates the request; `res.locals.yieldGate()` gives its slot up while it waits on VICIdial. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (this.max <= 0 || req.method === "OPTIONS") return next();
      let holds: "gate" | "vici" | "none" = "gate";
      const done = () => {
        if (holds === "gate") this.release();
        else if (holds === "vici") this.waitingOnVici--;
        holds = "none";
      };
      const go = () => {
        res.once("finish", done);
        res.once("close", done);
        res.locals.yieldGate = () => {
          if (holds !== "gate" || this.waitingOnVici >= this.max) return;
          holds = "vici";
          this.waitingOnVici++;
          this.release();
        };
        next();
      };
      if (this.running < this.max) {
        this.running++;
        go();
      } else {
        // The slot passes straight to the next waiter (running stays the same).
        this.queue.push(() => (req.destroyed ? this.release() : go()));
      }
    };
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}

/**
 * Runs the rest of an API request with its limits (see request-scope.ts): after the body is
 * read (a body parser resumes the request outside the async context it was started in).
 */
export function requestLimits(statementTimeoutMs: number): RequestHandler {
  return (_req, res, next) =>
    runInRequest(
      { statementTimeoutMs, waitingOnVici: () => (res.locals.yieldGate as (() => void) | undefined)?.() },
      next,
    );
}
