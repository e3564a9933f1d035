import "reflect-metadata";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "../auth/auth-checker";
import { applyPiiMasks } from "../auth/mask-pii.middleware";
import { resolvers } from "../resolvers";

/** Builds the executable schema; no database needed (emit-schema uses it too). */
export async function buildGatewaySchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  markPlainFieldsSimple();
  const schema = await buildSchema({
    resolvers,
    validate: false,
    authChecker,
    // Subscriptions bring their own source (subscribe-then-snapshot); type-graphql still wants one.
    pubSub: createPubSub(),
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: false } : false,
  });
  applyPiiMasks(schema);
  return schema;
}

/**
 * type-graphql runs every object-type field through its middleware runner unless the field is
 * "simple", even a field with no middleware at all: for a page of 100 leads with their Vici rows
 * that is ~3,000 wrapped property reads, ~6% of the request's allocations. Fields with no
 * middleware of their own and no @Authorized, in classes with neither, are marked simple
 * (the executor reads the property; @MaskPii wraps its fields after the build, applyPiiMasks);
 * the others keep the wrapper. buildSchema is
 * given no globalMiddlewares: adding some would need this to go.
 */
function markPlainFieldsSimple(): void {
  const storage = getMetadataStorage();
  // type-graphql keys its metadata by the class itself (its `target: Function`).
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const wrapped = new Map<Function, Set<string> | "all">();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const add = (target: Function, field?: string) => {
    const had = wrapped.get(target);
    if (field === undefined || had === "all") wrapped.set(target, "all");
    else wrapped.set(target, (had ?? new Set()).add(field));
  };
  for (const m of storage.middlewares) add(m.target, m.fieldName);
  for (const a of storage.authorizedFields) add(a.target, a.fieldName);
  for (const m of storage.resolverMiddlewares) add(m.target);
  for (const a of storage.authorizedResolver) add(a.target);
  for (const f of storage.fields) {
    const w = wrapped.get(f.target);
    if (f.simple === undefined && w !== "all" && !w?.has(f.name)) f.simple = true;
  }
}
