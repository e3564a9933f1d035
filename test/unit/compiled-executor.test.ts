import { buildSchema, execute, GraphQLError, parse, type ExecutionResult, type GraphQLObjectType } from "graphql";
import { CompiledExecutor } from "../../src/server/compiled-executor";

/**
 * The compiled executor answers as graphql-js does (what Apollo then shapes into the response):
 * data, errors with their path and extensions, variables that do not coerce, mutations in order.
 */
const schema = buildSchema(`
  type Query { leads(first: Int!): [Lead!]!  boom: Int  lead: Lead! }
  type Lead { id: ID!  phone: String  later: Int  broken: String! }
  type Mutation { step(n: Int!): Int! }
`);

const log: string[] = [];
class Coded extends GraphQLError {
  constructor() {
    super("nope", { extensions: { code: "VICI_UNAVAILABLE" } });
  }
}
const lead = (i: number) => ({ id: i, phone: `+1727555010${i}` });
// graphql-jit reads a field without a resolver as a property (graphql-js would call a function there).
const leadType = schema.getType("Lead") as GraphQLObjectType;
leadType.getFields().later.resolve = (l: { id: number }) => Promise.resolve(l.id * 10);
leadType.getFields().broken.resolve = (l: { id: number }) => (l.id === 1 ? null : "ok");
const rootValue = {
  leads: ({ first }: { first: number }) => Array.from({ length: first }, (_, i) => lead(i)),
  boom: () => Promise.reject(new Coded()),
  lead: () => null,
  step: async ({ n }: { n: number }) => {
    log.push(`start ${n}`);
    await new Promise((r) => setTimeout(r, 5 - n));
    log.push(`end ${n}`);
    return n;
  },
};

let hash = 0;
function request(executor: CompiledExecutor, query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === "OperationDefinition")!;
  const rc = {
    document,
    operation,
    request: { query, variables },
    context: {},
    queryHash: `${query.length}:${hash++ % 1000}:${query}`,
  } as unknown as Parameters<CompiledExecutor["execute"]>[0];
  return executor.execute(rc);
}

/** graphql-js's answer, as Apollo had it (the executor is given no root value: the schema's resolvers). */
function plain(query: string, variables?: Record<string, unknown>) {
  return execute({ schema, document: parse(query), rootValue, variableValues: variables });
}

/** What the client sees of a result: JSON, errors as formatted. */
const seen = async (r: ExecutionResult | Promise<ExecutionResult>) => {
  const { data, errors } = await r;
  return JSON.parse(JSON.stringify({ data, errors: errors?.map((e) => e.toJSON()) }));
};

// The root value is not passed by the executor: these resolvers stand in as the schema's own.
for (const [name, fn] of Object.entries(rootValue)) {
  const type = name === "step" ? schema.getMutationType()! : schema.getQueryType()!;
  type.getFields()[name].resolve = (_root, args) => (fn as (a: unknown) => unknown)(args);
}

describe("CompiledExecutor", () => {
  const queries = [
    "query Page($first: Int!) { leads(first: $first) { id phone later broken } }",
    "{ boom }",
    "{ lead { id } }",
    "query Two { boom } query One { leads(first: 1) { id } }",
  ];

  it.each(queries)("answers %s as graphql-js does", async (query) => {
    const ex = new CompiledExecutor(schema);
    const vars = { first: 3 };
    const compiled = await seen(request(ex, query, vars));
    expect(compiled).toEqual(await seen(plain(query, vars)));
  });

  it("keeps a resolver error's extensions and the error itself (Apollo's formatError unwraps it)", async () => {
    const r = await request(new CompiledExecutor(schema), "{ boom }");
    expect(r.errors![0].extensions).toEqual({ code: "VICI_UNAVAILABLE" });
    expect(r.errors![0].path).toEqual(["boom"]);
    expect(r.errors![0].originalError).toBeInstanceOf(Coded);
  });

  it("leaves variables that do not coerce to graphql-js: the same errors, no data", async () => {
    const query = "query Page($first: Int!) { leads(first: $first) { id } }";
    const r = await request(new CompiledExecutor(schema), query, { first: "many" });
    expect(r.data).toBeUndefined();
    expect(await seen(r)).toEqual(await seen(plain(query, { first: "many" })));
    expect(r.errors![0].nodes?.[0].kind).toBe("VariableDefinition");
  });

  it("runs mutations' fields one after the other", async () => {
    log.length = 0;
    const r = await request(new CompiledExecutor(schema), "mutation { a: step(n: 1) b: step(n: 2) }");
    expect(r).toEqual({ data: { a: 1, b: 2 } });
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
  });

  it("holds at most its bound of compiled operations", async () => {
    const ex = new CompiledExecutor(schema, 3);
    for (let i = 1; i <= 5; i++)
      expect(await request(ex, `{ leads(first: ${i}) { id } }`)).toEqual({
        data: { leads: Array.from({ length: i }, (_, k) => ({ id: String(k) })) },
      });
    expect(ex.size).toBe(3);
  });
});
