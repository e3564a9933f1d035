import { Field, ObjectType } from "type-graphql";
import { SafeInt } from "../scalars";
import type { CampaignRecord, ViciListRecord } from "../../vici/db/campaigns.reader";

@ObjectType({ description: "A VICIdial list (vicidial_lists); its campaign is the campaign of every lead in it." })
export class ViciList {
  @Field(() => SafeInt)
  listId: number;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  campaignId: string | null;

  @Field()
  active: boolean;

  static from(r: ViciListRecord): ViciList {
    return Object.assign(new ViciList(), r);
  }
}

@ObjectType({ description: "A VICIdial campaign with its lists." })
export class Campaign {
  @Field()
  campaignId: string;

  @Field(() => String, {
    nullable: true,
    description: "Null for a campaign named by lists but missing from vicidial_campaigns.",
  })
  name: string | null;

  @Field()
  active: boolean;

  static from(r: CampaignRecord): Campaign {
    return Object.assign(new Campaign(), r);
  }
}
