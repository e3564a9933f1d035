import { Client } from "pg";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertVici } from "./helpers/fixtures";
import { dbNameFor, PG_SERVER } from "./helpers/databases";
import { Role } from "../src/auth/roles";

/**
 * createLead answers truthfully through Brain faults (an error only when nothing was kept;
 * a repeat with the same Idempotency-Key returns the lead that was kept), and idempotency keys
 * hold under concurrency: repeats wait for the first request and return exactly its answer,
 * and a key is its client's own.
 */
let gw: TestGateway;
let admin: Client;

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_DEFAULT_LIST_ID: "1001" });
  await insertVici(gw.app.vici, "vicidial_lists", [
    { list_id: 1001, list_name: "A", campaign_id: "Auto2", active: "Y" },
  ]);
  admin = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await gw?.stop();
});

const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { created viciAction reasons lead { id externalLeadId phone firstName } } }`;
const create = (input: Record<string, unknown>, key: string | null, apiKey?: string) =>
  gw.gql(CREATE, { input }, { key: apiKey, headers: key ? { "idempotency-key": key } : {} });
async function leadsWith(phone: string): Promise<string[]> {
  // A pooled connection ended by the test's own pg_terminate_backend may still be handed out once.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await gw.app.brain.query("SELECT id::text AS id FROM leads WHERE phone = $1", [phone])).map(
        (r: any) => r.id,
      );
    } catch (e) {
      if (attempt >= 5) throw e;
    }
  }
}
const viciRows = async (national: string) =>
  Number((await gw.app.vici.query("SELECT COUNT(*) AS n FROM vicidial_list WHERE phone_number = ?", [national]))[0].n);

/** pg_terminate_backend on the gateway's Brain connections in these states; how many it ended. */
async function terminate(states: string[]): Promise<number> {
  const r = await admin.query(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE datname = $1 AND application_name = 'vici-brain-gateway' AND state = ANY($2)`,
    [dbNameFor(__filename), states],
  );
  return r.rows.filter((x) => x.ok).length;
}

describe("Idempotency-Key under concurrency", () => {
  it("ten concurrent creates with one key and different bodies: one is answered, nine are IDEMPOTENCY_KEY_REUSED (422)", async () => {
    const phones = Array.from({ length: 10 }, (_, i) => `72755510${String(i).padStart(2, "0")}`);
    const answers = await Promise.all(phones.map((p) => create({ phone: p, firstName: "Race" }, "race-different")));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 422);
    expect(ok).toHaveLength(1);
    expect(ok[0].body.errors).toBeUndefined();
    expect(refused).toHaveLength(9);
    for (const r of refused)
      expect(r.body.errors.map((e: any) => e.extensions.code)).toEqual(["IDEMPOTENCY_KEY_REUSED"]);
    const stored = await Promise.all(phones.map((p) => leadsWith(`+1${p}`)));
    expect(stored.flat()).toEqual([ok[0].body.data.createLead.lead.id]);
  });

  it("twenty concurrent repeats of one request all get exactly the first answer: one lead, pushed once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => create({ phone: "7275551200", firstName: "Same" }, "race-same")),
    );
    for (const a of answers) expect(a.status).toBe(200);
    const first = answers[0].body.data.createLead;
    expect(first).toMatchObject({ created: true, viciAction: "CREATED" });
    for (const a of answers) expect(a.body.data.createLead).toEqual(first);
    expect(await leadsWith("+17275551200")).toHaveLength(1);
    expect(await viciRows("7275551200")).toBe(1);
  });

  it("a key is its client's own: another API key sending it is answered for itself, never with the first client's answer", async () => {
    const [a, b, c] = await Promise.all([
      gw.createKey(Role.WRITER),
      gw.createKey(Role.WRITER),
      gw.createKey(Role.WRITER),
    ]);
    const first = await create({ phone: "7275551300", firstName: "Mine" }, "shared-key", a);
    expect(first.body.data.createLead).toMatchObject({ created: true, lead: { firstName: "Mine" } });
    // Another client's own request under that key is no reuse ...
    const own = await create({ phone: "7275551301" }, "shared-key", b);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.createLead).toMatchObject({ created: true, lead: { firstName: null } });
    // ... and replaying the first client's request gets an answer of its own (the phone is in Brain now).
    const replayed = await create({ phone: "7275551300", firstName: "Mine" }, "shared-key", c);
    expect(replayed.body.data.createLead).toMatchObject({ created: false, viciAction: "ALREADY_IN_BRAIN" });
    // The first client still gets its own answer back.
    expect((await create({ phone: "7275551300", firstName: "Mine" }, "shared-key", a)).body.data.createLead).toEqual(
      first.body.data.createLead,
    );
  });
});

