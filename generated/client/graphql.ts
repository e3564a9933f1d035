/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Why a number may not be called now (README: "May this number be called now?"). */
export type CallReasonCode =
  /** Brain marks the lead do-not-call (an operator, or a DNC found when it was created); it never lifts by time. (OURS) */
  | 'BRAIN_DO_NOT_CALL'
  /** Dialed since its list was last reset (called_since_last_reset is not N). (VICIDIAL) */
  | 'CALLED_SINCE_RESET'
  /** A per-number call cap from the rule file is reached (calls in vicidial_log over every Vici row of the number). (OURS) */
  | 'CALL_CAP'
  /** The lead's called_count reached the campaign's call_count_limit. (VICIDIAL) */
  | 'CALL_COUNT_LIMIT'
  /** VICIdial's rolling 24-hour call-count limit is reached; newer VICIdial only. (VICIDIAL) */
  | 'CALL_LIMIT_24H'
  /** Outside the campaign's call time — with its state rules and holidays, and the list's own call time — at the lead's gmt_offset_now, as the hopper reckons it. (VICIDIAL) */
  | 'CALL_TIME'
  /** The campaign is not active, or its hopper dialing is turned off (no_hopper_dialing). (VICIDIAL) */
  | 'CAMPAIGN_INACTIVE'
  /** The campaign does not exist in VICIdial. (VICIDIAL) */
  | 'CAMPAIGN_NOT_FOUND'
  /** VICIdial's daily call-count limit (per lead, or per number system-wide) is reached; newer VICIdial only. (VICIDIAL) */
  | 'DAILY_CALL_LIMIT'
  /** The number (or, with use_campaign_dnc=AREACODE, its area code) is on the campaign's DNC list (vicidial_campaign_dnc, or use_other_campaign_dnc's). (VICIDIAL) */
  | 'DNC_CAMPAIGN'
  /** A Vici row of the number has a do-not-call status (dnc=Y). VICIdial's hopper merely skips statuses it does not dial; we hold the number. (OURS) */
  | 'DNC_STATUS'
  /** The number is on VICIdial's system DNC list (vicidial_dnc) — or its area code is, where the campaign checks area codes (use_internal_dnc=AREACODE). (VICIDIAL) */
  | 'DNC_SYSTEM'
  /** A dropped call (DROP/XDROP) within the campaign's drop_lockout_time. (VICIDIAL) */
  | 'DROP_LOCKOUT'
  /** The campaign's lead filter excludes the lead (or its SQL fails, and then the hopper loads nothing). (VICIDIAL) */
  | 'LEAD_FILTER'
  /** Outside 08:00–21:00 at the called party's location (47 CFR 64.1200(c)(1), TCPA). Built in: no setting widens it. (LAW) */
  | 'LEGAL_HOURS'
  /** The lead's list has expired (expiration_date before the server's date). (VICIDIAL) */
  | 'LIST_EXPIRED'
  /** The lead's list is not active. (VICIDIAL) */
  | 'LIST_INACTIVE'
  /** No Vici row of the number is in a list of the campaign: the hopper has nothing to load. (VICIDIAL) */
  | 'NOT_IN_CAMPAIGN'
  /** Called less than RECENT_CALL_DAYS ago (the number's last call: over every Vici row of it, and its dials as another lead's alternate phone); lifts when that call is RECENT_CALL_DAYS old. (OURS) */
  | 'RECENTLY_CALLED'
  /** A lead-recycle rule re-dials the status, but its attempt delay has not passed yet. (VICIDIAL) */
  | 'RECYCLE_DELAY'
  /** Outside a state's calling window from the rule file (CALL_RULES_FILE). (OURS) */
  | 'STATE_HOURS'
  /** The lead's status is not in the campaign's dial_statuses, and no lead-recycle rule re-dials it. (VICIDIAL) */
  | 'STATUS_NOT_DIALABLE';

export type CallReasonKind =
  /** May this number be called at all now (DNC, 30 days, legal and state hours, our caps). */
  | 'COMPLIANCE'
  /** Would VICIdial's hopper load the lead now (campaign, list, status, call time, its limits). */
  | 'DIALER';

