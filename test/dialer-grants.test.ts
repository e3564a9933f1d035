import type { Connection } from "mysql2/promise";
import { startTestGateway, type TestGateway } from "./helpers/gateway";
import { dbNameFor, viciRootUrl } from "./helpers/databases";
import { DIALER_GRANTS } from "./helpers/dialer-user";
import { insertSystemStatuses, insertVici } from "./helpers/fixtures";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { SyncJobKind } from "../src/jobs/sync-job.types";
import { connectServer } from "../src/vici/vici-ddl";
import { DataSource } from "typeorm";
import { ManagedCampaigns } from "../src/vici/db/managed-campaigns";
import {
  VendorCodeWriter,
  ROWS_PER_STATEMENT,
  type ChangeShape,
  type VendorCodeChange,
} from "../src/vici/db/vendor-code.writer";
import { hasJsonTable, jsonTableIn } from "../src/vici/db/vici-query";
import { allVendorCodeChanges } from "./helpers/vendor-code-changes";

/**
 * The gateway as VICIdial's own DB user: SELECT, INSERT, UPDATE, DELETE, LOCK TABLES and
 * nothing else (what VICIdial's install grants, and what an operator will give us). Every
 * test's gateway runs as such a user (test/helpers/dialer-user.ts); here the grants themselves
 * are checked, and the vendor-code write-back and its rollback are run across several
 * statements.
 */
const TZ = "America/New_York";
/** Both statement shapes of the writer (JSON_TABLE where the server has it, UNION ALL anywhere). */
const SHAPES: ChangeShape[] = ["JSON_TABLE", "UNION_ALL"];
/** More rows than two statements hold: the write-back and the rollback each take three. */
const LEADS = 2 * ROWS_PER_STATEMENT + 500;
let gw: TestGateway;
let root: Connection;
/** Raw compare-and-set changes (REPLACE: the guard is the only rule), through the one writer. */
const changeVendorCodes = (ds: DataSource, changes: VendorCodeChange[], shape?: ChangeShape) =>
  new VendorCodeWriter(ds, gw.app.services.managed, shape).change(changes, "REPLACE");

const run = async (kind: SyncJobKind, opts: Record<string, unknown> = {}) => {
  const job = await gw.app.services.syncJobs.start({ kind, campaigns: ["Auto2"], batchSize: 5000, ...opts }, "test");
  await gw.app.jobs.drain();
  return gw.app.services.syncJobs.get(job.id);
};
const codes = async (ids: number[]): Promise<Record<number, string | null>> =>
  Object.fromEntries(
    (
      await gw.app.vici.query(
        "SELECT lead_id, vendor_lead_code FROM vicidial_list WHERE lead_id IN (?) ORDER BY lead_id",
        [ids],
      )
    ).map((r: any) => [Number(r.lead_id), r.vendor_lead_code]),
  );

beforeAll(async () => {
  gw = await startTestGateway(__filename, { VICI_TIMEZONE: TZ });
  const t = parseMysqlUrl(viciRootUrl(dbNameFor(__filename)));
  root = await connectServer(t, t.database);
  const v = gw.app.vici;
  await insertSystemStatuses(v);
  await insertVici(v, "vicidial_campaigns", [{ campaign_id: "Auto2", campaign_name: "Auto Two", active: "Y" }]);
  await insertVici(v, "vicidial_lists", [{ list_id: 1001, list_name: "A1", campaign_id: "Auto2", active: "Y" }]);
  // Every third row has an empty code (''), the others NULL: both are "no code".
  await insertVici(
    v,
    "vicidial_list",
    Array.from({ length: LEADS }, (_, i) => ({
      lead_id: i + 1,
      list_id: 1001,
      status: "NEW",
      phone_code: "1",
      phone_number: String(7275000000 + i),
      entry_date: "2025-01-02 10:00:00",
      vendor_lead_code: i % 3 === 0 ? "" : null,
    })),
  );
}, 60_000);

afterAll(async () => {
  await root?.end();
  await gw?.stop();
});

