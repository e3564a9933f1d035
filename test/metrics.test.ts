import { print } from "graphql";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { startFakeViciApi, type FakeViciApi } from "./helpers/fake-vici-api";
import { CreateLeadDocument, LeadsPageDocument } from "../generated/client/graphql";
import { GatewayMetrics } from "../src/observability/metrics";
import { ViciApiClient } from "../src/vici/api/client";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { createViciDataSource } from "../src/data-sources/vici.data-source";
import { observeViciQueries, type ViciCall } from "../src/vici/db/vici-query";
import { DbViciWriter } from "../src/vici/writers/db-vici-writer";

/**
 * GET /metrics over a real gateway: each series the issue names is there, and moves when the
 * gateway does something (requests, errors, loader batches, Vici calls, outbox, jobs).
 */
let gw: TestGateway;

/** `name{k="v",...} value` lines of the exposition text, by series. */
async function scrape(): Promise<{
  status: number;
  type: string | null;
  text: string;
  value: (name: string, labels?: Record<string, string>) => number | undefined;
}> {
  const res = await fetch(gw.url.replace(/\/graphql$/, "/metrics"));
  const text = await res.text();
  const value = (name: string, labels: Record<string, string> = {}) => {
    let total: number | undefined;
    for (const line of text.split("\n")) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries(
        [...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
      );
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) total = (total ?? 0) + Number(m[3]);
    }
    return total;
  };
  return { status: res.status, type: res.headers.get("content-type"), text, value };
}

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_DEFAULT_LIST_ID: "1001", VICI_CAMPAIGN_LISTS: "Auto2:1001" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" }]);
  await insertVici(v, "vicidial_list", [
    {
      lead_id: 1,
      phone_number: "7275550001",
      phone_code: "1",
      list_id: 1001,
      status: "NA",
      entry_date: "2025-01-01 10:00:00",
    },
    {
      lead_id: 2,
      phone_number: "7275550002",
      phone_code: "1",
      list_id: 1001,
      status: "NA",
      entry_date: "2025-01-01 10:00:00",
    },
  ]);
  // Paused intake stores and queues a new lead without pushing it: one outbox record stays PENDING.
  await gw.app.services.intakeSwitch.set(true, "metrics test");
  for (const phone of ["7275550001", "7275550002", "7275550003"]) {
    const c = await gw.gql(print(CreateLeadDocument), { input: { phone, firstName: "M" } });
    expect(c.body.errors).toBeUndefined();
  }
});
afterAll(() => gw?.stop());

it("exposes every named series in Prometheus text format", async () => {
  const m = await scrape();
  expect(m.status).toBe(200);
  expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
  for (const name of [
    "http_request_duration_seconds",
    "graphql_operation_duration_seconds",
    "graphql_errors_total",
    "dataloader_batch_size",
    "vici_call_duration_seconds",
    "sync_job_rows_processed_total",
    "sync_job_rows_per_second",
    "vici_outbox_pending",
    "vici_outbox_oldest_pending_age_seconds",
    "process_cpu_seconds_total",
  ]) {
    expect(m.text).toContain(`# TYPE ${name} `);
  }
});

