/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Each role includes the ones before it: READER (queries, subscriptions), WRITER (+ createLead), OPERATOR (+ sync jobs, intake switch, push retries), ADMIN (+ API keys). */
export type ApiKeyRole =
  | 'ADMIN'
  | 'OPERATOR'
  | 'READER'
  | 'WRITER';

/** PII: phone numbers unmasked. */
export type ApiKeyScope =
  | 'PII';

/** BRAIN: Brain's change was newer and replaced VICIdial's value. VICI: VICIdial's row changed at or after Brain's change, so its value stayed. */
export type ConflictWinner =
  | 'BRAIN'
  | 'VICI';

export type CreateApiKeyInput = {
  /** Who or what the key is for (1 to 100 characters). */
  name: string;
  role: ApiKeyRole;
  scopes?: Array<ApiKeyScope>;
};

/** How a CSV_IMPORT reads its file. */
export type CsvImportInput = {
  /** The CSV text. */
  content: string;
  /** CSV header → lead field, e.g. {"Phone Number": "phone"}; common headers map by default. */
  mapping?: Record<string, unknown> | null | undefined;
  /** Link rows whose phone VICIdial already has (else they are reported and skipped). */
  matchVici?: boolean;
  /** Fail the job once more than this many rows were bad (errors); what was imported before stays (roll it back). Default: no limit. */
  maxErrors?: number | null | undefined;
  /** Update Brain leads that already exist (else they are reported and left alone). */
  updateExisting?: boolean;
};

