import { Field, InputType } from "type-graphql";

/**
 * A lead's contact fields, as createLead and updateLead take them (each must fit VICIdial's
 * column). Not in the schema itself (nothing takes it): the inputs that extend it carry its fields.
 */
@InputType()
export abstract class LeadContactInput {
  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  address1?: string | null;

  @Field(() => String, { nullable: true })
  address2?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true, description: "2-letter code." })
  state?: string | null;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;
}
