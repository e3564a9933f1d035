import { Authorized, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { ViciLeadsArgs } from "../schema/inputs/vici-lead-filter.input";
import { Lead } from "../schema/types/lead.type";
import { ViciLead, ViciLeadConnection, ViciStatus } from "../schema/types/vici-lead.type";
import { ScansTable } from "../security/query-limits";

@Resolver(() => ViciLead)
export class ViciLeadResolver {
  @Authorized(Role.READER)
  @Query(() => ViciLeadConnection, { description: "Browse VICIdial's leads directly, in lead_id order." })
  async viciLeads(@Args() args: ViciLeadsArgs, @Ctx() ctx: RequestContext): Promise<ViciLeadConnection> {
    return ViciLeadConnection.from(
      await ctx.services.viciLeads.page(args, ctx.services.leads, ctx.loaders.statusCatalog),
    );
  }

  @FieldResolver(() => ViciStatus)
  async status(@Root() v: ViciLead, @Ctx() ctx: RequestContext): Promise<ViciStatus> {
    const { code, name, category } = (await ctx.loaders.statusCatalog()).resolve(v.statusCode, v.campaignId);
    return { code, name, category };
  }

  @FieldResolver(() => Date, { nullable: true, description: "Latest vicidial_log call of this lead." })
  async lastCallAt(@Root() v: ViciLead, @Ctx() ctx: RequestContext): Promise<Date | null> {
    // Read with its number's rows (one batch serves Lead.lastCallAt too); a row whose number
    // is not a phone is asked by its lead_id.
    if (!v.phone) return ctx.loaders.lastCallByLeadId.load(v.leadId);
    const row = (await ctx.loaders.numberRows.load(v.phone)).rows.find((r) => r.leadId === v.leadId);
    return row ? row.lastCallAt : ctx.loaders.lastCallByLeadId.load(v.leadId);
  }

  @FieldResolver(() => Lead, { nullable: true, description: "The Brain lead with this phone, if any." })
  async brainLead(@Root() v: ViciLead, @Ctx() ctx: RequestContext): Promise<Lead | null> {
    if (!v.phone) return null;
    const found = await ctx.loaders.brainLeadByPhone.load(v.phone);
    return found ? Lead.fromEntity(found) : null;
  }
}

@Resolver(() => ViciLeadConnection)
export class ViciLeadConnectionResolver {
  @ScansTable()
  @FieldResolver(() => Int, {
    nullable: true,
    description: "Rows matching the filter; null with notInBrain (that would need a full cross-database scan).",
  })
  totalCount(@Root() conn: ViciLeadConnection): Promise<number | null> | null {
    return conn.countThunk ? conn.countThunk() : null;
  }
}
