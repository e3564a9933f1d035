import { createHash } from "node:crypto";
import type { Connection } from "mysql2/promise";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import { connectServer, viciDdl, VICI_DDL_PATH } from "../src/vici/vici-ddl";
import { dbNameFor, freshViciDb } from "./helpers/databases";
import {
  diffViciSchemas,
  introspectViciSchema,
  readReferenceDdl,
  readSnapshot,
  serverVersion,
  SESSION,
  SNAPSHOT_PATH,
  VICI_TABLES,
  writeSnapshot,
  type ViciSchema,
  type ViciSchemaSnapshot,
} from "./helpers/vici-schema";

/**
 * db/vici-ddl.sql is our own rewrite of VICIdial's tables. It must produce exactly the structure
 * of VICIdial's schema.sql: checked against the committed snapshot always, and against
 * schema.sql itself when it is available (../shared/vici/schema.sql or $VICI_REFERENCE_SCHEMA).
 */

const reference = readReferenceDdl();
const updateSnapshot = process.env.UPDATE_VICI_SNAPSHOT === "1";

const connections: Connection[] = [];
async function open(url: string): Promise<Connection> {
  const t = parseMysqlUrl(url);
  const conn = await connectServer(t, t.database);
  connections.push(conn);
  return conn;
}

let oursUrl: string;
let laxUrl: string;
let strictUrl: string;
let ours: ViciSchema;
let referenceUrl: string | null = null;
let referenceSchema: ViciSchema | null = null;
let snapshot: ViciSchemaSnapshot;

beforeAll(async () => {
  oursUrl = await freshViciDb(dbNameFor(__filename, "ours"));
  ours = await introspectViciSchema(oursUrl);
  laxUrl = await freshViciDb(dbNameFor(__filename, "lax"), SESSION.laxLegacy + viciDdl());
  strictUrl = await freshViciDb(dbNameFor(__filename, "strict"), SESSION.strictModern + viciDdl());
  if (reference.sql !== null) {
    // VICIdial's servers are not strict; schema.sql sets explicit_defaults_for_timestamp itself.
    referenceUrl = await freshViciDb(dbNameFor(__filename, "ref"), SESSION.lax + reference.sql);
    referenceSchema = await introspectViciSchema(referenceUrl);
    if (updateSnapshot) {
      const sha = createHash("sha256").update(reference.sql).digest("hex");
      writeSnapshot(referenceSchema, {
        reference: `shared/vici/schema.sql (VICIdial SVN r2944, db_schema_version 1540), sha256 ${sha}`,
        server: await serverVersion(referenceUrl),
      });
    }
  } else if (updateSnapshot) {
    throw new Error(`UPDATE_VICI_SNAPSHOT=1 needs the reference schema, not found at ${reference.path}`);
  }
  snapshot = readSnapshot();
}, 120_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.end()));
});

