import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { DriftSnapshot } from "../schema/types/drift-snapshot.type";

@Resolver()
export class DriftHistoryResolver {
  @Authorized(Role.READER)
  @Query(() => [DriftSnapshot], {
    description:
      "The drift between Brain and VICIdial day by day, oldest first: one snapshot a day per campaign set, recorded by every audit and taken daily for the default set.",
  })
  driftHistory(
    @Arg("campaigns", () => [String], {
      nullable: true,
      description:
        "The campaign set as the audit was asked for it (case-insensitive); omitted or empty = the default set.",
    })
    campaigns: string[] | null | undefined,
    @Arg("days", () => Int, { defaultValue: 30, description: "How many days back, today included (1 to 366)." })
    days: number,
    @Ctx() ctx: RequestContext,
  ): Promise<DriftSnapshot[]> {
    return ctx.services.drift.history({ campaignIds: campaigns, days });
  }
}
