import { Writable } from "node:stream";
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { print } from "graphql";
import { createLogger, maskPhonesInLogText } from "../src/logger";
import { signBody } from "../src/http/webhook";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { CreateLeadDocument, LeadByPhoneDocument } from "../generated/client/graphql";

/**
 * The gateway's own logger at trace level, captured: one line per GraphQL operation with the
 * request id, and no full phone number or secret anywhere, whatever path a phone took.
 */
const SECRET = "whsec-0123456789abcdef";
let gw: TestGateway;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const logged = () => lines.map((l) => JSON.parse(l));

/** Every way the test's phones could be written out in full. */
const FULL_PHONES = ["7275550101", "7275550177", "7275550188"].flatMap((n) => [
  n,
  `1${n}`,
  `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
  `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
]);

beforeAll(async () => {
  gw = await startTestGateway(
    __filename,
    { VICI_DEFAULT_LIST_ID: "1001", WEBHOOK_SECRET: SECRET, LOG_LEVEL: "trace" },
    "",
    { log: createLogger("trace", sink) },
  );
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(v, "vicidial_list", [
    {
      lead_id: 1,
      phone_number: "7275550101",
      phone_code: "1",
      list_id: 1001,
      status: "NA",
      entry_date: "2025-01-01 10:00:00",
    },
  ]);
});
afterAll(() => gw?.stop());

it("logs one line per GraphQL operation with the request id it echoes, and never a full phone", async () => {
  // A phone Vici has (linked), a new one (queued, then pushed), by GraphQL and by the webhook.
  const res = await fetch(gw.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": "test-req-42", ...gw.authHeaders },
    body: JSON.stringify({
      query: print(CreateLeadDocument),
      operationName: "CreateLead",
      variables: { input: { phone: "+1 (727) 555-0101", firstName: "Linked" } },
    }),
  });
  expect(res.headers.get("x-request-id")).toBe("test-req-42");
  expect(((await res.json()) as any).errors).toBeUndefined();
  const created = await gw.gql(print(CreateLeadDocument), { input: { phone: "727-555-0177", firstName: "New" } });
  expect(created.body.errors).toBeUndefined();
  await gw.app.services.pusher.drain();
  const body = JSON.stringify({ phone: "(727) 555 0188", firstName: "Hook" });
  const hook = await fetch(gw.url.replace(/\/graphql$/, "/webhooks/leads"), {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": signBody(SECRET, body) },
    body,
  });
  expect(hook.status).toBe(201);
  await gw.app.services.pusher.drain();
  // Reads by phone, and a phone in a failing argument.
  expect((await gw.op(LeadByPhoneDocument, { phone: "7275550177" })).body.errors).toBeUndefined();
  const bad = await gw.gql(`query BadLookup { lead(phone: "+1 727 555 0101 999") { id } }`);
  expect(bad.body.errors[0].extensions.code).toBe("INVALID_PHONE");
  // Something a careless caller might log: an error quoting a phone, bound parameters, secrets.
  const dbError = Object.assign(new Error("duplicate key: Key (phone)=(+17275550101) already exists"), {
    parameters: ["+17275550101", "Ann"],
    driverError: { detail: "Key (phone)=(+17275550101) already exists.", parameters: ["7275550101"] },
  });
  gw.app.log.error(
    { err: dbError, password: SECRET, headers: { "x-signature": "sha256=abc" } },
    "insert failed for 727-555-0101",
  );

  const all = lines.join("\n");
  expect(lines.length).toBeGreaterThan(10);
  for (const p of FULL_PHONES) expect(all).not.toContain(p);
  expect(all).not.toContain(SECRET);
  expect(all).not.toContain("sha256=abc");
  expect(all).not.toContain("Ann"); // bound parameters are dropped, not just masked

  const ops = logged().filter((l) => l.msg === "graphql operation");
  expect(ops.length).toBe(4);
  expect(ops[0]).toMatchObject({
    requestId: "test-req-42",
    operation: "CreateLead",
    type: "mutation",
    status: 200,
    errors: [],
  });
  expect(ops[0].ms).toEqual(expect.any(Number));
  expect(ops.find((l) => l.operation === "BadLookup")).toMatchObject({ type: "query", errors: ["INVALID_PHONE"] });
  // Each request has its own id; masked phones keep their last four digits for support.
  expect(new Set(ops.map((l) => l.requestId)).size).toBe(4);
  expect(all).toContain("+1******0101");
  expect(logged().find((l) => l.msg === "lead pushed to Vici")?.phone).toBe("+1******0177");
});

