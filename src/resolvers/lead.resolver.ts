import { Authorized, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { LeadLookupArgs, LeadsArgs } from "../schema/inputs/lead-filter.input";
import { Lead, LeadConnection } from "../schema/types/lead.type";
import { ViciLead } from "../schema/types/vici-lead.type";
import { ScansTable } from "../security/query-limits";
import { canSeePii } from "../auth/principal";
import { CallVerdict, LeadCallVerdictArgs } from "../schema/types/call-verdict.type";
import { doNotCallHolds } from "../services/do-not-call";

@Resolver(() => Lead)
export class LeadResolver {
  @Authorized(Role.READER)
  @Query(() => Lead, { nullable: true, description: "One Brain lead by exactly one of id, externalLeadId or phone." })
  async lead(@Args() args: LeadLookupArgs, @Ctx() ctx: RequestContext): Promise<Lead | null> {
    const found = await ctx.services.leads.findOne(args);
    return found ? Lead.fromEntity(found) : null;
  }

  @Authorized(Role.READER)
  @Query(() => LeadConnection, { description: "Brain leads, filtered, keyset-paginated (Relay connection)." })
  async leads(@Args() args: LeadsArgs, @Ctx() ctx: RequestContext): Promise<LeadConnection> {
    return LeadConnection.from(
      await ctx.services.leads.page(
        args,
        ctx.loaders.statusCatalog,
        canSeePii(ctx.principal),
        ctx.loaders.leadVerdicts,
        ctx.loaders.now,
      ),
    );
  }

  @FieldResolver(() => Boolean, {
    description:
      "Do not call this lead now: true while its flag holds (until doNotCallUntil; for ever when that is null).",
  })
  doNotCall(@Root() lead: Lead, @Ctx() ctx: RequestContext): boolean {
    return doNotCallHolds(lead, ctx.loaders.now);
  }

  @FieldResolver(() => ViciLead, {
    nullable: true,
    description: "The primary linked VICIdial lead (meta.vici_lead_id); null when the lead is not linked.",
  })
  async vici(@Root() lead: Lead, @Ctx() ctx: RequestContext): Promise<ViciLead | null> {
    const id = Number(lead.meta?.vici_lead_id);
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    // Usually among the phone's rows: one batch serves vici, viciLeads and their calls alike.
    const rows = await ctx.loaders.viciLeadsByPhone.load(lead.phone);
    const row = rows.find((r) => r.leadId === id) ?? (await ctx.loaders.viciLeadById.load(id));
    return row && ViciLead.from(row);
  }

  @FieldResolver(() => [ViciLead], { description: "Every VICIdial lead with this phone, in any list." })
  async viciLeads(@Root() lead: Lead, @Ctx() ctx: RequestContext): Promise<ViciLead[]> {
    return (await ctx.loaders.viciLeadsByPhone.load(lead.phone)).map(ViciLead.from);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "The number's latest real call (vicidial_log) over every VICIdial lead with this phone, in any list or campaign, and its dials as another lead's alternate phone: what the recent-call rule reads (meta.last_call_date is Brain's copy).",
  })
  async lastCallAt(@Root() lead: Lead, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return (await ctx.loaders.numberRows.load(lead.phone)).lastCallAt;
  }

  @FieldResolver(() => CallVerdict, {
    nullable: true,
    description:
      "May this lead's number be called now in the campaign (see Query.callVerdict); batched: a page costs one read of VICIdial. Null when VICIdial could not be read (the error says why).",
  })
  async callVerdict(
    @Root() lead: Lead,
    @Args() args: LeadCallVerdictArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<CallVerdict> {
    const { campaignId, at } = ctx.services.callVerdicts.request(args.campaignId, args.at, ctx.loaders.now);
    const verdict = await ctx.loaders.callVerdict.load({
      phone: lead.phone,
      campaignId,
      at,
      brain: { doNotCall: lead.doNotCall, doNotCallReason: lead.doNotCallReason, doNotCallUntil: lead.doNotCallUntil },
    });
    return CallVerdict.from(lead.phone, campaignId, verdict);
  }
}

@Resolver(() => LeadConnection)
export class LeadConnectionResolver {
  @ScansTable()
  @FieldResolver(() => Int, { description: "Leads matching the filter, over all pages." })
  totalCount(@Root() conn: LeadConnection): Promise<number> {
    return conn.countThunk();
  }
}