/** Whose rule a reason applies. */
export type CallRuleOrigin =
  /** The legal floor built into the gateway (08:00–21:00 at the called party's location). */
  | 'LAW'
  /** Ours, stricter than VICIdial: Brain's do-not-call, RECENT_CALL_DAYS, a do-not-call status, the rule file. */
  | 'OURS'
  /** VICIdial's own: its hopper would not load the lead either. */
  | 'VICIDIAL';

/** BRAIN: Brain's change was newer and replaced VICIdial's value. VICI: VICIdial's row changed at or after Brain's change, so its value stayed. */
export type ConflictWinner =
  | 'BRAIN'
  | 'VICI';

/** A new lead. Blank strings count as absent; every field must fit VICIdial's column. */
export type CreateLeadInput = {
  address1?: string | null | undefined;
  address2?: string | null | undefined;
  /** Target campaign; its list comes from VICI_CAMPAIGN_LISTS. */
  campaignId?: string | null | undefined;
  city?: string | null | undefined;
  /** A number called within RECENT_CALL_DAYS: true (default) stores the lead and defers its push until the window ends (DEFERRED, callableAt; every check runs again then); false answers SKIPPED_RECENTLY_CALLED and never pushes it. */
  deferred?: boolean | null | undefined;
  email?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  /** Target Vici list, overriding the mappings. */
  listId?: number | null | undefined;
  /** Any common format; stored as E.164. */
  phone: string;
  postalCode?: string | null | undefined;
  /** Where the lead came from; may pick the Vici list (VICI_SOURCE_LISTS). */
  source?: string | null | undefined;
  /** 2-letter code. */
  state?: string | null | undefined;
};

/** Filters on Brain leads. Vici-side filters (campaign, status, last call) read Brain's snapshot of Vici (meta, refreshed by sync jobs); the Vici fields of each lead are read live. */
export type LeadFilter = {
  /** true: only leads whose call verdict in `campaignId` is callable now; false: only those that are not. Verdicts are computed live (VICIdial read in batches of up to 1,000 numbers) while the page fills: at most CALLABLE_NOW_SCAN_MAX leads per request (then `callableScan.limitReached` and a cursor to go on). No totalCount. */
  callableNow?: boolean | null | undefined;
  /** Only leads whose latest Vici call (meta.last_call_date) is within this many days. */
  calledWithinDays?: number | null | undefined;
  /** The VICIdial campaign callableNow asks about (required with callableNow, refused without it). */
  campaignId?: string | null | undefined;
  /** Campaign of the primary linked Vici lead (meta.vici_campaign_id). */
  campaignIds?: Array<string> | null | undefined;
  /** true: leads whose do-not-call flag holds now (see Lead.doNotCall); false: the others. */
  doNotCall?: boolean | null | undefined;
  /** true: linked to a Vici lead (meta.vici_lead_id set); false: not linked. */
  linked?: boolean | null | undefined;
  origins?: Array<string> | null | undefined;
  /** Case-insensitive text in first/last name, or digits in the phone. */
  search?: string | null | undefined;
  /** Category of the Vici status (meta.vici_status). */
  statusCategories?: Array<StatusCategory> | null | undefined;
  /** Raw Vici status codes (meta.vici_status). */
  statuses?: Array<string> | null | undefined;
};

/** What a VICIdial status means, derived from VICIdial's status tables (campaign statuses over system ones). */
export type StatusCategory =
  | 'ANSWERING_MACHINE'
  | 'BUSY'
  | 'CALLBACK'
  | 'CONTACTED'
  | 'DNC'
  | 'DROP'
  | 'IN_PROGRESS'
  | 'NEW'
  | 'NOT_INTERESTED'
  | 'NO_ANSWER'
  | 'OTHER'
  | 'SALE'
  | 'UNWORKABLE';

