import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { Viewer } from "../schema/types/viewer.type";
// Registers ApiKeyRole and ApiKeyScope.
import "../schema/types/api-key.type";

@Resolver()
export class ViewerResolver {
  @Authorized(Role.READER)
  @Query(() => Viewer, { description: "Who is asking: this request's API key (never its secret)." })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const p = ctx.principal!;
    return { keyId: p.keyId, name: p.name, role: p.role, scopes: [...p.scopes] };
  }
}
