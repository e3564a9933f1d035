import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { queryCounter } from "../src/data-sources/query-counter";
import { Role } from "../src/auth/roles";

/**
 * Keys that do not authenticate cost Brain as little as possible: an unknown key id is
 * remembered briefly (one look-up, however often it is sent), and a client address that keeps
 * sending bad keys is refused (RATE_LIMITED) before anything is looked up.
 */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(__filename, { AUTH_FAILURES_PER_MINUTE: "6", AUTH_FAILURES_BURST: "5" });
});
afterAll(() => gw?.stop());

const randomKey = () => `vbg_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`;
// Key look-ups only: the outbox pusher and other background work also talk to Brain.
const KEY_LOOKUP = /api_keys/;
const QUERY = "{ intakeStatus { paused } }";

it("an unknown key id is looked up in Brain once, however often it is sent", async () => {
  const brain = queryCounter(gw.app.brain);
  const key = randomKey();
  const before = brain.mark();
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await gw.gql(QUERY, {}, { key })).status);
  expect(statuses).toEqual([401, 401, 401]);
  expect(brain.sinceMatching(before, KEY_LOOKUP)).toBe(1);
});

it("a flood of made-up keys from one address: 401 for AUTH_FAILURES_BURST of them, then 429 without a Brain look-up", async () => {
  const brain = queryCounter(gw.app.brain);
  const reader = await gw.createKey(Role.READER);
  expect((await gw.gql(QUERY, {}, { key: reader })).status).toBe(200);
  // The first test spent 3 of the address's 5 failures.
  const first = [];
  for (let i = 0; i < 2; i++) first.push((await gw.gql(QUERY, {}, { key: randomKey() })).status);
  expect(first).toEqual([401, 401]);
  const before = brain.mark();
  for (let i = 0; i < 20; i++) {
    const res = await fetch(gw.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${randomKey()}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe("RATE_LIMITED");
  }
  expect(brain.sinceMatching(before, KEY_LOOKUP)).toBe(0);
  // graphql-ws: the socket is refused the same way (4429), before a look-up.
  const closed = await new Promise<number>((resolve) => {
    const client = createClient({
      url: gw.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${randomKey()}` },
      on: { closed: (e: any) => resolve(e.code) },
    });
    client.on("closed", () => void client.dispose());
  });
  expect(closed).toBe(4429);
  expect(brain.sinceMatching(before, KEY_LOOKUP)).toBe(0);
  // A key that authenticated a moment ago (cached: no look-up needed) keeps working from that address.
  expect((await gw.gql(QUERY, {}, { key: reader })).body).toEqual({ data: { intakeStatus: { paused: false } } });
});
