import { ArgsType, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import {
  CALL_REASON_TEXT,
  CallReasonCode,
  type CallNote as EngineNote,
  type CallReason as EngineReason,
  type CallVerdict as EngineVerdict,
} from "../../vici/rules/call-verdict";
import { SafeInt } from "../scalars";

registerEnumType(CallReasonCode, {
  name: "CallReasonCode",
  description: 'Why a number may not be called now (README: "May this number be called now?").',
  valuesConfig: Object.fromEntries(
    Object.values(CallReasonCode).map((c) => [
      c,
      { description: `${CALL_REASON_TEXT[c].text} (${CALL_REASON_TEXT[c].origin})` },
    ]),
  ),
});

export enum CallReasonKind {
  COMPLIANCE = "COMPLIANCE",
  DIALER = "DIALER",
}
registerEnumType(CallReasonKind, {
  name: "CallReasonKind",
  valuesConfig: {
    COMPLIANCE: {
      description: "May this number be called at all now (DNC, 30 days, legal and state hours, our caps).",
    },
    DIALER: {
      description: "Would VICIdial's hopper load the lead now (campaign, list, status, call time, its limits).",
    },
  },
});

export enum CallRuleOrigin {
  VICIDIAL = "VICIDIAL",
  LAW = "LAW",
  OURS = "OURS",
}
registerEnumType(CallRuleOrigin, {
  name: "CallRuleOrigin",
  description: "Whose rule a reason applies.",
  valuesConfig: {
    VICIDIAL: { description: "VICIdial's own: its hopper would not load the lead either." },
    LAW: { description: "The legal floor built into the gateway (08:00–21:00 at the called party's location)." },
    OURS: {
      description:
        "Ours, stricter than VICIdial: Brain's do-not-call, RECENT_CALL_DAYS, a do-not-call status, the rule file.",
    },
  },
});

@ObjectType({ description: "One reason a number may not be called now, and when it lifts." })
export class CallReason {
  @Field(() => CallReasonCode)
  code: CallReasonCode;

  @Field(() => CallReasonKind)
  kind: CallReasonKind;

  @Field(() => CallRuleOrigin)
  origin: CallRuleOrigin;

  @Field({ description: "What holds for this number, in words." })
  @MaskPii("text")
  detail: string;

  @Field({
    description: "Where the rule comes from: the VICIdial table or setting, our setting, or the rule file's citation.",
  })
  source: string;

  @Field(() => Date, {
    nullable: true,
    description: "When it lifts, as far as the facts tell; null: never (or not by time alone).",
  })
  until: Date | null;

  @Field(() => SafeInt, { nullable: true, description: "The Vici lead_id a DIALER reason is about." })
  viciLeadId: number | null;

  static from(r: EngineReason): CallReason {
    return Object.assign(new CallReason(), {
      code: r.code,
      kind: r.kind as CallReasonKind,
      origin: CALL_REASON_TEXT[r.code].origin as CallRuleOrigin,
      detail: r.detail,
      source: r.source,
      until: r.until,
      viciLeadId: r.leadId,
    });
  }
}

@ObjectType({ description: "A rule that was not (fully) checked, or a remark that blocks nothing." })
export class CallNote {
  @Field({
    description:
      "e.g. CALL_LIMIT_24H_NOT_CHECKED, DNC_NOT_CHECKED_BY_CAMPAIGN, ZONE_FALLBACK, LEGAL_HOURS_NOT_CHECKED.",
  })
  code: string;

  @Field()
  @MaskPii("text")
  detail: string;
}

@ObjectType({ description: "May this number be called now in this campaign — and if not, why, and from when?" })
export class CallVerdict {
  @Field({ description: "E.164. Masked (+1******0101) unless the key has the pii scope." })
  @MaskPii("phone")
  phone: string;

  @Field({ description: "The campaign asked about." })
  campaignId: string;

  @Field({ description: "The instant the verdict is for (the facts are VICIdial's and Brain's as they are now)." })
  at: Date;

  @Field({
    description:
      "No reason at all: compliant, and VICIdial's hopper would load one of the number's rows in the campaign.",
  })
  callable: boolean;

  @Field({ description: "No COMPLIANCE reason (the DIALER ones may still hold)." })
  compliant: boolean;

  @Field(() => Date, {
    nullable: true,
    description: "The earliest instant ≥ at when every reason has lifted; null: never, as far as the facts tell.",
  })
  callableAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "The earliest instant ≥ at when every COMPLIANCE reason has lifted.",
  })
  compliantAt: Date | null;

  @Field(() => SafeInt, {
    nullable: true,
    description:
      "The Vici lead_id the DIALER reasons are about: the number's row in the campaign that is, or becomes, callable first.",
  })
  viciLeadId: number | null;

  @Field(() => [CallReason], { description: "COMPLIANCE reasons first, then DIALER ones. Empty when callable." })
  reasons: CallReason[];

  @Field(() => [CallNote])
  notes: CallNote[];

  static from(phone: string, campaignId: string, v: EngineVerdict): CallVerdict {
    return Object.assign(new CallVerdict(), {
      phone,
      campaignId,
      at: v.at,
      callable: v.callable,
      compliant: v.compliant,
      callableAt: v.callableAt,
      compliantAt: v.compliantAt,
      viciLeadId: v.leadId,
      reasons: v.reasons.map(CallReason.from),
      notes: v.notes.map((n: EngineNote) => Object.assign(new CallNote(), n)),
    });
  }
}

@ObjectType({
  description: "How a `callableNow` page was found: Brain leads scanned page-wise, each with its verdict.",
})
export class CallableScan {
  @Field()
  campaignId: string;

  @Field({ description: "The instant every verdict of the page is for (the request's time)." })
  at: Date;

  @Field(() => Int, {
    description:
      "Brain leads this list computed a verdict for (chunks are read whole: it may pass the last lead returned).",
  })
  scanned: number;

  @Field({
    description:
      "true: CALLABLE_NOW_SCAN_MAX leads were scanned before the page filled; the page may hold fewer than `first` leads and `endCursor` points after the last lead scanned — ask again with it to go on.",
  })
  limitReached: boolean;
}

@ArgsType()
export class CallVerdictArgs {
  @Field({ description: "Any common format; normalised to E.164 with PHONE_DEFAULT_REGION." })
  phone: string;

  @Field({ description: "The VICIdial campaign whose dialer and rules apply." })
  campaignId: string;

  @Field(() => Date, {
    nullable: true,
    description:
      "Default: now. From 2000 to 366 days ahead; the facts are today's (what holds then if nothing changes).",
  })
  at?: Date | null;
}

@ArgsType()
export class CallVerdictsArgs {
  @Field(() => [String], { description: "At most 1,000 numbers, any common format; the answer keeps their order." })
  phones: string[];

  @Field()
  campaignId: string;

  @Field(() => Date, { nullable: true, description: "Default: now." })
  at?: Date | null;
}

@ArgsType()
export class LeadCallVerdictArgs {
  @Field()
  campaignId: string;

  @Field(() => Date, { nullable: true, description: "Default: now (the same instant for every lead of the request)." })
  at?: Date | null;
}
