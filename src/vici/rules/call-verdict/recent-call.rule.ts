import { calledWithin } from "../../../services/call-guard";
import { reason, type VerdictContext } from "./context";
import { DAY } from "./lead-clock";
import { CallReasonCode as C, type CallReason } from "./types";

/**
 * The 30-day rule (ours): a number called less than RECENT_CALL_DAYS ago — latest vicidial_log
 * call over every Vici row of the number, an input fact — waits until that call is
 * RECENT_CALL_DAYS × 24 h old. Same test as createLead's guard (calledWithin).
 */
export function recentCallReasons(ctx: VerdictContext, t: number): CallReason[] {
  const last = ctx.facts.number.lastCallAt;
  const days = ctx.rules.recentCallDays;
  if (!calledWithin(last, new Date(t), days)) return [];
  return [
    reason(
      C.RECENTLY_CALLED,
      `last called ${last!.toISOString()}, less than ${days} days ago`,
      `RECENT_CALL_DAYS=${days} (ours), latest vicidial_log.call_date of every Vici row of the number`,
      last!.getTime() + days * DAY,
    ),
  ];
}
