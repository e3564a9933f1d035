import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { SyncStatus } from "../schema/types/sync-status.type";

@Resolver()
export class SyncStatusResolver {
  @Authorized(Role.READER)
  @Query(() => SyncStatus, {
    description: "Follow mode's state: whether a process follows VICIdial, its lag, watermarks and the outbox backlog.",
  })
  syncStatus(@Ctx() ctx: RequestContext): Promise<SyncStatus> {
    return ctx.services.follower.status();
  }
}
