import { Authorized, Arg, Ctx, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { AuditReport, SyncHealth } from "../schema/types/audit.type";
import { ScansTable } from "../security/query-limits";

@Resolver()
export class AuditResolver {
  @Authorized(Role.READER)
  @ScansTable()
  @Query(() => AuditReport, {
    description:
      "The current state of the chosen VICIdial campaigns (default: the managed ones, VICI_CAMPAIGNS) and the drift between Brain and VICIdial.",
  })
  audit(
    @Arg("campaigns", () => [String], {
      nullable: true,
      description:
        "VICIdial campaign ids (case-insensitive), within VICI_CAMPAIGNS; omitted or empty = VICI_CAMPAIGNS (unset: all).",
    })
    campaigns: string[] | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditReport> {
    // Recorded as today's drift snapshot of this campaign set (driftHistory).
    return ctx.services.drift.audit(campaigns ?? []);
  }

  @Authorized(Role.READER)
  @ScansTable()
  @Query(() => SyncHealth, {
    description:
      "The sync strategy's success metrics for the chosen campaigns (default: the managed ones, VICI_CAMPAIGNS).",
  })
  syncHealth(
    @Arg("campaigns", () => [String], {
      nullable: true,
      description:
        "VICIdial campaign ids (case-insensitive), within VICI_CAMPAIGNS; omitted or empty = VICI_CAMPAIGNS (unset: all).",
    })
    campaigns: string[] | null | undefined,
    @Arg("cutoverAt", () => Date, {
      nullable: true,
      description:
        "When new leads started to come through Brain; omitted: VICI_CUTOVER_AT, else the gateway's first push (no cut-over at all: createdOutsideBrain is null).",
    })
    cutoverAt: Date | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<SyncHealth> {
    return ctx.services.healthMetrics.measure({ campaignIds: campaigns ?? [], cutoverAt: cutoverAt ?? null });
  }
}
