import { calledWithin } from "../number-facts";
import type { VerdictContext } from "./context";
import { recentCallReason } from "./held-number";
import type { CallReason } from "./types";

/**
 * The 30-day rule (ours): a number called less than RECENT_CALL_DAYS ago — latest vicidial_log
 * call over every Vici row of the number, an input fact — waits until that call is
 * RECENT_CALL_DAYS × 24 h old. Same test as createLead's guard (calledWithin), same words
 * (held-number.ts).
 */
export function recentCallReasons(ctx: VerdictContext, t: number): CallReason[] {
  const last = ctx.facts.number.lastCallAt;
  const days = ctx.rules.recentCallDays;
  if (!calledWithin(last, new Date(t), days)) return [];
  return [recentCallReason(last!, days)];
}
