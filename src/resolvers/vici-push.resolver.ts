import { Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { Lead } from "../schema/types/lead.type";
import { ConflictWinner, ViciOutboxSummary, ViciPush, ViciPushesArgs } from "../schema/types/vici-push.type";
import type { ViciPushRow } from "../services/vici-push-view.service";

/** An outbox record as GraphQL shows it. */
export function toViciPush(r: ViciPushRow): ViciPush {
  return {
    ...r,
    lead: Lead.fromEntity(r.lead),
    fieldConflicts: r.fieldConflicts.map((c) => ({
      ...c,
      viciModifiedAt: c.viciModifiedAt ? new Date(c.viciModifiedAt) : null,
      brainChangedAt: new Date(c.brainChangedAt),
      winner: c.winner as ConflictWinner,
    })),
  };
}

@Resolver(() => ViciPush)
export class ViciPushResolver {
  @Authorized(Role.READER)
  @Query(() => [ViciPush], {
    description: "Outbox records, newest first: what is still to reach VICIdial, what failed, what was done.",
  })
  async viciPushes(@Args() args: ViciPushesArgs, @Ctx() ctx: RequestContext): Promise<ViciPush[]> {
    const rows = await ctx.services.viciPushes.list({
      states: args.states,
      kinds: args.kinds,
      leadId: args.leadId,
      first: args.first,
      afterId: args.after,
    });
    return rows.map(toViciPush);
  }

  @Authorized(Role.READER)
  @Query(() => ViciOutboxSummary)
  viciOutbox(@Ctx() ctx: RequestContext): Promise<ViciOutboxSummary> {
    return ctx.services.viciPushes.summary();
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Int, {
    description:
      "Put every FAILED outbox record back in the queue (e.g. after fixing VICI_API_PASS); returns how many. Each push checks DNC and recent calls again first.",
  })
  retryFailedViciPushes(@Ctx() ctx: RequestContext): Promise<number> {
    return ctx.services.pusher.retryAllFailed();
  }
}