/** A change to a lead's contact fields, checked like createLead's. Omitted, null and blank fields are left as they are (a field cannot be emptied). A linked lead's change reaches its VICIdial rows through the outbox. */
export type UpdateLeadInput = {
  address1?: string | null | undefined;
  address2?: string | null | undefined;
  city?: string | null | undefined;
  email?: string | null | undefined;
  firstName?: string | null | undefined;
  /** The lead's id (Lead.id). */
  id: string | number;
  lastName?: string | null | undefined;
  /** The lead's phone, if sent: it must be the phone the lead has (BAD_USER_INPUT otherwise). A phone is a lead's identity and cannot be changed. */
  phone?: string | null | undefined;
  postalCode?: string | null | undefined;
  /** Where the lead came from (VICIdial's source_id). */
  source?: string | null | undefined;
  /** 2-letter code. */
  state?: string | null | undefined;
};

/** What happened on the VICIdial side of a createLead. */
export type ViciAction =
  /** Brain already had the phone: returned as it is (new non-empty fields merged). */
  | 'ALREADY_IN_BRAIN'
  /** Inserted into VICIdial just now. */
  | 'CREATED'
  /** Called within RECENT_CALL_DAYS, nothing else in the way: stored, do-not-call until callableAt; the push waits in the outbox (state DEFERRED) until then and runs every check again first. */
  | 'DEFERRED'
  /** VICIdial had the number in a managed campaign: Brain is linked to its row(s); nothing new is dialed. */
  | 'LINKED_EXISTING'
  /** Stored; the outbox pushes it (VICIdial unreachable, or intake paused), every check again first. */
  | 'QUEUED'
  /** On a DNC list or with a DNC status: stored do-not-call for good, never pushed. */
  | 'SKIPPED_DNC'
  /** Called within RECENT_CALL_DAYS and the input said deferred: false: stored, do-not-call until the window ends, never pushed. */
  | 'SKIPPED_RECENTLY_CALLED';

/** PENDING: queued or retrying; DEFERRED: a recently called number's push, waiting for the end of its window (callableAt), when every check runs again; DONE: in Vici; SKIPPED: not pushed after a fresh check (see lastError); FAILED: refused for good, needs an operator; CONFLICT (field updates): delivered, but VICIdial kept a value it changed after Brain's change (see lastError and ViciPush.fieldConflicts). */
export type ViciSyncState =
  | 'CONFLICT'
  | 'DEFERRED'
  | 'DONE'
  | 'FAILED'
  | 'PENDING'
  | 'SKIPPED';

export type VerdictFieldsFragment = { phone: string, campaignId: string, at: string, callable: boolean, compliant: boolean, callableAt: string | null, compliantAt: string | null, viciLeadId: number | null, reasons: Array<{ code: CallReasonCode, kind: CallReasonKind, origin: CallRuleOrigin, detail: string, source: string, until: string | null, viciLeadId: number | null }>, notes: Array<{ code: string, detail: string }> };

export type CallVerdictQueryVariables = Exact<{
  phone: string;
  campaignId: string;
  at?: string | null | undefined;
}>;


export type CallVerdictQuery = { callVerdict: { phone: string, campaignId: string, at: string, callable: boolean, compliant: boolean, callableAt: string | null, compliantAt: string | null, viciLeadId: number | null, reasons: Array<{ code: CallReasonCode, kind: CallReasonKind, origin: CallRuleOrigin, detail: string, source: string, until: string | null, viciLeadId: number | null }>, notes: Array<{ code: string, detail: string }> } };

export type CallVerdictsQueryVariables = Exact<{
  phones: Array<string> | string;
  campaignId: string;
  at?: string | null | undefined;
}>;


export type CallVerdictsQuery = { callVerdicts: Array<{ phone: string, campaignId: string, at: string, callable: boolean, compliant: boolean, callableAt: string | null, compliantAt: string | null, viciLeadId: number | null, reasons: Array<{ code: CallReasonCode, kind: CallReasonKind, origin: CallRuleOrigin, detail: string, source: string, until: string | null, viciLeadId: number | null }>, notes: Array<{ code: string, detail: string }> }> };

export type CallableLeadsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  campaignId: string;
  callable: boolean;
}>;


export type CallableLeadsQuery = { leads: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, callableScan: { campaignId: string, at: string, scanned: number, limitReached: boolean } | null, edges: Array<{ cursor: string, node: { id: string, phone: string, callVerdict: { callable: boolean, reasons: Array<{ code: CallReasonCode }> } | null } }> } };

