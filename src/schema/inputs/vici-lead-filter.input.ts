import { ArgsType, Field, InputType, Int } from "type-graphql";
import { StatusCategory } from "../enums";
import { SafeInt } from "../scalars";
import type { ViciLeadPageParams } from "../../vici/db/vici-leads.reader";

@InputType({ description: "Filters on VICIdial's vicidial_list, read live." })
export class ViciLeadFilter {
  @Field(() => [String], { nullable: true, description: "Leads whose list belongs to one of these campaigns." })
  campaignIds?: string[];

  @Field(() => [SafeInt], { nullable: true })
  listIds?: number[];

  @Field(() => [String], { nullable: true })
  statuses?: string[];

  @Field(() => [StatusCategory], { nullable: true })
  statusCategories?: StatusCategory[];

  @Field(() => Boolean, { nullable: true, description: "true: vendor_lead_code is set; false: NULL or empty." })
  hasVendorCode?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: no Brain lead has this phone yet. Scans Vici in lead_id order, so a page may come back short with hasNextPage true; totalCount is then null.",
  })
  notInBrain?: boolean;

  @Field(() => String, { nullable: true, description: "Only rows with this phone (any format)." })
  phone?: string;
}

@ArgsType()
export class ViciLeadsArgs implements ViciLeadPageParams {
  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => ViciLeadFilter, { nullable: true })
  filter?: ViciLeadFilter;
}
