import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import type { RequestContext } from "../context";
import { InvalidPhoneError } from "../errors/errors";
import { canSeePii, type Principal } from "./principal";

/**
 * Error messages that quote a phone (INVALID_PHONE) quote it masked; a key with the pii scope
 * gets it whole. formatError, which knows the error but not the key, keeps the whole message
 * beside the formatted error (a non-enumerable field: never serialized); the response, which
 * knows the key, then swaps it in.
 */
const UNMASKED = Symbol("unmaskedMessage");
type Formatted = GraphQLFormattedError & { [UNMASKED]?: string };

/** formatError's part: remembers the whole message of an error that quotes a phone. */
export function keepUnmaskedMessage(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (!(original instanceof InvalidPhoneError)) return formatted;
  const out: Formatted = { ...formatted };
  Object.defineProperty(out, UNMASKED, { value: original.unmaskedMessage, enumerable: false });
  return out;
}

/** The message this principal may read. */
export function messageFor(formatted: GraphQLFormattedError, principal: Principal | null): GraphQLFormattedError {
  const whole = (formatted as Formatted)[UNMASKED];
  return whole !== undefined && canSeePii(principal) ? { ...formatted, message: whole } : formatted;
}

/** HTTP: the phone in error messages whole for keys with the pii scope. */
export function unmaskPiiErrorsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          const { singleResult } = response.body;
          singleResult.errors = singleResult.errors!.map((e) => messageFor(e, contextValue.principal));
        },
      };
    },
  };
}
