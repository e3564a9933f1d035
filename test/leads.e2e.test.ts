import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { insertBrainLeads, insertSystemStatuses, insertVici } from "./helpers/fixtures";

/**
 * The merged Lead over real PostgreSQL and MariaDB. The Vici server's clock is
 * America/New_York: its DATETIMEs are New York wall-clock times (EST -5 / EDT -4).
 */
let gw: TestGateway;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

beforeAll(async () => {
  // This file sends well over 100 requests with one key: on a quiet machine faster than the default
  // burst refills (abuse-limits.test.ts is where limits are tested).
  gw = await startTestGateway(__filename, { RATE_LIMIT_BURST: "100000" });
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [
    { campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" },
    { campaign_id: "Autodial", campaign_name: "Auto Dial", active: "N" },
  ]);
  await insertVici(v, "vicidial_lists", [
    { list_id: 1001, list_name: "Auto2 A", campaign_id: "Auto2", active: "Y" },
    { list_id: 1002, list_name: "Auto2 B", campaign_id: "Auto2", active: "N" },
    { list_id: 2001, list_name: "Autodial A", campaign_id: "Autodial", active: "Y" },
    // A list naming a campaign that vicidial_campaigns lacks.
    { list_id: 3001, list_name: "Ghost", campaign_id: "GHOST", active: "Y" },
  ]);
  await insertVici(v, "vicidial_campaign_statuses", [
    { status: "HOTLD", status_name: "Hot lead", campaign_id: "Auto2", sale: "Y", selectable: "Y" },
    // Autodial treats a transfer as a sale; the system status XFER is a plain contact.
    { status: "XFER", status_name: "Transfer = sale", campaign_id: "Autodial", sale: "Y", selectable: "Y" },
  ]);
  const lead = (o: Record<string, unknown>) => ({ phone_code: "1", entry_date: "2026-01-15 10:00:00", ...o });
  await insertVici(v, "vicidial_list", [
    lead({
      lead_id: 1,
      phone_number: "7275550101",
      list_id: 1001,
      status: "NA",
      vendor_lead_code: "EXT-A",
      last_local_call_time: "2026-11-01 09:00:00",
      called_count: 1,
    }),
    lead({ lead_id: 2, phone_number: "7275550101", list_id: 2001, status: "XFER", called_count: 2 }),
    lead({ lead_id: 3, phone_number: "8135550102", list_id: 1002, status: "HOTLD" }),
    lead({ lead_id: 4, phone_number: "3055550103", list_id: 101, status: "ZZTOP" }),
    lead({ lead_id: 5, phone_number: "2125550104", list_id: 1001, status: "NEW", vendor_lead_code: "" }),
    lead({ lead_id: 6, phone_number: "4155550105", list_id: 2001, status: "DNC", vendor_lead_code: "V-6" }),
    // The API stores "+1..." with the country code glued on; it is still this phone.
    lead({ lead_id: 7, phone_number: "18135550102", list_id: 2001, status: "NEW" }),
    lead({ lead_id: 8, phone_number: "7270102", list_id: 1001, status: "NEW" }),
  ]);
  await insertVici(v, "vicidial_log", [
    {
      uniqueid: "1783000000.1",
      lead_id: 1,
      list_id: 1001,
      campaign_id: "Auto2",
      call_date: "2026-07-04 12:00:00",
      status: "NA",
      phone_code: "1",
      phone_number: "7275550101",
    },
    {
      uniqueid: "1783000000.2",
      lead_id: 2,
      list_id: 2001,
      campaign_id: "Autodial",
      call_date: "2026-08-10 20:30:00",
      status: "XFER",
      phone_code: "1",
      phone_number: "7275550101",
    },
    {
      uniqueid: "1783000000.3",
      lead_id: 2,
      list_id: 2001,
      campaign_id: "Autodial",
      call_date: "2026-03-01 09:00:00",
      status: "NA",
      phone_code: "1",
      phone_number: "7275550101",
    },
    {
      uniqueid: "1783000000.4",
      lead_id: 3,
      list_id: 1002,
      campaign_id: "Auto2",
      call_date: "2026-02-01 08:00:00",
      status: "HOTLD",
      phone_code: "1",
      phone_number: "8135550102",
    },
  ]);
  await insertBrainLeads(gw.app.brain, [
    {
      externalLeadId: "EXT-A",
      phone: "+17275550101",
      firstName: "Ann",
      lastName: "Archer",
      origin: "vici_import",
      meta: {
        vici_lead_id: 1,
        vici_lead_ids: [1, 2],
        vici_campaign_id: "Auto2",
        vici_status: "NA",
        last_call_date: daysAgo(5),
      },
      createdAt: "2026-11-01T00:00:01Z",
    },
    {
      externalLeadId: "BR-B",
      phone: "+18135550102",
      firstName: "Bob",
      lastName: "Baker",
      origin: "vici_import",
      meta: { vici_lead_id: 3, vici_campaign_id: "Auto2", vici_status: "HOTLD", last_call_date: daysAgo(40) },
      createdAt: "2026-11-01T00:00:02Z",
    },
    {
      externalLeadId: "BR-C",
      phone: "+13055550103",
      firstName: "Cy",
      lastName: "Cole",
      origin: "vici_import",
      meta: { vici_lead_id: 4, vici_campaign_id: null, vici_status: "ZZTOP" },
      createdAt: "2026-11-01T00:00:03Z",
    },
    {
      externalLeadId: "V-6",
      phone: "+14155550105",
      firstName: "Di",
      lastName: "Dunn",
      origin: "vici_import",
      doNotCall: true,
      doNotCallReason: "dnc",
      meta: { vici_lead_id: 6, vici_campaign_id: "Autodial", vici_status: "DNC" },
      createdAt: "2026-11-01T00:00:04Z",
    },
    {
      externalLeadId: "BR-E",
      phone: "+15125550106",
      firstName: "María",
      lastName: "González",
      origin: "api",
      createdAt: "2026-11-01T00:00:05Z",
    },
  ]);
});

