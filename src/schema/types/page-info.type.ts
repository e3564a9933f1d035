import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "Relay page info (forward pagination)." })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page." })
  endCursor: string | null;
}
