import { createHash } from "node:crypto";
import type { Connection } from "mysql2/promise";
import { parseMysqlUrl } from "../src/data-sources/vici.data-source";
import {
  connectServer,
  viciCallLimitsDdl,
  viciDdl,
  VICI_CALL_LIMITS_DDL_PATH,
  VICI_DDL_PATH,
} from "../src/vici/vici-ddl";
import { dbNameFor, freshViciDb } from "./helpers/databases";
import {
  CALL_LIMIT_TABLES,
  DIALABILITY_SNAPSHOT_PATH,
  DIALABILITY_TABLES,
  diffViciSchemas,
  introspectViciSchema,
  mergeSchemas,
  pickTables,
  readReferenceDdl,
  readSnapshot,
  referenceDialabilityPath,
  serverVersion,
  SESSION,
  SNAPSHOT_PATH,
  VICI_TABLES,
  writeSnapshot,
  type ColumnShape,
  type ViciSchema,
  type ViciSchemaSnapshot,
} from "./helpers/vici-schema";

/**
 * db/vici-ddl.sql is our own rewrite of VICIdial's tables, db/vici-ddl-call-limits.sql the
 * call-count tables of later versions. They must produce exactly the structure of VICIdial's
 * schema.sql and schema-dialability.sql: checked against the committed snapshots always, and
 * against the reference files themselves when they are available (../shared/vici/, or
 * $VICI_REFERENCE_SCHEMA / $VICI_REFERENCE_DIALABILITY_SCHEMA). CI has them: there a missing
 * reference fails the run; elsewhere its checks are skipped (and listed as skipped).
 */

const reference = readReferenceDdl();
const dialabilityReference = readReferenceDdl(referenceDialabilityPath());
const updateSnapshot = process.env.UPDATE_VICI_SNAPSHOT === "1";
const inCi = process.env.CI === "true" || process.env.CI === "1";

/** A test that needs a reference file: run it, fail it in CI when the file is missing, else skip it visibly. */
function withReference(ref: { path: string; sql: string | null }, title: string, fn: () => Promise<unknown>): void {
  if (ref.sql !== null) it(title, fn);
  else if (inCi) {
    it(`${title} — reference NOT FOUND at ${ref.path}`, () => {
      throw new Error(
        `CI must check ${title} against ${ref.path}, which is missing (CI expects ../shared next to the repo)`,
      );
    });
  } else it.skip(`${title} — reference NOT FOUND at ${ref.path} (put ../shared next to the repo to check it)`, fn);
}

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
let later: ViciSchema;
let referenceUrl: string | null = null;
let referenceSchema: ViciSchema | null = null;
let dialabilityReferenceSchema: ViciSchema | null = null;
let snapshot: ViciSchemaSnapshot;
let dialabilitySnapshot: ViciSchemaSnapshot;

/** What db/vici-ddl.sql must create: schema.sql's tables and schema-dialability.sql's r2944 ones. */
const expectedBase = () => mergeSchemas(snapshot, pickTables(dialabilitySnapshot, DIALABILITY_TABLES));

beforeAll(async () => {
  oursUrl = await freshViciDb(dbNameFor(__filename, "ours"));
  ours = await introspectViciSchema(oursUrl);
  laxUrl = await freshViciDb(dbNameFor(__filename, "lax"), SESSION.laxLegacy + viciDdl() + viciCallLimitsDdl());
  strictUrl = await freshViciDb(
    dbNameFor(__filename, "strict"),
    SESSION.strictModern + viciDdl() + viciCallLimitsDdl(),
  );
  later = await introspectViciSchema(
    await freshViciDb(dbNameFor(__filename, "later"), viciDdl() + viciCallLimitsDdl()),
  );
  const refs = [
    {
      ref: reference,
      name: "schema.sql",
      path: SNAPSHOT_PATH,
      suffix: "ref",
      about: "(VICIdial SVN r2944, db_schema_version 1540)",
    },
    {
      ref: dialabilityReference,
      name: "schema-dialability.sql",
      path: DIALABILITY_SNAPSHOT_PATH,
      suffix: "refdial",
      about: "(VICIdial SVN r2944 tables and three r3939 call-count tables)",
    },
  ];
  for (const r of refs) {
    if (r.ref.sql === null) {
      if (updateSnapshot)
        throw new Error(`UPDATE_VICI_SNAPSHOT=1 needs the reference schema, not found at ${r.ref.path}`);
      continue;
    }
    // VICIdial's servers are not strict; the reference files set explicit_defaults_for_timestamp themselves.
    const url = await freshViciDb(dbNameFor(__filename, r.suffix), SESSION.lax + r.ref.sql);
    const schema = await introspectViciSchema(url);
    if (r.suffix === "ref") [referenceUrl, referenceSchema] = [url, schema];
    else dialabilityReferenceSchema = schema;
    if (updateSnapshot) {
      const sha = createHash("sha256").update(r.ref.sql).digest("hex");
      writeSnapshot(
        schema,
        {
          reference: `shared/vici/${r.name} ${r.about}, sha256 ${sha}`,
          server: await serverVersion(url),
          file: r.name,
        },
        r.path,
      );
    }
  }
  snapshot = readSnapshot();
  dialabilitySnapshot = readSnapshot(DIALABILITY_SNAPSHOT_PATH);
}, 120_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.end()));
});

