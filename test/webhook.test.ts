import { signBody } from "../src/http/webhook";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertVici } from "./helpers/fixtures";

/** POST /webhooks/leads: HMAC-signed JSON through the same service as createLead. */
const SECRET = "webhook-secret-for-tests-0123456789";
let gw: TestGateway;
let hookUrl: string;

const post = async (body: string, headers: Record<string, string> = {}) => {
  const res = await fetch(hookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as any };
};
const signed = (payload: unknown, headers: Record<string, string> = {}) => {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return post(body, { "x-signature": signBody(SECRET, body), ...headers });
};
const leadCount = async () => (await gw.app.brain.query("SELECT count(*)::int AS n FROM leads"))[0].n;

beforeAll(async () => {
  gw = await startTestGateway(__filename, {
    WEBHOOK_SECRET: SECRET,
    VICI_DEFAULT_LIST_ID: "1001",
    OUTBOX_POLL_MS: "600000",
  });
  hookUrl = gw.url.replace("/graphql", "/webhooks/leads");
  await insertVici(gw.app.vici, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
  ]);
});
afterAll(() => gw?.stop());

it("creates a lead (201), pushes it to Vici, and answers a repeat with 200", async () => {
  const first = await signed({ phone: "(305) 555-0140", firstName: "Web", source: "landing-page" });
  expect(first.status).toBe(201);
  expect(first.json).toMatchObject({
    created: true,
    viciAction: "CREATED",
    lead: { phone: "+13055550140", doNotCall: false },
  });
  const [row] = await gw.app.vici.query(
    "SELECT vendor_lead_code, source_id FROM vicidial_list WHERE phone_number = '3055550140'",
  );
  expect(row).toEqual({ vendor_lead_code: first.json.lead.externalLeadId, source_id: "landing-page" });
  const { body } = await gw.gql(`{ lead(phone: "3055550140") { origin } }`);
  expect(body.data.lead.origin).toBe("webhook");

  const again = await signed({ phone: "305-555-0140" });
  expect(again.status).toBe(200);
  expect(again.json).toMatchObject({
    created: false,
    viciAction: "ALREADY_IN_BRAIN",
    lead: { id: first.json.lead.id },
  });
});

it("replays an Idempotency-Key", async () => {
  const a = await signed({ phone: "3055550141" }, { "idempotency-key": "hook-1" });
  const b = await signed({ phone: "3055550141" }, { "idempotency-key": "hook-1" });
  expect(a.status).toBe(201);
  expect(b.json).toEqual(a.json);
});

it.each([
  ["no signature", (body: string) => post(body)],
  ["a wrong signature", (body: string) => post(body, { "x-signature": signBody("another-secret-entirely", body) })],
  ["a signature of another body", (body: string) => post(body, { "x-signature": signBody(SECRET, body + " ") })],
])("refuses %s with 401 and writes nothing", async (_n, send) => {
  const before = await leadCount();
  const { status, json } = await send(JSON.stringify({ phone: "3055550150" }));
  expect(status).toBe(401);
  expect(json.error.code).toBe("INVALID_SIGNATURE");
  expect(await leadCount()).toBe(before);
});

it.each([
  ["invalid JSON", "{phone:", 400, "BAD_USER_INPUT", undefined],
  ["an unknown field", { phone: "3055550151", phone_number: "x" }, 400, "BAD_USER_INPUT", "phone_number"],
  ["a missing phone", { firstName: "No Phone" }, 400, "BAD_USER_INPUT", "phone"],
  ["a bad phone", { phone: "call me" }, 400, "INVALID_PHONE", "phone"],
  ["a bad email", { phone: "3055550152", email: "a@b" }, 400, "BAD_USER_INPUT", "email"],
  ["an oversized city", { phone: "3055550153", city: "c".repeat(51) }, 400, "BAD_USER_INPUT", "city"],
  ["a JSON array", [{ phone: "3055550154" }], 400, "BAD_USER_INPUT", undefined],
])("refuses %s with a typed error and writes nothing", async (_n, payload, status, code, field) => {
  const before = await leadCount();
  const r = await signed(payload);
  expect(r.status).toBe(status);
  expect(r.json.error.code).toBe(code);
  expect(r.json.error.field).toBe(field);
  expect(await leadCount()).toBe(before);
});

it("refuses a body over 100kb with 413", async () => {
  const r = await signed({ phone: "3055550155", firstName: "x".repeat(120_000) });
  expect(r.status).toBe(413);
});

it("is off (503) when no secret is configured", async () => {
  const off = await startTestGateway(__filename, {}, "off");
  try {
    const res = await fetch(off.url.replace("/graphql", "/webhooks/leads"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(503);
  } finally {
    await off.stop();
  }
});