it("counts operations, HTTP requests, loader batches and Vici calls as they happen", async () => {
  const before = await scrape();
  const op = { operation: "LeadsPage", type: "query" };
  const opsBefore = before.value("graphql_operation_duration_seconds_count", op) ?? 0;

  const r = await gw.op(LeadsPageDocument, { first: 10 });
  expect(r.body.errors).toBeUndefined();
  await gw.op(LeadsPageDocument, { first: 10 });

  const after = await scrape();
  expect(after.value("graphql_operation_duration_seconds_count", op)).toBe(opsBefore + 2);
  expect(
    after.value("http_request_duration_seconds_count", { method: "POST", route: "/graphql", status: "200" }),
  ).toBeGreaterThanOrEqual(2);
  // The previous scrape is itself a request, counted under its route.
  expect(
    after.value("http_request_duration_seconds_count", { method: "GET", route: "/metrics", status: "200" }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    after.value("vici_call_duration_seconds_count", { via: "db", operation: "query", outcome: "ok" }),
  ).toBeGreaterThan(
    before.value("vici_call_duration_seconds_count", { via: "db", operation: "query", outcome: "ok" }) ?? 0,
  );
});

it("labels HTTP requests by route pattern, never by raw URL", async () => {
  const base = gw.url.replace(/\/graphql$/, "");
  await fetch(`${base}/sync-jobs/987654/report.csv`, { headers: gw.authHeaders });
  await fetch(`${base}/no/such/path?x=1`);
  const m = await scrape();
  expect(m.value("http_request_duration_seconds_count", { method: "GET", route: "/sync-jobs/:id/report.csv" })).toBe(1);
  expect(m.value("http_request_duration_seconds_count", { method: "GET", route: "unmatched", status: "404" })).toBe(1);
  expect(m.text).not.toContain("987654");
});

it("counts errors by extensions.code, with the HTTP status, after bad requests", async () => {
  const before = await scrape();
  const bad = await gw.gql(`query BadPhone { lead(phone: "12") { id } }`);
  expect(bad.body.errors[0].extensions.code).toBe("INVALID_PHONE");
  const unparsable = await gw.gql(`query { lead(`);
  expect(unparsable.status).toBe(400);

  const after = await scrape();
  expect(after.value("graphql_errors_total", { code: "INVALID_PHONE" })).toBe(
    (before.value("graphql_errors_total", { code: "INVALID_PHONE" }) ?? 0) + 1,
  );
  expect(after.value("graphql_errors_total", { code: "GRAPHQL_PARSE_FAILED" })).toBe(
    (before.value("graphql_errors_total", { code: "GRAPHQL_PARSE_FAILED" }) ?? 0) + 1,
  );
  expect(
    after.value("http_request_duration_seconds_count", { route: "/graphql", status: String(bad.status) }),
  ).toBeGreaterThanOrEqual(1);
  // A document that did not parse has no operation type.
  expect(after.value("graphql_operation_duration_seconds_count", { operation: "anonymous", type: "unknown" })).toBe(1);
});

it("observes DataLoader batch sizes: one batch for a page of leads", async () => {
  const before = await scrape();
  const labels = { loader: "viciLeadsByPhone" };
  const batches = before.value("dataloader_batch_size_count", labels) ?? 0;
  const keys = before.value("dataloader_batch_size_sum", labels) ?? 0;

  const page = await gw.op(LeadsPageDocument, { first: 10 });
  expect(page.body.data.leads.edges).toHaveLength(3);

  const after = await scrape();
  expect(after.value("dataloader_batch_size_count", labels)).toBe(batches + 1);
  expect(after.value("dataloader_batch_size_sum", labels)).toBe(keys + 3);
});

it("reads the outbox backlog from Brain at scrape time", async () => {
  // The lead for the phone Vici does not have waits in the outbox while intake is paused.
  const m = await scrape();
  expect(m.value("vici_outbox_pending")).toBe(1);
  expect(m.value("vici_outbox_oldest_pending_age_seconds")).toBeGreaterThan(0);

  await gw.app.services.intakeSwitch.set(false, null);
  await gw.app.services.pusher.drain();
  const drained = await scrape();
  expect(drained.value("vici_outbox_pending")).toBe(0);
  expect(drained.value("vici_outbox_oldest_pending_age_seconds")).toBe(0);
});

it("counts rows processed by sync jobs, by kind, and leaves the rows/s gauge at 0 when done", async () => {
  const job = await gw.app.services.syncJobs.start({ kind: SyncJobKind.VICI_IMPORT, campaigns: ["Auto2"] }, "test");
  await gw.app.jobs.drain();
  const done = await gw.app.services.syncJobs.get(job.id);
  expect(done?.processed).toBeGreaterThan(0);

  const m = await scrape();
  expect(m.value("sync_job_rows_processed_total", { kind: "VICI_IMPORT" })).toBe(done!.processed);
  expect(m.value("sync_job_rows_per_second", { kind: "VICI_IMPORT" })).toBe(0);
});

describe("Non-Agent API calls", () => {
  let fake: FakeViciApi;
  beforeAll(async () => {
    fake = await startFakeViciApi({ mysqlUrl: gw.config.vici.url });
  });
  afterAll(() => fake?.close());

  it("are timed by function and outcome", async () => {
    const metrics = new GatewayMetrics();
    const client = new ViciApiClient({
      url: fake.url,
      user: "apiuser",
      pass: "apipass1",
      source: "gwtest",
      onCall: metrics.observeViciCall,
    });
    await client.version();
    const text = await metrics.registry.getSingleMetricAsString("vici_call_duration_seconds");
    expect(text).toContain('vici_call_duration_seconds_count{via="api",operation="version",outcome="ok"} 1');
  });
});

it("gives every app its own registry: two in one process count apart", async () => {
  const a = new GatewayMetrics();
  const b = new GatewayMetrics();
  a.errors.inc({ code: "NOT_FOUND" });
  a.errors.inc({ code: "NOT_FOUND" });
  b.errors.inc({ code: "BAD_USER_INPUT" });
  const count = async (m: GatewayMetrics, code: string) =>
    (await m.errors.get()).values.find((v) => v.labels.code === code)?.value ?? 0;
  expect([await count(a, "NOT_FOUND"), await count(a, "BAD_USER_INPUT")]).toEqual([2, 0]);
  expect([await count(b, "NOT_FOUND"), await count(b, "BAD_USER_INPUT")]).toEqual([0, 1]);
});

it("folds operation names into bounded labels", () => {
  const m = new GatewayMetrics();
  expect(m.operationLabel(null)).toBe("anonymous");
  expect(m.operationLabel("has spaces; and more")).toBe("other");
  for (let i = 0; i < 250; i++) m.operationLabel(`Op${i}`);
  expect(m.operationLabel("Op1")).toBe("Op1");
  expect(m.operationLabel("Op249")).toBe("other");
});

it("lets no API key fill the label budget, and never labels a phone number", () => {
  const m = new GatewayMetrics();
  const labels = Array.from({ length: 30 }, (_, i) => m.operationLabel(`Greedy${i}`, "key-a"));
  expect(labels.filter((l) => l !== "other")).toHaveLength(20);
  expect(labels.slice(20)).toEqual(Array(10).fill("other"));
  // Another key still gets its names; names already labelled stay so for everyone.
  expect(m.operationLabel("Dashboard", "key-b")).toBe("Dashboard");
  expect(m.operationLabel("Greedy3", "key-b")).toBe("Greedy3");
  for (const name of ["_15035550142", "Lookup5035550142", "q7275550101x"])
    expect(m.operationLabel(name, "key-c")).toBe("other");
});

it("times the db writer's own statements (a push to VICIdial) as Vici calls", async () => {
  // A DataSource of its own, observed by this test only: what the writer does, nothing else.
  const ds = createViciDataSource(gw.config.vici.url);
  await ds.initialize();
  try {
    const calls: ViciCall[] = [];
    observeViciQueries(ds, (c) => calls.push(c));
    const writer = new DbViciWriter(ds, { timeZone: "UTC", user: "BRAIN", managed: gw.app.services.managed });
    const leadId = await writer.insertLead({
      phone: { phoneCode: "1", phoneNumber: "7275550166" },
      listId: 1001,
      vendorLeadCode: "METRICS0000000000001",
      sourceId: null,
      firstName: "Pushed",
      lastName: null,
      email: null,
      address1: null,
      address2: null,
      city: null,
      state: null,
      postalCode: null,
    });
    expect(leadId).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThanOrEqual(1); // the INSERT (and the time-zone lookup)
    expect(calls.every((c) => c.via === "db" && c.outcome === "ok" && c.seconds >= 0)).toBe(true);
  } finally {
    await ds.destroy();
  }
});
