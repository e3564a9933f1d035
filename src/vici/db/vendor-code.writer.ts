import type { DataSource } from "typeorm";
import { timedVici } from "./vici-query";

/** One guarded change of vicidial_list.vendor_lead_code: set `to` where the row still holds `from`. */
export interface VendorCodeChange {
  leadId: number;
  /** What the row held when it was read (null = NULL): the row is changed only if it still does. */
  from: string | null;
  to: string | null;
}

/**
 * Rows one UPDATE changes. vicidial_list is MyISAM: each UPDATE locks the whole table against
 * the dialer for as long as it runs. On the 1M-lead bench a row costs 30–50 µs to write
 * whatever the statement's shape (a MEMORY temporary table and UPDATE ... JOIN included), and
 * a statement's cost grows faster than its rows beyond a few thousand (10,000 rows ~0.3–0.6 s,
 * 1,000 rows ~0.03–0.05 s): short statements, the same throughput. See BENCHMARKS.md.
 */
export const ROWS_PER_STATEMENT = 1_000;

/**
 * Changes vendor codes with nothing but UPDATE, the grant VICIdial's own DB user has (no
 * temporary table): per ≤ ROWS_PER_STATEMENT rows one `UPDATE vicidial_list JOIN (SELECT ...
 * UNION ALL ...)` by primary key, guarded to rows that still hold exactly what was read (byte
 * for byte, NULL ≠ ''), so repeating it after a crash, or racing an agent who edited the row,
 * changes nothing that was not meant. Returns the rows changed and the longest statement's ms.
 */
export async function changeVendorCodes(
  vici: DataSource,
  changes: readonly VendorCodeChange[],
): Promise<{ changed: number; longestMs: number }> {
  let changed = 0;
  let longestMs = 0;
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    const part = changes.slice(i, i + ROWS_PER_STATEMENT);
    const rows = part.map((_, k) => (k === 0 ? "SELECT ? AS lead_id, ? AS code_to, ? AS code_from" : "SELECT ?, ?, ?")).join(" UNION ALL ");
    // The column is compared in utf8mb4 and as bytes: a latin1 or *_unicode_ci vicidial_list
    // (older installs) would otherwise refuse the mix of collations, or match case-insensitively.
    const sql =
      `UPDATE vicidial_list vl JOIN (${rows}) c ON c.lead_id = vl.lead_id SET vl.vendor_lead_code = c.code_to ` +
      "WHERE BINARY CONVERT(vl.vendor_lead_code USING utf8mb4) <=> BINARY c.code_from";
    const params = part.flatMap((c) => [c.leadId, c.to, c.from]);
    const t0 = performance.now();
    const result = await timedVici(vici, () => vici.query(sql, params));
    longestMs = Math.max(longestMs, performance.now() - t0);
    changed += Number(result?.affectedRows ?? 0);
  }
  return { changed, longestMs };
}