afterAll(() => gw?.stop());

const LEAD_FIELDS = `
  id externalLeadId phone firstName origin doNotCall doNotCallReason meta lastCallAt
  vici { leadId listId campaignId vendorLeadCode phone calledCount lastLocalCallTime lastCallAt entryDate modifyDate
         status { code name category } }
  viciLeads { leadId listId campaignId phone status { code name category } lastCallAt }`;

describe("lead(...)", () => {
  it("merges a Brain lead with every Vici row of its phone; the latest call over all rows wins", async () => {
    const { status, body } = await gw.gql(`query { lead(phone: "(727) 555-0101") { ${LEAD_FIELDS} } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const lead = body.data.lead;
    expect(lead).toMatchObject({ externalLeadId: "EXT-A", phone: "+17275550101", origin: "vici_import" });
    // Primary row (meta.vici_lead_id) with its campaign from vicidial_lists.
    expect(lead.vici).toMatchObject({
      leadId: 1,
      listId: 1001,
      campaignId: "Auto2",
      vendorLeadCode: "EXT-A",
      phone: "+17275550101",
      calledCount: 1,
      status: { code: "NA", name: "No Answer AutoDial", category: "NO_ANSWER" },
      // The lead's own local wall clock: returned as is, without a zone.
      lastLocalCallTime: "2026-11-01T09:00:00",
    });
    // Both rows of the phone, in two campaigns; the Autodial row uses Autodial's XFER (a sale).
    const rows = [...lead.viciLeads].sort((a: any, b: any) => a.leadId - b.leadId);
    expect(rows.map((r: any) => [r.leadId, r.campaignId, r.status.code, r.status.category])).toEqual([
      [1, "Auto2", "NA", "NO_ANSWER"],
      [2, "Autodial", "XFER", "SALE"],
    ]);
    // 2026-08-10 20:30 in New York (EDT, -4) is 2026-08-11 00:30 UTC, on the non-primary row.
    expect(lead.lastCallAt).toBe("2026-08-11T00:30:00.000Z");
    expect(lead.vici.lastCallAt).toBe("2026-07-04T16:00:00.000Z");
  });

  it("converts Vici server-local DATETIMEs with VICI_TIMEZONE, winter and summer", async () => {
    const { body } = await gw.gql(
      `query { lead(externalLeadId: "BR-B") { vici { entryDate lastCallAt modifyDate } } }`,
    );
    // 2026-01-15 10:00 EST (-5) and 2026-02-01 08:00 EST.
    expect(body.data.lead.vici.entryDate).toBe("2026-01-15T15:00:00.000Z");
    expect(body.data.lead.vici.lastCallAt).toBe("2026-02-01T13:00:00.000Z");
    // modify_date is a TIMESTAMP set by MariaDB on insert: a real instant near now.
    expect(Math.abs(Date.parse(body.data.lead.vici.modifyDate) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("finds a Vici row stored with the country code glued on (API quirk) as the same phone", async () => {
    const { body } = await gw.gql(`query { lead(externalLeadId: "BR-B") { viciLeads { leadId phoneNumber phone } } }`);
    expect(body.data.lead.viciLeads.map((r: any) => r.leadId).sort()).toEqual([3, 7]);
    expect(body.data.lead.viciLeads.find((r: any) => r.leadId === 7)).toMatchObject({
      phoneNumber: "18135550102",
      phone: "+18135550102",
    });
  });

  it("keeps an unknown status code raw with category OTHER; an orphan list has no campaign", async () => {
    const { body } = await gw.gql(
      `query { lead(id: "3") { vici { listId campaignId status { code name category } } } }`,
    );
    expect(body.data.lead.vici).toEqual({
      listId: 101,
      campaignId: null,
      status: { code: "ZZTOP", name: null, category: "OTHER" },
    });
  });

  it("looks up by id, externalLeadId and any phone format; a miss is null", async () => {
    for (const args of [`id: "1"`, `externalLeadId: "EXT-A"`, `phone: "+1 727 555 0101"`, `phone: "17275550101"`]) {
      const { body } = await gw.gql(`query { lead(${args}) { externalLeadId } }`);
      expect(body.data.lead).toEqual({ externalLeadId: "EXT-A" });
    }
    const { body } = await gw.gql(`query { lead(externalLeadId: "nope") { id } }`);
    expect(body).toEqual({ data: { lead: null } });
  });

  it("still finds the primary Vici row when it holds another phone than the Brain lead", async () => {
    const [id] = await insertBrainLeads(gw.app.brain, [
      { externalLeadId: "MOVED", phone: "+16025550107", meta: { vici_lead_id: 5 } },
    ]);
    try {
      const { body } = await gw.gql(`query { lead(id: "${id}") { vici { leadId phone } viciLeads { leadId } } }`);
      expect(body.data.lead).toEqual({ vici: { leadId: 5, phone: "+12125550104" }, viciLeads: [] });
    } finally {
      await gw.app.brain.query("DELETE FROM leads WHERE id = $1", [id]);
    }
  });

  it("a Brain-only lead has no Vici side", async () => {
    const { body } = await gw.gql(
      `query { lead(externalLeadId: "BR-E") { firstName vici { leadId } viciLeads { leadId } lastCallAt } }`,
    );
    expect(body.data.lead).toEqual({ firstName: "María", vici: null, viciLeads: [], lastCallAt: null });
  });

  it.each([
    ["no key", `lead { id }`, "BAD_USER_INPUT"],
    ["two keys", `lead(id: "1", phone: "7275550101") { id }`, "BAD_USER_INPUT"],
    ["a non-numeric id", `lead(id: "abc") { id }`, "BAD_USER_INPUT"],
    ["letters in the phone", `lead(phone: "727ABC0101") { id }`, "INVALID_PHONE"],
    ["a too-short phone", `lead(phone: "12345") { id }`, "INVALID_PHONE"],
  ])("rejects %s with a typed error and HTTP 400", async (_name, selection, code) => {
    const { status, body } = await gw.gql(`query { ${selection} }`);
    expect(status).toBe(400);
    expect(body.data?.lead ?? null).toBeNull();
    expect(body.errors[0].extensions.code).toBe(code);
    expect(body.errors[0].message.length).toBeGreaterThan(10);
  });
});

describe("leads(...)", () => {
  const ids = async (args: string) => {
    const { body } = await gw.gql(`query { leads(${args}) { totalCount edges { node { externalLeadId } } } }`);
    expect(body.errors).toBeUndefined();
    return body.data.leads.edges.map((e: any) => e.node.externalLeadId);
  };

  it("filters on campaign, status category, origin, linked, recency, do-not-call and text", async () => {
    expect(await ids(`filter: { campaignIds: ["auto2"] }, orderBy: { field: CREATED_AT, direction: ASC }`)).toEqual([
      "EXT-A",
      "BR-B",
    ]);
    expect(await ids(`filter: { statusCategories: [SALE] }`)).toEqual(["BR-B"]);
    expect(await ids(`filter: { statusCategories: [OTHER] }`)).toEqual(["BR-C"]);
    expect(await ids(`filter: { statusCategories: [DNC, NO_ANSWER] }, orderBy: { direction: ASC }`)).toEqual([
      "EXT-A",
      "V-6",
    ]);
    expect(await ids(`filter: { origins: ["api"] }`)).toEqual(["BR-E"]);
    expect(await ids(`filter: { linked: false }`)).toEqual(["BR-E"]);
    expect((await ids(`filter: { linked: true }`)).length).toBe(4);
    expect(await ids(`filter: { calledWithinDays: 30 }`)).toEqual(["EXT-A"]);
    expect(await ids(`filter: { doNotCall: true }`)).toEqual(["V-6"]);
    expect(await ids(`filter: { search: "gonz" }`)).toEqual(["BR-E"]);
    expect(await ids(`filter: { search: "555-0102" }`)).toEqual(["BR-B"]);
    expect(await ids(`filter: { search: "100%" }`)).toEqual([]);
  });

  it("reports totalCount for the whole filter, not the page", async () => {
    const { body } = await gw.gql(
      `query { leads(first: 1, filter: { linked: true }) { totalCount edges { node { id } } } }`,
    );
    expect(body.data.leads.totalCount).toBe(4);
    expect(body.data.leads.edges).toHaveLength(1);
  });
});

describe("leads pagination", () => {
  beforeAll(async () => {
    // Nine leads created in the same microsecond: only the id breaks the tie.
    const at = "2026-10-01T12:00:00.123456Z";
    await insertBrainLeads(
      gw.app.brain,
      Array.from({ length: 9 }, (_, i) => ({
        externalLeadId: `TIE-${i}`,
        phone: `+1312555020${i}`,
        origin: "csv_import",
        createdAt: at,
      })),
    );
  });

  async function walk(first: number, direction: "ASC" | "DESC", field = "CREATED_AT") {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const { body }: any = await gw.gql(
        `query($after: String) { leads(first: ${first}, after: $after, orderBy: { field: ${field}, direction: ${direction} }) {
           edges { cursor node { externalLeadId } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(body.errors).toBeUndefined();
      const c = body.data.leads;
      expect(c.edges.length).toBeLessThanOrEqual(first);
      if (c.edges.length) expect(c.pageInfo.endCursor).toBe(c.edges.at(-1).cursor);
      seen.push(...c.edges.map((e: any) => e.node.externalLeadId));
      if (!c.pageInfo.hasNextPage) return seen;
      after = c.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }

  it.each([1, 2, 4, 14, 100])("walks every lead exactly once with first=%i, both directions", async (first) => {
    const asc = await walk(first, "ASC");
    const desc = await walk(first, "DESC");
    expect(asc).toHaveLength(14);
    expect(new Set(asc).size).toBe(14);
    expect(desc).toEqual([...asc].reverse());
    // The tied leads come in id order within their shared timestamp.
    expect(asc.filter((x) => x.startsWith("TIE-"))).toEqual(Array.from({ length: 9 }, (_, i) => `TIE-${i}`));
  });

  it("pages by last call, never-called last when newest first", async () => {
    const desc = await walk(3, "DESC", "LAST_CALL_AT");
    expect(desc.slice(0, 2)).toEqual(["EXT-A", "BR-B"]);
    expect(desc).toHaveLength(14);
  });

  it("first: 0 returns no edges but says whether there is more", async () => {
    const { body } = await gw.gql(
      `query { leads(first: 0) { edges { cursor } pageInfo { hasNextPage endCursor } totalCount } }`,
    );
    expect(body.data.leads).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null }, totalCount: 14 });
  });

  it("the last page says there is nothing after it", async () => {
    const { body } = await gw.gql(`query { leads(first: 14) { pageInfo { hasNextPage } } }`);
    expect(body.data.leads.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    ["a page above MAX_PAGE_SIZE", `leads(first: 501) { totalCount }`, "PAGE_SIZE_EXCEEDED"],
    ["a negative page", `leads(first: -1) { totalCount }`, "PAGE_SIZE_EXCEEDED"],
    ["a garbage cursor", `leads(after: "not-a-cursor") { totalCount }`, "INVALID_CURSOR"],
    ["a cursor from another ordering", null, "INVALID_CURSOR"],
    [
      "a forged cursor key",
      `leads(after: "${Buffer.from(JSON.stringify({ k: "lead:CREATED_AT:DESC", v: ["yesterday", "1"] })).toString("base64url")}") { totalCount }`,
      "INVALID_CURSOR",
    ],
    ["a negative recency", `leads(filter: { calledWithinDays: -1 }) { totalCount }`, "BAD_USER_INPUT"],
    ["a one-letter search", `leads(filter: { search: "a" }) { totalCount }`, "BAD_USER_INPUT"],
  ])("rejects %s with a typed error", async (_n, selection, code) => {
    let sel = selection;
    if (sel === null) {
      const { body } = await gw.gql(
        `query { leads(first: 1, orderBy: { direction: ASC }) { pageInfo { endCursor } } }`,
      );
      sel = `leads(after: "${body.data.leads.pageInfo.endCursor}", orderBy: { direction: DESC }) { totalCount }`;
    }
    const { status, body } = await gw.gql(`query { ${sel} }`);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe(code);
  });

  it("rejects a wrongly typed argument before running anything", async () => {
    const { status, body } = await gw.gql(`query { leads(first: "ten") { totalCount } }`);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("viciLeads(...)", () => {
  const leadIds = async (args: string) => {
    const { body } = await gw.gql(
      `query { viciLeads(${args}) { totalCount edges { node { leadId } } pageInfo { hasNextPage } } }`,
    );
    expect(body.errors).toBeUndefined();
    return { ids: body.data.viciLeads.edges.map((e: any) => e.node.leadId), total: body.data.viciLeads.totalCount };
  };

  it("browses Vici by campaign, status, category, vendor code and phone", async () => {
    expect(await leadIds(`filter: { campaignIds: ["Auto2"] }`)).toEqual({ ids: [1, 3, 5, 8], total: 4 });
    expect((await leadIds(`filter: { statuses: ["NEW"] }`)).ids).toEqual([5, 7, 8]);
    expect((await leadIds(`filter: { statusCategories: [SALE] }`)).ids).toEqual([2, 3]);
    expect((await leadIds(`filter: { hasVendorCode: true }`)).ids).toEqual([1, 6]);
    expect((await leadIds(`filter: { hasVendorCode: false, campaignIds: ["Auto2"] }`)).ids).toEqual([3, 5, 8]);
    expect((await leadIds(`filter: { phone: "813-555-0102" }`)).ids).toEqual([3, 7]);
    expect(await leadIds(`filter: { campaignIds: ["NOPE"] }`)).toEqual({ ids: [], total: 0 });
  });

  it("lists rows whose phone Brain does not hold yet, page by page", async () => {
    const first = await gw.gql(
      `query { viciLeads(first: 1, filter: { notInBrain: true }) { totalCount edges { node { leadId brainLead { id } } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(first.body.data.viciLeads).toMatchObject({
      totalCount: null,
      edges: [{ node: { leadId: 5, brainLead: null } }],
      pageInfo: { hasNextPage: true },
    });
    const rest = await gw.gql(
      `query($a: String) { viciLeads(first: 10, after: $a, filter: { notInBrain: true }) { edges { node { leadId } } pageInfo { hasNextPage } } }`,
      {
        a: first.body.data.viciLeads.pageInfo.endCursor,
      },
    );
    // Lead 8 holds a 7-digit number that is no valid phone: Brain cannot hold it.
    expect(rest.body.data.viciLeads).toEqual({ edges: [{ node: { leadId: 8 } }], pageInfo: { hasNextPage: false } });
  });

  it("links each row back to its Brain lead", async () => {
    const { body } = await gw.gql(
      `query { viciLeads(filter: { listIds: [2001] }) { edges { node { leadId brainLead { externalLeadId } } } } }`,
    );
    expect(
      body.data.viciLeads.edges.map((e: any) => [e.node.leadId, e.node.brainLead?.externalLeadId ?? null]),
    ).toEqual([
      [2, "EXT-A"],
      [6, "V-6"],
      [7, "BR-B"],
    ]);
  });

  it("pages in lead_id order with cursors", async () => {
    const a = await gw.gql(
      `query { viciLeads(first: 3) { edges { node { leadId } } pageInfo { endCursor hasNextPage } } }`,
    );
    const b = await gw.gql(
      `query($a: String) { viciLeads(first: 10, after: $a) { edges { node { leadId } } pageInfo { hasNextPage } } }`,
      {
        a: a.body.data.viciLeads.pageInfo.endCursor,
      },
    );
    expect(a.body.data.viciLeads.edges.map((e: any) => e.node.leadId)).toEqual([1, 2, 3]);
    expect(b.body.data.viciLeads.edges.map((e: any) => e.node.leadId)).toEqual([4, 5, 6, 7, 8]);
    expect(b.body.data.viciLeads.pageInfo.hasNextPage).toBe(false);
  });

  it("rejects a Brain cursor and a bad phone", async () => {
    const brainCursor = (await gw.gql(`query { leads(first: 1) { pageInfo { endCursor } } }`)).body.data.leads.pageInfo
      .endCursor;
    const r1 = await gw.gql(`query($a: String) { viciLeads(after: $a) { totalCount } }`, { a: brainCursor });
    expect(r1.body.errors[0].extensions.code).toBe("INVALID_CURSOR");
    const r2 = await gw.gql(`query { viciLeads(filter: { phone: "call me" }) { totalCount } }`);
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0].extensions).toMatchObject({ code: "INVALID_PHONE", field: "filter.phone" });
  });
});

describe("campaigns", () => {
  it("lists campaigns with their lists and lead counts, including one only lists name", async () => {
    const { body } = await gw.gql(
      `query { campaigns { campaignId name active lists { listId name active leadCount } } }`,
    );
    expect(body.data.campaigns).toEqual([
      {
        campaignId: "Auto2",
        name: "Auto Two",
        active: true,
        lists: [
          { listId: 1001, name: "Auto2 A", active: true, leadCount: 3 },
          { listId: 1002, name: "Auto2 B", active: false, leadCount: 1 },
        ],
      },
      {
        campaignId: "Autodial",
        name: "Auto Dial",
        active: false,
        lists: [{ listId: 2001, name: "Autodial A", active: true, leadCount: 3 }],
      },
      {
        campaignId: "GHOST",
        name: null,
        active: false,
        lists: [{ listId: 3001, name: "Ghost", active: true, leadCount: 0 }],
      },
    ]);
  });
});
