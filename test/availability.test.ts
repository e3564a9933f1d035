import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { Client } from "pg";
import mysql from "mysql2/promise";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertVici } from "./helpers/fixtures";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy";
import { PG_SERVER, MYSQL_SERVER, dbNameFor } from "./helpers/databases";
import { Role } from "../src/auth/roles";

/**
 * No request can freeze the gateway: the limit checks cost time linear in the document, table
 * scans are costed and capped, every statement of an API request has a time limit, and a
 * VICIdial that accepts connections and never answers is answered around (timeouts, a
 * circuit breaker, and Brain-only operations that never wait behind Vici-bound ones).
 */
let gw: TestGateway;
let hung: TestGateway;
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await startTcpProxy("127.0.0.1", 3306);
  [gw, hung] = await Promise.all([
    startTestGateway(__filename, { STATEMENT_TIMEOUT_MS: "300", MAX_QUERY_ALIASES: "50", MAX_FRAGMENT_SPREADS: "100" }),
    startTestGateway(
      __filename,
      {
        VICI_DEFAULT_LIST_ID: "1001",
        // A statement on a stalled connection is given up after STATEMENT_TIMEOUT_MS + 1 s, a new connection after this.
        STATEMENT_TIMEOUT_MS: "2000",
        VICI_CONNECT_TIMEOUT_MS: "3000",
        VICI_BREAKER_FAILURES: "1",
        VICI_BREAKER_COOLDOWN_MS: "4000",
      },
      "hung",
      { viciVia: (url) => url.replace(":3306/", `:${proxy.port}/`) },
    ),
  ]);
  await insertBrainLeads(gw.app.brain, [{ externalLeadId: "AV-1", phone: "+17275550101", firstName: "Ann" }]);
  await insertBrainLeads(hung.app.brain, [{ externalLeadId: "AV-2", phone: "+17275550102", firstName: "Bob" }]);
  await insertVici(hung.app.vici, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
  ]);
  await insertVici(gw.app.vici, "vicidial_list", [
    {
      lead_id: 1,
      list_id: 1001,
      status: "NEW",
      phone_code: "1",
      phone_number: "7275550101",
      entry_date: "2026-01-01 10:00:00",
    },
  ]);
});
afterAll(async () => {
  proxy?.up();
  await Promise.all([gw?.stop(), hung?.stop()]);
  await proxy?.close();
});

const codes = (body: any) => (body.errors ?? []).map((e: any) => e.extensions?.code);

