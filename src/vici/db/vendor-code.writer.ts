import type { DataSource } from "typeorm";
import { hasJsonTable, timedVici } from "./vici-query";
import type { ManagedCampaigns } from "./managed-campaigns";
import { campaignKeys } from "./managed-campaigns";
import { holdsOtherCode } from "../rules/vendor-code";

/**
 * The one writer of vicidial_list.vendor_lead_code (the db writer's link of an existing row, the
 * VENDOR_CODES write-back and its rollback all go through it). Every write is guarded in SQL:
 * - the row is managed (its list's campaign is one of VICI_CAMPAIGNS: ManagedCampaigns' rule);
 * - the row still holds exactly what the caller read (byte for byte, NULL ≠ ''): a compare-and-set,
 *   so repeating a write after a crash, or racing an agent's edit, changes nothing not meant;
 * - the vendor-code ownership rule (rules/vendor-code.ts): a FILL never replaces another code;
 *   only REPLACE (the job's `overwrite`, a rollback restoring what was there) may.
 * Nothing but UPDATE (VICIdial's ordinary grants): it can never insert a row.
 */

/** One guarded change: set `to` where the row still holds `from`. */
export interface VendorCodeChange {
  leadId: number;
  /** What the row held when it was read (null = NULL): the row is changed only if it still does. */
  from: string | null;
  to: string | null;
}

/** FILL: give an empty row its lead's code (never over another code). REPLACE: overwrite / restore. */
export type VendorCodeWriteKind = "FILL" | "REPLACE";

export type VendorCodeOutcome =
  | { outcome: "SET" }
  | { outcome: "ALREADY" }
  | { outcome: "CONFLICT"; current: string }
  | { outcome: "MISSING" }
  | { outcome: "NOT_MANAGED" };

/**
 * Rows one UPDATE changes. vicidial_list is MyISAM: each UPDATE locks the whole table against
 * the dialer for as long as it runs, so a statement stays well under 0.5 s. A statement's fixed
 * cost (parse, open, lock) is paid per statement: see BENCHMARKS.md for how the size was chosen.
 */
export const ROWS_PER_STATEMENT = 2_500;

/** The managed-row rule as SQL over `vl` (a vicidial_list alias): its list's campaign is managed. */
function managedSql(managed: ManagedCampaigns): { sql: string; params: unknown[] } {
  const keys = campaignKeys(managed.configured);
  // LOWER: ManagedCampaigns compares campaign ids case-insensitively, whatever the column's collation.
  if (keys === null)
    return {
      sql: "vl.list_id IN (SELECT list_id FROM vicidial_lists WHERE campaign_id IS NOT NULL AND campaign_id <> '')",
      params: [],
    };
  if (keys.size === 0) return { sql: "FALSE", params: [] };
  return {
    sql: "vl.list_id IN (SELECT list_id FROM vicidial_lists WHERE LOWER(campaign_id) IN (?))",
    params: [[...keys]],
  };
}

// The column is compared in utf8mb4 and as bytes: a latin1 or *_unicode_ci vicidial_list (older
// installs) would otherwise refuse the mix of collations, or match case-insensitively.
const HOLDS = (v: string) => `BINARY CONVERT(vl.vendor_lead_code USING utf8mb4) <=> BINARY ${v}`;

/**
 * How a statement carries its rows: `JSON_TABLE(?)` (one JSON parameter; MariaDB 10.6+, MySQL
 * 8.0.4+), else `UNION ALL` of one SELECT per row (any server). The same rows, guards and result.
 */
export type ChangeShape = "JSON_TABLE" | "UNION_ALL";

export class VendorCodeWriter {
  /** `shape`: the statement's shape; unset, JSON_TABLE where the server has it. */
  constructor(
    private readonly vici: DataSource,
    private readonly managed: ManagedCampaigns,
    private readonly shape?: ChangeShape,
  ) {}

  /** The server's version is read once per DataSource (vici-query), so this asks nothing twice. */
  private async shapeOf(): Promise<ChangeShape> {
    return this.shape ?? ((await hasJsonTable(this.vici)) ? "JSON_TABLE" : "UNION_ALL");
  }

