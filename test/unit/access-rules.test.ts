import { parse, type OperationDefinitionNode } from "graphql";
import { generateApiKey, hashSecret, keyFromHeaders, parseApiKey, secretMatches } from "../../src/auth/api-key";
import { canSeePii, LOCAL_PRINCIPAL } from "../../src/auth/principal";
import { Role, roleIncludes, Scope } from "../../src/auth/roles";
import { buildGatewaySchema } from "../../src/schema/build-schema";
import { fragmentsOf, measureOperation, SCAN_COST } from "../../src/security/query-limits";
import { AuthFailureLimiter, takeToken } from "../../src/security/rate-limiter";

/** The pure decisions behind access and abuse limits, table by table. */

describe("roles include the ones before them", () => {
  const { READER: r, WRITER: w, OPERATOR: o, ADMIN: a } = Role;
  it.each([
    [r, r, true],
    [r, w, false],
    [r, o, false],
    [r, a, false],
    [w, r, true],
    [w, w, true],
    [w, o, false],
    [w, a, false],
    [o, r, true],
    [o, w, true],
    [o, o, true],
    [o, a, false],
    [a, r, true],
    [a, w, true],
    [a, o, true],
    [a, a, true],
  ])("%s may act as %s: %s", (have, need, allowed) => {
    expect(roleIncludes(have, need)).toBe(allowed);
  });
});

