import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { principalLabel } from "../auth/principal";
import { Role } from "../auth/roles";
import type { RequestContext } from "../context";
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload } from "../schema/types/api-key.type";

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [ApiKey], { description: "Every API key, newest first, revoked ones included." })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.services.apiKeys.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateApiKeyPayload, { description: "A new API key; its secret is in this answer only." })
  createApiKey(
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiKeyPayload> {
    return ctx.services.apiKeys.create({ ...input, createdBy: principalLabel(ctx.principal) });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ApiKey, { description: "Refuse this key from now on." })
  revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return ctx.services.apiKeys.revoke(id);
  }
}
