import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseMysqlUrl } from "../../src/data-sources/vici.data-source";
import { packageRoot } from "../../src/util/package-root";
import { connectServer } from "../../src/vici/vici-ddl";

/**
 * Structure of the VICIdial tables as information_schema reports it, normalised so that two
 * databases (our DDL, VICIdial's own schema.sql, the committed snapshot) can be compared.
 * Character set and collation are recorded relative to the database default, so a snapshot
 * taken on a server whose default collation differs still compares equal.
 */

/** The 11 tables of shared/vici/schema.sql that db/vici-ddl.sql must reproduce. */
export const VICI_TABLES = [
  "vicidial_list",
  "vicidial_lists",
  "vicidial_campaigns",
  "vicidial_statuses",
  "vicidial_campaign_statuses",
  "vicidial_log",
  "vicidial_closer_log",
  "vicidial_dnc",
  "vicidial_campaign_dnc",
  "vicidial_list_alt_phones",
  "vicidial_lists_fields",
] as const;

/**
 * The r2944 tables of shared/vici/schema-dialability.sql (time zones, call times, holidays, DNC
 * log, lead filters and recycling, settings containers, hopper): also in db/vici-ddl.sql.
 */
export const DIALABILITY_TABLES = [
  "vicidial_phone_codes",
  "vicidial_postal_codes",
  "vicidial_nanpa_prefix_codes",
  "vicidial_call_times",
  "vicidial_state_call_times",
  "vicidial_call_time_holidays",
  "vicidial_dnc_log",
  "vicidial_lead_filters",
  "vicidial_lead_recycle",
  "vicidial_settings_containers",
  "vicidial_hopper",
] as const;

/** The three later call-count tables marked in schema-dialability.sql: db/vici-ddl-call-limits.sql. */
export const CALL_LIMIT_TABLES = [
  "vicidial_lead_call_daily_counts",
  "vicidial_lead_24hour_calls",
  "vicidial_phone_number_call_daily_counts",
] as const;

/** Stands for "the database's default character set / collation" in a normalised schema. */
export const DB_DEFAULT = "(database default)";

export interface ColumnShape {
  name: string;
  /** COLUMN_TYPE, e.g. "int(9) unsigned", "enum('Y','N')". */
  type: string;
  nullable: "YES" | "NO";
  /** COLUMN_DEFAULT as the server reports it (MariaDB quotes string literals; 'NULL' = default NULL). */
  default: string | null;
  extra: string;
  charset: string | null;
  collation: string | null;
}

export interface IndexShape {
  name: string;
  nonUnique: 0 | 1;
  /** Columns in SEQ_IN_INDEX order; a prefix index shows as "col(10)". */
  columns: string[];
  indexType: string;
}

export interface TableShape {
  engine: string | null;
  collation: string | null;
  columns: ColumnShape[];
  /** Sorted by index name: declaration order is not part of the structure. */
  indexes: IndexShape[];
}

export interface ViciSchema {
  tables: Record<string, TableShape>;
}

export interface ViciSchemaSnapshot extends ViciSchema {
  about: string;
  reference: string;
  server: string;
}

export const SNAPSHOT_PATH = join(packageRoot(), "test", "fixtures", "vici-schema.snapshot.json");
/** The snapshot of schema-dialability.sql (its r2944 tables and the three later ones). */
export const DIALABILITY_SNAPSHOT_PATH = join(
  packageRoot(),
  "test",
  "fixtures",
  "vici-dialability-schema.snapshot.json",
);

/** VICIdial's own schema.sql: $VICI_REFERENCE_SCHEMA, else <repo>/../shared/vici/schema.sql. */
export function referenceSchemaPath(): string {
  return process.env.VICI_REFERENCE_SCHEMA
    ? resolve(process.env.VICI_REFERENCE_SCHEMA)
    : resolve(packageRoot(), "..", "shared", "vici", "schema.sql");
}

/** schema-dialability.sql: $VICI_REFERENCE_DIALABILITY_SCHEMA, else <repo>/../shared/vici/schema-dialability.sql. */
export function referenceDialabilityPath(): string {
  return process.env.VICI_REFERENCE_DIALABILITY_SCHEMA
    ? resolve(process.env.VICI_REFERENCE_DIALABILITY_SCHEMA)
    : resolve(packageRoot(), "..", "shared", "vici", "schema-dialability.sql");
}

export function readReferenceDdl(path: string = referenceSchemaPath()): { path: string; sql: string | null } {
  return { path, sql: existsSync(path) ? readFileSync(path, "utf8") : null };
}

/** The named tables of a schema (absent ones are left out, so a diff reports them missing). */
export function pickTables(schema: ViciSchema, names: readonly string[]): ViciSchema {
  return { tables: Object.fromEntries(names.filter((n) => schema.tables[n]).map((n) => [n, schema.tables[n]])) };
}

