/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CreateLead($input: CreateLeadInput!) {\n  createLead(input: $input) {\n    created\n    viciAction\n    reasons\n    lead {\n      id\n      externalLeadId\n      phone\n      firstName\n      city\n      doNotCall\n      doNotCallReason\n      meta\n      vici {\n        leadId\n        listId\n        campaignId\n        vendorLeadCode\n        status {\n          code\n          category\n        }\n      }\n      viciSync {\n        state\n        attempts\n        lastError\n        viciLeadId\n      }\n    }\n  }\n}": typeof types.CreateLeadDocument,
    "query LeadByPhone($phone: String!) {\n  lead(phone: $phone) {\n    id\n    externalLeadId\n    phone\n    firstName\n    lastName\n    origin\n    doNotCall\n    doNotCallReason\n    meta\n    lastCallAt\n    vici {\n      leadId\n      listId\n      campaignId\n      status {\n        code\n        name\n        category\n      }\n      lastCallAt\n    }\n    viciLeads {\n      leadId\n      campaignId\n      status {\n        code\n        category\n      }\n      lastCallAt\n    }\n  }\n}": typeof types.LeadByPhoneDocument,
    "query LeadsPage($first: Int!, $after: String, $filter: LeadFilter) {\n  leads(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        externalLeadId\n        phone\n        lastCallAt\n        vici {\n          leadId\n          listId\n          campaignId\n          vendorLeadCode\n          calledCount\n          lastLocalCallTime\n          lastCallAt\n          entryDate\n          modifyDate\n          status {\n            code\n            name\n            category\n          }\n          brainLead {\n            id\n          }\n        }\n        viciLeads {\n          leadId\n          listId\n          campaignId\n          lastCallAt\n          status {\n            code\n            category\n          }\n          brainLead {\n            externalLeadId\n          }\n        }\n      }\n    }\n  }\n}": typeof types.LeadsPageDocument,
    "mutation UpdateLead($input: UpdateLeadInput!) {\n  updateLead(input: $input) {\n    changedFields\n    lead {\n      id\n      phone\n      firstName\n      lastName\n      email\n      city\n      state\n      source\n    }\n    viciPush {\n      id\n      kind\n      state\n      attempts\n      lastError\n      viciLeadId\n      fieldConflicts {\n        viciLeadId\n        field\n        brainValue\n        viciValue\n        winner\n      }\n    }\n  }\n}": typeof types.UpdateLeadDocument,
};
const documents: Documents = {
    "mutation CreateLead($input: CreateLeadInput!) {\n  createLead(input: $input) {\n    created\n    viciAction\n    reasons\n    lead {\n      id\n      externalLeadId\n      phone\n      firstName\n      city\n      doNotCall\n      doNotCallReason\n      meta\n      vici {\n        leadId\n        listId\n        campaignId\n        vendorLeadCode\n        status {\n          code\n          category\n        }\n      }\n      viciSync {\n        state\n        attempts\n        lastError\n        viciLeadId\n      }\n    }\n  }\n}": types.CreateLeadDocument,
    "query LeadByPhone($phone: String!) {\n  lead(phone: $phone) {\n    id\n    externalLeadId\n    phone\n    firstName\n    lastName\n    origin\n    doNotCall\n    doNotCallReason\n    meta\n    lastCallAt\n    vici {\n      leadId\n      listId\n      campaignId\n      status {\n        code\n        name\n        category\n      }\n      lastCallAt\n    }\n    viciLeads {\n      leadId\n      campaignId\n      status {\n        code\n        category\n      }\n      lastCallAt\n    }\n  }\n}": types.LeadByPhoneDocument,
    "query LeadsPage($first: Int!, $after: String, $filter: LeadFilter) {\n  leads(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        externalLeadId\n        phone\n        lastCallAt\n        vici {\n          leadId\n          listId\n          campaignId\n          vendorLeadCode\n          calledCount\n          lastLocalCallTime\n          lastCallAt\n          entryDate\n          modifyDate\n          status {\n            code\n            name\n            category\n          }\n          brainLead {\n            id\n          }\n        }\n        viciLeads {\n          leadId\n          listId\n          campaignId\n          lastCallAt\n          status {\n            code\n            category\n          }\n          brainLead {\n            externalLeadId\n          }\n        }\n      }\n    }\n  }\n}": types.LeadsPageDocument,
    "mutation UpdateLead($input: UpdateLeadInput!) {\n  updateLead(input: $input) {\n    changedFields\n    lead {\n      id\n      phone\n      firstName\n      lastName\n      email\n      city\n      state\n      source\n    }\n    viciPush {\n      id\n      kind\n      state\n      attempts\n      lastError\n      viciLeadId\n      fieldConflicts {\n        viciLeadId\n        field\n        brainValue\n        viciValue\n        winner\n      }\n    }\n  }\n}": types.UpdateLeadDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateLead($input: CreateLeadInput!) {\n  createLead(input: $input) {\n    created\n    viciAction\n    reasons\n    lead {\n      id\n      externalLeadId\n      phone\n      firstName\n      city\n      doNotCall\n      doNotCallReason\n      meta\n      vici {\n        leadId\n        listId\n        campaignId\n        vendorLeadCode\n        status {\n          code\n          category\n        }\n      }\n      viciSync {\n        state\n        attempts\n        lastError\n        viciLeadId\n      }\n    }\n  }\n}"): (typeof documents)["mutation CreateLead($input: CreateLeadInput!) {\n  createLead(input: $input) {\n    created\n    viciAction\n    reasons\n    lead {\n      id\n      externalLeadId\n      phone\n      firstName\n      city\n      doNotCall\n      doNotCallReason\n      meta\n      vici {\n        leadId\n        listId\n        campaignId\n        vendorLeadCode\n        status {\n          code\n          category\n        }\n      }\n      viciSync {\n        state\n        attempts\n        lastError\n        viciLeadId\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LeadByPhone($phone: String!) {\n  lead(phone: $phone) {\n    id\n    externalLeadId\n    phone\n    firstName\n    lastName\n    origin\n    doNotCall\n    doNotCallReason\n    meta\n    lastCallAt\n    vici {\n      leadId\n      listId\n      campaignId\n      status {\n        code\n        name\n        category\n      }\n      lastCallAt\n    }\n    viciLeads {\n      leadId\n      campaignId\n      status {\n        code\n        category\n      }\n      lastCallAt\n    }\n  }\n}"): (typeof documents)["query LeadByPhone($phone: String!) {\n  lead(phone: $phone) {\n    id\n    externalLeadId\n    phone\n    firstName\n    lastName\n    origin\n    doNotCall\n    doNotCallReason\n    meta\n    lastCallAt\n    vici {\n      leadId\n      listId\n      campaignId\n      status {\n        code\n        name\n        category\n      }\n      lastCallAt\n    }\n    viciLeads {\n      leadId\n      campaignId\n      status {\n        code\n        category\n      }\n      lastCallAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LeadsPage($first: Int!, $after: String, $filter: LeadFilter) {\n  leads(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        externalLeadId\n        phone\n        lastCallAt\n        vici {\n          leadId\n          listId\n          campaignId\n          vendorLeadCode\n          calledCount\n          lastLocalCallTime\n          lastCallAt\n          entryDate\n          modifyDate\n          status {\n            code\n            name\n            category\n          }\n          brainLead {\n            id\n          }\n        }\n        viciLeads {\n          leadId\n          listId\n          campaignId\n          lastCallAt\n          status {\n            code\n            category\n          }\n          brainLead {\n            externalLeadId\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query LeadsPage($first: Int!, $after: String, $filter: LeadFilter) {\n  leads(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        externalLeadId\n        phone\n        lastCallAt\n        vici {\n          leadId\n          listId\n          campaignId\n          vendorLeadCode\n          calledCount\n          lastLocalCallTime\n          lastCallAt\n          entryDate\n          modifyDate\n          status {\n            code\n            name\n            category\n          }\n          brainLead {\n            id\n          }\n        }\n        viciLeads {\n          leadId\n          listId\n          campaignId\n          lastCallAt\n          status {\n            code\n            category\n          }\n          brainLead {\n            externalLeadId\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateLead($input: UpdateLeadInput!) {\n  updateLead(input: $input) {\n    changedFields\n    lead {\n      id\n      phone\n      firstName\n      lastName\n      email\n      city\n      state\n      source\n    }\n    viciPush {\n      id\n      kind\n      state\n      attempts\n      lastError\n      viciLeadId\n      fieldConflicts {\n        viciLeadId\n        field\n        brainValue\n        viciValue\n        winner\n      }\n    }\n  }\n}"): (typeof documents)["mutation UpdateLead($input: UpdateLeadInput!) {\n  updateLead(input: $input) {\n    changedFields\n    lead {\n      id\n      phone\n      firstName\n      lastName\n      email\n      city\n      state\n      source\n    }\n    viciPush {\n      id\n      kind\n      state\n      attempts\n      lastError\n      viciLeadId\n      fieldConflicts {\n        viciLeadId\n        field\n        brainValue\n        viciValue\n        winner\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;