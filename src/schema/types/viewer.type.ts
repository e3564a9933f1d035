import { Field, ObjectType } from "type-graphql";
import { Role, Scope } from "../../auth/roles";

@ObjectType({
  description: "The API key of this request: what it may do (the console shows only what the key may use).",
})
export class Viewer {
  @Field({ description: 'The key\'s public id (vbg_<id>_...); "local" without a key (API_KEYS_REQUIRED=false).' })
  keyId: string;

  @Field()
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => [Scope])
  scopes: Scope[];
}