describe("the gateway's VICIdial user", () => {
  it("holds exactly SELECT, INSERT, UPDATE, DELETE, LOCK TABLES on its database: no temporary tables, no DDL", async () => {
    const grants: string[] = (await gw.app.vici.query("SHOW GRANTS FOR CURRENT_USER()")).map((r: any) =>
      String(Object.values(r)[0]),
    );
    const db = dbNameFor(__filename);
    expect(grants.filter((g) => !/^GRANT USAGE ON \*\.\*/.test(g))).toEqual([
      expect.stringContaining(`GRANT ${DIALER_GRANTS} ON \`${db}\`.*`),
    ]);
    await expect(gw.app.vici.query("CREATE TEMPORARY TABLE tmp_probe (id INT) ENGINE=MEMORY")).rejects.toThrow(
      /access denied/i,
    );
    await expect(gw.app.vici.query("CREATE TABLE probe (id INT)")).rejects.toThrow(/denied/i);
    // LOCK TABLES, which VICIdial's own scripts use, is there.
    const runner = gw.app.vici.createQueryRunner();
    try {
      await runner.query("LOCK TABLES vicidial_lists READ");
      await runner.query("UNLOCK TABLES");
    } finally {
      await runner.release();
    }
  });
});

describe("the writer's statement", () => {
  it("is JSON_TABLE where the server has it (MariaDB 10.6+, MySQL 8.0.4+), else UNION ALL", async () => {
    const [{ v }] = await gw.app.vici.query("SELECT VERSION() AS v");
    expect(await hasJsonTable(gw.app.vici)).toBe(jsonTableIn(String(v)));
    expect(
      [
        "10.11.19-MariaDB-0+deb12u1",
        "10.6.0-MariaDB",
        "10.5.22-MariaDB-log",
        "5.5.5-10.3.39-MariaDB",
        "8.0.36",
        "8.0.3",
        "5.7.44-log",
      ].map(jsonTableIn),
    ).toEqual([true, true, false, false, true, false, false]);
  });
});

