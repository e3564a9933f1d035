import type { DataSource } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { createViciDataSource } from "../src/data-sources/vici.data-source";
import {
  VicidialCampaignDncEntity,
  VicidialCampaignEntity,
  VicidialCampaignStatusEntity,
  VicidialCloserLogEntity,
  VicidialDncEntity,
  VicidialListAltPhoneEntity,
  VicidialListEntity,
  VicidialListsEntity,
  VicidialLogEntity,
  VicidialStatusEntity,
  viciEntities,
  WALL_CLOCK_COLUMNS,
} from "../src/entities/vici";
import { dbNameFor, freshViciDb } from "./helpers/databases";

/**
 * The VICIdial entities against the real tables (db/vici-ddl.sql, which test/vici-ddl.test.ts
 * proves identical to VICIdial's): every mapped column exists with the declared type, and values
 * come back as the gateway expects them (wall-clock strings, numbers, zero dates intact).
 */

interface DbColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  column_type: string;
  is_nullable: "YES" | "NO";
  char_len: number | null;
  num_precision: number | null;
  num_scale: number | null;
  extra: string;
}

/** Tables without a primary key in VICIdial, where the entity declares a unique key as primary. */
const PRIMARY_FROM_UNIQUE: Record<string, string> = {
  vicidial_campaign_dnc: "phonecamp",
  vicidial_campaign_statuses: "vicidial_campaign_statuses_key",
};

let ds: DataSource;
let dbColumns: Map<string, DbColumn>;
let dbIndexes: Map<string, { nonUnique: number; columns: string[] }>;

const key = (table: string, name: string) => `${table}.${name}`;

beforeAll(async () => {
  const url = await freshViciDb(dbNameFor(__filename));
  ds = createViciDataSource(url);
  await ds.initialize();
  const db = ds.options.database as string;
  const cols = (await ds.query(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type,
            IS_NULLABLE AS is_nullable, CHARACTER_MAXIMUM_LENGTH AS char_len, NUMERIC_PRECISION AS num_precision,
            NUMERIC_SCALE AS num_scale, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    [db],
  )) as DbColumn[];
  dbColumns = new Map(cols.map((c) => [key(c.table_name, c.column_name), c]));
  const idx = (await ds.query(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [db],
  )) as { table_name: string; index_name: string; non_unique: number | string; column_name: string }[];
  dbIndexes = new Map();
  for (const r of idx) {
    const k = key(r.table_name, r.index_name);
    const entry = dbIndexes.get(k) ?? { nonUnique: Number(r.non_unique), columns: [] };
    entry.columns.push(r.column_name);
    dbIndexes.set(k, entry);
  }
});

afterAll(async () => {
  if (ds?.isInitialized) await ds.destroy();
});

function problemsOf(table: string, target: Function, col: ColumnMetadata): string[] {
  const where = `${target.name}.${col.propertyName} → ${table}.${col.databaseName}`;
  const db = dbColumns.get(key(table, col.databaseName));
  if (!db) return [`${where}: column does not exist`];
  const out: string[] = [];
  const wallClock = WALL_CLOCK_COLUMNS.get(target)?.get(col.propertyName);
  const declared = wallClock ?? String(col.type);
  if (declared !== db.data_type) out.push(`${where}: type ${declared}, table has ${db.column_type}`);
  if (!wallClock && (declared === "varchar" || declared === "char") && Number(col.length) !== Number(db.char_len)) {
    out.push(`${where}: length ${col.length}, table has ${db.column_type}`);
  }
  if (declared === "decimal" && (Number(col.precision) !== Number(db.num_precision) || Number(col.scale) !== Number(db.num_scale))) {
    out.push(`${where}: decimal(${col.precision},${col.scale}), table has ${db.column_type}`);
  }
  if (declared === "enum") {
    const values = (col.enum ?? []).map((v) => `'${v}'`).join(",");
    if (`enum(${values})` !== db.column_type) out.push(`${where}: enum(${values}), table has ${db.column_type}`);
  }
  if (/int$/.test(declared) && Boolean(col.unsigned) !== db.column_type.includes("unsigned")) {
    out.push(`${where}: unsigned=${Boolean(col.unsigned)}, table has ${db.column_type}`);
  }
  const nullableOk = col.isNullable === (db.is_nullable === "YES") || (col.isPrimary && table in PRIMARY_FROM_UNIQUE);
  if (!nullableOk) out.push(`${where}: nullable=${col.isNullable}, table IS_NULLABLE=${db.is_nullable}`);
  if ((col.generationStrategy === "increment") !== db.extra.includes("auto_increment")) {
    out.push(`${where}: generated=${col.generationStrategy ?? "no"}, table EXTRA=${db.extra}`);
  }
  return out;
}

