import { readFileSync } from "node:fs";
import { queryCounter } from "../src/data-sources/query-counter";
import { CALL_REASON_TEXT, CallReasonCode, COMPLIANCE_CODES } from "../src/vici/rules/call-verdict";
import { Role, Scope } from "../src/auth/roles";
import { packageRoot } from "../src/util/package-root";
import { CallableLeadsDocument, CallVerdictDocument, CallVerdictsDocument } from "../generated/client/graphql";
import { phoneCodeTableRows } from "./helpers/call-facts";
import { runCli } from "./helpers/cli";
import { insertBrainLeads, insertVici } from "./helpers/fixtures";
import { startTestGateway, type TestGateway } from "./helpers/gateway";

/**
 * "May this number be called now?" through the API and the CLI, on real databases (strict
 * MariaDB with the project's DDL, PostgreSQL), with the example rule file: the verdict of one
 * number, of many, of a page of leads, and the callableNow filter — the gateway's clock fixed
 * at a Wednesday 09:30 in New York (VICI_TIMEZONE), so calling hours are the test's to choose.
 */
jest.setTimeout(60_000);

const AT = new Date("2024-07-10T13:30:00Z"); // Wednesday 09:30 EDT, 03:30 HST
const EVENING = "2024-07-11T00:30:00.000Z"; // Wednesday 20:30 EDT
const RULES_FILE = `${packageRoot()}/config/call-rules.example.json`;
let gw: TestGateway;
let readerKey: string;
let piiReaderKey: string;

/** Vici rows of campaign CV1 (list 7001), and the Brain leads, in created order. */
const VICI = [
  // lead_id, phone_number, status, called_count, gmt_offset_now, state
  [1, "7275550101", "NEW", 0, "-4.00", "FL"], // callable
  [2, "7275550102", "NA", 1, "-4.00", "FL"], // called 10 days ago
  [3, "7275550103", "SALE", 1, "-4.00", "FL"], // a status CV1 does not dial
  [4, "7275550104", "NEW", 0, "-4.00", "FL"], // on vicidial_dnc
  [5, "8085550105", "NEW", 0, "-10.00", "HI"], // 03:30 in Hawaii
  [6, "7275550106", "NEW", 0, "-4.00", "FL"], // Brain: an operator's do-not-call
  [8, "7275550108", "NEW", 0, "-4.00", "FL"], // callable
  [9, "7275550109", "NEW", 0, "-4.00", "FL"], // callable
] as const;
const BRAIN = [
  "+17275550101",
  "+17275550102",
  "+17275550103",
  "+17275550104",
  "+18085550105",
  "+17275550106",
  "+17275550107",
  "+17275550108",
  "+17275550109",
];

beforeAll(async () => {
  gw = await startTestGateway(__filename, { CALL_RULES_FILE: RULES_FILE }, "", { clock: () => new Date(AT) });
  const v = gw.app.vici;
  await insertVici(v, "vicidial_campaigns", [
    {
      campaign_id: "CV1",
      campaign_name: "Verdicts",
      active: "Y",
      dial_statuses: " NEW NA -",
      local_call_time: "9am-9pm",
      use_internal_dnc: "Y",
      use_campaign_dnc: "N",
      lead_filter_id: "NONE",
    },
  ]);
  await insertVici(v, "vicidial_lists", [
    {
      list_id: 7001,
      list_name: "cv1",
      campaign_id: "CV1",
      active: "Y",
      expiration_date: "2099-12-31",
      local_call_time: "campaign",
    },
  ]);
  await insertVici(v, "vicidial_call_times", [
    {
      call_time_id: "9am-9pm",
      call_time_name: "default",
      ct_default_start: 900,
      ct_default_stop: 2100,
      ct_state_call_times: "",
      ct_holidays: "",
    },
  ]);
  await insertVici(v, "vicidial_statuses", [{ status: "NEW", status_name: "New", dnc: "N" }]);
  await insertVici(v, "vicidial_phone_codes", phoneCodeTableRows());
  await insertVici(v, "vicidial_dnc", [{ phone_number: "7275550104" }]);
  await insertVici(
    v,
    "vicidial_list",
    VICI.map(([lead_id, phone_number, status, called_count, gmt_offset_now, state]) => ({
      lead_id,
      list_id: 7001,
      phone_code: "1",
      phone_number,
      status,
      called_since_last_reset: "N",
      called_count,
      gmt_offset_now,
      state,
      entry_date: "2024-06-01 10:00:00",
    })),
  );
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "1.2",
      lead_id: 2,
      list_id: 7001,
      call_date: "2024-06-30 10:00:00",
      status: "NA",
      phone_number: "7275550102",
    },
  ]);
  await insertBrainLeads(
    gw.app.brain,
    BRAIN.map((phone, i) => ({
      externalLeadId: `CV-${i}`,
      phone,
      doNotCall: phone === "+17275550106",
      doNotCallReason: phone === "+17275550106" ? "asked not to be called" : null,
      createdAt: new Date(Date.UTC(2024, 5, 1, 10, i)).toISOString(),
    })),
  );
  readerKey = await gw.createKey(Role.READER);
  piiReaderKey = await gw.createKey(Role.READER, [Scope.PII]);
});
afterAll(() => gw?.stop());

