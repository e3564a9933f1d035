import "reflect-metadata";
import { buildSchema } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "../auth/auth-checker";
import { resolvers } from "../resolvers";

/** Builds the executable schema; no database needed (emit-schema uses it too). */
export function buildGatewaySchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    validate: false,
    authChecker,
    // Subscriptions bring their own source (subscribe-then-snapshot); type-graphql still wants one.
    pubSub: createPubSub(),
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: false } : false,
  });
}