describe("VICIdial entities (TypeORM metadata vs information_schema)", () => {
  it("registers the ten entities", () => {
    expect(ds.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
      [
        "vicidial_campaign_dnc",
        "vicidial_campaign_statuses",
        "vicidial_campaigns",
        "vicidial_closer_log",
        "vicidial_dnc",
        "vicidial_list",
        "vicidial_list_alt_phones",
        "vicidial_lists",
        "vicidial_log",
        "vicidial_statuses",
      ].sort(),
    );
    expect(viciEntities).toHaveLength(10);
  });

  it("maps only existing columns, with the table's type, length, enum values, sign and nullability", () => {
    const problems = ds.entityMetadatas.flatMap((m) => m.columns.flatMap((c) => problemsOf(m.tableName, m.target as Function, c)));
    expect(problems).toEqual([]);
  });

  it("maps every column of the fully mapped tables", () => {
    const partial = new Set(["vicidial_lists", "vicidial_campaigns"]);
    const missing: string[] = [];
    for (const m of ds.entityMetadatas) {
      if (partial.has(m.tableName)) continue;
      const mapped = new Set(m.columns.map((c) => c.databaseName));
      for (const k of dbColumns.keys()) {
        const [table, column] = k.split(".");
        if (table === m.tableName && !mapped.has(column)) missing.push(k);
      }
    }
    expect(missing).toEqual([]);
  });

  it("declares as primary exactly the table's primary key (or its unique key where VICIdial has no primary key)", () => {
    const problems: string[] = [];
    for (const m of ds.entityMetadatas) {
      const declared = m.primaryColumns.map((c) => c.databaseName);
      const indexName = PRIMARY_FROM_UNIQUE[m.tableName] ?? "PRIMARY";
      const index = dbIndexes.get(key(m.tableName, indexName));
      if (!index || index.nonUnique) problems.push(`${m.tableName}: no unique index ${indexName}`);
      else if (declared.join(",") !== index.columns.join(",")) {
        problems.push(`${m.tableName}: entity primary (${declared}) vs ${indexName} (${index.columns})`);
      }
      if (PRIMARY_FROM_UNIQUE[m.tableName] && dbIndexes.has(key(m.tableName, "PRIMARY"))) {
        problems.push(`${m.tableName}: has a PRIMARY KEY after all`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("VICIdial entities (values)", () => {
  it("reads a lead: wall-clock strings and zero dates untouched, numbers as numbers, `rank` quoted", async () => {
    await ds.query(
      `INSERT INTO vicidial_list (entry_date, status, list_id, gmt_offset_now, phone_code, phone_number, date_of_birth,
                                  last_local_call_time, \`rank\`, vendor_lead_code, entry_list_id)
       VALUES ('2024-03-10 02:30:00', 'NEW', 99999999999999, -5.00, '1', '7275550101', '0000-00-00',
               '0000-00-00 00:00:00', -3, 'EXT-1', 0)`,
    );
    const repo = ds.getRepository(VicidialListEntity);
    const lead = await repo.findOneByOrFail({ phoneNumber: "7275550101" });
    expect(lead).toMatchObject({
      entryDate: "2024-03-10 02:30:00", // a DST-gap time in the US: must not be shifted
      status: "NEW",
      listId: 99999999999999,
      gmtOffsetNow: -5,
      phoneCode: "1",
      dateOfBirth: "0000-00-00",
      lastLocalCallTime: "0000-00-00 00:00:00",
      rank: -3,
      vendorLeadCode: "EXT-1",
      entryListId: 0,
      calledSinceLastReset: "N",
      gender: "U",
      calledCount: 0,
      owner: "",
    });
    expect(lead.modifyDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(typeof lead.leadId).toBe("number");

    const byRank = await repo.find({ where: { rank: -3 }, order: { rank: "ASC" } });
    expect(byRank.map((l) => l.leadId)).toEqual([lead.leadId]);
  });

  it("writes a lead through TypeORM without converting its datetimes, and lets the server own modify_date", async () => {
    const repo = ds.getRepository(VicidialListEntity);
    const saved = await repo.save(
      repo.create({
        phoneNumber: "7275550102",
        phoneCode: "1",
        listId: 999,
        status: "NEW",
        entryDate: "2024-11-03 01:30:00",
        lastLocalCallTime: "0000-00-00 00:00:00",
        dateOfBirth: "1980-02-29",
        gmtOffsetNow: -4.5,
      }),
    );
    const [raw] = (await ds.query(
      "SELECT entry_date, last_local_call_time, date_of_birth, gmt_offset_now, list_id, modify_date FROM vicidial_list WHERE lead_id = ?",
      [saved.leadId],
    )) as Record<string, unknown>[];
    expect(raw).toMatchObject({
      entry_date: "2024-11-03 01:30:00",
      last_local_call_time: "0000-00-00 00:00:00",
      date_of_birth: "1980-02-29",
      gmt_offset_now: "-4.50",
    });
    expect(String(raw.list_id)).toBe("999");
    expect(raw.modify_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    await ds.query("UPDATE vicidial_list SET modify_date = '2001-01-01 00:00:00' WHERE lead_id = ?", [saved.leadId]);
    await repo.update({ leadId: saved.leadId }, { vendorLeadCode: "EXT-2" });
    const after = await repo.findOneByOrFail({ leadId: saved.leadId });
    expect(after.vendorLeadCode).toBe("EXT-2");
    expect(after.modifyDate).not.toBe("2001-01-01 00:00:00");
  });

  it("reads every entity's table through TypeORM", async () => {
    await ds.query(
      "INSERT INTO vicidial_lists (list_id, list_name, campaign_id, active, list_changedate) VALUES (999, 'Default', 'AUTO', 'Y', '0000-00-00 00:00:00')",
    );
    await ds.query("INSERT INTO vicidial_campaigns (campaign_id, campaign_name, active, use_internal_dnc) VALUES ('AUTO', 'Auto', 'Y', 'AREACODE')");
    await ds.query("INSERT INTO vicidial_statuses (status, status_name, dnc) VALUES ('DNC', 'DO NOT CALL', 'Y')");
    await ds.query("INSERT INTO vicidial_campaign_statuses (status, campaign_id, status_name) VALUES ('XYZ', 'AUTO', 'Custom')");
    await ds.query(
      "INSERT INTO vicidial_log (uniqueid, lead_id, list_id, campaign_id, call_date, status, phone_number) VALUES ('1700000000.1', 1, 999, 'AUTO', '2024-05-01 09:00:00', 'NA', '7275550101')",
    );
    await ds.query("INSERT INTO vicidial_closer_log (lead_id, call_date, queue_seconds) VALUES (1, '2024-05-01 10:00:00', 12.5)");
    await ds.query("INSERT INTO vicidial_dnc (phone_number) VALUES ('727XXXXXXX')");
    await ds.query("INSERT INTO vicidial_campaign_dnc (phone_number, campaign_id) VALUES ('7275550101', 'AUTO')");
    await ds.query("INSERT INTO vicidial_list_alt_phones (lead_id, phone_number, alt_phone_count) VALUES (1, '7275550199', 1)");

    expect(await ds.getRepository(VicidialListsEntity).findOneByOrFail({ listId: 999 })).toEqual({
      listId: 999,
      listName: "Default",
      campaignId: "AUTO",
      active: "Y",
      listDescription: null,
      listChangedate: "0000-00-00 00:00:00",
      listLastcalldate: null,
      resetTime: "",
      expirationDate: "2099-12-31",
      localCallTime: "campaign",
    });
    expect(await ds.getRepository(VicidialCampaignEntity).findOneByOrFail({ campaignId: "AUTO" })).toMatchObject({
      campaignName: "Auto",
      active: "Y",
      dialStatuses: " NEW -",
      useInternalDnc: "AREACODE",
      useCampaignDnc: "N",
      useOtherCampaignDnc: "",
      manualDialListId: 998,
    });
    expect(await ds.getRepository(VicidialStatusEntity).findOneByOrFail({ status: "DNC" })).toMatchObject({ dnc: "Y", sale: "N" });
    expect(await ds.getRepository(VicidialCampaignStatusEntity).findOneByOrFail({ status: "XYZ", campaignId: "AUTO" })).toMatchObject({
      statusName: "Custom",
      category: "UNDEFINED",
    });
    expect(await ds.getRepository(VicidialLogEntity).findOneByOrFail({ uniqueid: "1700000000.1" })).toMatchObject({
      leadId: 1,
      listId: 999,
      callDate: "2024-05-01 09:00:00",
      termReason: "NONE",
      altDial: "NONE",
    });
    expect(await ds.getRepository(VicidialCloserLogEntity).findOneByOrFail({ leadId: 1 })).toMatchObject({
      callDate: "2024-05-01 10:00:00",
      queueSeconds: 12.5,
      uniqueid: "",
      queuePosition: 1,
    });
    expect(await ds.getRepository(VicidialDncEntity).findOneByOrFail({ phoneNumber: "727XXXXXXX" })).toEqual({ phoneNumber: "727XXXXXXX" });
    expect(await ds.getRepository(VicidialCampaignDncEntity).find()).toEqual([{ phoneNumber: "7275550101", campaignId: "AUTO" }]);
    expect(await ds.getRepository(VicidialListAltPhoneEntity).findOneByOrFail({ leadId: 1 })).toMatchObject({
      phoneNumber: "7275550199",
      altPhoneCount: 1,
      active: "Y",
    });
  });
});