/** `fragment F{i} on Lead { ...F{i-1} a{i}: id ...F{i-1} }`: each level doubles the fields. */
function fanOut(levels: number): string {
  let doc = "query FanOut { leads(first: 1) { edges { node { ...F" + levels + " } } } }\nfragment F0 on Lead { id }\n";
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on Lead { ...F${i - 1} a${i}: id ...F${i - 1} }\n`;
  return doc;
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await p;
  return { value, ms: performance.now() - started };
}

describe("the limit checks cost time linear in the document", () => {
  it("refuses a 40-level fragment fan-out in milliseconds, /healthz answering meanwhile", async () => {
    const reader = await gw.createKey(Role.READER);
    const query = fanOut(40); // 2^40 fields once expanded
    expect(query.length).toBeLessThan(2500);
    const [refused, health] = await Promise.all([
      timed(gw.gql(query, {}, { key: reader })),
      timed(fetch(gw.url.replace("/graphql", "/healthz"))),
    ]);
    expect(refused.value.status).toBe(400);
    expect(codes(refused.value.body)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(refused.value.body.errors[0].message).toMatch(
      /^the operation costs at least \d+; at most 100000 is allowed/,
    );
    expect(health.value.status).toBe(200);
    // Generous bounds for a busy machine; without the memoised walk this took hours.
    expect(refused.ms).toBeLessThan(2000);
    expect(health.ms).toBeLessThan(2000);
  });

  it("refuses it over graphql-ws too", async () => {
    const reader = await gw.createKey(Role.READER);
    const client = createClient({
      url: gw.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${reader}` },
    });
    try {
      const { value: errors, ms } = await timed(
        new Promise<any[]>((resolve) =>
          client.subscribe(
            { query: fanOut(40) },
            { next: () => undefined, error: (e: any) => resolve(e), complete: () => resolve([]) },
          ),
        ),
      );
      expect(errors.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COSTLY"]);
      expect(ms).toBeLessThan(2000);
    } finally {
      await client.dispose();
    }
  });

  it("caps aliases and fragment spreads per operation: 400 QUERY_TOO_COMPLEX", async () => {
    const aliases = `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: intakeStatus { paused }`).join(" ")} }`;
    const res = await gw.gql(aliases);
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(res.body.errors[0].message).toBe("the operation has 51 aliases; at most 50 are allowed");
    const spreads = `{ intakeStatus { ${"...S ".repeat(101)} } } fragment S on IntakeStatus { paused }`;
    const refused = await gw.gql(spreads);
    expect(codes(refused.body)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(refused.body.errors[0].message).toBe("the operation has 101 fragment spreads; at most 100 are allowed");
    // At the limits, the same shapes pass.
    const ok = await gw.gql(`{ ${Array.from({ length: 50 }, (_, i) => `a${i}: intakeStatus { paused }`).join(" ")} }`);
    expect(ok.body.errors).toBeUndefined();
  });
});

describe("costs that match the work", () => {
  it("allows one field that scans a table per operation (MAX_SCAN_FIELDS): counts, audit and health included", async () => {
    const one = await gw.gql(`{ leads(first: 0) { totalCount } }`);
    expect(one.body).toEqual({ data: { leads: { totalCount: 1 } } });
    for (const query of [
      `{ a: leads(first: 0) { totalCount } b: leads(first: 0) { totalCount } }`,
      `{ leads(first: 0) { totalCount } audit { totals { rows } } }`,
      `{ syncHealth { campaigns } viciLeads(first: 1) { totalCount } }`,
      `{ campaigns { lists { leadCount } } leads(first: 0) { totalCount } }`,
    ]) {
      const res = await gw.gql(query);
      expect(res.status).toBe(400);
      expect(codes(res.body)).toEqual(["QUERY_TOO_COSTLY"]);
      expect(res.body.errors[0].message).toBe(
        "the operation asks for 2 fields that scan a table (totalCount, leadCount, audit, syncHealth, callVerdicts); at most 1 per operation",
      );
    }
  });

  it("stops a Brain statement that runs past STATEMENT_TIMEOUT_MS: 504 STATEMENT_TIMEOUT, over HTTP and graphql-ws", async () => {
    // A writer holding the table makes any read of it wait: a statement that takes as long as we like.
    const locker = new Client({ connectionString: `${PG_SERVER}/${dbNameFor(__filename)}` });
    await locker.connect();
    const client = createClient({
      url: gw.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: gw.authHeaders,
    });
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE");
      const { value: res, ms } = await timed(gw.gql(`{ leads(first: 1) { edges { node { firstName } } } }`));
      expect(res.status).toBe(504);
      expect(codes(res.body)).toEqual(["STATEMENT_TIMEOUT"]);
      expect(res.body.errors[0].message).toBe(
        "a Brain statement of this request ran longer than 300 ms and was stopped: ask for less (a narrower filter, a smaller page)",
      );
      expect(ms).toBeLessThan(3000);
      const wsErrors = await new Promise<any[]>((resolve) =>
        client.subscribe(
          { query: `{ leads(first: 1) { edges { node { firstName } } } }` },
          { next: (r: any) => resolve(r.errors ?? []), error: (e: any) => resolve(e), complete: () => undefined },
        ),
      );
      expect(wsErrors.map((e) => e.extensions?.code)).toEqual(["STATEMENT_TIMEOUT"]);
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
      await client.dispose();
    }
    // The same connections serve the next request normally; background work is not limited.
    const after = await gw.gql(`{ leads(first: 1) { edges { node { firstName } } } }`);
    expect(after.body).toEqual({ data: { leads: { edges: [{ node: { firstName: "Ann" } }] } } });
  });

  it("stops a VICIdial statement that runs past STATEMENT_TIMEOUT_MS: 504 STATEMENT_TIMEOUT", async () => {
    const locker = await mysql.createConnection(`${MYSQL_SERVER}/${dbNameFor(__filename)}`);
    try {
      await locker.query("LOCK TABLES vicidial_list WRITE");
      const { value: res, ms } = await timed(gw.gql(`{ viciLeads(first: 1) { edges { node { leadId } } } }`));
      expect(codes(res.body)).toEqual(["STATEMENT_TIMEOUT"]);
      expect(res.status).toBe(504);
      expect(res.body.errors[0].message).toMatch(/^a VICIdial statement of this request ran longer than 300 ms/);
      expect(ms).toBeLessThan(3000);
    } finally {
      await locker.query("UNLOCK TABLES");
      await locker.end();
    }
    const after = await gw.gql(`{ viciLeads(first: 1) { edges { node { leadId } } } }`);
    expect(after.body).toEqual({ data: { viciLeads: { edges: [{ node: { leadId: 1 } }] } } });
  });
});

describe("a VICIdial that accepts connections and never answers", () => {
  const create = (phone: string, key: string) =>
    hung.gql(
      `mutation($p: String!) { createLead(input: { phone: $p }) { created viciAction lead { phone } } }`,
      { p: phone },
      { key },
    );
  const brainOnly = `{ lead(phone: "7275550102") { firstName } }`;

  it("Brain-only queries stay fast while creates wait on it; the creates answer QUEUED within the connect timeout", async () => {
    const writer = await hung.createKey(Role.WRITER);
    proxy.hang();
    // More creates than GRAPHQL_MAX_CONCURRENT (8): without the gate yielding, they would fill it.
    const creates = Array.from({ length: 10 }, (_, i) =>
      timed(create(`72755502${String(i).padStart(2, "0")}`, writer)),
    );
    await new Promise((r) => setTimeout(r, 300));
    const { value: brain, ms } = await timed(hung.gql(brainOnly));
    expect(brain.body).toEqual({ data: { lead: { firstName: "Bob" } } });
    expect(ms).toBeLessThan(1500);
    for (const { value: res, ms: took } of await Promise.all(creates)) {
      expect(res.body.data.createLead).toMatchObject({ created: true, viciAction: "QUEUED" });
      // One timeout (3 s) opens the circuit; then it answers at once.
      expect(took).toBeLessThan(8000);
    }
  });

  it("while the circuit is open: a create answers QUEUED and a Vici field VICI_UNAVAILABLE at once", async () => {
    const writer = await hung.createKey(Role.WRITER);
    const { value: created, ms } = await timed(create("7275550299", writer));
    expect(created.body.data.createLead).toMatchObject({ created: true, viciAction: "QUEUED" });
    expect(ms).toBeLessThan(1500);
    const { value: read, ms: readMs } = await timed(hung.gql(`{ campaigns { campaignId } }`));
    expect(read.status).toBe(503);
    expect(codes(read.body)).toEqual(["VICI_UNAVAILABLE"]);
    expect(readMs).toBeLessThan(1500);
  });

  it("once VICIdial answers again, the circuit closes and every queued lead is pushed once", async () => {
    proxy.up();
    // After the cooldown (4 s) the next call is let through, and closes the circuit.
    let read = await hung.gql(`{ campaigns { campaignId } }`);
    for (let i = 0; i < 80 && read.body.errors; i++) {
      expect(codes(read.body)).toEqual(["VICI_UNAVAILABLE"]);
      await new Promise((r) => setTimeout(r, 100));
      read = await hung.gql(`{ campaigns { campaignId } }`);
    }
    expect(read.body).toEqual({ data: { campaigns: [{ campaignId: "Auto2" }] } });
    await hung.app.brain.query(
      "UPDATE vici_pushes SET next_attempt_at = now() - interval '1 second' WHERE state = 'PENDING'",
    );
    await hung.app.services.pusher.drain();
    const states = await hung.app.brain.query("SELECT state, count(*)::int AS n FROM vici_pushes GROUP BY state");
    expect(states).toEqual([{ state: "DONE", n: 11 }]);
    const [{ n }] = await hung.app.vici.query("SELECT COUNT(*) AS n FROM vicidial_list");
    expect(Number(n)).toBe(11);
  });
});
