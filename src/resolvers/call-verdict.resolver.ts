import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { CallVerdict, CallVerdictArgs, CallVerdictsArgs } from "../schema/types/call-verdict.type";
import { ScansTable } from "../security/query-limits";

@Resolver()
export class CallVerdictResolver {
  @Authorized(Role.READER)
  @Query(() => CallVerdict, {
    description:
      "May this number be called now in this campaign — and if not, why, and from when? (VICIdial's hopper rules, DNC, the 30-day rule, legal and state hours, call limits.)",
  })
  async callVerdict(@Args() args: CallVerdictArgs, @Ctx() ctx: RequestContext): Promise<CallVerdict> {
    const s = ctx.services.callVerdicts;
    const { campaignId, at } = s.request(args.campaignId, args.at, ctx.loaders.now);
    const phone = s.parsePhone(args.phone);
    return CallVerdict.from(phone, campaignId, await ctx.loaders.callVerdict.load({ phone, campaignId, at }));
  }

  @Authorized(Role.READER)
  // As heavy as a table scan: up to 1,000 numbers' facts (one per operation, MAX_SCAN_FIELDS).
  @ScansTable()
  @Query(() => [CallVerdict], {
    description:
      "callVerdict for up to 1,000 numbers in one campaign at one instant, in the order given (one read of VICIdial).",
  })
  async callVerdicts(@Args() args: CallVerdictsArgs, @Ctx() ctx: RequestContext): Promise<CallVerdict[]> {
    const s = ctx.services.callVerdicts;
    const { campaignId, at } = s.request(args.campaignId, args.at, ctx.loaders.now);
    const phones = s.parsePhones(args.phones);
    const found = await ctx.loaders.callVerdict.loadMany(phones.map((phone) => ({ phone, campaignId, at })));
    return found.map((v, i) => {
      if (v instanceof Error) throw v;
      return CallVerdict.from(phones[i], campaignId, v);
    });
  }
}
