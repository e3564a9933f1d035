import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import { ViciAction } from "../../services/call-guard";
import { ViciPushState } from "../../services/vici-pusher";
import { SafeInt } from "../scalars";
import { Lead } from "./lead.type";
import { LeadContactInput } from "../inputs/lead-contact.input";
import { CallReason } from "./call-verdict.type";

registerEnumType(ViciAction, {
  name: "ViciAction",
  description: "What happened on the VICIdial side of a createLead.",
  valuesConfig: {
    CREATED: { description: "Inserted into VICIdial just now." },
    QUEUED: {
      description: "Stored; the outbox pushes it (VICIdial unreachable, or intake paused), every check again first.",
    },
    LINKED_EXISTING: {
      description:
        "VICIdial had the number in a managed campaign: Brain is linked to its row(s); nothing new is dialed.",
    },
    DEFERRED: {
      description:
        "Called within RECENT_CALL_DAYS, nothing else in the way: stored, do-not-call until callableAt; the push waits in the outbox (state DEFERRED) until then and runs every check again first.",
    },
    SKIPPED_RECENTLY_CALLED: {
      description:
        "Called within RECENT_CALL_DAYS and the input said deferred: false: stored, do-not-call until the window ends, never pushed.",
    },
    SKIPPED_DNC: { description: "On a DNC list or with a DNC status: stored do-not-call for good, never pushed." },
    ALREADY_IN_BRAIN: { description: "Brain already had the phone: returned as it is (new non-empty fields merged)." },
  },
});

// The code says ViciPushState; GraphQL keeps the name clients already use.
registerEnumType(ViciPushState, {
  name: "ViciSyncState",
  description:
    "PENDING: queued or retrying; DEFERRED: a recently called number's push, waiting for the end of its window (callableAt), when every check runs again; DONE: in Vici; SKIPPED: not pushed after a fresh check (see lastError); FAILED: refused for good, needs an operator; CONFLICT (field updates): delivered, but VICIdial kept a value it changed after Brain's change (see lastError and ViciPush.fieldConflicts).",
});

@InputType({ description: "A new lead. Blank strings count as absent; every field must fit VICIdial's column." })
export class CreateLeadInput extends LeadContactInput {
  @Field({ description: "Any common format; stored as E.164." })
  phone: string;

  @Field(() => String, {
    nullable: true,
    description: "Where the lead came from; may pick the Vici list (VICI_SOURCE_LISTS).",
  })
  source?: string | null;

  @Field(() => String, { nullable: true, description: "Target campaign; its list comes from VICI_CAMPAIGN_LISTS." })
  campaignId?: string | null;

  @Field(() => SafeInt, { nullable: true, description: "Target Vici list, overriding the mappings." })
  listId?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "A number called within RECENT_CALL_DAYS: true (default) stores the lead and defers its push until the window ends (DEFERRED, callableAt; every check runs again then); false answers SKIPPED_RECENTLY_CALLED and never pushes it.",
  })
  deferred?: boolean | null;
}

@ObjectType()
export class CreateLeadPayload {
  @Field(() => Lead)
  lead: Lead;

  @Field({ description: "false when Brain already had the phone (or a repeated Idempotency-Key)." })
  created: boolean;

  @Field(() => ViciAction)
  viciAction: ViciAction;

  @Field(() => [String], {
    description:
      "Why: Vici rows found, conflicts, and each call reason as `CODE: detail` (the codes and words of callVerdict). Phone numbers masked unless the key has the pii scope.",
  })
  @MaskPii("text")
  reasons: string[];

  @Field(() => [CallReason], {
    description:
      "Why the number may not be called (DNC, a recent call), exactly as callVerdict gives them; empty when nothing holds it.",
  })
  callReasons: CallReason[];

  @Field(() => Date, {
    nullable: true,
    description:
      "DEFERRED (and SKIPPED_RECENTLY_CALLED): when the recent-call window ends — the push is tried then, after every check again.",
  })
  callableAt: Date | null;
}

@ObjectType({ description: "The lead's way to VICIdial (its outbox record)." })
export class ViciSync {
  @Field(() => ViciPushState)
  state: ViciPushState;

  @Field(() => Int)
  attempts: number;

  // VICIdial's refusals can quote the phone.
  @MaskPii("text")
  @Field(() => String, {
    nullable: true,
    description:
      "Why the last attempt failed, or why the push was skipped or deferred. Phone numbers masked unless the key has the pii scope.",
  })
  lastError: string | null;

  @Field(() => SafeInt, { nullable: true })
  viciLeadId: number | null;

  @Field(() => Date, { nullable: true, description: "Next try, while PENDING or DEFERRED." })
  nextAttemptAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "While DEFERRED: when the number's recent-call window ends and the push is tried (every check again first).",
  })
  callableAt: Date | null;

  @Field()
  updatedAt: Date;
}

@ObjectType({ description: "The intake switch: while paused, new leads are stored and queued, not pushed." })
export class IntakeStatus {
  @Field()
  paused: boolean;

  @Field(() => String, { nullable: true })
  @MaskPii("text")
  reason: string | null;

  @Field(() => Date, { nullable: true })
  since: Date | null;

  @Field(() => Int, { description: "New leads and field updates waiting in the outbox (what a paused intake holds)." })
  pendingPushes: number;
}