describe("truthful answers during Brain faults", () => {
  it("Brain's connection cut after the lead was committed and pushed: the answer is the lead (QUEUED), and a repeat returns it", async () => {
    let cut = 0;
    gw.app.services.pusher.faults.afterViciInsert = async () => {
      cut += await terminate(["idle in transaction"]);
    };
    let first;
    try {
      first = await create({ phone: "7275551400", firstName: "Kept" }, "cut-after-push");
    } finally {
      gw.app.services.pusher.faults = {};
    }
    expect(cut).toBe(1);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.createLead).toMatchObject({
      created: true,
      viciAction: "QUEUED",
      lead: { firstName: "Kept" },
    });
    const repeat = await create({ phone: "7275551400", firstName: "Kept" }, "cut-after-push");
    expect(repeat.body.data.createLead).toEqual(first.body.data.createLead);
    expect(await leadsWith("+17275551400")).toEqual([first.body.data.createLead.lead.id]);
    // The push landed before the cut: the pusher finds it by vendor code, never inserts twice.
    await gw.app.brain.query(
      "UPDATE vici_pushes SET next_attempt_at = now() - interval '1 second' WHERE state = 'PENDING'",
    );
    await gw.app.services.pusher.drain();
    expect(await viciRows("7275551400")).toBe(1);
  });

  it("Brain's connection cut before COMMIT: nothing was kept, so the create runs once more", async () => {
    let cut = 0;
    gw.app.services.leadCreation.faults.beforeCommit = async () => {
      if (cut === 0) cut += await terminate(["idle in transaction"]);
    };
    let res;
    try {
      res = await create({ phone: "7275551500", firstName: "Again" }, "cut-before-commit");
    } finally {
      gw.app.services.leadCreation.faults = {};
    }
    expect(cut).toBe(1);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createLead).toMatchObject({ created: true, lead: { firstName: "Again" } });
    expect(await leadsWith("+17275551500")).toEqual([res.body.data.createLead.lead.id]);
  });

  it("under repeated pg_terminate_backend, an error means nothing was kept, and a repeat with the key returns what was", async () => {
    let chaos = true;
    const killer = (async () => {
      while (chaos) {
        await terminate(["active", "idle in transaction"]).catch(() => 0);
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
      }
    })();
    const answers: { phone: string; key: string; res: any }[] = [];
    try {
      // 14 requests, more (up to 60) while none got through: on a loaded machine a create can
      // outlast every gap between the kills.
      for (let i = 0; i < 60 && (i < 14 || answers.every((a) => a.res.body.errors)); i++) {
        const phone = `72755516${String(i).padStart(2, "0")}`;
        const key = `chaos-${i}`;
        answers.push({ phone, key, res: await create({ phone, firstName: `C${i}` }, key) });
      }
    } finally {
      chaos = false;
      await killer;
    }
    let errors = 0;
    for (const { phone, key, res } of answers) {
      const kept = await leadsWith(`+1${phone}`);
      if (res.body.errors) {
        errors++;
        // An error: nothing of this request is in Brain.
        expect({ phone, kept }).toEqual({ phone, kept: [] });
        expect(res.body.errors[0].extensions.code).toBe("BRAIN_UNAVAILABLE");
      } else {
        expect(kept).toEqual([res.body.data.createLead.lead.id]);
        const repeat = await create({ phone, firstName: res.body.data.createLead.lead.firstName }, key);
        expect(repeat.body.data.createLead).toEqual(res.body.data.createLead);
      }
    }
    // The chaos did hit: some requests saw it (answered or not), and nothing answered falsely above.
    expect(answers.length - errors).toBeGreaterThan(0);
  });
});