const verdict = async (phone: string, at: string | null = AT.toISOString(), campaignId = "CV1", key?: string) => {
  const res = await gw.op(CallVerdictDocument, { phone, campaignId, at }, key ? { key } : {});
  expect(res.body.errors).toBeUndefined();
  return res.body.data.callVerdict;
};
const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);

describe("callVerdict", () => {
  it("a callable number: no reason, callable now, the row the dialer would load", async () => {
    const v = await verdict("(727) 555-0101");
    expect(v).toMatchObject({
      phone: "+17275550101",
      campaignId: "CV1",
      at: AT.toISOString(),
      callable: true,
      compliant: true,
      callableAt: AT.toISOString(),
      viciLeadId: 1,
      reasons: [],
    });
  });

  it("each reason with its kind, whose rule it is, and when it lifts", async () => {
    const recent = await verdict("+17275550102");
    expect(recent.reasons).toEqual([
      expect.objectContaining({
        code: "RECENTLY_CALLED",
        kind: "COMPLIANCE",
        origin: "OURS",
        until: "2024-07-30T14:00:00.000Z",
      }),
    ]);
    // Lifts at 10:00 EDT, inside the calling hours: callable then.
    expect([recent.callable, recent.compliant, recent.callableAt]).toEqual([false, false, "2024-07-30T14:00:00.000Z"]);

    const sale = await verdict("+17275550103");
    expect(sale.reasons).toEqual([
      expect.objectContaining({
        code: "STATUS_NOT_DIALABLE",
        kind: "DIALER",
        origin: "VICIDIAL",
        until: null,
        viciLeadId: 3,
      }),
    ]);
    expect([sale.compliant, sale.callableAt]).toEqual([true, null]);

    expect(codes(await verdict("+17275550104"))).toEqual(["DNC_SYSTEM"]);

    // 03:30 in Hawaii: the law's 08:00 comes first, VICIdial's 9am-9pm an hour later.
    const hawaii = await verdict("+18085550105");
    expect(hawaii.reasons.map((r) => [r.code, r.origin, r.until])).toEqual([
      ["LEGAL_HOURS", "LAW", "2024-07-10T18:00:00.000Z"],
      ["CALL_TIME", "VICIDIAL", "2024-07-10T19:00:00.000Z"],
    ]);
    expect([hawaii.compliantAt, hawaii.callableAt]).toEqual(["2024-07-10T18:00:00.000Z", "2024-07-10T19:00:00.000Z"]);

    const brainDnc = await verdict("+17275550106");
    expect(brainDnc.reasons).toEqual([
      expect.objectContaining({ code: "BRAIN_DO_NOT_CALL", origin: "OURS", until: null }),
    ]);
    expect(brainDnc.reasons[0].detail).toContain("asked not to be called");

    const notInVici = await verdict("+17275550107");
    expect([notInVici.compliant, codes(notInVici)]).toEqual([true, ["NOT_IN_CAMPAIGN"]]);
  });

  it("the rule file's state hours: a Florida number at 20:30 waits for 08:00, and the dialer for 09:00", async () => {
    const v = await verdict("+17275550101", EVENING);
    expect(v.reasons.map((r) => [r.code, r.until])).toEqual([["STATE_HOURS", "2024-07-11T12:00:00.000Z"]]);
    expect(v.reasons[0].source).toMatch(/^rule file FL-hours: Fla\. Stat\./);
    expect([v.compliantAt, v.callableAt]).toEqual(["2024-07-11T12:00:00.000Z", "2024-07-11T13:00:00.000Z"]);
  });

  it("at defaults to the request's now; an unknown campaign is a reason, not an error", async () => {
    expect((await verdict("+17275550101", null)).at).toBe(AT.toISOString());
    expect(codes(await verdict("+17275550101", null, "NOPE"))).toEqual(["CAMPAIGN_NOT_FOUND"]);
  });

  it("bad input is a typed error", async () => {
    const err = async (vars: { phone: string; campaignId: string; at?: string }) =>
      (await gw.op(CallVerdictDocument, vars)).body.errors?.[0];
    expect(await err({ phone: "727555", campaignId: "CV1" })).toMatchObject({
      extensions: { code: "INVALID_PHONE", field: "phone" },
    });
    expect(await err({ phone: "+17275550101", campaignId: "not a campaign" })).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "campaignId" },
    });
    expect(await err({ phone: "+17275550101", campaignId: "CV1", at: "2026-01-01T00:00:00Z" })).toMatchObject({
      message: expect.stringContaining("366 days"),
      extensions: { code: "BAD_USER_INPUT", field: "at" },
    });
  });

  it("a reader may ask; the phone comes back masked without the pii scope", async () => {
    expect((await verdict("+17275550101", null, "CV1", readerKey)).phone).toBe("+1******0101");
    expect((await verdict("+17275550101", null, "CV1", piiReaderKey)).phone).toBe("+17275550101");
    expect((await verdict("+17275550106", null, "CV1", readerKey)).reasons[0].code).toBe("BRAIN_DO_NOT_CALL");
  });
});

