import "reflect-metadata";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { isObjectType, type GraphQLSchema } from "graphql";
import { authChecker } from "../auth/auth-checker";
import { applyPiiMasks } from "../auth/mask-pii";
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
  callPlainFieldResolversDirectly(schema);
  // Last: it wraps whatever resolver a masked field ended up with.
  applyPiiMasks(schema);
  return schema;
}

/**
 * type-graphql calls a field resolver through its handler even when it has nothing to apply:
 * per call a resolver-data object, the parameter list sorted and mapped, the root converted
 * and the middleware runner consulted — ~1,000 calls for a page of 100 leads. A field resolver
 * with no middleware and no @Authorized (its own or its class's) whose parameters are only
 * @Root() and @Ctx() is called directly; a root that is not already an instance of its type
 * (which type-graphql would convert) still goes through the handler.
 */
function callPlainFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<object, Record<string, (...params: unknown[]) => unknown>>();
  for (const fr of storage.fieldResolvers) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's class keys
    const target = fr.target as Function & (new () => Record<string, (...params: unknown[]) => unknown>);
    if (fr.kind !== "external" || !(resolvers as readonly unknown[]).includes(target)) continue;
    if (fr.middlewares?.length || fr.roles !== undefined) continue;
    if (storage.resolverMiddlewares.some((m) => m.target === target)) continue;
    if (storage.authorizedResolver.some((a) => a.target === target)) continue;
    const params = [...(fr.params ?? [])].sort((a, b) => a.index - b.index);
    if (params.some((p, i) => p.index !== i || (p.kind !== "root" && p.kind !== "context") || p.propertyName)) continue;
    const objectClass = fr.getObjectType?.();
    const objectType = storage.objectTypes.find((o) => o.target === objectClass);
    const type = objectType && schema.getType(objectType.name);
    if (!objectClass || !isObjectType(type)) continue;
    const field = type.getFields()[fr.schemaName];
    const handler = field?.resolve;
    if (!handler) continue;
    let instance = instances.get(target);
    if (!instance) instances.set(target, (instance = new target()));
    const method = instance[fr.methodName];
    const self = instance;
    const rootType = params.find((p) => p.kind === "root")?.getType?.();
    const kinds = params.map((p) => p.kind);
    field.resolve = (root, args, context, info) => {
      if (typeof rootType === "function" && root != null && !(root instanceof rootType))
        return handler(root, args, context, info);
      return kinds.length === 2
        ? method.call(self, kinds[0] === "root" ? root : context, kinds[1] === "root" ? root : context)
        : method.apply(
            self,
            kinds.map((k) => (k === "root" ? root : context)),
          );
    };
  }
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
