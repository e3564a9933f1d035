import { Field, ID, ObjectType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import type { LeadEntity, LeadMeta } from "../../entities/brain/lead.entity";
import { JSONObject } from "../scalars";
import { PageInfo } from "./page-info.type";
import { CallableScan } from "./call-verdict.type";
import type { LeadPage } from "../../services/lead.service";

@ObjectType({ description: "A Brain lead merged with its VICIdial rows." })
export class Lead {
  @Field(() => ID)
  id: string;

  @Field({
    description:
      "Brain's id for the lead; VICIdial keeps it in vendor_lead_code (≤ 20 chars). Masked when it is a phone number, unless the key has the pii scope.",
  })
  @MaskPii("id")
  externalLeadId: string;

  @Field({ description: "E.164, e.g. +17275550101. Masked (+1******0101) unless the key has the pii scope." })
  @MaskPii("phone")
  phone: string;

  @Field(() => String, { nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  lastName: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  address1: string | null;

  @Field(() => String, { nullable: true })
  address2: string | null;

  @Field(() => String, { nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  state: string | null;

  @Field(() => String, { nullable: true })
  postalCode: string | null;

  @Field(() => String, { nullable: true })
  source: string | null;

  @Field({ description: "How the lead entered Brain: vici_import, api, webhook, csv_import, demo." })
  origin: string;

  /** The stored flag: Lead.doNotCall (LeadResolver) says whether it holds now (src/services/do-not-call.ts). */
  doNotCall: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "Why the flag was set: dnc, recently_called, or an operator's reason (kept after a recently_called flag lifts).",
  })
  doNotCallReason: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "When the do-not-call flag lifts by itself: a recently_called flag ends when the number's last call is RECENT_CALL_DAYS old. Null: never (dnc, an operator's reason) or no flag.",
  })
  doNotCallUntil: Date | null;

  @Field(() => JSONObject, {
    description:
      "Brain's notes on the lead, incl. its Vici snapshot (vici_lead_id, vici_status, last_call_date, synced_at).",
  })
  @MaskPii("text")
  meta: LeadMeta;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  static fromEntity(e: LeadEntity): Lead {
    return Object.assign(new Lead(), {
      id: String(e.id),
      externalLeadId: e.externalLeadId,
      phone: e.phone,
      firstName: e.firstName,
      lastName: e.lastName,
      email: e.email,
      address1: e.address1,
      address2: e.address2,
      city: e.city,
      state: e.state,
      postalCode: e.postalCode,
      source: e.source,
      origin: e.origin,
      doNotCall: e.doNotCall,
      doNotCallReason: e.doNotCallReason,
      doNotCallUntil: e.doNotCallUntil ?? null,
      meta: e.meta ?? {},
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    });
  }
}

@ObjectType()
export class LeadEdge {
  @Field()
  cursor: string;

  @Field(() => Lead)
  node: Lead;
}

@ObjectType()
export class LeadConnection {
  @Field(() => [LeadEdge])
  edges: LeadEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => CallableScan, {
    nullable: true,
    description:
      "With filter.callableNow: how the page was found (leads scanned, whether CALLABLE_NOW_SCAN_MAX ended it). Null otherwise.",
  })
  callableScan: CallableScan | null;

  countThunk: () => Promise<number>;

  static from(p: LeadPage): LeadConnection {
    return Object.assign(new LeadConnection(), {
      edges: p.edges.map((e) => ({ node: Lead.fromEntity(e.node), cursor: e.cursor })),
      pageInfo: p.pageInfo,
      callableScan: p.callableScan && Object.assign(new CallableScan(), p.callableScan),
      countThunk: p.countThunk,
    });
  }
}