describe("callVerdicts", () => {
  it("answers in the order asked, duplicates included, in one read of VICIdial", async () => {
    const phones = ["+17275550104", "727-555-0101", "+18085550105", "+17275550101", "+17275550107"];
    const vici = queryCounter(gw.app.vici);
    const before = vici.count;
    const res = await gw.op(CallVerdictsDocument, { phones, campaignId: "CV1", at: AT.toISOString() });
    const statements = vici.count - before;
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.callVerdicts.map((v) => [v.phone, v.callable, codes(v)])).toEqual([
      ["+17275550104", false, ["DNC_SYSTEM"]],
      ["+17275550101", true, []],
      ["+18085550105", false, ["LEGAL_HOURS", "CALL_TIME"]],
      ["+17275550101", true, []],
      ["+17275550107", false, ["NOT_IN_CAMPAIGN"]],
    ]);
    expect(statements).toBeLessThanOrEqual(8);
  });

  it("weighs as much as a table scan: one per operation", async () => {
    const res = await gw.gql(
      `{ a: callVerdicts(phones: ["+17275550101"], campaignId: "CV1") { callable } b: callVerdicts(phones: ["+17275550108"], campaignId: "CV1") { callable } }`,
    );
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringContaining("fields that scan a table"),
      extensions: { code: "QUERY_TOO_COSTLY" },
    });
  });

  it("more than 1,000 numbers, or a bad one, is refused naming it", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `+1727556${String(i).padStart(4, "0")}`);
    const tooMany = await gw.op(CallVerdictsDocument, { phones: many, campaignId: "CV1" });
    expect(tooMany.body.errors[0]).toMatchObject({
      message: "at most 1000 numbers at once (got 1001)",
      extensions: { code: "BAD_USER_INPUT", field: "phones" },
    });
    const bad = await gw.op(
      CallVerdictsDocument,
      { phones: ["+17275550101", "(000) 000-0000"], campaignId: "CV1" },
      { key: readerKey },
    );
    expect(bad.body.errors[0]).toMatchObject({
      message: 'phones[1] "(***) ***-0000" is not a valid US number',
      extensions: { code: "INVALID_PHONE", field: "phones[1]" },
    });
  });
});