describe("vendor codes and their rollback under those grants", () => {
  it("FULL writes every code back and the rollback restores every row, each in several short statements", async () => {
    const full = await run(SyncJobKind.FULL);
    expect(full).toMatchObject({ state: "SUCCEEDED", error: null, created: LEADS, updated: LEADS, conflicts: 0 });
    const ids = Array.from({ length: LEADS }, (_, i) => i + 1);
    const brain = new Map<string, string>(
      (await gw.app.brain.query("SELECT phone, external_lead_id FROM leads")).map((r: any) => [
        r.phone,
        r.external_lead_id,
      ]),
    );
    const written = await codes(ids);
    expect(ids.filter((id) => written[id] !== brain.get(`+1${7275000000 + id - 1}`))).toEqual([]);
    expect(full.longestStatementMs).toBeGreaterThan(0);

    const rb = await gw.app.services.syncJobs.rollback(full.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({ state: "SUCCEEDED", error: null, skipped: 0 });
    const restored = await codes(ids);
    expect(ids.filter((id) => restored[id] !== ((id - 1) % 3 === 0 ? "" : null))).toEqual([]);
  });

  it("a rollback repeated after a crash counts the rows it already put back as restored, not as changed by someone", async () => {
    // The FULL above was rolled back: Brain is empty again.
    expect(await run(SyncJobKind.VICI_IMPORT)).toMatchObject({ state: "SUCCEEDED", created: LEADS });
    const job = await run(SyncJobKind.VENDOR_CODES);
    expect(job).toMatchObject({ state: "SUCCEEDED", updated: LEADS });
    // The rollback's first run died after its VICIdial write and before its checkpoint: rows 1..100 are back already.
    const changes = (await allVendorCodeChanges(gw.app.brain, job.id)).filter((c) => c.leadId <= 100);
    expect(changes).toHaveLength(100);
    await changeVendorCodes(
      gw.app.vici,
      changes.map((c) => ({ leadId: c.leadId, from: c.after, to: c.before })),
    );

    const rb = await gw.app.services.syncJobs.rollback(job.id, false, null);
    await gw.app.jobs.drain();
    expect(await gw.app.services.syncJobs.get(rb.id)).toMatchObject({ state: "SUCCEEDED", updated: LEADS, skipped: 0 });
    expect(await gw.app.services.syncJobRepo.issues(rb.id, { first: 10 })).toEqual([]);
  });
});

describe.each(SHAPES)("the vendor-code writer (%s): guarded to rows that still hold what was read", (shape) => {
  beforeEach(async () => {
    await gw.app.vici.query(
      "UPDATE vicidial_list SET vendor_lead_code = CASE lead_id WHEN 1 THEN NULL WHEN 2 THEN '' WHEN 3 THEN 'abc' WHEN 4 THEN 'x ' ELSE vendor_lead_code END WHERE lead_id <= 4",
    );
  });

  it("changes a row only when it holds exactly the value read: NULL is not '', case and trailing spaces count", async () => {
    const r = await changeVendorCodes(
      gw.app.vici,
      [
        { leadId: 1, from: "", to: "N1" }, // holds NULL
        { leadId: 2, from: null, to: "N2" }, // holds ''
        { leadId: 3, from: "ABC", to: "N3" }, // holds 'abc'
        { leadId: 4, from: "x", to: "N4" }, // holds 'x '
      ],
      shape,
    );
    expect(r.changed).toBe(0);
    expect(await codes([1, 2, 3, 4])).toEqual({ 1: null, 2: "", 3: "abc", 4: "x " });

    const again = [
      { leadId: 1, from: null, to: "N1" },
      { leadId: 2, from: "", to: "N2" },
      { leadId: 3, from: "abc", to: "N3" },
      { leadId: 4, from: "x ", to: "N4" },
      { leadId: 999_999, from: null, to: "GONE" }, // deleted since it was read: nothing is inserted
    ];
    expect((await changeVendorCodes(gw.app.vici, again, shape)).changed).toBe(4);
    expect(await codes([1, 2, 3, 4])).toEqual({ 1: "N1", 2: "N2", 3: "N3", 4: "N4" });
    // Repeated (a crash before the checkpoint): nothing changes.
    expect((await changeVendorCodes(gw.app.vici, again, shape)).changed).toBe(0);
    expect(await codes([999_999])).toEqual({});
    // Put back as read (a rollback): NULL stays NULL, '' stays '', spaces and case as they were.
    const back = again.map((c) => ({ leadId: c.leadId, from: c.to, to: c.from }));
    expect((await changeVendorCodes(gw.app.vici, back, shape)).changed).toBe(4);
    expect(await codes([1, 2, 3, 4])).toEqual({ 1: null, 2: "", 3: "abc", 4: "x " });
  });

  it("works on an older install's column: utf8 (utf8mb3) with utf8_unicode_ci, and latin1", async () => {
    for (const charset of ["utf8mb3 COLLATE utf8mb3_unicode_ci", "latin1"]) {
      // DDL as root: the gateway's user could not (and never does).
      await root.query(`ALTER TABLE vicidial_list MODIFY vendor_lead_code VARCHAR(20) CHARACTER SET ${charset} NULL`);
      try {
        await gw.app.vici.query("UPDATE vicidial_list SET vendor_lead_code = 'José' WHERE lead_id = 3");
        const r = await changeVendorCodes(
          gw.app.vici,
          [
            { leadId: 3, from: "José", to: "Pérez" },
            { leadId: 4, from: "X ", to: "no" },
          ],
          shape,
        );
        expect(r.changed).toBe(1);
        expect(await codes([3, 4])).toEqual({ 3: "Pérez", 4: "x " });
      } finally {
        await root.query("ALTER TABLE vicidial_list MODIFY vendor_lead_code VARCHAR(20) NULL");
      }
    }
  });
});

describe.each(SHAPES)(
  "the vendor-code writer's other guards (%s): managed rows, the ownership rule, never an insert",
  (shape) => {
    const writer = () => new VendorCodeWriter(gw.app.vici, gw.app.services.managed, shape);
    beforeAll(async () => {
      // Once for both shapes.
      if (!(await gw.app.vici.query("SELECT 1 FROM vicidial_lists WHERE list_id = 9009")).length)
        await insertVici(gw.app.vici, "vicidial_lists", [
          { list_id: 9009, list_name: "Other", campaign_id: "OTHERC", active: "Y" },
        ]);
    });
    beforeEach(async () => {
      await gw.app.vici.query(
        "UPDATE vicidial_list SET list_id = 1001, vendor_lead_code = CASE lead_id WHEN 11 THEN NULL WHEN 12 THEN '' WHEN 13 THEN 'KEEP' WHEN 14 THEN 'own ' ELSE vendor_lead_code END WHERE lead_id BETWEEN 11 AND 14",
      );
    });

    it("writes no row whose list is outside the managed campaigns", async () => {
      // VICI_CAMPAIGNS=Auto2 (this gateway manages every campaign)
      const managed = new ManagedCampaigns(gw.app.vici, ["auto2"]);
      expect(managed.manages("OTHERC")).toBe(false);
      const writer = () => new VendorCodeWriter(gw.app.vici, managed, shape);
      await gw.app.vici.query("UPDATE vicidial_list SET list_id = 9009 WHERE lead_id = 11");
      const r = await writer().change(
        [
          { leadId: 11, from: null, to: "W11" },
          { leadId: 12, from: "", to: "W12" },
        ],
        "FILL",
      );
      expect(r.changed).toBe(1);
      expect(await codes([11, 12])).toEqual({ 11: null, 12: "W12" });
      expect(await writer().setIfEmpty(11, "W11")).toEqual({ outcome: "NOT_MANAGED" });
      expect(await codes([11])).toEqual({ 11: null });
    });

    it("a FILL never replaces another code (the ownership rule); setIfEmpty tells ALREADY (as VICIdial compares) from CONFLICT", async () => {
      await expect(writer().change([{ leadId: 13, from: "KEEP", to: "W13" }], "FILL")).rejects.toThrow(
        /replace another code/,
      );
      expect(await codes([13])).toEqual({ 13: "KEEP" });
      expect(await writer().setIfEmpty(13, "W13")).toEqual({ outcome: "CONFLICT", current: "KEEP" });
      expect(await writer().setIfEmpty(14, "OWN")).toEqual({ outcome: "ALREADY" });
      expect(await writer().setIfEmpty(12, "W12")).toEqual({ outcome: "SET" });
      expect(await writer().setIfEmpty(12, "W12")).toEqual({ outcome: "ALREADY" });
      expect(await writer().setIfEmpty(999_998, "GONE")).toEqual({ outcome: "MISSING" });
      expect(await codes([12, 13, 14, 999_998])).toEqual({ 12: "W12", 13: "KEEP", 14: "own " });
    });

    it.each([
      ["strict", "STRICT_TRANS_TABLES,STRICT_ALL_TABLES"],
      ["non-strict", ""],
    ])("a row deleted after it was read is not re-created, in %s sql_mode", async (_mode, sqlMode) => {
      // One connection of its own, so the session's sql_mode holds for the writer's statements.
      const ds = new DataSource({ type: "mysql", url: gw.config.vici.url, extra: { connectionLimit: 1 } });
      await ds.initialize();
      try {
        await ds.query(`SET SESSION sql_mode = '${sqlMode}'`);
        const before = Number((await ds.query("SELECT COUNT(*) AS n FROM vicidial_list"))[0].n);
        await gw.app.vici.query("UPDATE vicidial_list SET vendor_lead_code = NULL WHERE lead_id = 11");
        await root.query("DELETE FROM vicidial_list WHERE lead_id = 20");
        const w = new VendorCodeWriter(ds, gw.app.services.managed, shape);
        const r = await w.change(
          [
            { leadId: 11, from: null, to: "S11" },
            { leadId: 20, from: null, to: "S20" },
            { leadId: 888_888, from: "", to: "S88" },
          ],
          "FILL",
        );
        expect(r.changed).toBe(1);
        expect(await w.setIfEmpty(20, "S20")).toEqual({ outcome: "MISSING" });
        expect(await codes([11, 20, 888_888])).toEqual({ 11: "S11" });
        expect(Number((await ds.query("SELECT COUNT(*) AS n FROM vicidial_list"))[0].n)).toBe(before - 1);
      } finally {
        await ds.destroy();
        await insertVici(gw.app.vici, "vicidial_list", [
          {
            lead_id: 20,
            list_id: 1001,
            status: "NEW",
            phone_code: "1",
            phone_number: String(7275000019),
            entry_date: "2025-01-02 10:00:00",
            vendor_lead_code: null,
          },
        ]).catch(() => undefined);
      }
    });
  },
);
