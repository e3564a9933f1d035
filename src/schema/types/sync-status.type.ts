import { Field, Float, ObjectType } from "type-graphql";
import { SafeInt } from "../scalars";
import type * as follow from "../../services/vici-follower";

@ObjectType({
  description:
    "Where follow mode has read VICIdial up to. Each advances in the Brain transaction that writes what it covers.",
})
export class FollowWatermarks implements follow.FollowWatermarks {
  @Field(() => SafeInt, {
    nullable: true,
    description: "vicidial_list rows up to this lead_id are in Brain (null: follow mode never ran).",
  })
  leadIdAfter: number | null;

  @Field(() => Date, {
    nullable: true,
    description: "vicidial_log calls up to this call_date are applied (re-read 30 s behind for rows written late).",
  })
  callsSince: Date | null;

  @Field(() => Date, { nullable: true, description: "vicidial_dnc_log entries up to this action_date are applied." })
  dncSince: Date | null;

  @Field(() => SafeInt, {
    nullable: true,
    description:
      "The reconciliation pass in progress has read every managed row up to this lead_id (null: none running).",
  })
  reconcileAfterLeadId: number | null;

  @Field(() => Date, { nullable: true, description: "When the current (or last) reconciliation pass started." })
  reconcileStartedAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the last reconciliation pass ended." })
  reconcileDoneAt: Date | null;
}

@ObjectType({ description: "Rows follow mode applied, by source." })
export class FollowCounts implements follow.FollowCounts {
  @Field(() => SafeInt, { description: "New vicidial_list rows of the managed campaigns, imported." })
  leads: number;

  @Field(() => SafeInt, { description: "New vicidial_log calls, each applied once to the numbers it touched." })
  calls: number;

  @Field(() => SafeInt, { description: "New vicidial_dnc_log entries applied." })
  dnc: number;

  @Field(() => SafeInt, { description: "Managed rows the reconciliation pass read again." })
  reconciled: number;
}

@ObjectType({ description: "One follow cycle." })
export class FollowCycle extends FollowCounts implements follow.FollowCycleReport {
  @Field({ description: "Every source was read to its end." })
  caughtUp: boolean;

  @Field(() => SafeInt, { description: "How long the cycle took, in milliseconds." })
  ms: number;
}

@ObjectType({
  description: "Follow mode: how far Brain's picture of VICIdial lags behind, and what waits to reach VICIdial.",
})
export class SyncStatus {
  @Field({ description: "A gateway or worker follows VICIdial now (holds the follower lease)." })
  following: boolean;

  @Field(() => Date, { nullable: true, description: "When the last follow cycle ended." })
  lastCycleAt: Date | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Seconds since the start of the last cycle that read every source to its end: a change made in VICIdial since may not be in Brain yet. Null before follow mode first ran.",
  })
  lagSeconds: number | null;

  @Field(() => FollowWatermarks)
  watermarks: FollowWatermarks;

  @Field(() => SafeInt, { description: "Outbox records (new leads, vendor codes, field updates) not yet in VICIdial." })
  pendingUpdates: number;

  @Field(() => FollowCycle, { nullable: true, description: "The last cycle's rows and time." })
  lastCycle: FollowCycle | null;

  @Field(() => FollowCounts, {
    description: "Rows applied since follow mode started, across every process that followed.",
  })
  totals: FollowCounts;
}