describe("leads(filter: { callableNow, campaignId })", () => {
  const page = async (callable: boolean, first: number, after?: string | null) => {
    const res = await gw.op(CallableLeadsDocument, { first, after, campaignId: "CV1", callable });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.leads;
  };
  const phonesOf = (p: Awaited<ReturnType<typeof page>>) => p.edges.map((e) => e.node.phone);

  it("pages through the callable leads only, with their verdicts", async () => {
    const first = await page(true, 2);
    expect(phonesOf(first)).toEqual(["+17275550101", "+17275550108"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.callableScan).toEqual({ campaignId: "CV1", at: AT.toISOString(), scanned: 9, limitReached: false });
    expect(first.edges.every((e) => e.node.callVerdict?.callable)).toBe(true);
    const second = await page(true, 2, first.pageInfo.endCursor);
    expect(phonesOf(second)).toEqual(["+17275550109"]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.callableScan?.scanned).toBe(1);
  });

  it("callableNow: false gives the others, each with a reason", async () => {
    const p = await page(false, 10);
    expect(phonesOf(p)).toEqual([
      "+17275550102",
      "+17275550103",
      "+17275550104",
      "+18085550105",
      "+17275550106",
      "+17275550107",
    ]);
    expect(p.edges.map((e) => e.node.callVerdict?.reasons[0].code)).toEqual([
      "RECENTLY_CALLED",
      "STATUS_NOT_DIALABLE",
      "DNC_SYSTEM",
      "LEGAL_HOURS",
      "BRAIN_DO_NOT_CALL",
      "NOT_IN_CAMPAIGN",
    ]);
    // scanned counts every verdict computed: the first chunk is about twice the page (6 leads for 2),
    // read whole, though the page was full at its fourth lead.
    const small = await page(false, 2);
    expect([phonesOf(small), small.callableScan?.scanned, small.pageInfo.hasNextPage]).toEqual([
      ["+17275550102", "+17275550103"],
      6,
      true,
    ]);
  });

  it("the page's Lead.callVerdict costs no statement beyond the filter's own", async () => {
    const cost = async (query: string) => {
      const vici = queryCounter(gw.app.vici);
      const before = vici.count;
      const res = await gw.gql(query, { campaignId: "CV1" });
      expect(res.body.errors).toBeUndefined();
      return vici.count - before;
    };
    const filter = `leads(first: 3, filter: { callableNow: true, campaignId: $campaignId }) { edges { node { id`;
    const bare = await cost(`query ($campaignId: String!) { ${filter} } } } }`);
    const withVerdicts = await cost(
      `query ($campaignId: String!) { ${filter} callVerdict(campaignId: $campaignId) { callable reasons { code detail } } } } } }`,
    );
    expect(withVerdicts).toBe(bare);
  });

  it("stops at CALLABLE_NOW_SCAN_MAX leads with a cursor to go on", async () => {
    // Three instead of the smallest settable 100: the fixture has nine leads.
    const saved = gw.config.callableNowScanMax;
    gw.config.callableNowScanMax = 3;
    try {
      const seen: string[][] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const p = await page(true, 2, after);
        seen.push(phonesOf(p));
        expect(p.callableScan?.scanned).toBeLessThanOrEqual(3);
        if (!p.pageInfo.hasNextPage) break;
        expect(p.callableScan?.limitReached).toBe(true);
        after = p.pageInfo.endCursor;
      }
      // 101-103, 104-106, 107-109, then nothing left.
      expect(seen).toEqual([["+17275550101"], [], ["+17275550108", "+17275550109"], []]);
      // The limit is the request's: a second list in the same operation gets what is left.
      const two = await gw.gql(
        `query ($c: String!) {
        a: leads(first: 2, filter: { callableNow: true, campaignId: $c }, orderBy: { field: CREATED_AT, direction: ASC }) { callableScan { scanned limitReached } edges { node { phone } } }
        b: leads(first: 2, filter: { callableNow: false, campaignId: $c }) { callableScan { scanned limitReached } edges { node { phone } } }
      }`,
        { c: "CV1" },
      );
      expect(two.body.data.a).toEqual({
        callableScan: { scanned: 3, limitReached: true },
        edges: [{ node: { phone: "+17275550101" } }],
      });
      expect(two.body.data.b).toEqual({ callableScan: { scanned: 0, limitReached: true }, edges: [] });
    } finally {
      gw.config.callableNowScanMax = saved;
    }
  });

  it("refuses what it cannot answer, saying why", async () => {
    const err = async (filter: string, extra = "") =>
      (await gw.gql(`{ leads(first: 2, filter: ${filter}) { ${extra} edges { node { id } } } }`)).body.errors?.[0];
    expect(await err("{ callableNow: true }")).toMatchObject({
      message: expect.stringContaining("callableNow needs campaignId"),
      extensions: { code: "BAD_USER_INPUT", field: "filter.campaignId" },
    });
    expect(await err('{ campaignId: "CV1" }')).toMatchObject({
      message: expect.stringContaining("campaignId goes with callableNow"),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(await err('{ callableNow: true, campaignId: "NOPE" }')).toMatchObject({
      message: "campaign NOPE does not exist in VICIdial",
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(await err('{ callableNow: true, campaignId: "CV1" }', "totalCount")).toMatchObject({
      message: expect.stringContaining("totalCount is not available with callableNow"),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});

describe("vici-brain can-call", () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(["can-call", ...args], { PATH: process.env.PATH, ...gw.env, LOG_LEVEL: "silent", ...env });
  const at = ["--at", AT.toISOString()];

  it("exit 0 for a callable number", async () => {
    const r = await cli(["727 555 0101", "--campaign", "CV1", ...at]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(
      /^\+1\*{6}0101 in campaign CV1 at 2024-07-10T13:30:00Z: CALLABLE\n {2}Vici lead 1 would be dialed\nNotes:\n/,
    );
    // This VICIdial predates the later call-count tables: said, not hidden.
    expect(r.stdout).toContain("  CALL_LIMIT_24H_NOT_CHECKED: ");
  });

  it("exit 1 for a number that is not callable, every reason with when it lifts", async () => {
    const r = await cli(["+18085550105", "--campaign", "CV1", ...at]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("+1******0105 in campaign CV1 at 2024-07-10T13:30:00Z: NOT CALLABLE\n");
    expect(r.stdout).toContain(
      "  callable: 2024-07-10T19:00:00Z (in 5h30m)\n  compliant: 2024-07-10T18:00:00Z (in 4h30m)\n",
    );
    expect(r.stdout).toMatch(
      /\n {2}LEGAL_HOURS \(COMPLIANCE, the law\): outside the legal calling hours .*\n {6}lifts: 2024-07-10T18:00:00Z \(in 4h30m\)\n {6}source: 47 CFR 64\.1200/,
    );
    expect(r.stdout).toMatch(
      /\n {2}CALL_TIME \(DIALER, VICIdial\): .*\n {6}lifts: 2024-07-10T19:00:00Z \(in 5h30m\)\n/,
    );
    const never = await cli(["+17275550103", "--campaign", "CV1", ...at]);
    expect(never.stdout).toContain("  callable: never (as far as the facts tell)\n");
    expect(never.stdout).toMatch(/STATUS_NOT_DIALABLE \(DIALER, VICIdial\): .*\n {6}lifts: never/);
  });

  it("--json: the verdict as the API gives it, the phone masked", async () => {
    const r = await cli(["+17275550102", "--campaign", "CV1", ...at, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      phone: "+1******0102",
      campaignId: "CV1",
      at: AT.toISOString(),
      callable: false,
      compliant: false,
      callableAt: "2024-07-30T14:00:00.000Z",
      reasons: [{ code: "RECENTLY_CALLED", kind: "COMPLIANCE", origin: "OURS", until: "2024-07-30T14:00:00.000Z" }],
    });
  });

  it("exit 2 for bad input or configuration, 4 when the question cannot be answered", async () => {
    const badPhone = await cli(["727555", "--campaign", "CV1"]);
    expect([badPhone.code, badPhone.stderr]).toEqual([2, 'error: PHONE "******" is too short for a US number\n']);
    expect((await cli(["+17275550101", "--campaign", "not valid"])).code).toBe(2);
    expect((await cli(["+17275550101"])).code).toBe(2);
    expect((await cli(["+17275550101", "--campaign", "CV1", "--at", "tomorrow"])).code).toBe(2);
    const badRules = await cli(["+17275550101", "--campaign", "CV1"], {
      CALL_RULES_FILE: `${packageRoot()}/package.json`,
    });
    expect(badRules.code).toBe(2);
    expect(badRules.stderr).toMatch(/^error: Invalid call rules file .*package\.json:\n {2}- file: /);
    const down = await cli(["+17275550101", "--campaign", "CV1", "--json"], {
      VICI_DATABASE_URL: "mysql://root@127.0.0.1:1/nowhere",
      VICI_CONNECT_TIMEOUT_MS: "500",
    });
    expect(down.code).toBe(4);
    expect(JSON.parse(down.stdout).error.code).toBe("VICI_UNAVAILABLE");
  });
});

it("the README explains every reason code with the API's own text, kind and owner", () => {
  const readme = readFileSync(`${packageRoot()}/README.md`, "utf8");
  const owner = { VICIDIAL: "VICIdial", LAW: "law (built in)", OURS: "ours" };
  for (const code of Object.values(CallReasonCode)) {
    const { text, origin } = CALL_REASON_TEXT[code];
    expect(readme).toContain(
      `| \`${code}\` | ${COMPLIANCE_CODES.has(code) ? "COMPLIANCE" : "DIALER"} | ${owner[origin]} | ${text} |`,
    );
  }
});