it("masks a phone number in a client-chosen operation name, in the log line and in /metrics", async () => {
  const since = lines.length;
  const res = await fetch(gw.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...gw.authHeaders },
    body: JSON.stringify({ query: "query _15035550142 { intakeStatus { paused } }", operationName: "_15035550142" }),
  });
  expect(res.status).toBe(200);
  const op = logged()
    .slice(since)
    .find((l) => l.msg === "graphql operation");
  expect(op.operation).toBe("_*******0142");
  const metrics = await (await fetch(gw.url.replace("/graphql", "/metrics"))).text();
  expect(metrics).not.toContain("5035550142");
  expect(lines.slice(since).join("\n")).not.toContain("5035550142");
});

/** One operation over graphql-ws with the test's admin key: its data, or its errors. */
async function overWs(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
  const client = createClient({
    url: gw.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: gw.authHeaders,
  });
  try {
    return await new Promise((resolve) => {
      let last: any = {};
      client.subscribe(
        { query, variables },
        { next: (v) => (last = v), error: (e: any) => resolve({ errors: e }), complete: () => resolve(last) },
      );
    });
  } finally {
    await client.dispose();
  }
}

it("logs graphql-ws operations as HTTP ones: one line each, with a request id, and their error codes", async () => {
  const since = lines.length;
  const loggedSince = () => logged().slice(since);
  expect(await overWs("query WsCampaigns { campaigns { campaignId } }")).toEqual({
    data: { campaigns: [{ campaignId: "Auto2" }] },
  });
  expect((await overWs("query WsBroken { campaigns { ")).errors?.[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
  const missing = await overWs('subscription WsMissingJob { syncJobProgress(id: "999999") { state } }');
  expect(missing.errors?.[0].extensions).toEqual({ code: "NOT_FOUND" });

  const ops = loggedSince().filter((l) => l.msg === "graphql operation");
  expect(ops.map((l) => [l.operation, l.type, l.transport, l.errors])).toEqual([
    ["WsCampaigns", "query", "ws", []],
    [null, "unknown", "ws", ["GRAPHQL_PARSE_FAILED"]],
    ["WsMissingJob", "subscription", "ws", ["NOT_FOUND"]],
  ]);
  expect(ops[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(ops[2].requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(loggedSince().filter((l) => l.msg === "unexpected error")).toEqual([]);
  // ... and in the same metrics.
  const { body } = await gw.app.metrics.render();
  expect(body).toMatch(/^graphql_operation_duration_seconds_count\{operation="WsCampaigns",type="query"\} 1$/m);
  expect(body).toMatch(/^graphql_operation_duration_seconds_count\{operation="WsMissingJob",type="subscription"\} 1$/m);
  expect(body).toMatch(/^graphql_errors_total\{code="NOT_FOUND"\} 1$/m);
});

it("logs an unexpected error whole under its operation's request id, and gives the client INTERNAL_SERVER_ERROR", async () => {
  const since = lines.length;
  await gw.app.brain.query("ALTER TABLE sync_jobs RENAME TO sync_jobs_away");
  let http: any;
  let ws: { data?: any; errors?: any[] };
  try {
    const res = await fetch(gw.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "test-req-broken", ...gw.authHeaders },
      body: JSON.stringify({ query: "query BrokenJobs { syncJobs { id } }" }),
    });
    http = await res.json();
    ws = await overWs("query BrokenJobsWs { syncJobs { id } }");
  } finally {
    await gw.app.brain.query("ALTER TABLE sync_jobs_away RENAME TO sync_jobs");
  }
  expect(http.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
  expect(ws.errors?.[0].extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });

  const after = logged().slice(since);
  const unexpected = after.filter((l) => l.msg === "unexpected error");
  expect(unexpected).toHaveLength(2);
  const wsOp = after.find((l) => l.msg === "graphql operation" && l.operation === "BrokenJobsWs");
  expect(wsOp).toMatchObject({ transport: "ws", errors: ["INTERNAL_SERVER_ERROR"] });
  expect(unexpected.map((l) => l.requestId)).toEqual(["test-req-broken", wsOp.requestId]);
  for (const l of unexpected) expect(l.err.message).toContain("sync_jobs");
});

it("replaces an X-Request-Id it would not log as is", async () => {
  for (const given of ["has spaces", "x".repeat(200), "7275550101"]) {
    const res = await fetch(gw.url.replace(/\/graphql$/, "/healthz"), { headers: { "x-request-id": given } });
    const id = res.headers.get("x-request-id");
    expect(id).not.toBe(given);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  }
});

it("masks phone-like text but leaves ids, dates and counts readable", () => {
  expect(maskPhonesInLogText("call +17275550101 or (727) 555-0101 now")).toBe("call +1******0101 or ******0101 now");
  const uuid = "550e8400-e29b-41d4-a716-446655440000";
  expect(maskPhonesInLogText(`request ${uuid}`)).toBe(`request ${uuid}`);
  expect(maskPhonesInLogText("job 42 processed 125000 rows at 2025-08-11T10:00:00Z")).toBe(
    "job 42 processed 125000 rows at 2025-08-11T10:00:00Z",
  );
});

it("logs and counts every refusal with its code: no key, a bad key, CSRF, a body too large, a socket without a key", async () => {
  const since = lines.length;
  const post = (headers: Record<string, string>, body: string) =>
    fetch(gw.url, { method: "POST", headers: { "x-request-id": "test-refused", ...headers }, body });
  const query = JSON.stringify({ query: "query Refused { campaigns { campaignId } }", operationName: "Refused" });
  expect((await post({ "content-type": "application/json" }, query)).status).toBe(401);
  expect(
    (await post({ "content-type": "application/json", authorization: "Bearer vbg_000000000000_nope" }, query)).status,
  ).toBe(401);
  expect((await post({ "content-type": "text/plain" }, query)).status).toBe(400);
  expect(
    (
      await post(
        { "content-type": "application/json", ...gw.authHeaders },
        JSON.stringify({ query: "{ __typename }", pad: "x".repeat(200_000) }),
      )
    ).status,
  ).toBe(413);
  const refusedWs = await new Promise<number>((resolve) => {
    const ws = new WebSocket(gw.url.replace(/^http/, "ws"), "graphql-transport-ws");
    ws.on("open", () => ws.send(JSON.stringify({ type: "connection_init", payload: {} })));
    ws.on("close", (code) => resolve(code));
  });
  expect(refusedWs).toBe(4401);

  const ops = logged()
    .slice(since)
    .filter((l) => l.msg === "graphql operation");
  expect(ops.map((l) => [l.operation, l.status, l.errors])).toEqual([
    ["Refused", 401, ["UNAUTHENTICATED"]],
    ["Refused", 401, ["UNAUTHENTICATED"]],
    [null, 400, ["BAD_REQUEST"]],
    [null, 413, ["PAYLOAD_TOO_LARGE"]],
    [null, undefined, ["UNAUTHENTICATED"]],
  ]);
  expect(ops.slice(0, 4).map((l) => l.requestId)).toEqual(Array(4).fill("test-refused"));
  const { body } = await gw.app.metrics.render();
  expect(body).toMatch(/^graphql_errors_total\{code="UNAUTHENTICATED"\} 3$/m);
  expect(body).toMatch(/^graphql_errors_total\{code="BAD_REQUEST"\} 1$/m);
  expect(body).toMatch(/^graphql_errors_total\{code="PAYLOAD_TOO_LARGE"\} 1$/m);
});

it("keeps stack traces out of responses in development (they are logged), unless GRAPHQL_DEBUG=true", async () => {
  for (const [debug, expected] of [
    ["false", false],
    ["true", true],
  ] as const) {
    const dev = await startTestGateway(__filename, { NODE_ENV: "development", GRAPHQL_DEBUG: debug }, "dev");
    try {
      const r = await dev.gql("query { campaigns { nope } }");
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect("stacktrace" in r.body.errors[0].extensions).toBe(expected);
    } finally {
      await dev.stop();
    }
  }
  // Two gateways started one after the other (schema, migrations check, pools): slow on a busy machine.
}, 90_000);
