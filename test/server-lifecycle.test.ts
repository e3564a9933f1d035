import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertVici } from "./helpers/fixtures";

/** One port serves HTTP and graphql-ws on /graphql; stop() drains both and closes the databases. */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(__filename);
  await insertVici(gw.app.vici, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
  ]);
});
afterAll(() => gw?.stop());

it("answers /healthz", async () => {
  const res = await fetch(gw.url.replace("/graphql", "/healthz"));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

it("serves the same operation over graphql-ws on the same port, then drains it on stop", async () => {
  const closed: number[] = [];
  const client = createClient({
    url: gw.url.replace("http", "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: gw.authHeaders,
    on: { closed: (e: any) => void closed.push(e.code) },
    // The server going away is what this test wants; don't report it as an error.
    onNonLazyError: () => undefined,
  });
  const result = await new Promise<any>((resolve, reject) => {
    let value: any;
    client.subscribe(
      { query: "{ campaigns { campaignId name } }" },
      { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
    );
  });
  expect(result).toEqual({ data: { campaigns: [{ campaignId: "Auto2", name: "Auto Two" }] } });

  // An idle keep-alive HTTP connection and an open socket must not hold the shutdown.
  await fetch(gw.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...gw.authHeaders },
    body: '{"query":"{ __typename }"}',
  });
  const started = Date.now();
  await gw.stop();
  expect(Date.now() - started).toBeLessThan(5000);
  await new Promise((r) => setTimeout(r, 100));
  expect(closed.length).toBe(1);
  expect(gw.app.brain.isInitialized).toBe(false);
  expect(gw.app.vici.isInitialized).toBe(false);
  await expect(fetch(gw.url, { method: "POST" })).rejects.toThrow();
  await client.dispose();
});
