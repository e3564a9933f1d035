import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import { SafeInt } from "../scalars";
import { ViciPushState } from "../../services/vici-pusher";
import { ViciSync } from "./create-lead.type";
import { Lead } from "./lead.type";

export enum ConflictWinner {
  BRAIN = "BRAIN",
  VICI = "VICI",
}
registerEnumType(ConflictWinner, {
  name: "ConflictWinner",
  description:
    "BRAIN: Brain's change was newer and replaced VICIdial's value. VICI: VICIdial's row changed at or after Brain's change, so its value stayed.",
});

@ObjectType({
  description:
    "A contact field VICIdial had changed since Brain last read it: the newer side won, the other is reported here.",
})
export class ViciFieldConflict {
  @Field(() => SafeInt)
  viciLeadId: number;

  @Field({ description: "The field (UpdateLeadInput's name)." })
  field: string;

  @MaskPii("text")
  @Field(() => String, { nullable: true, description: "Brain's value." })
  brainValue: string | null;

  @MaskPii("text")
  @Field(() => String, { nullable: true, description: "VICIdial's value when the update was delivered." })
  viciValue: string | null;

  @Field(() => Date, {
    nullable: true,
    description: "When the Vici row last changed (vicidial_list.modify_date; any change of the row counts).",
  })
  viciModifiedAt: Date | null;

  @Field(() => Date, { description: "When Brain changed the field." })
  brainChangedAt: Date;

  @Field(() => ConflictWinner)
  winner: ConflictWinner;
}

@ObjectType({
  description:
    "One outbox record: a lead's push to VICIdial (PUSH_LEAD), a vendor code to write on a Vici row (SET_VENDOR_CODE), or a change of a linked lead's contact fields for its Vici rows (UPDATE_FIELDS).",
})
export class ViciPush extends ViciSync {
  @Field(() => ID)
  id: string;

  @Field({ description: "PUSH_LEAD, SET_VENDOR_CODE or UPDATE_FIELDS." })
  kind: string;

  @Field(() => [ViciFieldConflict], {
    description:
      "UPDATE_FIELDS: the fields VICIdial had changed since Brain last read them, with the winner (state CONFLICT when VICIdial's value stayed). Empty otherwise.",
  })
  fieldConflicts: ViciFieldConflict[];

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

  @Field(() => Int, {
    description: "Recently called numbers' pushes waiting in state DEFERRED for the end of their window (callableAt).",
  })
  deferred: number;

  @Field(() => Int, {
    description: "Field updates that ended CONFLICT: VICIdial kept a newer value (see fieldConflicts).",
  })
  conflicts: number;

  @Field(() => Date, { nullable: true, description: "When the oldest pending record was queued." })
  oldestPendingAt: Date | null;
}

@ArgsType()
export class ViciPushesArgs {
  @Field(() => [ViciPushState], { nullable: true, description: "Omitted or empty: every state." })
  states?: ViciPushState[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "PUSH_LEAD, SET_VENDOR_CODE, UPDATE_FIELDS; omitted or empty: every kind.",
  })
  kinds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "Only this lead's records." })
  leadId?: string | null;

  @Field(() => Int, { nullable: true, description: "Page size (default 50, at most 200)." })
  first?: number | null;

  @Field(() => ID, { nullable: true, description: "Records older than this one (newest first)." })
  after?: string | null;
}
