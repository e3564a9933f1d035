import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Lead } from "./lead.type";
import { LeadContactInput } from "../inputs/lead-contact.input";
import { ViciPush } from "./vici-push.type";

@InputType({
  description:
    "A change to a lead's contact fields, checked like createLead's. Omitted, null and blank fields are left as they are (a field cannot be emptied). A linked lead's change reaches its VICIdial rows through the outbox.",
})
export class UpdateLeadInput extends LeadContactInput {
  @Field(() => ID, { description: "The lead's id (Lead.id)." })
  id: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The lead's phone, if sent: it must be the phone the lead has (BAD_USER_INPUT otherwise). A phone is a lead's identity and cannot be changed.",
  })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "Where the lead came from (VICIdial's source_id)." })
  source?: string | null;
}

@ObjectType()
export class UpdateLeadPayload {
  @Field(() => Lead)
  lead: Lead;

  @Field(() => [String], {
    description: "The fields whose value changed; empty when the lead had these values already.",
  })
  changedFields: string[];

  @Field(() => ViciPush, {
    nullable: true,
    description:
      "The outbox record that takes the change to the lead's VICIdial rows; null when nothing goes there (the lead has no Vici row, or nothing changed).",
  })
  viciPush: ViciPush | null;
}
