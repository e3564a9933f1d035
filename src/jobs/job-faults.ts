import { isBrainUnreachable } from "../data-sources/brain-errors";
import { BrainUnavailableError } from "../errors/errors";
import { ViciUnavailableError } from "../vici/errors";
import { isViciUnreachable } from "../vici/db/vici-query";

/**
 * Why a job's work failed, when a retry can fix it: a database it needs did not answer (a cut
 * connection, a refused one, a timeout, VICIdial's circuit breaker). null for anything else
 * (bad data, a bug, a refusal): those end the job FAILED.
 */
export function databaseFault(e: unknown): string | null {
  const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
  if (e instanceof ViciUnavailableError || e instanceof BrainUnavailableError) return message;
  if (isBrainUnreachable(e)) return `Brain is unreachable: ${message}`;
  if (isViciUnreachable(e)) return `VICIdial is unreachable: ${message}`;
  return null;
}

/** The wait before retry `attempt` (0-based): `firstMs`, doubling, at most 30 s. */
export function retryDelayMs(attempt: number, firstMs: number): number {
  return Math.min(30_000, firstMs * 2 ** Math.min(attempt, 20));
}