/** The union of schemas' tables (a table in two of them is a mistake: thrown). */
export function mergeSchemas(...schemas: ViciSchema[]): ViciSchema {
  const tables: Record<string, TableShape> = {};
  for (const s of schemas) {
    for (const [name, t] of Object.entries(s.tables)) {
      if (tables[name]) throw new Error(`mergeSchemas: ${name} twice`);
      tables[name] = t;
    }
  }
  return { tables };
}

/** Session prefixes used to load a DDL under one server configuration or another. */
export const SESSION = {
  /** What production VICIdial servers usually run with. */
  laxLegacy: "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';\nSET SESSION explicit_defaults_for_timestamp = 0;\n",
  /** MariaDB >= 10.10 / MySQL 8 defaults. */
  strictModern:
    "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';\n" +
    "SET SESSION explicit_defaults_for_timestamp = 1;\n",
  lax: "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';\n",
} as const;

interface ColumnRow {
  table_name: string;
  name: string;
  type: string;
  nullable: "YES" | "NO";
  dflt: string | null;
  extra: string;
  charset: string | null;
  collation: string | null;
}

interface IndexRow {
  table_name: string;
  name: string;
  non_unique: number | string;
  seq: number;
  column_name: string;
  sub_part: number | null;
  index_type: string;
}

