import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { LeadOrderField, OrderDirection, StatusCategory } from "../enums";
import type { LeadLookup, LeadPageQuery, LeadQueryFilter } from "../../services/lead-query";

@InputType({
  description:
    "Filters on Brain leads. Vici-side filters (campaign, status, last call) read Brain's snapshot of Vici (meta, refreshed by sync jobs); the Vici fields of each lead are read live.",
})
export class LeadFilter implements LeadQueryFilter {
  @Field(() => [String], {
    nullable: true,
    description: "Campaign of the primary linked Vici lead (meta.vici_campaign_id).",
  })
  campaignIds?: string[];

  @Field(() => [StatusCategory], { nullable: true, description: "Category of the Vici status (meta.vici_status)." })
  statusCategories?: StatusCategory[];

  @Field(() => [String], { nullable: true, description: "Raw Vici status codes (meta.vici_status)." })
  statuses?: string[];

  @Field(() => [String], { nullable: true })
  origins?: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: "true: linked to a Vici lead (meta.vici_lead_id set); false: not linked.",
  })
  linked?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Only leads whose latest Vici call (meta.last_call_date) is within this many days.",
  })
  calledWithinDays?: number;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: leads whose do-not-call flag holds now (see Lead.doNotCall); false: the others.",
  })
  doNotCall?: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive text in first/last name, or digits in the phone.",
  })
  search?: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: only leads whose call verdict in `campaignId` is callable now; false: only those that are not. Verdicts are computed live (VICIdial read in batches of up to 1,000 numbers) while the page fills: at most CALLABLE_NOW_SCAN_MAX leads per request (then `callableScan.limitReached` and a cursor to go on). No totalCount.",
  })
  callableNow?: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The VICIdial campaign callableNow asks about (required with callableNow, refused without it).",
  })
  campaignId?: string;
}

@InputType()
export class LeadOrder {
  @Field(() => LeadOrderField, { defaultValue: LeadOrderField.CREATED_AT })
  field: LeadOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC })
  direction: OrderDirection;
}

@ArgsType()
export class LeadsArgs implements LeadPageQuery {
  @Field(() => Int, { nullable: true, description: "Page size (default DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE)." })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => LeadFilter, { nullable: true })
  filter?: LeadFilter;

  @Field(() => LeadOrder, { nullable: true })
  orderBy?: LeadOrder;
}

@ArgsType()
export class LeadLookupArgs implements LeadLookup {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  externalLeadId?: string;

  @Field(() => String, {
    nullable: true,
    description: "Any common format; normalised to E.164 with PHONE_DEFAULT_REGION.",
  })
  phone?: string;
}
