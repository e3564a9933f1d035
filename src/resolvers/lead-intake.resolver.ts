import { Authorized, Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { CreateLeadInput, CreateLeadPayload, IntakeStatus, ViciSync } from "../schema/types/create-lead.type";
import { Lead } from "../schema/types/lead.type";
import { CallReason } from "../schema/types/call-verdict.type";
import { UpdateLeadInput, UpdateLeadPayload } from "../schema/types/update-lead.type";
import { toViciPush } from "./vici-push.resolver";

@Resolver(() => Lead)
export class LeadIntakeResolver {
  @Authorized(Role.WRITER)
  @Mutation(() => CreateLeadPayload, {
    description:
      "Brain first, then VICIdial: dedupes by phone, honours DNC and the recent-call rule (a recently called number's push is DEFERRED to the end of its window), links existing Vici leads, pushes new ones through the outbox. Send an Idempotency-Key header to make retries safe.",
  })
  async createLead(
    @Arg("input", () => CreateLeadInput) input: CreateLeadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateLeadPayload> {
    const r = await ctx.services.leadCreation.createLead(
      { ...input },
      // Keys are the client's own: scoped by the API key that sends them.
      {
        origin: "api",
        idempotencyKey: ctx.idempotencyKey,
        idempotencyScope: `createLead:${ctx.principal?.keyId ?? ""}`,
      },
    );
    return {
      lead: Lead.fromEntity(r.lead),
      created: r.created,
      viciAction: r.viciAction,
      reasons: r.reasons,
      callReasons: (r.callReasons ?? []).map(CallReason.from),
      callableAt: r.callableAt ?? null,
    };
  }

  @Authorized(Role.WRITER)
  @Mutation(() => UpdateLeadPayload, {
    description:
      "Change a lead's contact fields (CRM front ends): validated like createLead; the phone cannot change. A linked lead's change reaches its VICIdial rows through the outbox, where a value VICIdial changed after Brain's change is kept and reported (ViciPush.fieldConflicts). Send an Idempotency-Key header to make retries safe.",
  })
  async updateLead(
    @Arg("input", () => UpdateLeadInput) input: UpdateLeadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdateLeadPayload> {
    const r = await ctx.services.leadUpdates.updateLead(
      { ...input },
      { idempotencyKey: ctx.idempotencyKey, idempotencyScope: `updateLead:${ctx.principal?.keyId ?? ""}` },
    );
    const push = r.viciPushId ? await ctx.services.viciPushes.byId(r.viciPushId) : null;
    return { lead: Lead.fromEntity(r.lead), changedFields: r.changedFields, viciPush: push && toViciPush(push) };
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => IntakeStatus, {
    description: "Stop pushing new leads and field updates to VICIdial (they are still stored and queued).",
  })
  pauseIntake(
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<IntakeStatus> {
    return ctx.services.intakeSwitch.set(true, reason?.slice(0, 500) ?? null).then(() => this.intakeStatus(ctx));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => IntakeStatus, { description: "Push again, starting with everything queued while paused." })
  async resumeIntake(@Ctx() ctx: RequestContext): Promise<IntakeStatus> {
    await ctx.services.intakeSwitch.set(false, null);
    ctx.services.pusher.kick();
    return this.intakeStatus(ctx);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Lead, {
    description:
      "Put a FAILED or SKIPPED push of this lead back in the queue (e.g. after fixing VICI_API_PASS). The push checks DNC and recent calls again first.",
  })
  async retryViciPush(@Arg("leadId", () => ID) leadId: string, @Ctx() ctx: RequestContext): Promise<Lead> {
    const lead = await ctx.services.pusher.retry(leadId);
    return Lead.fromEntity(lead);
  }

  @Authorized(Role.READER)
  @Query(() => IntakeStatus)
  async intakeStatus(@Ctx() ctx: RequestContext): Promise<IntakeStatus> {
    const [state, pendingPushes] = await Promise.all([
      ctx.services.intakeSwitch.state(),
      ctx.services.pusher.pendingPushes(),
    ]);
    return { ...state, pendingPushes };
  }

  @FieldResolver(() => ViciSync, {
    nullable: true,
    description: "The push of this lead to VICIdial; null when it needed none.",
  })
  viciSync(@Root() lead: Lead, @Ctx() ctx: RequestContext): Promise<ViciSync | null> {
    return ctx.loaders.viciPushByLead.load(lead.id);
  }
}
