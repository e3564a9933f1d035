/**
 * VICIdial ("Vici", the dialer; MariaDB/MySQL + its Non-Agent API): everything the gateway
 * knows about its tables, API, clock and statuses lives under src/vici/. Start here.
 *
 *   errors.ts          ViciUnavailableError: the ONE "VICIdial cannot be reached" (VICI_UNAVAILABLE, 503)
 *   db/                every read and write of VICIdial's tables, through db/vici-query.ts (viciQuery:
 *                      the circuit breaker, timing, per-request statement limits)
 *     dnc.reader         the DNC lists of many numbers in one statement (rules/dnc.ts matches them)
 *     number-rows.reader every row of a number + its last call (the recent-call rule's one reader)
 *     call-facts.reader  what callVerdict needs; create-facts.reader what createLead's call guard needs
 *     managed-campaigns  VICI_CAMPAIGNS and the managed-row rule; vici-lead-source the job's rows
 *     vici-leads.reader  vicidial_list rows/pages and the status tables; campaigns.reader campaigns, lists
 *     import-rows.reader the import's row columns and DNC matcher; audit / follow / lead-codes readers,
 *     pushed-rows (rollback's guard), vendor-code writer + owners
 *   api/               the Non-Agent API client: lines (result lines), errors (refusals), fields
 *                      (parameters and local checks), client
 *   writers/           ViciWriter: new leads and field updates via the database or the API
 *   rules/             pure facts: dnc (which entries hold a number), primary-row, status-category,
 *                      vici-time (VICIdial's wall clock), dst-rules, call-verdict/ (the hopper's rules),
 *                      phone (VICIdial's phone_code + phone_number form), vendor-code (when a vendor code
 *                      becomes external_lead_id), number-facts (a number's rows as the call guard sees
 *                      them; calledWithin), contact-columns (Brain field → vicidial_list column)
 *   vici-ddl.ts        the project's copy of VICIdial's DDL and the dialer-grants user (demo, tests)
 *
 * Other layers use the names re-exported below (they may import the files directly too). This
 * folder imports nothing above it (services, schema, resolvers, jobs): .dependency-cruiser.cjs.
 */
export { ViciUnavailableError } from "./errors";

export {
  viciQuery,
  isViciUnreachable,
  isRetryable,
  ViciBreaker,
  guardViciCalls,
  viciBreakerOf,
  observeViciQueries,
  openVici,
  openViciWith,
  type ViciCall,
  type ViciCallObserver,
} from "./db/vici-query";
export { readDncEntries } from "./db/dnc.reader";
export {
  NumberRowsReader,
  lastCallOfNumber,
  type NumberRow,
  type NumberRows,
  type HeldRow,
} from "./db/number-rows.reader";
export { CallFactsReader, MAX_NUMBERS, type CallFactsBatch, type CallFactsRequest } from "./db/call-facts.reader";
export { ViciFactsService, type ViciTarget, type TargetRequest } from "./db/create-facts.reader";
export { ManagedCampaigns, campaignKeys, managesCampaign } from "./db/managed-campaigns";
export { ViciLeadSource } from "./db/vici-lead-source";
export {
  ViciLeadService,
  storedPhoneVariants,
  type ViciLeadRecord,
  type ViciLeadPage,
  type ViciContactRow,
  type BrainPhoneLookup,
  type ViciLeadPageParams,
  type ViciLeadFilterParams,
} from "./db/vici-leads.reader";
export {
  CampaignService,
  CAMPAIGN_ID,
  checkCampaignId,
  type CampaignRecord,
  type ViciListRecord,
} from "./db/campaigns.reader";
export { FollowReader, type FollowedCall } from "./db/follow.reader";
export { IMPORT_COLUMNS, readDncLists, type ViciRow, type DncMatcher } from "./db/import-rows.reader";
export { vendorCodesOf, type LeadCode } from "./db/lead-codes.reader";
export {
  readPushedRows,
  deleteUntouchedRow,
  untouchedSql,
  UNTOUCHED_CHECKS,
  type PushedRowGuard,
  type PushedRowState,
} from "./db/pushed-rows";
export { VendorCodeWriter, type VendorCodeChange } from "./db/vendor-code.writer";
export { VendorCodeOwners } from "./db/vendor-code-owners.reader";

export { ViciApiClient, type ViciApiOptions } from "./api";

export { DbViciWriter } from "./writers/db-vici-writer";
export { ApiViciWriter } from "./writers/api-vici-writer";
export type { ViciWriter, NewViciLead, VendorCodeOutcome, ContactUpdateOutcome } from "./writers/vici-writer";

export { DncEntries, dncEntriesOf, areaCodeEntry, type DncEntry } from "./rules/dnc";
export { primaryRow } from "./rules/primary-row";
export {
  StatusCatalog,
  StatusCategory,
  DEFAULT_SYSTEM_STATUSES,
  statusRowFromDb,
  type StatusRow,
  type DefaultSystemStatus,
} from "./rules/status-category";
export { viciLocalToInstant, instantToViciLocal, parseViciLocalDateTime } from "./rules/vici-time";
export {
  callVerdict,
  CallReasonCode,
  CALL_REASON_TEXT,
  callReasonLine,
  dncListReasons,
  dncStatusReason,
  recentCallReason,
  type CallVerdict,
  type CallRules,
  type DncHit,
} from "./rules/call-verdict";
export { toViciPhone, fromViciPhone, readViciPhone, viciPhoneKey, type ViciPhone } from "./rules/phone";
export {
  decideVendorCode,
  vendorCodeKey,
  holdsOtherCode,
  conflictReason,
  type VendorCodeDecision,
  type VendorCodeFacts,
  type NotAdopted,
} from "./rules/vendor-code";
export { calledWithin, type ViciMatch, type GuardFacts } from "./rules/number-facts";
export { VICI_CONTACT_COLUMN, type ViciContactColumn } from "./rules/contact-columns";
