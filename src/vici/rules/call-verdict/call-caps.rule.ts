import { reason, type VerdictContext } from "./context";
import { HOUR } from "./lead-clock";
import { numberStates } from "./legal-hours.rule";
import { CallReasonCode as C, type CallCapRule, type CallReason } from "./types";

/**
 * Our own per-number call caps from the rule file (e.g. at most 3 calls in 24 h to a Florida
 * number): calls in vicidial_log for every Vici row of the number within the last `hours`
 * hours, before t. A cap lifts when its oldest counted call leaves the window.
 */
export function applicableCaps(ctx: VerdictContext): CallCapRule[] {
  return ctx.once("caps", () => {
    const states = numberStates(ctx);
    return ctx.rules.callCaps.filter((cap) => cap.states.length === 0 || cap.states.some((s) => states.includes(s)));
  });
}

export function callCapReasons(ctx: VerdictContext, t: number): CallReason[] {
  const out: CallReason[] = [];
  const calls = ctx.facts.number.recentCalls.map((d) => d.getTime()).filter((c) => c <= t);
  for (const cap of applicableCaps(ctx)) {
    const inWindow = calls.filter((c) => c > t - cap.hours * HOUR).sort((a, b) => b - a);
    if (inWindow.length < cap.maxCalls) continue;
    // Allowed again once only maxCalls − 1 of them remain in the window.
    const until = inWindow[cap.maxCalls - 1] + cap.hours * HOUR;
    out.push(
      reason(
        C.CALL_CAP,
        `${inWindow.length} call(s) in the last ${cap.hours} h; at most ${cap.maxCalls} allowed${cap.states.length ? ` for ${cap.states.join(", ")} numbers` : ""}`,
        `rule file ${cap.id}: ${cap.citation}`,
        until,
      ),
    );
  }
  return out;
}
