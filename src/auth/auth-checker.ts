import type { AuthChecker } from "type-graphql";
import type { RequestContext } from "../context";
import { Role } from "./roles";

/**
 * The one auth checker behind every `@Authorized(Role.X)`: the role given is the least one
 * allowed (roles include the ones before them). ApiKeyService holds the rule; this adapts it
 * to type-graphql and names the field in the error.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context, info }, roles) => {
  const need = roles[0] ?? Role.READER;
  context.services.apiKeys.authorize(context.principal, need, `${info.parentType.name}.${info.fieldName}`);
  return true;
};
