import {
  Authorized,
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import { principalLabel } from "../auth/principal";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import type { SyncJobRecord } from "../jobs/sync-job.types";
import type { SyncJobProgressEvent } from "../jobs/progress";
import { StartSyncInput, SyncJob, SyncJobIssue, SyncJobProgress, SyncJobsArgs } from "../schema/types/sync-job.type";

const toJob = (r: SyncJobRecord): SyncJob =>
  ({ ...r, options: { ...r.options }, reportUrl: `/sync-jobs/${r.id}/report.csv` }) as SyncJob;

@Resolver(() => SyncJob)
export class SyncJobResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => SyncJob, { description: "Start a sync job; follow it with syncJobProgress." })
  async startSync(
    @Arg("input", () => StartSyncInput) input: StartSyncInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SyncJob> {
    return toJob(await ctx.services.syncJobs.start({ ...input }, principalLabel(ctx.principal)));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => SyncJob, { description: "Stop a job at its next batch (a queued one at once)." })
  async cancelSyncJob(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SyncJob> {
    return toJob(await ctx.services.syncJobs.cancel(id));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => SyncJob, {
    description:
      "Undo a finished job from its before-values, as a ROLLBACK job: leads it created are removed (unless changed since: reported), meta it changed is restored, vendor codes it wrote are restored in VICIdial. dryRun reports what it would do.",
  })
  async rollbackSyncJob(
    @Arg("id", () => ID) id: string,
    @Arg("dryRun", { defaultValue: false }) dryRun: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<SyncJob> {
    return toJob(await ctx.services.syncJobs.rollback(id, dryRun, principalLabel(ctx.principal)));
  }

  @Authorized(Role.READER)
  @Query(() => SyncJob)
  async syncJob(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SyncJob> {
    return toJob(await ctx.services.syncJobs.get(id));
  }

  @Authorized(Role.READER)
  @Query(() => [SyncJob], { description: "Jobs, newest first." })
  async syncJobs(@Args() args: SyncJobsArgs, @Ctx() ctx: RequestContext): Promise<SyncJob[]> {
    return (await ctx.services.syncJobs.list({ ...args, afterId: args.after })).map(toJob);
  }

  @FieldResolver(() => [SyncJobIssue], { description: "What the job reported (conflicts, bad rows), in order." })
  issues(
    @Root() job: SyncJob,
    @Arg("first", () => Int, { defaultValue: 100 }) first: number,
    @Arg("after", () => ID, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SyncJobIssue[]> {
    return ctx.services.syncJobs.issues(job.id, { first, afterId: after });
  }

  @Authorized(Role.READER)
  @Subscription(() => SyncJobProgress, {
    description: "Progress of one job: its current state first, then every batch, ending with the final state.",
    subscribe: ({ args, context }) => (context as RequestContext).services.syncJobs.progress(args.id),
  })
  syncJobProgress(@Arg("id", () => ID) _id: string, @Root() event: SyncJobProgressEvent): SyncJobProgress {
    return event as SyncJobProgress;
  }
}