/** SQL text without comments. */
const code = (sql: string) => sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
const createdTables = (sql: string) => [...sql.matchAll(/create\s+table\s+`?(\w+)`?/gi)].map((m) => m[1]).sort();

describe("db/vici-ddl.sql", () => {
  it("is plain DDL: no database selection, no session settings, no data, no DELIMITER", () => {
    for (const sql of [code(viciDdl()), code(viciCallLimitsDdl())]) {
      expect(sql).not.toMatch(/\bcreate\s+(database|schema)\b/i);
      expect(sql).not.toMatch(/^\s*use\s/im);
      expect(sql).not.toMatch(/^\s*set\s/im);
      expect(sql).not.toMatch(/\bdelimiter\b/i);
      expect(sql).not.toMatch(/\b(insert|replace)\s+into\b/i);
      expect(sql).not.toMatch(/\bdrop\s/i);
    }
    expect(createdTables(code(viciDdl()))).toEqual([...VICI_TABLES, ...DIALABILITY_TABLES].sort());
    // The later file creates the three call-count tables and alters nothing but vicidial_campaigns.
    expect(createdTables(code(viciCallLimitsDdl()))).toEqual([...CALL_LIMIT_TABLES].sort());
    expect([...code(viciCallLimitsDdl()).matchAll(/alter\s+table\s+`?(\w+)`?/gi)].map((m) => m[1])).toEqual([
      "vicidial_campaigns",
    ]);
  });

  it("creates the 11 mapped VICIdial tables and the 11 r2944 dialability tables, all MyISAM", () => {
    expect(Object.keys(ours.tables).sort()).toEqual([...VICI_TABLES, ...DIALABILITY_TABLES].sort());
    for (const t of Object.values(ours.tables)) expect(t.engine).toBe("MyISAM");
  });

  it(`matches the committed snapshots of VICIdial's schemas (${SNAPSHOT_PATH.replace(/.*\/test\//, "test/")}, ${DIALABILITY_SNAPSHOT_PATH.replace(/.*\/test\//, "test/")})`, () => {
    expect(Object.keys(snapshot.tables).sort()).toEqual([...VICI_TABLES].sort());
    expect(Object.keys(dialabilitySnapshot.tables).sort()).toEqual(
      [...DIALABILITY_TABLES, ...CALL_LIMIT_TABLES].sort(),
    );
    expect(diffViciSchemas(expectedBase(), ours, { expected: "snapshots", actual: VICI_DDL_PATH })).toEqual([]);
  });

  it("gives the same structure on a lax legacy server (sql_mode NO_ENGINE_SUBSTITUTION, explicit_defaults_for_timestamp=0)", async () => {
    const lax = await introspectViciSchema(laxUrl);
    expect(
      diffViciSchemas(expectedBase(), withCampaigns(lax), { expected: "snapshots", actual: "ours (lax)" }),
    ).toEqual([]);
  });

  it("gives the same structure on a strict modern server (strict sql_mode, explicit_defaults_for_timestamp=1)", async () => {
    const strict = await introspectViciSchema(strictUrl);
    expect(
      diffViciSchemas(expectedBase(), withCampaigns(strict), { expected: "snapshots", actual: "ours (strict)" }),
    ).toEqual([]);
  });

  it("declares vicidial_list.modify_date the way VICIdial's servers end up with it", () => {
    const col = ours.tables.vicidial_list.columns.find((c) => c.name === "modify_date");
    expect(col).toMatchObject({ type: "timestamp", nullable: "NO" });
    expect(col?.default).toMatch(/^current_timestamp(\(\))?$/i);
    expect(col?.extra).toMatch(/^on update current_timestamp(\(\))?$/i);
  });
});

/** The later columns of vicidial_campaigns, as SVN r3939 declares them (CALLTIMES.md section 7). */
const LATER_CAMPAIGN_COLUMNS: Pick<ColumnShape, "name" | "type" | "default">[] = [
  { name: "daily_call_count_limit", type: "tinyint(3) unsigned", default: "0" },
  { name: "daily_limit_manual", type: "varchar(20)", default: "'DISABLED'" },
  { name: "call_limit_24hour_method", type: "enum('DISABLED','PHONE_NUMBER','LEAD')", default: "'DISABLED'" },
  { name: "call_limit_24hour_scope", type: "enum('SYSTEM_WIDE','CAMPAIGN_LISTS')", default: "'SYSTEM_WIDE'" },
  { name: "call_limit_24hour", type: "tinyint(3) unsigned", default: "0" },
  { name: "call_limit_24hour_override", type: "varchar(40)", default: "'DISABLED'" },
  { name: "daily_phone_number_call_limit", type: "tinyint(3) unsigned", default: "0" },
];

