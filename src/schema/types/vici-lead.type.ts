import { Field, ObjectType } from "type-graphql";
import { MaskPii } from "../../auth/mask-pii";
import { StatusCategory } from "../enums";
import { LocalDateTime, SafeInt } from "../scalars";
import { PageInfo } from "./page-info.type";
import type { ViciLeadPage, ViciLeadRecord } from "../../vici/db/vici-leads.reader";

@ObjectType({ description: "A VICIdial status as it applies to one lead (its campaign's status over the system one)." })
export class ViciStatus {
  @Field({ description: "The raw status code, e.g. NA, SALE, or a campaign's own code." })
  code: string;

  @Field(() => String, { nullable: true, description: "VICIdial's label; null for a code in neither status table." })
  name: string | null;

  @Field(() => StatusCategory)
  category: StatusCategory;
}

@ObjectType({ description: "A row of VICIdial's vicidial_list, times converted to real instants." })
export class ViciLead {
  @Field(() => SafeInt)
  leadId: number;

  @Field(() => SafeInt)
  listId: number;

  @Field(() => String, {
    nullable: true,
    description: "The campaign of the lead's list (vicidial_lists); null for a list with no vicidial_lists row.",
  })
  campaignId: string | null;

  /** Raw status code; the `status` field resolves it against the status tables. */
  statusCode: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Masked when it is a phone number, unless the key has the pii scope.",
  })
  @MaskPii("id")
  vendorLeadCode: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "E.164, or null when Vici holds a number that is not a valid phone. Masked unless the key has the pii scope.",
  })
  @MaskPii("phone")
  phone: string | null;

  @Field({ description: "vicidial_list.phone_code (country calling code)." })
  phoneCode: string;

  @Field({
    description: "vicidial_list.phone_number (national digits) as stored. Masked unless the key has the pii scope.",
  })
  @MaskPii("phone")
  phoneNumber: string;

  @Field(() => String, { nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  lastName: string | null;

  @Field(() => SafeInt)
  calledCount: number;

  @Field(() => LocalDateTime, {
    nullable: true,
    description:
      "VICIdial's last_local_call_time: the LEAD's local wall-clock time of the last dial (set to the insert time for new leads). Not an instant; see lastCallAt.",
  })
  lastLocalCallTime: string | null;

  @Field(() => Date, { nullable: true, description: "When the lead was loaded into VICIdial." })
  entryDate: Date | null;

  @Field(() => Date, { nullable: true, description: "Last change of the row (by anyone, the dialer included)." })
  modifyDate: Date | null;

  static from(r: ViciLeadRecord): ViciLead {
    return Object.assign(new ViciLead(), r);
  }
}

@ObjectType()
export class ViciLeadEdge {
  @Field()
  cursor: string;

  @Field(() => ViciLead)
  node: ViciLead;
}

@ObjectType()
export class ViciLeadConnection {
  @Field(() => [ViciLeadEdge])
  edges: ViciLeadEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  /** Resolved lazily: counting costs a statement. */
  countThunk: (() => Promise<number | null>) | null;

  static from(p: ViciLeadPage): ViciLeadConnection {
    return Object.assign(new ViciLeadConnection(), {
      edges: p.edges.map((e) => ({ node: ViciLead.from(e.node), cursor: e.cursor })),
      pageInfo: p.pageInfo,
      countThunk: p.countThunk,
    });
  }
}
