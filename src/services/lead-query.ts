import type { StatusCategory } from "../vici/rules/status-category";

/**
 * What LeadService.page and findOne take: plain types of the service's own, so services import
 * nothing from the GraphQL schema (the schema's args classes implement these; the enums are
 * registered for GraphQL in src/schema/enums.ts under the same names and values).
 */

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

export enum LeadOrderField {
  CREATED_AT = "CREATED_AT",
  UPDATED_AT = "UPDATED_AT",
  /** Brain's snapshot of the latest Vici call (meta.last_call_date); never-called leads sort as oldest. */
  LAST_CALL_AT = "LAST_CALL_AT",
}

/** Filters on Brain leads (the `leads` query's `filter`). */
export interface LeadQueryFilter {
  campaignIds?: string[] | null;
  statusCategories?: StatusCategory[] | null;
  statuses?: string[] | null;
  origins?: string[] | null;
  linked?: boolean | null;
  calledWithinDays?: number | null;
  doNotCall?: boolean | null;
  search?: string | null;
  callableNow?: boolean | null;
  campaignId?: string | null;
}

export interface LeadPageQuery {
  first?: number | null;
  after?: string | null;
  filter?: LeadQueryFilter | null;
  orderBy?: { field?: LeadOrderField | null; direction?: OrderDirection | null } | null;
}

/** Exactly one key (LeadService.findOne checks). */
export interface LeadLookup {
  id?: string | null;
  externalLeadId?: string | null;
  phone?: string | null;
}
