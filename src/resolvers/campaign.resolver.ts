import { Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { Campaign, ViciList } from "../schema/types/campaign.type";
import { ScansTable } from "../security/query-limits";

@Resolver(() => Campaign)
export class CampaignResolver {
  @Authorized(Role.READER)
  @Query(() => [Campaign], { description: "VICIdial campaigns with their lists." })
  async campaigns(@Ctx() ctx: RequestContext): Promise<Campaign[]> {
    return (await ctx.services.campaigns.findAll()).map(Campaign.from);
  }

  @FieldResolver(() => Boolean, {
    description:
      "The gateway manages it (VICI_CAMPAIGNS; unset: every campaign): jobs and createLead may name it, and only its rows are imported, linked or written.",
  })
  managed(@Root() c: Campaign, @Ctx() ctx: RequestContext): boolean {
    return ctx.services.managed.manages(c.campaignId);
  }

  @FieldResolver(() => [ViciList])
  async lists(@Root() c: Campaign, @Ctx() ctx: RequestContext): Promise<ViciList[]> {
    return (await ctx.loaders.listsByCampaign.load(c.campaignId)).map(ViciList.from);
  }
}

@Resolver(() => ViciList)
export class ViciListResolver {
  @ScansTable()
  @FieldResolver(() => Int, { description: "Leads in the list (vicidial_list rows)." })
  leadCount(@Root() l: ViciList, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.loaders.leadCountByList.load(l.listId);
  }
}