/** Reads the normalised structure of every table in the database named in `url`. */
export async function introspectViciSchema(url: string): Promise<ViciSchema> {
  const target = parseMysqlUrl(url);
  const conn = await connectServer(target, target.database);
  try {
    const db = target.database;
    const [[schemaRow]] = (await conn.query(
      `SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
         FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
      [db],
    )) as unknown as [[{ charset: string; collation: string }]];
    const rel = (value: string | null, dbDefault: string) => (value === dbDefault ? DB_DEFAULT : value);

    const [tableRows] = (await conn.query(
      `SELECT TABLE_NAME AS table_name, ENGINE AS engine, TABLE_COLLATION AS collation
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
      [db],
    )) as unknown as [{ table_name: string; engine: string | null; collation: string | null }[]];
    const [columnRows] = (await conn.query(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
              COLUMN_DEFAULT AS dflt, EXTRA AS extra, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [db],
    )) as unknown as [ColumnRow[]];
    const [indexRows] = (await conn.query(
      `SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
              COLUMN_NAME AS column_name, SUB_PART AS sub_part, INDEX_TYPE AS index_type
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      [db],
    )) as unknown as [IndexRow[]];

    const tables: Record<string, TableShape> = {};
    for (const t of tableRows) {
      tables[t.table_name] = {
        engine: t.engine,
        collation: rel(t.collation, schemaRow.collation),
        columns: [],
        indexes: [],
      };
    }
    for (const c of columnRows) {
      tables[c.table_name]?.columns.push({
        name: c.name,
        type: c.type,
        nullable: c.nullable,
        default: c.dflt,
        extra: c.extra,
        charset: rel(c.charset, schemaRow.charset),
        collation: rel(c.collation, schemaRow.collation),
      });
    }
    for (const i of indexRows) {
      const table = tables[i.table_name];
      if (!table) continue;
      let index = table.indexes.find((x) => x.name === i.name);
      if (!index) {
        index = { name: i.name, nonUnique: Number(i.non_unique) ? 1 : 0, columns: [], indexType: i.index_type };
        table.indexes.push(index);
      }
      // Rows arrive ordered by SEQ_IN_INDEX; keep the check explicit anyway.
      if (index.columns.length !== i.seq - 1)
        throw new Error(`${i.table_name}.${i.name}: SEQ_IN_INDEX gap at ${i.seq}`);
      index.columns.push(i.sub_part ? `${i.column_name}(${i.sub_part})` : i.column_name);
    }
    for (const t of Object.values(tables)) t.indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { tables };
  } finally {
    await conn.end();
  }
}

export async function serverVersion(url: string): Promise<string> {
  const target = parseMysqlUrl(url);
  const conn = await connectServer(target);
  try {
    const [[row]] = (await conn.query("SELECT VERSION() AS v")) as unknown as [[{ v: string }]];
    return row.v;
  } finally {
    await conn.end();
  }
}

const show = (v: unknown) => (v === null ? "NULL(sql)" : JSON.stringify(v));

/**
 * Human-readable differences, one line each ("vicidial_list.modify_date: default expected …").
 * An empty array means the structures are identical.
 */
export function diffViciSchemas(
  expected: ViciSchema,
  actual: ViciSchema,
  labels: { expected: string; actual: string } = { expected: "expected", actual: "actual" },
): string[] {
  const out: string[] = [];
  const E = labels.expected;
  const A = labels.actual;
  for (const name of Object.keys(expected.tables)) {
    if (!actual.tables[name]) out.push(`${name}: table missing in ${A}`);
  }
  for (const name of Object.keys(actual.tables)) {
    if (!expected.tables[name]) out.push(`${name}: table not in ${E} (extra in ${A})`);
  }
  for (const [name, exp] of Object.entries(expected.tables)) {
    const act = actual.tables[name];
    if (!act) continue;
    if (exp.engine !== act.engine) out.push(`${name}: ENGINE ${E}=${show(exp.engine)} ${A}=${show(act.engine)}`);
    if (exp.collation !== act.collation) {
      out.push(`${name}: TABLE_COLLATION ${E}=${show(exp.collation)} ${A}=${show(act.collation)}`);
    }

    const expCols = new Map(exp.columns.map((c) => [c.name, c]));
    const actCols = new Map(act.columns.map((c) => [c.name, c]));
    for (const c of exp.columns) if (!actCols.has(c.name)) out.push(`${name}.${c.name}: column missing in ${A}`);
    for (const c of act.columns)
      if (!expCols.has(c.name)) out.push(`${name}.${c.name}: column not in ${E} (extra in ${A})`);
    const expOrder = exp.columns.map((c) => c.name).filter((n) => actCols.has(n));
    const actOrder = act.columns.map((c) => c.name).filter((n) => expCols.has(n));
    const firstMisplaced = expOrder.findIndex((n, i) => actOrder[i] !== n);
    if (firstMisplaced >= 0) {
      out.push(
        `${name}: column order differs from position ${firstMisplaced + 1}: ${E} has ${expOrder[firstMisplaced]}, ${A} has ${actOrder[firstMisplaced]}`,
      );
    }
    for (const e of exp.columns) {
      const a = actCols.get(e.name);
      if (!a) continue;
      for (const key of ["type", "nullable", "default", "extra", "charset", "collation"] as const) {
        if (e[key] !== a[key]) out.push(`${name}.${e.name}: ${key} ${E}=${show(e[key])} ${A}=${show(a[key])}`);
      }
    }

    const actIdx = new Map(act.indexes.map((i) => [i.name, i]));
    const expIdx = new Map(exp.indexes.map((i) => [i.name, i]));
    for (const i of exp.indexes) {
      const a = actIdx.get(i.name);
      const desc = (x: IndexShape) => `${x.nonUnique ? "" : "unique "}${x.indexType} (${x.columns.join(", ")})`;
      if (!a) out.push(`${name}: index ${i.name} ${desc(i)} missing in ${A}`);
      else if (desc(i) !== desc(a)) out.push(`${name}: index ${i.name} ${E}=${desc(i)} ${A}=${desc(a)}`);
    }
    for (const i of act.indexes) {
      if (!expIdx.has(i.name))
        out.push(`${name}: index ${i.name} (${i.columns.join(", ")}) not in ${E} (extra in ${A})`);
    }
  }
  return out;
}

export function readSnapshot(path: string = SNAPSHOT_PATH): ViciSchemaSnapshot {
  return JSON.parse(readFileSync(path, "utf8")) as ViciSchemaSnapshot;
}

/** Writes the snapshot with one column or index per line, so that reviews show small diffs. */
export function writeSnapshot(
  schema: ViciSchema,
  meta: { reference: string; server: string; file?: string },
  path = SNAPSHOT_PATH,
): void {
  const lines: string[] = [];
  lines.push("{");
  lines.push(
    `  "about": ${JSON.stringify(
      `information_schema of VICIdial's own table definitions (shared/vici/${meta.file ?? "schema.sql"}), normalised by test/helpers/vici-schema.ts. ` +
        "Regenerate: UPDATE_VICI_SNAPSHOT=1 npx jest test/vici-ddl.test.ts (needs the reference schema).",
    )},`,
  );
  lines.push(`  "reference": ${JSON.stringify(meta.reference)},`);
  lines.push(`  "server": ${JSON.stringify(meta.server)},`);
  lines.push(`  "tables": {`);
  const names = Object.keys(schema.tables).sort();
  names.forEach((name, ti) => {
    const t = schema.tables[name];
    lines.push(`    ${JSON.stringify(name)}: {`);
    lines.push(`      "engine": ${JSON.stringify(t.engine)},`);
    lines.push(`      "collation": ${JSON.stringify(t.collation)},`);
    lines.push(`      "columns": [`);
    t.columns.forEach((c, i) => lines.push(`        ${JSON.stringify(c)}${i < t.columns.length - 1 ? "," : ""}`));
    lines.push(`      ],`);
    lines.push(`      "indexes": [`);
    t.indexes.forEach((x, i) => lines.push(`        ${JSON.stringify(x)}${i < t.indexes.length - 1 ? "," : ""}`));
    lines.push(`      ]`);
    lines.push(`    }${ti < names.length - 1 ? "," : ""}`);
  });
  lines.push("  }");
  lines.push("}");
  writeFileSync(path, lines.join("\n") + "\n");
}
