import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { QueryTooCostlyError, QueryTooDeepError } from "../errors/errors";

/** The arguments that size a list: its cost is multiplied by them. */
const PAGE_ARGS = ["first", "limit"] as const;

export interface QueryMeasure {
  /** Deepest nesting of fields (a top-level field is 1). */
  depth: number;
  /** 1 per field, a field's children multiplied by its page size (`first`/`limit`). */
  cost: number;
}

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/**
 * Depth and cost of one operation, as the client asked for it (variables applied). Fields
 * starting with `__` (introspection, __typename) are free: they touch no database. A list
 * without a page argument counts once: its size is bounded by the page it is under.
 * A page argument that is omitted counts as its default, else as `defaultPageSize`.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  defaultPageSize: number,
): QueryMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0 };

  const pageSize = (node: FieldNode, field: GraphQLField<unknown, unknown>): number => {
    for (const name of PAGE_ARGS) {
      const def = field.args.find((a) => a.name === name);
      if (!def) continue;
      const given = node.arguments?.find((a) => a.name.value === name)?.value;
      const value = given ? valueOf(given, variables) : def.defaultValue;
      const n = typeof value === "number" && Number.isFinite(value) ? value : defaultPageSize;
      return Math.max(0, Math.ceil(n));
    }
    return 1;
  };

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType, seen: ReadonlySet<string>): QueryMeasure => {
    let depth = 0;
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith("__")) continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[sel.name.value] : undefined;
        if (!field) continue; // validation reports it
        const child = sel.selectionSet ? walk(sel.selectionSet, getNamedType(field.type), seen) : { depth: 0, cost: 0 };
        depth = Math.max(depth, 1 + child.depth);
        cost += 1 + pageSize(sel, field) * child.cost;
      } else {
        let inner: { set: SelectionSetNode; type: GraphQLNamedType } | null = null;
        let nextSeen = seen;
        if (sel.kind === Kind.INLINE_FRAGMENT) {
          const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
          if (type) inner = { set: sel.selectionSet, type };
        } else {
          const frag = fragments[sel.name.value];
          // A fragment spread inside itself is a validation error; never loop on it.
          if (frag && !seen.has(frag.name.value)) {
            const type = schema.getType(frag.typeCondition.name.value);
            nextSeen = new Set([...seen, frag.name.value]);
            if (type) inner = { set: frag.selectionSet, type };
          }
        }
        if (inner) {
          const r = walk(inner.set, inner.type, nextSeen);
          depth = Math.max(depth, r.depth);
          cost += r.cost;
        }
      }
    }
    return { depth, cost };
  };

  return walk(operation.selectionSet, root, new Set());
}

/** Throws QueryTooDeepError or QueryTooCostlyError when a measure is over its limit. */
export function enforceQueryLimits(measure: QueryMeasure, limits: QueryLimits): void {
  if (measure.depth > limits.maxDepth) throw new QueryTooDeepError(measure.depth, limits.maxDepth);
  if (measure.cost > limits.maxCost) throw new QueryTooCostlyError(measure.cost, limits.maxCost);
}

export function fragmentsOf(document: { definitions: readonly { kind: string }[] }): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) out[(d as FragmentDefinitionNode).name.value] = d as FragmentDefinitionNode;
  }
  return out;
}

/**
 * Checks depth and cost once the operation is known and valid, before anything runs. Not a
 * validation rule: Apollo would re-code its errors GRAPHQL_VALIDATION_FAILED, and the cost
 * needs the variables (`first: $first`).
 */
export function queryLimitsPlugin<T extends object>(limits: QueryLimits, defaultPageSize: number): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          enforceQueryLimits(measureOperation(schema, operation, fragmentsOf(document), request.variables, defaultPageSize), limits);
        },
      };
    },
  };
}

function valueOf(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (node.kind) {
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return undefined;
  }
}