/** A "later VICIdial" schema with its vicidial_campaigns cut back to the r2944 columns (checked apart). */
function withCampaigns(schema: ViciSchema): ViciSchema {
  const later = new Set(LATER_CAMPAIGN_COLUMNS.map((c) => c.name));
  const campaigns = schema.tables.vicidial_campaigns;
  return {
    tables: {
      ...pickTables(schema, [...VICI_TABLES, ...DIALABILITY_TABLES]).tables,
      vicidial_campaigns: { ...campaigns, columns: campaigns.columns.filter((c) => !later.has(c.name)) },
    },
  };
}

describe("db/vici-ddl-call-limits.sql (later VICIdial versions)", () => {
  it("adds exactly the three call-count tables of schema-dialability.sql, column for column and index for index", () => {
    expect(Object.keys(later.tables).sort()).toEqual(
      [...VICI_TABLES, ...DIALABILITY_TABLES, ...CALL_LIMIT_TABLES].sort(),
    );
    expect(
      diffViciSchemas(pickTables(dialabilitySnapshot, CALL_LIMIT_TABLES), pickTables(later, CALL_LIMIT_TABLES), {
        expected: "snapshot",
        actual: VICI_CALL_LIMITS_DDL_PATH,
      }),
    ).toEqual([]);
  });

  it("adds the seven later campaign settings at the end of vicidial_campaigns and changes nothing else", () => {
    const cols = later.tables.vicidial_campaigns.columns;
    const added = cols.slice(-LATER_CAMPAIGN_COLUMNS.length);
    expect(added.map((c) => ({ name: c.name, type: c.type, default: c.default, nullable: c.nullable }))).toEqual(
      LATER_CAMPAIGN_COLUMNS.map((c) => ({ ...c, nullable: "YES" })),
    );
    expect(
      diffViciSchemas(expectedBase(), withCampaigns(later), { expected: "snapshots", actual: "ours + call limits" }),
    ).toEqual([]);
  });

  it("loads each table on its own, for servers that have only some of them", async () => {
    const parts = code(viciCallLimitsDdl())
      .split(";")
      .map((s) => s.trim())
      .filter((s) => /^create\s+table/i.test(s));
    expect(parts).toHaveLength(3);
    for (const [i, part] of parts.entries()) {
      const url = await freshViciDb(dbNameFor(__filename, `part${i}`), viciDdl() + "\n" + part + ";");
      const schema = await introspectViciSchema(url);
      expect(Object.keys(schema.tables)).toHaveLength(VICI_TABLES.length + DIALABILITY_TABLES.length + 1);
    }
  });
});

describe("VICIdial reference schemas", () => {
  withReference(
    reference,
    `schema.sql matches its snapshot and our DDL${updateSnapshot ? " (snapshot rewritten)" : ""}`,
    async () => {
      expect(diffViciSchemas(referenceSchema!, snapshot, { expected: "schema.sql", actual: "snapshot" })).toEqual([]);
      expect(
        diffViciSchemas(referenceSchema!, pickTables(ours, VICI_TABLES), { expected: "schema.sql", actual: "ours" }),
      ).toEqual([]);
    },
  );

  withReference(
    dialabilityReference,
    `schema-dialability.sql matches its snapshot, our DDL and the call-limits DDL${updateSnapshot ? " (snapshot rewritten)" : ""}`,
    async () => {
      const ref = dialabilityReferenceSchema!;
      expect(
        diffViciSchemas(ref, dialabilitySnapshot, { expected: "schema-dialability.sql", actual: "snapshot" }),
      ).toEqual([]);
      expect(
        diffViciSchemas(pickTables(ref, DIALABILITY_TABLES), pickTables(ours, DIALABILITY_TABLES), {
          expected: "schema-dialability.sql",
          actual: "ours",
        }),
      ).toEqual([]);
      expect(
        diffViciSchemas(pickTables(ref, CALL_LIMIT_TABLES), pickTables(later, CALL_LIMIT_TABLES), {
          expected: "schema-dialability.sql",
          actual: "call-limits DDL",
        }),
      ).toEqual([]);
    },
  );
});

describe("vicidial_list.modify_date behaviour", () => {
  const check = async (url: string) => {
    const conn = await open(url);
    const [ins] = (await conn.query(
      "INSERT INTO vicidial_list (phone_number, list_id) VALUES ('7275550100', 999)",
    )) as unknown as [{ insertId: number }];
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
    await conn.query("UPDATE vicidial_list SET status = 'NA', called_count = called_count + 1 WHERE lead_id = ?", [
      leadId,
    ]);
    const updated = await read();
    expect(updated.modify_date).not.toBe("2001-02-03 04:05:06");
    expect(Math.abs(Number(updated.age))).toBeLessThanOrEqual(5);
  };

  it.each([
    ["our DDL (server defaults)", () => oursUrl],
    ["our DDL (strict, explicit_defaults_for_timestamp=1)", () => strictUrl],
    ["our DDL (lax, explicit_defaults_for_timestamp=0)", () => laxUrl],
  ])("%s: set on insert, moved by an UPDATE that changes the row", (_label, urlOf) => check(urlOf()));

  withReference(reference, "VICIdial schema.sql: set on insert, moved by an UPDATE that changes the row", () =>
    check(referenceUrl!),
  );
});
