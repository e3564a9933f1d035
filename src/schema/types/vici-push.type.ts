import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { ViciSyncState } from "../../services/outbox-pusher";
import { ViciSync } from "./create-lead.type";
import { Lead } from "./lead.type";

@ObjectType({ description: "One outbox record: a lead's push to VICIdial (PUSH_LEAD) or a vendor code to write on a Vici row (SET_VENDOR_CODE)." })
export class ViciPush extends ViciSync {
  @Field(() => ID)
  id: string;

  @Field({ description: "PUSH_LEAD or SET_VENDOR_CODE." })
  kind: string;

  @Field()
  createdAt: Date;

  @Field(() => Lead)
  lead: Lead;
}

@ObjectType({ description: "What waits in the outbox and what failed for good." })
export class ViciOutboxSummary {
  @Field(() => Int, { description: "Records not yet delivered (queued, retrying, or held by the paused intake)." })
  pending: number;

  @Field(() => Int, { description: "Records refused for good: they need an operator (retryFailedViciPushes)." })
  failed: number;

  @Field(() => Date, { nullable: true, description: "When the oldest pending record was queued." })
  oldestPendingAt: Date | null;
}

@ArgsType()
export class ViciPushesArgs {
  @Field(() => [ViciSyncState], { nullable: true, description: "Omitted or empty: every state." })
  states?: ViciSyncState[] | null;

  @Field(() => Int, { nullable: true, description: "Page size (default 50, at most 200)." })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: "Records older than this one (newest first)." })
  after?: string | null;
}