describe("API keys", () => {
  it("are vbg_<12 hex id>_<43 base64url>, stored as sha256 of the secret only", () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^vbg_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(k.key)!;
    expect(parsed.id).toBe(k.id);
    expect(k.secretHash).toEqual(hashSecret(parsed.secret));
    expect(k.secretHash.length).toBe(32);
    expect(k.key).not.toContain(k.secretHash.toString("hex"));
    expect(generateApiKey().key).not.toBe(k.key);
  });

  it("match only their own secret", () => {
    const k = generateApiKey();
    const { secret } = parseApiKey(k.key)!;
    expect(secretMatches(secret, k.secretHash)).toBe(true);
    expect(secretMatches(secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A"), k.secretHash)).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(16))).toBe(false);
  });

  it.each([
    ["vbg_0123456789ab_" + "a".repeat(43), true],
    ["  vbg_0123456789ab_" + "a".repeat(43) + " ", true],
    ["vbg_0123456789ab_" + "a".repeat(42), false],
    ["vbg_0123456789AB_" + "a".repeat(43), false],
    ["abc_0123456789ab_" + "a".repeat(43), false],
    ["", false],
    ["Bearer vbg_0123456789ab_" + "a".repeat(43), false],
  ])("parseApiKey(%j) → well-formed: %s", (text, ok) => {
    expect(parseApiKey(text) !== null).toBe(ok);
  });

  it.each([
    [{ authorization: "Bearer abc" }, "abc"],
    [{ authorization: "bearer   abc  " }, "abc"],
    [{ Authorization: "Bearer abc" }, "abc"],
    [{ authorization: "abc" }, "abc"],
    [{ "x-api-key": "abc" }, "abc"],
    [{ apiKey: "abc" }, "abc"],
    [{ authorization: ["Bearer abc"] }, "abc"],
    [{ authorization: "" }, null],
    [{}, null],
    [null, null],
  ])("keyFromHeaders(%j) → %j", (headers, key) => {
    expect(keyFromHeaders(headers as any)).toBe(key);
  });

  it.each([
    [{ keyId: "a", name: "a", role: Role.ADMIN, scopes: [] }, false],
    [{ keyId: "a", name: "a", role: Role.READER, scopes: [Scope.PII] }, true],
    [LOCAL_PRINCIPAL, true],
    [null, false],
  ])("pii is a scope, not a role: %j sees phones: %s", (p, seen) => {
    expect(canSeePii(p)).toBe(seen);
  });
});

describe("token bucket", () => {
  const policy = { perMinute: 60, burst: 3 };
  it("allows a burst, then one per second, and says how long to wait", () => {
    let b: any;
    const at = (ms: number) => {
      const r = takeToken(b, ms, policy);
      b = r.bucket;
      return r.retryAfterSeconds;
    };
    expect([at(0), at(0), at(0)]).toEqual([0, 0, 0]);
    expect(at(0)).toBe(1);
    expect(at(500)).toBe(1);
    expect(at(1000)).toBe(0);
    expect(at(1000)).toBe(1);
    // Idle time refills up to the burst, never beyond.
    expect([at(60_000), at(60_000), at(60_000), at(60_000)]).toEqual([0, 0, 0, 1]);
  });

  it("rounds the wait up to whole seconds", () => {
    const r = takeToken({ tokens: 0, at: 0 }, 0, { perMinute: 6, burst: 1 });
    expect(r.retryAfterSeconds).toBe(10);
  });
});

describe("failed authentications per client address", () => {
  it("refuses an address once its burst is spent, until the rate refills it; other addresses are not affected", () => {
    let now = 0;
    const limiter = new AuthFailureLimiter({ perMinute: 60, burst: 2 }, () => now);
    expect(limiter.retryAfter("a")).toBe(0);
    limiter.failed("a");
    expect(limiter.retryAfter("a")).toBe(0);
    limiter.failed("a");
    expect(limiter.retryAfter("a")).toBe(1);
    expect(limiter.retryAfter("b")).toBe(0);
    now = 1000;
    expect(limiter.retryAfter("a")).toBe(0);
  });

  it("AUTH_FAILURES_PER_MINUTE=0 turns it off", () => {
    const limiter = new AuthFailureLimiter({ perMinute: 0, burst: 1 });
    for (let i = 0; i < 5; i++) limiter.failed("a");
    expect(limiter.retryAfter("a")).toBe(0);
  });
});

describe("query depth and cost", () => {
  let schema: Awaited<ReturnType<typeof buildGatewaySchema>>;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });
  const measure = (query: string, variables?: Record<string, unknown>) => {
    const doc = parse(query);
    const op = doc.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode;
    return measureOperation(schema, op, fragmentsOf(doc), variables, 50);
  };

  it.each([
    ["{ campaigns { campaignId } }", { depth: 2, cost: 2, scans: 0 }, {}],
    // A count scans the table: SCAN_COST, whatever the page (first: 0 included).
    ["{ leads(first: 10) { totalCount } }", { depth: 2, cost: 2 + SCAN_COST, scans: 1 }, {}],
    ["{ leads(first: 0) { totalCount } }", { depth: 2, cost: 2 + SCAN_COST, scans: 1 }, {}],
    ["{ audit { totals { rows } } }", { depth: 3, cost: 3 + SCAN_COST, scans: 1 }, {}],
    [
      "{ a: leads(first: 0) { totalCount } b: leads(first: 0) { totalCount } }",
      { depth: 2, cost: 4 + 2 * SCAN_COST, scans: 2 },
      {},
    ],
    // A page multiplies the lists under it: 1 + 10 × (edges 1 + node 1 + id 1 + phone 1).
    ["{ leads(first: 10) { edges { node { id phone } } } }", { depth: 4, cost: 41, scans: 0 }, {}],
    ["query($n: Int!) { leads(first: $n) { edges { node { id } } } }", { depth: 4, cost: 301, scans: 0 }, { n: 100 }],
    // No page given: the default page size (50).
    ["{ leads { edges { node { id } } } }", { depth: 4, cost: 151, scans: 0 }, {}],
    // Nested pages multiply: SyncJob.issues(first) under syncJobs(first).
    [
      "{ syncJobs(first: 10) { id issues(first: 20) { id reason } } }",
      { depth: 3, cost: 1 + 10 * (1 + 1 + 20 * 2), scans: 0 },
      {},
    ],
    // Fragments and inline fragments count like the fields they hold.
    [
      "{ leads(first: 2) { ...F } } fragment F on LeadConnection { edges { node { ... on Lead { id } } } }",
      { depth: 4, cost: 7, scans: 0 },
      {},
    ],
    // A fragment used twice counts twice.
    [
      "{ leads(first: 2) { edges { node { ...F ...F } } } } fragment F on Lead { id }",
      { depth: 4, cost: 1 + 2 * 4, scans: 0 },
      {},
    ],
    // Introspection and __typename are free.
    [
      "{ __typename __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }",
      { depth: 0, cost: 0, scans: 0 },
      {},
    ],
  ])("%s → %j", (query: string, expected: object, variables: Record<string, unknown>) => {
    expect(measure(query, variables)).toEqual(expected);
  });
});
