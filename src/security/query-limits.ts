import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { Extensions } from "type-graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { QueryTooComplexError, QueryTooCostlyError, QueryTooDeepError } from "../errors/errors";

/** The arguments that size a list: its cost is multiplied by them. */
const PAGE_ARGS = ["first", "limit"] as const;

/** Field extension marking a field whose statement reads a whole table (or a large part of one). */
const SCANS_TABLE = "scansTable";

/**
 * What one table scan weighs against MAX_QUERY_COST: a count over 200k leads costs as much
 * Brain time as thousands of keyed reads, not one field's worth.
 */
export const SCAN_COST = 1000;

/**
 * Marks a field whose statement scans a table (a count, the audit, the health metrics): it
 * costs SCAN_COST, and an operation may hold at most MAX_SCAN_FIELDS of them.
 */
export function ScansTable(): ReturnType<typeof Extensions> {
  return Extensions({ [SCANS_TABLE]: true });
}

export interface QueryMeasure {
  /** Deepest nesting of fields (a top-level field is 1). */
  depth: number;
  /** 1 per field (SCAN_COST more for a scan), list fields multiplied by the page they are in. */
  cost: number;
  /** Fields that scan a table, each alias and each use of a fragment counted. */
  scans: number;
}

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Aliased fields in an operation (its fragments included). */
  maxAliases: number;
  /** Fragment spreads (`...Name`) in an operation (its fragments included). */
  maxFragmentSpreads: number;
  /** Fields that scan a table, per operation. */
  maxScans: number;
}

/** Thrown inside the walk as soon as the cost is over the limit: the rest is never looked at. */
class OverBudget {
  constructor(readonly cost: number) {}
}

/**
 * Depth, cost and table scans of one operation, as the client asked for it (variables
 * applied). Linear in the document: each fragment is measured once per page size it is used
 * under (fragments spreading fragments cost nothing extra to measure, however often), and the
 * walk stops as soon as the cost passes `maxCost` (QueryTooCostlyError, "at least N").
 *
 * Cost: 1 per field, SCAN_COST more for a field that scans a table. A field with a page
 * argument (`first`/`limit`; omitted: its default, else `defaultPageSize`; 0 counts as 1)
 * multiplies what is repeated per item: every child when the field itself is a list
 * (`syncJobs(first: 10)`), its list children when it is a connection (`leads(first: 10)`
 * multiplies `edges`, not `totalCount`). A list without a page argument counts once: its
 * size is bounded by the page it is under. Fields starting with `__` (introspection,
 * __typename) are free: they touch no database.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  defaultPageSize: number,
  maxCost = Infinity,
): QueryMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0, scans: 0 };

  const pageSize = (node: FieldNode, field: GraphQLField<unknown, unknown>): number => {
    for (const name of PAGE_ARGS) {
      const def = field.args.find((a) => a.name === name);
      if (!def) continue;
      const given = node.arguments?.find((a) => a.name.value === name)?.value;
      const value = given ? valueOf(given, variables) : def.defaultValue;
      const n = typeof value === "number" && Number.isFinite(value) ? value : defaultPageSize;
      return Math.max(1, Math.ceil(n));
    }
    return 1;
  };

  // A fragment's measure depends only on the multipliers of the field it is spread in.
  const memo = new Map<string, QueryMeasure>();
  const inProgress = new Set<string>();

  /** `perChild` multiplies every child, `perList` the list-typed ones (see above). */
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType, perChild: number, perList: number): QueryMeasure => {
    let depth = 0;
    let cost = 0;
    let scans = 0;
    const add = (m: QueryMeasure, times: number, deeper: number) => {
      depth = Math.max(depth, deeper + m.depth);
      cost += times * m.cost;
      scans += m.scans;
      if (cost > maxCost) throw new OverBudget(cost);
    };
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith("__")) continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[sel.name.value] : undefined;
        if (!field) continue; // validation reports it
        const isList = isListType(getNullableType(field.type));
        const p = pageSize(sel, field);
        const child = sel.selectionSet
          ? walk(sel.selectionSet, getNamedType(field.type), isList ? p : 1, p)
          : { depth: 0, cost: 0, scans: 0 };
        const scan = field.extensions?.[SCANS_TABLE] === true;
        const own = {
          depth: child.depth,
          cost: 1 + (scan ? SCAN_COST : 0) + child.cost,
          scans: child.scans + (scan ? 1 : 0),
        };
        add(own, isList ? perList : perChild, 1);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (type) add(walk(sel.selectionSet, type, perChild, perList), 1, 0);
      } else {
        const frag = fragments[sel.name.value];
        const type = frag && schema.getType(frag.typeCondition.name.value);
        if (!frag || !type) continue;
        const key = `${frag.name.value}:${perChild}:${perList}`;
        // A fragment spread inside itself is a validation error (graphql-ws measures before validating): never loop on it.
        if (inProgress.has(key)) continue;
        let m = memo.get(key);
        if (!m) {
          inProgress.add(key);
          m = walk(frag.selectionSet, type, perChild, perList);
          inProgress.delete(key);
          memo.set(key, m);
        }
        add(m, 1, 0);
      }
    }
    return { depth, cost, scans };
  };

  return walk(operation.selectionSet, root, 1, 1);
}