describe("db/vici-ddl.sql", () => {
  it("is plain DDL: no database selection, no session settings, no data, no DELIMITER", () => {
    const sql = viciDdl()
      .replace(/--[^\n]*/g, "")
      .replace(/\/\*[\s\S]*?\*\//g, "");
    expect(sql).not.toMatch(/\bcreate\s+(database|schema)\b/i);
    expect(sql).not.toMatch(/^\s*use\s/im);
    expect(sql).not.toMatch(/^\s*set\s/im);
    expect(sql).not.toMatch(/\bdelimiter\b/i);
    expect(sql).not.toMatch(/\b(insert|replace)\s+into\b/i);
    expect(sql).not.toMatch(/\bdrop\s/i);
    const created = [...sql.matchAll(/create\s+table\s+`?(\w+)`?/gi)].map((m) => m[1]).sort();
    expect(created).toEqual([...VICI_TABLES].sort());
  });

  it("creates the 11 VICIdial tables, all MyISAM", () => {
    expect(Object.keys(ours.tables).sort()).toEqual([...VICI_TABLES].sort());
    for (const t of Object.values(ours.tables)) expect(t.engine).toBe("MyISAM");
  });

  it(`matches the committed snapshot of VICIdial's schema (${SNAPSHOT_PATH.replace(/.*\/test\//, "test/")})`, () => {
    expect(Object.keys(snapshot.tables).sort()).toEqual([...VICI_TABLES].sort());
    expect(diffViciSchemas(snapshot, ours, { expected: "snapshot", actual: VICI_DDL_PATH })).toEqual([]);
  });

  it("gives the same structure on a lax legacy server (sql_mode NO_ENGINE_SUBSTITUTION, explicit_defaults_for_timestamp=0)", async () => {
    expect(diffViciSchemas(snapshot, await introspectViciSchema(laxUrl), { expected: "snapshot", actual: "ours (lax)" })).toEqual([]);
  });

  it("gives the same structure on a strict modern server (strict sql_mode, explicit_defaults_for_timestamp=1)", async () => {
    expect(diffViciSchemas(snapshot, await introspectViciSchema(strictUrl), { expected: "snapshot", actual: "ours (strict)" })).toEqual([]);
  });

  it("declares vicidial_list.modify_date the way VICIdial's servers end up with it", () => {
    const col = ours.tables.vicidial_list.columns.find((c) => c.name === "modify_date");
    expect(col).toMatchObject({ type: "timestamp", nullable: "NO" });
    expect(col?.default).toMatch(/^current_timestamp(\(\))?$/i);
    expect(col?.extra).toMatch(/^on update current_timestamp(\(\))?$/i);
  });
});

const referenceTitle =
  reference.sql !== null
    ? `reference schema ${reference.path} matches the snapshot and our DDL${updateSnapshot ? " (snapshot rewritten)" : ""}`
    : `reference schema NOT FOUND at ${reference.path}: snapshot freshness not checked ` +
      "(set VICI_REFERENCE_SCHEMA to VICIdial's schema.sql to check it); our DDL was still checked against the snapshot";

describe("VICIdial reference schema", () => {
  it(referenceTitle, () => {
    if (referenceSchema === null) {
      console.warn(`[vici-ddl] ${referenceTitle}`);
      return;
    }
    expect(diffViciSchemas(referenceSchema, snapshot, { expected: "schema.sql", actual: "snapshot" })).toEqual([]);
    expect(diffViciSchemas(referenceSchema, ours, { expected: "schema.sql", actual: "ours" })).toEqual([]);
  });
});

describe("vicidial_list.modify_date behaviour", () => {
  const targets = (): [string, () => string | null][] => [
    ["our DDL (server defaults)", () => oursUrl],
    ["our DDL (strict, explicit_defaults_for_timestamp=1)", () => strictUrl],
    ["our DDL (lax, explicit_defaults_for_timestamp=0)", () => laxUrl],
    [
      reference.sql !== null ? "VICIdial schema.sql" : "VICIdial schema.sql NOT FOUND (only our DDL checked)",
      () => referenceUrl,
    ],
  ];

  it.each(targets())("%s: set on insert, moved by an UPDATE that changes the row", async (label, urlOf) => {
    const url = urlOf();
    if (url === null) {
      console.warn(`[vici-ddl] ${label}: reference schema not available, behaviour checked on our DDL only`);
      return;
    }
    const conn = await open(url);
    const [ins] = (await conn.query("INSERT INTO vicidial_list (phone_number, list_id) VALUES ('7275550100', 999)")) as unknown as [
      { insertId: number },
    ];
    const leadId = ins.insertId;
    const read = async () => {
      const [[row]] = (await conn.query(
        "SELECT modify_date, TIMESTAMPDIFF(SECOND, modify_date, NOW()) AS age, status, called_since_last_reset, gender, owner, `rank`, called_count, gmt_offset_now, entry_list_id FROM vicidial_list WHERE lead_id = ?",
        [leadId],
      )) as unknown as [[Record<string, unknown>]];
      return row;
    };

    const inserted = await read();
    expect(inserted.modify_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Math.abs(Number(inserted.age))).toBeLessThanOrEqual(5);
    // The other defaults of a lead inserted with only phone and list.
    expect({ ...inserted, modify_date: undefined, age: undefined }).toEqual({
      modify_date: undefined,
      age: undefined,
      status: null,
      called_since_last_reset: "N",
      gender: "U",
      owner: "",
      rank: 0,
      called_count: 0,
      gmt_offset_now: "0.00",
      entry_list_id: 0,
    });

    // Setting modify_date explicitly keeps the given value (no auto-update when the column is assigned).
    await conn.query("UPDATE vicidial_list SET modify_date = '2001-02-03 04:05:06' WHERE lead_id = ?", [leadId]);
    expect((await read()).modify_date).toBe("2001-02-03 04:05:06");

    // An UPDATE that changes nothing does not touch it either (MySQL only bumps changed rows).
    await conn.query("UPDATE vicidial_list SET called_since_last_reset = 'N' WHERE lead_id = ?", [leadId]);
    expect((await read()).modify_date).toBe("2001-02-03 04:05:06");

    // A real change to another column moves it to now.
    await conn.query("UPDATE vicidial_list SET status = 'NA', called_count = called_count + 1 WHERE lead_id = ?", [leadId]);
    const updated = await read();
    expect(updated.modify_date).not.toBe("2001-02-03 04:05:06");
    expect(Math.abs(Number(updated.age))).toBeLessThanOrEqual(5);
  });
});