export type LeadsWithVerdictsQueryVariables = Exact<{
  first: number;
  campaignId: string;
  at?: string | null | undefined;
}>;


export type LeadsWithVerdictsQuery = { leads: { edges: Array<{ node: { id: string, phone: string, callVerdict: { phone: string, campaignId: string, at: string, callable: boolean, compliant: boolean, callableAt: string | null, compliantAt: string | null, viciLeadId: number | null, reasons: Array<{ code: CallReasonCode, kind: CallReasonKind, origin: CallRuleOrigin, detail: string, source: string, until: string | null, viciLeadId: number | null }>, notes: Array<{ code: string, detail: string }> } | null } }> } };

export type CreateLeadMutationVariables = Exact<{
  input: CreateLeadInput;
}>;


export type CreateLeadMutation = { createLead: { created: boolean, viciAction: ViciAction, reasons: Array<string>, callableAt: string | null, callReasons: Array<{ code: CallReasonCode, kind: CallReasonKind, origin: CallRuleOrigin, detail: string, source: string, until: string | null }>, lead: { id: string, externalLeadId: string, phone: string, firstName: string | null, city: string | null, doNotCall: boolean, doNotCallReason: string | null, doNotCallUntil: string | null, meta: Record<string, unknown>, vici: { leadId: number, listId: number, campaignId: string | null, vendorLeadCode: string | null, status: { code: string, category: StatusCategory } } | null, viciSync: { state: ViciSyncState, attempts: number, lastError: string | null, viciLeadId: number | null, nextAttemptAt: string | null, callableAt: string | null } | null } } };

export type LeadByPhoneQueryVariables = Exact<{
  phone: string;
}>;


export type LeadByPhoneQuery = { lead: { id: string, externalLeadId: string, phone: string, firstName: string | null, lastName: string | null, origin: string, doNotCall: boolean, doNotCallReason: string | null, meta: Record<string, unknown>, lastCallAt: string | null, vici: { leadId: number, listId: number, campaignId: string | null, lastCallAt: string | null, status: { code: string, name: string | null, category: StatusCategory } } | null, viciLeads: Array<{ leadId: number, campaignId: string | null, lastCallAt: string | null, status: { code: string, category: StatusCategory } }> } | null };

export type LeadsPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: LeadFilter | null | undefined;
}>;


export type LeadsPageQuery = { leads: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, externalLeadId: string, phone: string, lastCallAt: string | null, vici: { leadId: number, listId: number, campaignId: string | null, vendorLeadCode: string | null, calledCount: number, lastLocalCallTime: string | null, lastCallAt: string | null, entryDate: string | null, modifyDate: string | null, status: { code: string, name: string | null, category: StatusCategory }, brainLead: { id: string } | null } | null, viciLeads: Array<{ leadId: number, listId: number, campaignId: string | null, lastCallAt: string | null, status: { code: string, category: StatusCategory }, brainLead: { externalLeadId: string } | null }> } }> } };

export type UpdateLeadMutationVariables = Exact<{
  input: UpdateLeadInput;
}>;


export type UpdateLeadMutation = { updateLead: { changedFields: Array<string>, lead: { id: string, phone: string, firstName: string | null, lastName: string | null, email: string | null, city: string | null, state: string | null, source: string | null }, viciPush: { id: string, kind: string, state: ViciSyncState, attempts: number, lastError: string | null, viciLeadId: number | null, fieldConflicts: Array<{ viciLeadId: number, field: string, brainValue: string | null, viciValue: string | null, winner: ConflictWinner }> } | null } };

