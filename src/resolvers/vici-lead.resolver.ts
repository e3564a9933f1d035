import { Authorized, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { ViciLeadsArgs } from "../schema/inputs/vici-lead-filter.input";
import { Lead } from "../schema/types/lead.type";
import { ViciLead, ViciLeadConnection, ViciStatus } from "../schema/types/vici-lead.type";
import { ScansTable } from "../security/query-limits";
import type { StatusCatalog } from "../vici/rules/status-category";
import type { NumberRows } from "../vici/db/number-rows.reader";

@Resolver(() => ViciLead)
export class ViciLeadResolver {
  @Authorized(Role.READER)
  @Query(() => ViciLeadConnection, { description: "Browse VICIdial's leads directly, in lead_id order." })
  async viciLeads(@Args() args: ViciLeadsArgs, @Ctx() ctx: RequestContext): Promise<ViciLeadConnection> {
    return ViciLeadConnection.from(
      await ctx.services.viciLeads.page(args, ctx.services.leads, ctx.loaders.statusCatalog),
    );
  }

  // Not async: once the request holds the catalog (or the number's rows) a row's field answers
  // without a promise; hundreds of rows per page.
  @FieldResolver(() => ViciStatus)
  status(@Root() v: ViciLead, @Ctx() ctx: RequestContext): ViciStatus | Promise<ViciStatus> {
    const held = ctx.loaders.loaded.statusCatalog;
    if (held) return statusOf(held, v);
    return ctx.loaders.statusCatalog().then((catalog) => statusOf(catalog, v));
  }

  @FieldResolver(() => Date, { nullable: true, description: "Latest vicidial_log call of this lead." })
  lastCallAt(@Root() v: ViciLead, @Ctx() ctx: RequestContext): Date | null | Promise<Date | null> {
    // Read with its number's rows (one batch serves Lead.lastCallAt too); a row whose number
    // is not a phone is asked by its lead_id.
    if (!v.phone) return ctx.loaders.lastCallByLeadId.load(v.leadId);
    const held = ctx.loaders.loaded.numberRows.get(v.phone);
    if (held) return lastCallOfRow(held, v, ctx);
    return ctx.loaders.numberRows.load(v.phone).then((rows) => lastCallOfRow(rows, v, ctx));
  }

  @FieldResolver(() => Lead, { nullable: true, description: "The Brain lead with this phone, if any." })
  async brainLead(@Root() v: ViciLead, @Ctx() ctx: RequestContext): Promise<Lead | null> {
    if (!v.phone) return null;
    const found = await ctx.loaders.brainLeadByPhone.load(v.phone);
    return found ? Lead.fromEntity(found) : null;
  }
}

function statusOf(catalog: StatusCatalog, v: ViciLead): ViciStatus {
  const { code, name, category } = catalog.resolve(v.statusCode, v.campaignId);
  return { code, name, category };
}

function lastCallOfRow(rows: NumberRows, v: ViciLead, ctx: RequestContext): Date | null | Promise<Date | null> {
  const row = rows.rows.find((r) => r.leadId === v.leadId);
  return row ? row.lastCallAt : ctx.loaders.lastCallByLeadId.load(v.leadId);
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
