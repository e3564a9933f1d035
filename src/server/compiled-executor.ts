import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;
type ExecutorRequest = Parameters<Executor>[0];

/** Distinct operations kept compiled (LRU); a compiled page of leads is a few hundred kB of closures. */
export const COMPILED_OPERATIONS_MAX = 200;

/**
 * Queries over HTTP run compiled (graphql-jit): graphql-js walks the document for every object
 * of a result (collecting fields, building each field's arguments and a promise per object),
 * which for a 100-lead page with its Vici rows was ~15% of the CPU and a good part of the 11 MB
 * allocated per page (BENCHMARKS.md, "Read under load"). Each operation is compiled once into
 * plain functions and kept (COMPILED_OPERATIONS_MAX, least recently used dropped).
 *
 * Everything around execution is Apollo's as before (parsing, validation, the query limits,
 * plugins, formatError, HTTP statuses): Apollo 4+ has no executor option, so this is plugged in
 * as its `gateway`, whose `load` hands Apollo the schema and the executor. Resolvers,
 * type-graphql's @Authorized, the @MaskPii wrappers and the request's context are the same
 * ones; graphql-jit only replaces graphql-js's walk. One difference: a field without a resolver
 * is read as a property, where graphql-js would call a function found there; type-graphql's
 * fields are properties or have resolvers, so nothing here relies on that.
 *
 * graphql-js still runs what it does differently or not more cheaply: mutations (run once, and
 * their fields must run in order), a document graphql-jit cannot compile, and a request whose
 * variables do not coerce (graphql-js's errors carry what Apollo needs for its 400 and
 * BAD_USER_INPUT; no resolver has run at that point, so running it again costs nothing).
 */
export class CompiledExecutor {
  private readonly compiled = new Map<string, CompiledQuery | null>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly max = COMPILED_OPERATIONS_MAX,
  ) {}

  /** Apollo's gateway interface around `execute` (the schema never changes). */
  gateway(): Gateway {
    let listener: Parameters<Gateway["onSchemaLoadOrUpdate"]>[0] | undefined;
    return {
      onSchemaLoadOrUpdate: (callback) => {
        listener = callback;
        return () => (listener = undefined);
      },
      load: async () => {
        // Apollo takes its schema from this callback, which must have run when load() ends.
        listener?.({ apiSchema: this.schema, coreSupergraphSdl: "" });
        return { schema: this.schema, executor: async (rc: ExecutorRequest) => this.execute(rc) };
      },
      stop: async () => {},
    };
  }

  /** Operations held compiled (or known not to compile). */
  get size(): number {
    return this.compiled.size;
  }

  execute(rc: ExecutorRequest): ExecutionResult | Promise<ExecutionResult> {
    const { document, request, context } = rc;
    const plain = () =>
      execute({
        schema: this.schema,
        document,
        contextValue: context,
        variableValues: request.variables,
        operationName: request.operationName,
      });
    if (rc.operation.operation !== "query") return plain();
    const compiled = this.compile(rc.queryHash, request.operationName, document);
    if (!compiled) return plain();
    const result = compiled.query(undefined, context, request.variables ?? {});
    // Answered before any resolver ran, without data: variables that did not coerce.
    if (!isPromiseLike(result) && result.data === undefined) return plain();
    return result;
  }

  /** Null: graphql-jit cannot compile it (graphql-js runs it; remembered like a compiled one). */
  private compile(queryHash: string, operationName: string | undefined, document: DocumentNode): CompiledQuery | null {
    const key = `${operationName ?? ""}\u0000${queryHash}`;
    if (this.compiled.has(key)) {
      const hit = this.compiled.get(key)!;
      // Most recently used last: the first key is the one to drop.
      this.compiled.delete(key);
      this.compiled.set(key, hit);
      return hit;
    }
    let made: CompiledQuery | null;
    try {
      const out = compileQuery(this.schema, document, operationName);
      made = isCompiledQuery(out) ? out : null;
    } catch {
      made = null;
    }
    this.compiled.set(key, made);
    if (this.compiled.size > this.max) this.compiled.delete(this.compiled.keys().next().value!);
    return made;
  }
}

function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as PromiseLike<T> | null)?.then === "function";
}