export const VerdictFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VerdictFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallVerdict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"callable"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}},{"kind":"Field","name":{"kind":"Name","value":"compliantAt"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"until"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<VerdictFieldsFragment, unknown>;
export const CallVerdictDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallVerdict"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"phone"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"at"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callVerdict"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"phone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"phone"}}},{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"Argument","name":{"kind":"Name","value":"at"},"value":{"kind":"Variable","name":{"kind":"Name","value":"at"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VerdictFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VerdictFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallVerdict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"callable"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}},{"kind":"Field","name":{"kind":"Name","value":"compliantAt"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"until"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<CallVerdictQuery, CallVerdictQueryVariables>;
export const CallVerdictsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallVerdicts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"phones"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"at"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callVerdicts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"phones"},"value":{"kind":"Variable","name":{"kind":"Name","value":"phones"}}},{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"Argument","name":{"kind":"Name","value":"at"},"value":{"kind":"Variable","name":{"kind":"Name","value":"at"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VerdictFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VerdictFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallVerdict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"callable"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}},{"kind":"Field","name":{"kind":"Name","value":"compliantAt"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"until"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<CallVerdictsQuery, CallVerdictsQueryVariables>;
export const CallableLeadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallableLeads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"callable"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"callableNow"},"value":{"kind":"Variable","name":{"kind":"Name","value":"callable"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"callableScan"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"scanned"}},{"kind":"Field","name":{"kind":"Name","value":"limitReached"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"callVerdict"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callable"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CallableLeadsQuery, CallableLeadsQueryVariables>;
export const LeadsWithVerdictsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LeadsWithVerdicts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"at"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"callVerdict"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"campaignId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"campaignId"}}},{"kind":"Argument","name":{"kind":"Name","value":"at"},"value":{"kind":"Variable","name":{"kind":"Name","value":"at"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VerdictFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VerdictFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CallVerdict"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"callable"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}},{"kind":"Field","name":{"kind":"Name","value":"compliantAt"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"until"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<LeadsWithVerdictsQuery, LeadsWithVerdictsQueryVariables>;
export const CreateLeadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateLead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateLeadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createLead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"viciAction"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"callReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"until"}}]}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}},{"kind":"Field","name":{"kind":"Name","value":"lead"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"doNotCall"}},{"kind":"Field","name":{"kind":"Name","value":"doNotCallReason"}},{"kind":"Field","name":{"kind":"Name","value":"doNotCallUntil"}},{"kind":"Field","name":{"kind":"Name","value":"meta"}},{"kind":"Field","name":{"kind":"Name","value":"vici"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadId"}},{"kind":"Field","name":{"kind":"Name","value":"listId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"vendorLeadCode"}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"viciSync"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"nextAttemptAt"}},{"kind":"Field","name":{"kind":"Name","value":"callableAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateLeadMutation, CreateLeadMutationVariables>;
export const LeadByPhoneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LeadByPhone"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"phone"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"phone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"phone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"doNotCall"}},{"kind":"Field","name":{"kind":"Name","value":"doNotCallReason"}},{"kind":"Field","name":{"kind":"Name","value":"meta"}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}},{"kind":"Field","name":{"kind":"Name","value":"vici"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadId"}},{"kind":"Field","name":{"kind":"Name","value":"listId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"viciLeads"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}}]}}]}}]}}]} as unknown as DocumentNode<LeadByPhoneQuery, LeadByPhoneQueryVariables>;
export const LeadsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LeadsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LeadFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}},{"kind":"Field","name":{"kind":"Name","value":"vici"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadId"}},{"kind":"Field","name":{"kind":"Name","value":"listId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"vendorLeadCode"}},{"kind":"Field","name":{"kind":"Name","value":"calledCount"}},{"kind":"Field","name":{"kind":"Name","value":"lastLocalCallTime"}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}},{"kind":"Field","name":{"kind":"Name","value":"entryDate"}},{"kind":"Field","name":{"kind":"Name","value":"modifyDate"}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}},{"kind":"Field","name":{"kind":"Name","value":"brainLead"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"viciLeads"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadId"}},{"kind":"Field","name":{"kind":"Name","value":"listId"}},{"kind":"Field","name":{"kind":"Name","value":"campaignId"}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}},{"kind":"Field","name":{"kind":"Name","value":"brainLead"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalLeadId"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<LeadsPageQuery, LeadsPageQueryVariables>;
export const UpdateLeadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateLead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateLeadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateLead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changedFields"}},{"kind":"Field","name":{"kind":"Name","value":"lead"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}},{"kind":"Field","name":{"kind":"Name","value":"viciPush"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"fieldConflicts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viciLeadId"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"brainValue"}},{"kind":"Field","name":{"kind":"Name","value":"viciValue"}},{"kind":"Field","name":{"kind":"Name","value":"winner"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpdateLeadMutation, UpdateLeadMutationVariables>;