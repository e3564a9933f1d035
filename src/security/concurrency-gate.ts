import type { NextFunction, Request, Response } from "express";

/**
 * At most `max` HTTP GraphQL operations execute at once; the others wait their turn (FIFO)
 * before their body is even read. Under load, a page of leads in flight holds thousands of
 * objects (rows, resolver promises, the result tree) until its last statement answers: with
 * every client's operation started at once they all stay alive across garbage collections,
 * which then cost more than the operations themselves (BENCHMARKS.md, "Read under load").
 * graphql-ws operations are not gated. 0 = no gate.
 */
export function concurrencyGate(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (max <= 0 || req.method === "OPTIONS") return next();
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      release();
    };
    const go = () => {
      res.once("finish", done);
      res.once("close", done);
      next();
    };
    if (running < max) {
      running++;
      go();
    } else {
      // The slot passes straight to the next waiter (running stays the same).
      waiting.push(() => (req.destroyed ? release() : go()));
    }
  };
}