/**
 * Aliases and fragment spreads of one operation — its selections and the fragments it uses,
 * each fragment's text counted once: a plain count, before any measuring.
 */
export function countShape(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): { aliases: number; spreads: number } {
  let aliases = 0;
  let spreads = 0;
  const seen = new Set<string>();
  const pending: SelectionSetNode[] = [operation.selectionSet];
  const visitor = {
    Field: (node: FieldNode) => void (node.alias && node.alias.value !== node.name.value && aliases++),
    FragmentSpread: (node: { name: { value: string } }) => {
      spreads++;
      const frag = fragments[node.name.value];
      if (frag && !seen.has(frag.name.value)) {
        seen.add(frag.name.value);
        pending.push(frag.selectionSet);
      }
    },
  };
  while (pending.length) visit(pending.pop()!, visitor);
  return { aliases, spreads };
}

/**
 * Every limit on one operation of `document`, cheapest first; throws QueryTooComplexError,
 * QueryTooCostlyError or QueryTooDeepError. Time linear in the document.
 */
export function enforceQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  defaultPageSize: number,
  limits: QueryLimits,
): QueryMeasure {
  const fragments = fragmentsOf(document);
  const shape = countShape(operation, fragments);
  if (shape.aliases > limits.maxAliases) throw new QueryTooComplexError(`${shape.aliases} aliases`, limits.maxAliases);
  if (shape.spreads > limits.maxFragmentSpreads)
    throw new QueryTooComplexError(`${shape.spreads} fragment spreads`, limits.maxFragmentSpreads);
  let measure: QueryMeasure;
  try {
    measure = measureOperation(schema, operation, fragments, variables, defaultPageSize, limits.maxCost);
  } catch (e) {
    if (e instanceof OverBudget) throw new QueryTooCostlyError(e.cost, limits.maxCost, true);
    throw e;
  }
  if (measure.depth > limits.maxDepth) throw new QueryTooDeepError(measure.depth, limits.maxDepth);
  if (measure.scans > limits.maxScans)
    throw new QueryTooCostlyError(measure.cost, limits.maxCost, false, {
      scans: measure.scans,
      maxScans: limits.maxScans,
    });
  return measure;
}

export function fragmentsOf(document: {
  definitions: readonly { kind: string }[];
}): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION)
      out[(d as FragmentDefinitionNode).name.value] = d as FragmentDefinitionNode;
  }
  return out;
}

/**
 * Checks the limits once the operation is known and valid, before anything runs. Not a
 * validation rule: Apollo would re-code its errors GRAPHQL_VALIDATION_FAILED, and the cost
 * needs the variables (`first: $first`).
 */
export function queryLimitsPlugin<T extends object>(
  check: (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ) => void,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          check(schema, document, operation, request.variables);
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
