import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Role, Scope } from "../../auth/roles";

registerEnumType(Role, {
  name: "ApiKeyRole",
  description:
    "Each role includes the ones before it: READER (queries, subscriptions), WRITER (+ createLead), OPERATOR (+ sync jobs, intake switch, push retries), ADMIN (+ API keys).",
});
registerEnumType(Scope, { name: "ApiKeyScope", description: "PII: phone numbers unmasked." });

@ObjectType({ description: "An API key as Brain keeps it: never its secret." })
export class ApiKey {
  @Field(() => ID, { description: "The public part of the key (vbg_<id>_...)." })
  id: string;

  @Field()
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => [Scope])
  scopes: Scope[];

  @Field(() => String, { nullable: true })
  createdBy: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "Roughly (written at most once a minute)." })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field({ description: "Who or what the key is for (1 to 100 characters)." })
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => [Scope], { defaultValue: [] })
  scopes: Scope[];
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: "The whole key, shown this once: send it as Authorization: Bearer <key>." })
  key: string;
}
