/**
 * The call-eligibility engine: callVerdict(facts, rules, at). Facts come from
 * src/vici/db/call-facts.reader.ts, rules from the configuration and the rule file
 * (src/config/call-rules.ts). Each rule is its own file here, with a decision-table test.
 */
export { callVerdict, earliest } from "./call-verdict";
export * from "./types";
export { LEGAL_FLOOR, LEGAL_FLOOR_SOURCE } from "./legal-hours.rule";
export { CALL_REASON_TEXT, type CallRuleOrigin } from "./reason-text";
export {
  callReasonLine,
  callReasonText,
  dncListReasons,
  dncStatusReason,
  recentCallReason,
  isAreaCodeEntry,
  type DncHit,
} from "./held-number";