  /**
   * Guarded changes, in statements of ≤ ROWS_PER_STATEMENT rows (changeStatement), each changing
   * only rows that still hold what was read and are managed. Returns the rows changed and the longest
   * statement's ms. A FILL that would replace another code is a caller's bug: refused whole.
   */
  async change(
    changes: readonly VendorCodeChange[],
    kind: VendorCodeWriteKind,
  ): Promise<{ changed: number; longestMs: number }> {
    if (kind === "FILL") {
      const bad = changes.find((c) => c.to === null || holdsOtherCode(c.from, c.to));
      if (bad) throw new Error(`vendor code FILL of lead ${bad.leadId} would replace another code`);
    }
    if (changes.length === 0) return { changed: 0, longestMs: 0 };
    const m = managedSql(this.managed);
    const shape = await this.shapeOf();
    let changed = 0;
    let longestMs = 0;
    for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
      const part = changes.slice(i, i + ROWS_PER_STATEMENT);
      const { sql, params } = changeStatement(part, m, shape);
      const t0 = performance.now();
      const result = await timedVici(this.vici, () => this.vici.query(sql, params));
      longestMs = Math.max(longestMs, performance.now() - t0);
      changed += Number(result?.affectedRows ?? 0);
    }
    return { changed, longestMs };
  }

  /**
   * The db writer's link of an existing row: the code where the row has none (NULL or blank).
   * ALREADY when it holds this code as VICIdial compares (the ownership rule), CONFLICT when it
   * holds another, NOT_MANAGED when its list is outside the managed campaigns, MISSING when gone.
   */
  async setIfEmpty(leadId: number, code: string): Promise<VendorCodeOutcome> {
    const m = managedSql(this.managed);
    const result = await timedVici(this.vici, () =>
      this.vici.query(
        `UPDATE vicidial_list vl SET vl.vendor_lead_code = ? WHERE vl.lead_id = ? AND (vl.vendor_lead_code IS NULL OR TRIM(vl.vendor_lead_code) = '') AND ${m.sql}`,
        [code, leadId, ...m.params],
      ),
    );
    if (Number(result?.affectedRows ?? 0) === 1) return { outcome: "SET" };
    const [row] = await timedVici(this.vici, () =>
      this.vici.query(`SELECT vl.vendor_lead_code, (${m.sql}) AS managed FROM vicidial_list vl WHERE vl.lead_id = ?`, [
        ...m.params,
        leadId,
      ]),
    );
    if (!row) return { outcome: "MISSING" };
    const current: string = row.vendor_lead_code ?? "";
    if (current.trim() !== "" && !holdsOtherCode(current, code)) return { outcome: "ALREADY" };
    if (Number(row.managed) !== 1) return { outcome: "NOT_MANAGED" };
    return { outcome: "CONFLICT", current };
  }
}

/**
 * One statement for ≤ ROWS_PER_STATEMENT changes: `UPDATE vicidial_list JOIN <the changes>` by
 * primary key. An UPDATE only changes rows that exist: a row deleted since it was read stays
 * deleted, in strict and non-strict sql_mode alike (an INSERT ... ON DUPLICATE KEY UPDATE would
 * re-create it). The changes as `JSON_TABLE(?)`: one parameter, nothing per row for the client
 * to format or the server to parse as SQL (2,500 rows: 121k rows/s against UNION ALL's 101k on
 * the 200k bench, BENCHMARKS.md); a null is left out of its object (NULL ON EMPTY), so no
 * server's reading of a JSON null matters. `UNION ALL` of one SELECT per row runs on every
 * MySQL/MariaDB VICIdial ships with. A multi-row `CASE lead_id WHEN ...` costs O(rows²)
 * (MariaDB tests the WHENs in turn): 5,000 rows 4–7× slower than these.
 */
export function changeStatement(
  part: readonly VendorCodeChange[],
  m: { sql: string; params: unknown[] } = { sql: "TRUE", params: [] },
  shape: ChangeShape = "UNION_ALL",
): { sql: string; params: unknown[] } {
  const set = `SET vl.vendor_lead_code = c.code_to WHERE ${HOLDS("c.code_from")} AND ${m.sql}`;
  if (shape === "JSON_TABLE") {
    const rows = part.map((c) => {
      const o: { i: number; t?: string; f?: string } = { i: c.leadId };
      if (c.to !== null) o.t = c.to;
      if (c.from !== null) o.f = c.from;
      return o;
    });
    return {
      sql:
        `UPDATE vicidial_list vl JOIN JSON_TABLE(?, '$[*]' COLUMNS (lead_id INT UNSIGNED PATH '$.i', ` +
        `code_to VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.t', code_from VARCHAR(255) CHARACTER SET utf8mb4 PATH '$.f')) c ` +
        `ON c.lead_id = vl.lead_id ${set}`,
      params: [JSON.stringify(rows), ...m.params],
    };
  }
  const rows = part
    .map((_, k) => (k === 0 ? "SELECT ? AS lead_id, ? AS code_to, ? AS code_from" : "SELECT ?, ?, ?"))
    .join(" UNION ALL ");
  return {
    sql: `UPDATE vicidial_list vl JOIN (${rows}) c ON c.lead_id = vl.lead_id ${set}`,
    params: [...part.flatMap((c) => [c.leadId, c.to, c.from]), ...m.params],
  };
}
