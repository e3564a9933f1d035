import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { Role } from "../src/auth/roles";

/**
 * The abuse limits as a client meets them, each a typed error with a fitting HTTP status:
 * depth, cost, page size, body size, the per-key rate limit, CSRF prevention, and
 * introspection and the sandbox off in production.
 */
let prod: TestGateway;
let dev: TestGateway;

beforeAll(async () => {
  [prod, dev] = await Promise.all([
    startTestGateway(
      __filename,
      {
        NODE_ENV: "production",
        MAX_QUERY_DEPTH: "5",
        MAX_QUERY_COST: "1000",
        MAX_PAGE_SIZE: "200",
        MAX_BODY_BYTES: "4096",
        RATE_LIMIT_PER_MINUTE: "60",
        RATE_LIMIT_BURST: "3",
      },
      "prod",
    ),
    startTestGateway(__filename, {}, "dev"),
  ]);
});

afterAll(() => Promise.all([prod?.stop(), dev?.stop()]));

const codes = (body: any) => (body.errors ?? []).map((e: any) => e.extensions?.code);

/** A fresh key per test: the rate limit counts per key (burst 3 on `prod`). */
const key = () => prod.createKey(Role.READER);

describe("query depth", () => {
  it("refuses an operation nested deeper than MAX_QUERY_DEPTH: 400 QUERY_TOO_DEEP", async () => {
    const k = await key();
    const deep = `{ leads(first: 1) { edges { node { vici { brainLead { vici { leadId } } } } } } }`;
    const res = await prod.gql(deep, {}, { key: k });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(["QUERY_TOO_DEEP"]);
    expect(res.body.errors[0].message).toBe("the operation nests 7 levels deep; at most 5 are allowed");
    expect(res.body.data).toBeUndefined();
  });

  it("lets the same data through at the limit", async () => {
    const res = await prod.gql(`{ leads(first: 1) { edges { node { vici { leadId } } } } }`, {}, { key: await key() });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});

describe("query cost", () => {
  const Q = `query($n: Int!) { leads(first: $n) { edges { node { id phone firstName lastName } } } }`;

  it("weighs lists by their page size: 100 leads × 6 fields passes, 200 does not (400 QUERY_TOO_COSTLY)", async () => {
    const k = await key();
    const small = await prod.gql(Q, { n: 100 }, { key: k });
    expect(small.status).toBe(200);
    expect(small.body.errors).toBeUndefined();
    const big = await prod.gql(Q, { n: 200 }, { key: k });
    expect(big.status).toBe(400);
    expect(codes(big.body)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(big.body.errors[0].message).toMatch(/^the operation costs at least 1200; at most 1000 is allowed/);
  });

  it("is checked over graphql-ws too", async () => {
    const k = await key();
    const client = createClient({
      url: prod.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${k}` },
    });
    const errors = await new Promise<any[]>((resolve) => {
      client.subscribe(
        { query: Q, variables: { n: 200 } },
        { next: () => undefined, error: (e: any) => resolve(e), complete: () => resolve([]) },
      );
    });
    await client.dispose();
    expect(errors.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COSTLY"]);
  });
});

describe("page size", () => {
  it("refuses first above MAX_PAGE_SIZE: 400 PAGE_SIZE_EXCEEDED naming the argument", async () => {
    const res = await prod.gql(`{ leads(first: 201) { pageInfo { hasNextPage } } }`, {}, { key: await key() });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(["PAGE_SIZE_EXCEEDED"]);
    expect(res.body.errors[0].extensions.field).toBe("first");
  });
});

describe("request body size", () => {
  it("refuses a body over MAX_BODY_BYTES: 413 with a GraphQL error PAYLOAD_TOO_LARGE", async () => {
    const res = await fetch(prod.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await key()}` },
      body: JSON.stringify({ query: `{ campaigns { campaignId } }`, variables: { pad: "x".repeat(5000) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [{ message: "the request body is larger than 4096 bytes", extensions: { code: "PAYLOAD_TOO_LARGE" } }],
    });
  });
});

describe("rate limit", () => {
  it("gives a key its burst, then 429 RATE_LIMITED with Retry-After; other keys are not affected", async () => {
    const [a, b] = await Promise.all([key(), key()]);
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 4; i++) {
      last = await fetch(prod.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${a}` },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.headers.get("retry-after")).toBe("1");
    const body: any = await last!.json();
    expect(codes(body)).toEqual(["RATE_LIMITED"]);
    expect(body.errors[0].message).toBe("too many requests: try again in 1 s");
    expect((await prod.gql("{ __typename }", {}, { key: b })).status).toBe(200);
    // One request a second comes back (60 a minute).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await prod.gql("{ __typename }", {}, { key: a })).status).toBe(200);
  });
});

describe("unreadable bodies", () => {
  const post = (gw: TestGateway, body: string, contentType = "application/json") =>
    fetch(gw.url, {
      method: "POST",
      headers: { "content-type": contentType, authorization: `Bearer ${gw.adminKey}` },
      body,
    });

  it("answers malformed JSON with a typed JSON error (400 BAD_REQUEST), never Express's HTML page", async () => {
    for (const gw of [prod, dev]) {
      const res = await post(gw, '{"query": "{ __typename }"');
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        errors: [{ message: "the request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }],
      });
    }
  });

  it("answers a charset it cannot read with a typed JSON error (415), no stack trace or file paths", async () => {
    const res = await post(dev, JSON.stringify({ query: "{ __typename }" }), "application/json; charset=latin1");
    expect(res.status).toBe(415);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: "the request body's charset is not supported: send UTF-8 JSON",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
    expect(text).not.toMatch(/node_modules|at .*\.js/);
  });
});

describe("field suggestions", () => {
  const TYPO = `{ leads(first: 1) { edges { node { phon } } } }`;

  it("are not given in production: they would list the schema's names", async () => {
    const res = await prod.gql(TYPO, {}, { key: await key() });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(res.body.errors[0].message).toBe('Cannot query field "phon" on type "Lead".');
  });

  it("are given in development", async () => {
    const res = await dev.gql(TYPO);
    expect(res.body.errors[0].message).toMatch(/Did you mean "phone"/);
  });
});

describe("CSRF prevention", () => {
  it("refuses a simple cross-site request (text/plain POST, GET without a preflight header): 400", async () => {
    const k = await key();
    const plain = await fetch(prod.url, {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${k}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(plain.status).toBe(400);
    expect(await plain.text()).toMatch(/Cross-Site Request Forgery/);
    const get = await fetch(`${prod.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { authorization: `Bearer ${k}` },
    });
    expect(get.status).toBe(400);
    const preflighted = await fetch(`${prod.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { authorization: `Bearer ${k}`, "apollo-require-preflight": "true" },
    });
    expect(preflighted.status).toBe(200);
  });
});

describe("production", () => {
  const INTROSPECT = "{ __schema { queryType { name } } }";

  it("refuses introspection; development allows it", async () => {
    const off = await prod.gql(INTROSPECT, {}, { key: await key() });
    expect(off.status).toBe(400);
    expect(codes(off.body)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(off.body.errors[0].message).toMatch(/introspection/i);
    const on = await dev.gql(INTROSPECT);
    expect(on.body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("serves no IDE page; development serves the bundled one (test/graphql-ide.test.ts)", async () => {
    const page = (url: string) => fetch(url, { headers: { accept: "text/html" } });
    const off = await page(prod.url);
    expect(off.headers.get("content-type") ?? "").not.toMatch(/text\/html/);
    expect(await off.text()).not.toMatch(/<html/i);
    const on = await page(dev.url);
    expect(on.status).toBe(200);
    expect(on.headers.get("content-type")).toMatch(/text\/html/);
    expect(await on.text()).toMatch(/<title>vici-brain GraphQL<\/title>/);
  });
});