export type StartSyncInput = {
  /** Rows per batch (default 5000): each batch is one short read and one commit. */
  batchSize?: number | null | undefined;
  /** Campaign ids (e.g. Auto2, Autodial), each within VICI_CAMPAIGNS (else BAD_USER_INPUT); none = VICI_CAMPAIGNS (unset: every campaign). Rows of lists without a vicidial_lists row are never read. */
  campaigns?: Array<string> | null | undefined;
  csv?: CsvImportInput | null | undefined;
  /** Compute and report everything, write nothing. */
  dryRun?: boolean;
  kind: SyncJobKind;
  /** At most this many source rows (test with 100 first). */
  limit?: number | null | undefined;
  /** VENDOR_CODES: replace a vendor code that holds something else (its before-value is kept). */
  overwrite?: boolean;
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

export type SyncJobKind =
  | 'CSV_IMPORT'
  | 'FULL'
  | 'ROLLBACK'
  | 'VENDOR_CODES'
  | 'VICI_IMPORT';

export type SyncJobState =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'WAITING';

/** PENDING: queued or retrying; DEFERRED: a recently called number's push, waiting for the end of its window (callableAt), when every check runs again; DONE: in Vici; SKIPPED: not pushed after a fresh check (see lastError); FAILED: refused for good, needs an operator; CONFLICT (field updates): delivered, but VICIdial kept a value it changed after Brain's change (see lastError and ViciPush.fieldConflicts). */
export type ViciSyncState =
  | 'CONFLICT'
  | 'DEFERRED'
  | 'DONE'
  | 'FAILED'
  | 'PENDING'
  | 'SKIPPED';

export type MetricFragment = { value: number, count: number, total: number | null, target: string, met: boolean, sampleLeadIds: Array<number> };

export type ConsoleHealthQueryVariables = Exact<{
  campaigns?: Array<string> | string | null | undefined;
  cutoverAt?: string | null | undefined;
}>;


export type ConsoleHealthQuery = { syncHealth: { campaigns: Array<string>, windowDays: number, windowStart: string, cutoverAt: string | null, measuredAt: string, dialedTwiceIn30Days: { value: number, count: number, total: number | null, target: string, met: boolean, sampleLeadIds: Array<number> }, vendorCodeShare: { value: number, count: number, total: number | null, target: string, met: boolean, sampleLeadIds: Array<number> }, brainLinkedShare: { value: number, count: number, total: number | null, target: string, met: boolean, sampleLeadIds: Array<number> }, createdOutsideBrain: { value: number, count: number, total: number | null, target: string, met: boolean, sampleLeadIds: Array<number> } | null } };

export type DriftFragment = { count: number, sampleLeadIds: Array<number>, sampleBrainLeadIds: Array<string> };

export type ConsoleAuditQueryVariables = Exact<{
  campaigns?: Array<string> | string | null | undefined;
}>;


export type ConsoleAuditQuery = { audit: { generatedAt: string, campaigns: Array<{ campaignId: string, name: string | null, rows: number, uniquePhones: number, rowsWithVendorCode: number, lists: Array<{ listId: number, active: boolean }> }>, totals: { rows: number, uniquePhones: number, rowsWithVendorCode: number }, viciNotInBrain: { count: number, sampleLeadIds: Array<number>, sampleBrainLeadIds: Array<string> }, brainNotInVici: { count: number, sampleLeadIds: Array<number>, sampleBrainLeadIds: Array<string> }, conflictingLinks: { count: number, sampleLeadIds: Array<number>, sampleBrainLeadIds: Array<string> }, phonesOnSeveralDialableRows: { count: number, sampleLeadIds: Array<number>, sampleBrainLeadIds: Array<string> } } };

export type ConsoleDriftHistoryQueryVariables = Exact<{
  campaigns?: Array<string> | string | null | undefined;
  days: number;
}>;


export type ConsoleDriftHistoryQuery = { driftHistory: Array<{ day: string, takenAt: string, viciRows: number, viciNotInBrain: number, brainNotInVici: number, conflictingLinks: number, phonesOnSeveralDialableRows: number }> };

export type ConsoleSyncStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSyncStatusQuery = { syncStatus: { following: boolean, lastCycleAt: string | null, lagSeconds: number | null, pendingUpdates: number } };

export type JobCountersFragment = { id: string, kind: SyncJobKind, state: SyncJobState, dryRun: boolean, phase: string | null, total: number | null, processed: number, created: number, updated: number, linked: number, skipped: number, unchanged: number, conflicts: number, errors: number, createdAt: string, startedAt: string | null, finishedAt: string | null, parentJobId: string | null, rolledBackBy: string | null };

export type ConsoleJobsQueryVariables = Exact<{
  states?: Array<SyncJobState> | SyncJobState | null | undefined;
  kinds?: Array<SyncJobKind> | SyncJobKind | null | undefined;
  first?: number | null | undefined;
}>;


export type ConsoleJobsQuery = { syncJobs: Array<{ id: string, kind: SyncJobKind, state: SyncJobState, dryRun: boolean, phase: string | null, total: number | null, processed: number, created: number, updated: number, linked: number, skipped: number, unchanged: number, conflicts: number, errors: number, createdAt: string, startedAt: string | null, finishedAt: string | null, parentJobId: string | null, rolledBackBy: string | null }> };

export type ConsoleJobQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleJobQuery = { syncJob: { error: string | null, startedBy: string | null, options: Record<string, unknown>, longestStatementMs: number | null, reportUrl: string, id: string, kind: SyncJobKind, state: SyncJobState, dryRun: boolean, phase: string | null, total: number | null, processed: number, created: number, updated: number, linked: number, skipped: number, unchanged: number, conflicts: number, errors: number, createdAt: string, startedAt: string | null, finishedAt: string | null, parentJobId: string | null, rolledBackBy: string | null, issues: Array<{ id: string, kind: string, line: number | null, viciLeadId: number | null, brainLeadId: string | null, reason: string }> } };

export type JobIssueFragment = { id: string, kind: string, line: number | null, viciLeadId: number | null, brainLeadId: string | null, reason: string };

export type ConsoleJobIssuesQueryVariables = Exact<{
  id: string | number;
  after?: string | number | null | undefined;
}>;


export type ConsoleJobIssuesQuery = { syncJob: { id: string, issues: Array<{ id: string, kind: string, line: number | null, viciLeadId: number | null, brainLeadId: string | null, reason: string }> } };

export type ConsoleCampaignsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleCampaignsQuery = { campaigns: Array<{ campaignId: string, name: string | null, active: boolean, managed: boolean }> };

export type ConsoleStartSyncMutationVariables = Exact<{
  input: StartSyncInput;
}>;


export type ConsoleStartSyncMutation = { startSync: { id: string } };

export type ConsoleCancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleCancelJobMutation = { cancelSyncJob: { id: string, state: SyncJobState } };

export type ConsoleRollbackJobMutationVariables = Exact<{
  id: string | number;
  dryRun: boolean;
}>;


export type ConsoleRollbackJobMutation = { rollbackSyncJob: { id: string } };

export type ConsoleJobProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ConsoleJobProgressSubscription = { syncJobProgress: { jobId: string, kind: SyncJobKind, state: SyncJobState, phase: string | null, total: number | null, processed: number, created: number, updated: number, linked: number, skipped: number, unchanged: number, conflicts: number, errors: number, rowsPerSecond: number | null, etaSeconds: number | null, error: string | null, final: boolean } };

export type KeyRowFragment = { id: string, name: string, role: ApiKeyRole, scopes: Array<ApiKeyScope>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ConsoleApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleApiKeysQuery = { apiKeys: Array<{ id: string, name: string, role: ApiKeyRole, scopes: Array<ApiKeyScope>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type ConsoleCreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type ConsoleCreateApiKeyMutation = { createApiKey: { key: string, apiKey: { id: string, name: string, role: ApiKeyRole, scopes: Array<ApiKeyScope>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type ConsoleRevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, role: ApiKeyRole, scopes: Array<ApiKeyScope>, createdBy: string | null, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type ConsoleLeadSearchQueryVariables = Exact<{
  search: string;
  first: number;
  after?: string | null | undefined;
}>;


export type ConsoleLeadSearchQuery = { leads: { totalCount: number, edges: Array<{ node: { id: string, externalLeadId: string, phone: string, firstName: string | null, lastName: string | null, origin: string, doNotCall: boolean, doNotCallReason: string | null, doNotCallUntil: string | null, lastCallAt: string | null, vici: { leadId: number, campaignId: string | null, status: { code: string, category: StatusCategory } } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleLeadQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleLeadQuery = { lead: { id: string, externalLeadId: string, phone: string, firstName: string | null, lastName: string | null, email: string | null, address1: string | null, address2: string | null, city: string | null, state: string | null, postalCode: string | null, source: string | null, origin: string, doNotCall: boolean, doNotCallReason: string | null, doNotCallUntil: string | null, meta: Record<string, unknown>, createdAt: string, updatedAt: string, lastCallAt: string | null, viciSync: { state: ViciSyncState, attempts: number, lastError: string | null, viciLeadId: number | null, nextAttemptAt: string | null, callableAt: string | null, updatedAt: string } | null } | null };

export type ConsoleLeadViciRowsQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleLeadViciRowsQuery = { lead: { id: string, viciLeads: Array<{ leadId: number, listId: number, campaignId: string | null, vendorLeadCode: string | null, phone: string | null, calledCount: number, lastCallAt: string | null, entryDate: string | null, modifyDate: string | null, status: { code: string, name: string | null, category: StatusCategory } }> } | null };

export type IntakeFragment = { paused: boolean, reason: string | null, since: string | null, pendingPushes: number };

export type ConsoleOutboxQueryVariables = Exact<{
  states?: Array<ViciSyncState> | ViciSyncState | null | undefined;
  first?: number | null | undefined;
  after?: string | number | null | undefined;
}>;


export type ConsoleOutboxQuery = { intakeStatus: { paused: boolean, reason: string | null, since: string | null, pendingPushes: number }, viciOutbox: { pending: number, failed: number, deferred: number, conflicts: number, oldestPendingAt: string | null }, viciPushes: Array<{ id: string, kind: string, state: ViciSyncState, attempts: number, lastError: string | null, viciLeadId: number | null, nextAttemptAt: string | null, callableAt: string | null, createdAt: string, updatedAt: string, fieldConflicts: Array<{ viciLeadId: number, field: string, brainValue: string | null, viciValue: string | null, viciModifiedAt: string | null, brainChangedAt: string, winner: ConflictWinner }>, lead: { id: string, externalLeadId: string, phone: string, firstName: string | null, lastName: string | null } }> };

export type ConsolePauseIntakeMutationVariables = Exact<{
  reason?: string | null | undefined;
}>;


export type ConsolePauseIntakeMutation = { pauseIntake: { paused: boolean, reason: string | null, since: string | null, pendingPushes: number } };

export type ConsoleResumeIntakeMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleResumeIntakeMutation = { resumeIntake: { paused: boolean, reason: string | null, since: string | null, pendingPushes: number } };

export type ConsoleRetryPushMutationVariables = Exact<{
  leadId: string | number;
}>;


export type ConsoleRetryPushMutation = { retryViciPush: { id: string } };

export type ConsoleRetryFailedPushesMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleRetryFailedPushesMutation = { retryFailedViciPushes: number };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { keyId: string, name: string, role: ApiKeyRole, scopes: Array<ApiKeyScope> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MetricFragmentDoc = new TypedDocumentString(`
    fragment Metric on HealthMetric {
  value
  count
  total
  target
  met
  sampleLeadIds
}
    `, {"fragmentName":"Metric"}) as unknown as TypedDocumentString<MetricFragment, unknown>;
export const DriftFragmentDoc = new TypedDocumentString(`
    fragment Drift on AuditDrift {
  count
  sampleLeadIds
  sampleBrainLeadIds
}
    `, {"fragmentName":"Drift"}) as unknown as TypedDocumentString<DriftFragment, unknown>;
export const JobCountersFragmentDoc = new TypedDocumentString(`
    fragment JobCounters on SyncJob {
  id
  kind
  state
  dryRun
  phase
  total
  processed
  created
  updated
  linked
  skipped
  unchanged
  conflicts
  errors
  createdAt
  startedAt
  finishedAt
  parentJobId
  rolledBackBy
}
    `, {"fragmentName":"JobCounters"}) as unknown as TypedDocumentString<JobCountersFragment, unknown>;
export const JobIssueFragmentDoc = new TypedDocumentString(`
    fragment JobIssue on SyncJobIssue {
  id
  kind
  line
  viciLeadId
  brainLeadId
  reason
}
    `, {"fragmentName":"JobIssue"}) as unknown as TypedDocumentString<JobIssueFragment, unknown>;
export const KeyRowFragmentDoc = new TypedDocumentString(`
    fragment KeyRow on ApiKey {
  id
  name
  role
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"KeyRow"}) as unknown as TypedDocumentString<KeyRowFragment, unknown>;
export const IntakeFragmentDoc = new TypedDocumentString(`
    fragment Intake on IntakeStatus {
  paused
  reason
  since
  pendingPushes
}
    `, {"fragmentName":"Intake"}) as unknown as TypedDocumentString<IntakeFragment, unknown>;
export const ConsoleHealthDocument = new TypedDocumentString(`
    query ConsoleHealth($campaigns: [String!], $cutoverAt: DateTimeISO) {
  syncHealth(campaigns: $campaigns, cutoverAt: $cutoverAt) {
    campaigns
    windowDays
    windowStart
    cutoverAt
    measuredAt
    dialedTwiceIn30Days {
      ...Metric
    }
    vendorCodeShare {
      ...Metric
    }
    brainLinkedShare {
      ...Metric
    }
    createdOutsideBrain {
      ...Metric
    }
  }
}
    fragment Metric on HealthMetric {
  value
  count
  total
  target
  met
  sampleLeadIds
}`) as unknown as TypedDocumentString<ConsoleHealthQuery, ConsoleHealthQueryVariables>;
export const ConsoleAuditDocument = new TypedDocumentString(`
    query ConsoleAudit($campaigns: [String!]) {
  audit(campaigns: $campaigns) {
    campaigns {
      campaignId
      name
      rows
      uniquePhones
      rowsWithVendorCode
      lists {
        listId
        active
      }
    }
    totals {
      rows
      uniquePhones
      rowsWithVendorCode
    }
    viciNotInBrain {
      ...Drift
    }
    brainNotInVici {
      ...Drift
    }
    conflictingLinks {
      ...Drift
    }
    phonesOnSeveralDialableRows {
      ...Drift
    }
    generatedAt
  }
}
    fragment Drift on AuditDrift {
  count
  sampleLeadIds
  sampleBrainLeadIds
}`) as unknown as TypedDocumentString<ConsoleAuditQuery, ConsoleAuditQueryVariables>;
export const ConsoleDriftHistoryDocument = new TypedDocumentString(`
    query ConsoleDriftHistory($campaigns: [String!], $days: Int!) {
  driftHistory(campaigns: $campaigns, days: $days) {
    day
    takenAt
    viciRows
    viciNotInBrain
    brainNotInVici
    conflictingLinks
    phonesOnSeveralDialableRows
  }
}
    `) as unknown as TypedDocumentString<ConsoleDriftHistoryQuery, ConsoleDriftHistoryQueryVariables>;
export const ConsoleSyncStatusDocument = new TypedDocumentString(`
    query ConsoleSyncStatus {
  syncStatus {
    following
    lastCycleAt
    lagSeconds
    pendingUpdates
  }
}
    `) as unknown as TypedDocumentString<ConsoleSyncStatusQuery, ConsoleSyncStatusQueryVariables>;
export const ConsoleJobsDocument = new TypedDocumentString(`
    query ConsoleJobs($states: [SyncJobState!], $kinds: [SyncJobKind!], $first: Int) {
  syncJobs(states: $states, kinds: $kinds, first: $first) {
    ...JobCounters
  }
}
    fragment JobCounters on SyncJob {
  id
  kind
  state
  dryRun
  phase
  total
  processed
  created
  updated
  linked
  skipped
  unchanged
  conflicts
  errors
  createdAt
  startedAt
  finishedAt
  parentJobId
  rolledBackBy
}`) as unknown as TypedDocumentString<ConsoleJobsQuery, ConsoleJobsQueryVariables>;
export const ConsoleJobDocument = new TypedDocumentString(`
    query ConsoleJob($id: ID!) {
  syncJob(id: $id) {
    ...JobCounters
    error
    startedBy
    options
    longestStatementMs
    reportUrl
    issues(first: 100) {
      ...JobIssue
    }
  }
}
    fragment JobCounters on SyncJob {
  id
  kind
  state
  dryRun
  phase
  total
  processed
  created
  updated
  linked
  skipped
  unchanged
  conflicts
  errors
  createdAt
  startedAt
  finishedAt
  parentJobId
  rolledBackBy
}
fragment JobIssue on SyncJobIssue {
  id
  kind
  line
  viciLeadId
  brainLeadId
  reason
}`) as unknown as TypedDocumentString<ConsoleJobQuery, ConsoleJobQueryVariables>;
export const ConsoleJobIssuesDocument = new TypedDocumentString(`
    query ConsoleJobIssues($id: ID!, $after: ID) {
  syncJob(id: $id) {
    id
    issues(first: 100, after: $after) {
      ...JobIssue
    }
  }
}
    fragment JobIssue on SyncJobIssue {
  id
  kind
  line
  viciLeadId
  brainLeadId
  reason
}`) as unknown as TypedDocumentString<ConsoleJobIssuesQuery, ConsoleJobIssuesQueryVariables>;
export const ConsoleCampaignsDocument = new TypedDocumentString(`
    query ConsoleCampaigns {
  campaigns {
    campaignId
    name
    active
    managed
  }
}
    `) as unknown as TypedDocumentString<ConsoleCampaignsQuery, ConsoleCampaignsQueryVariables>;
export const ConsoleStartSyncDocument = new TypedDocumentString(`
    mutation ConsoleStartSync($input: StartSyncInput!) {
  startSync(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleStartSyncMutation, ConsoleStartSyncMutationVariables>;
export const ConsoleCancelJobDocument = new TypedDocumentString(`
    mutation ConsoleCancelJob($id: ID!) {
  cancelSyncJob(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ConsoleCancelJobMutation, ConsoleCancelJobMutationVariables>;
export const ConsoleRollbackJobDocument = new TypedDocumentString(`
    mutation ConsoleRollbackJob($id: ID!, $dryRun: Boolean!) {
  rollbackSyncJob(id: $id, dryRun: $dryRun) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleRollbackJobMutation, ConsoleRollbackJobMutationVariables>;
export const ConsoleJobProgressDocument = new TypedDocumentString(`
    subscription ConsoleJobProgress($id: ID!) {
  syncJobProgress(id: $id) {
    jobId
    kind
    state
    phase
    total
    processed
    created
    updated
    linked
    skipped
    unchanged
    conflicts
    errors
    rowsPerSecond
    etaSeconds
    error
    final
  }
}
    `) as unknown as TypedDocumentString<ConsoleJobProgressSubscription, ConsoleJobProgressSubscriptionVariables>;
export const ConsoleApiKeysDocument = new TypedDocumentString(`
    query ConsoleApiKeys {
  apiKeys {
    ...KeyRow
  }
}
    fragment KeyRow on ApiKey {
  id
  name
  role
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleApiKeysQuery, ConsoleApiKeysQueryVariables>;
export const ConsoleCreateApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleCreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    key
    apiKey {
      ...KeyRow
    }
  }
}
    fragment KeyRow on ApiKey {
  id
  name
  role
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleCreateApiKeyMutation, ConsoleCreateApiKeyMutationVariables>;
export const ConsoleRevokeApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleRevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...KeyRow
  }
}
    fragment KeyRow on ApiKey {
  id
  name
  role
  scopes
  createdBy
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleRevokeApiKeyMutation, ConsoleRevokeApiKeyMutationVariables>;
export const ConsoleLeadSearchDocument = new TypedDocumentString(`
    query ConsoleLeadSearch($search: String!, $first: Int!, $after: String) {
  leads(first: $first, after: $after, filter: {search: $search}) {
    totalCount
    edges {
      node {
        id
        externalLeadId
        phone
        firstName
        lastName
        origin
        doNotCall
        doNotCallReason
        doNotCallUntil
        lastCallAt
        vici {
          leadId
          campaignId
          status {
            code
            category
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleLeadSearchQuery, ConsoleLeadSearchQueryVariables>;
export const ConsoleLeadDocument = new TypedDocumentString(`
    query ConsoleLead($id: ID!) {
  lead(id: $id) {
    id
    externalLeadId
    phone
    firstName
    lastName
    email
    address1
    address2
    city
    state
    postalCode
    source
    origin
    doNotCall
    doNotCallReason
    doNotCallUntil
    meta
    createdAt
    updatedAt
    lastCallAt
    viciSync {
      state
      attempts
      lastError
      viciLeadId
      nextAttemptAt
      callableAt
      updatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleLeadQuery, ConsoleLeadQueryVariables>;
export const ConsoleLeadViciRowsDocument = new TypedDocumentString(`
    query ConsoleLeadViciRows($id: ID!) {
  lead(id: $id) {
    id
    viciLeads {
      leadId
      listId
      campaignId
      vendorLeadCode
      phone
      calledCount
      lastCallAt
      entryDate
      modifyDate
      status {
        code
        name
        category
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleLeadViciRowsQuery, ConsoleLeadViciRowsQueryVariables>;
export const ConsoleOutboxDocument = new TypedDocumentString(`
    query ConsoleOutbox($states: [ViciSyncState!], $first: Int, $after: ID) {
  intakeStatus {
    ...Intake
  }
  viciOutbox {
    pending
    failed
    deferred
    conflicts
    oldestPendingAt
  }
  viciPushes(states: $states, first: $first, after: $after) {
    id
    kind
    state
    attempts
    lastError
    viciLeadId
    nextAttemptAt
    callableAt
    createdAt
    updatedAt
    fieldConflicts {
      viciLeadId
      field
      brainValue
      viciValue
      viciModifiedAt
      brainChangedAt
      winner
    }
    lead {
      id
      externalLeadId
      phone
      firstName
      lastName
    }
  }
}
    fragment Intake on IntakeStatus {
  paused
  reason
  since
  pendingPushes
}`) as unknown as TypedDocumentString<ConsoleOutboxQuery, ConsoleOutboxQueryVariables>;
export const ConsolePauseIntakeDocument = new TypedDocumentString(`
    mutation ConsolePauseIntake($reason: String) {
  pauseIntake(reason: $reason) {
    ...Intake
  }
}
    fragment Intake on IntakeStatus {
  paused
  reason
  since
  pendingPushes
}`) as unknown as TypedDocumentString<ConsolePauseIntakeMutation, ConsolePauseIntakeMutationVariables>;
export const ConsoleResumeIntakeDocument = new TypedDocumentString(`
    mutation ConsoleResumeIntake {
  resumeIntake {
    ...Intake
  }
}
    fragment Intake on IntakeStatus {
  paused
  reason
  since
  pendingPushes
}`) as unknown as TypedDocumentString<ConsoleResumeIntakeMutation, ConsoleResumeIntakeMutationVariables>;
export const ConsoleRetryPushDocument = new TypedDocumentString(`
    mutation ConsoleRetryPush($leadId: ID!) {
  retryViciPush(leadId: $leadId) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleRetryPushMutation, ConsoleRetryPushMutationVariables>;
export const ConsoleRetryFailedPushesDocument = new TypedDocumentString(`
    mutation ConsoleRetryFailedPushes {
  retryFailedViciPushes
}
    `) as unknown as TypedDocumentString<ConsoleRetryFailedPushesMutation, ConsoleRetryFailedPushesMutationVariables>;
export const ConsoleViewerDocument = new TypedDocumentString(`
    query ConsoleViewer {
  viewer {
    keyId
    name
    role
    scopes
  }
}
    `) as unknown as TypedDocumentString<ConsoleViewerQuery, ConsoleViewerQueryVariables>;