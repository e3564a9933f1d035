import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";

/**
 * The audit's and syncHealth's reads of VICIdial (audit.service.ts in src/services decides what they
 * mean). vicidial_list is read `WHERE list_id IN (...)` (its list_id index) and streamed by the
 * (list_id, phone_number) index in short keyset chunks: every table is MyISAM, and a long read
 * holds a lock that makes the dialer's UPDATEs wait (the service's header has the numbers).
 */

/** Rows, unique phones (when asked) and rows with a vendor code of some lists: one statement. */
export async function listCounts(
  ds: DataSource,
  listIds: readonly number[],
  phones: boolean,
): Promise<{ rows: number; uniquePhones: number; rowsWithVendorCode: number }> {
  const [r] = await viciQuery(
    ds,
    `SELECT COUNT(*) AS n_rows,
            ${phones ? "COUNT(DISTINCT COALESCE(phone_code, ''), phone_number)" : "0"} AS n_phones,
            COALESCE(SUM(vendor_lead_code IS NOT NULL AND vendor_lead_code <> ''), 0) AS n_coded
       FROM vicidial_list WHERE list_id IN (?)`,
    [listIds],
  );
  return { rows: Number(r.n_rows), uniquePhones: Number(r.n_phones), rowsWithVendorCode: Number(r.n_coded) };
}

/**
 * Streams the rows of some lists, `chunk` at a time, handing each chunk to `each` before
 * reading the next. Per list, keyset on the (list_id, phone_number) index (`list_phone`):
 * `WHERE list_id = ? AND phone_number > ? ORDER BY phone_number LIMIT n`, an index range read
 * in index order (no filesort). A full chunk may end inside one phone's rows: that phone's
 * rows are read whole (`phone_number = ?`, same index) and the next chunk starts after it.
 * Rows always carry lead_id, phone_code and phone_number; `columns` adds more.
 */
export async function scanLists(
  ds: DataSource,
  listIds: readonly number[],
  columns: string,
  columnParams: unknown[],
  chunk: number,
  each: (rows: Record<string, any>[]) => Promise<void>,
): Promise<void> {
  const select = `SELECT lead_id, phone_code, phone_number${columns ? ", " + columns : ""} FROM vicidial_list`;
  for (const listId of listIds) {
    let after: string | null = null;
    for (;;) {
      const rows: Record<string, any>[] = await viciQuery(
        ds,
        `${select} WHERE list_id = ?${after === null ? "" : " AND phone_number > ?"} ORDER BY phone_number LIMIT ?`,
        [...columnParams, listId, ...(after === null ? [] : [after]), chunk],
      );
      if (rows.length < chunk) {
        if (rows.length) await each(rows);
        break;
      }
      const last = String(rows[rows.length - 1].phone_number);
      const tail: Record<string, any>[] = await viciQuery(ds, `${select} WHERE list_id = ? AND phone_number = ?`, [
        ...columnParams,
        listId,
        last,
      ]);
      const inTail = new Set(tail.map((r) => Number(r.lead_id)));
      await each([...rows.filter((r) => !inTail.has(Number(r.lead_id))), ...tail]);
      after = last;
    }
  }
}

/** These rows' list and vendor code ('' when none), by primary key; ids that are gone are absent. */
export async function listsAndCodesOf(
  ds: DataSource,
  leadIds: readonly number[],
): Promise<Map<number, { listId: number; code: string }>> {
  const rows = new Map<number, { listId: number; code: string }>();
  if (!leadIds.length) return rows;
  const found = await viciQuery(
    ds,
    "SELECT lead_id, list_id, vendor_lead_code FROM vicidial_list WHERE lead_id IN (?)",
    [leadIds],
  );
  for (const r of found) rows.set(Number(r.lead_id), { listId: Number(r.list_id), code: r.vendor_lead_code ?? "" });
  return rows;
}

/** The rows of the lists carrying one of these vendor codes. */
export async function rowsCarryingCodes(
  ds: DataSource,
  listIds: readonly number[],
  codes: readonly string[],
): Promise<number[]> {
  const rows = await viciQuery(
    ds,
    "SELECT lead_id FROM vicidial_list WHERE list_id IN (?) AND vendor_lead_code IN (?)",
    [listIds, codes],
  );
  return rows.map((r: any) => Number(r.lead_id));
}

/**
 * Phones (phone_code + phone_number) with 2+ rows in these list groups, each group's rows
 * counted unless their status is one of its `exceptStatuses`: one GROUP BY. The number of such
 * phones and the lead ids of the first `sample` ones (by lowest lead_id).
 */
export async function phonesOnSeveralRows(
  ds: DataSource,
  groups: readonly { listIds: readonly number[]; exceptStatuses: readonly string[] }[],
  sample: number,
): Promise<{ count: number; sample: number[] }> {
  const conds: string[] = [];
  const params: unknown[] = [];
  for (const g of groups) {
    conds.push(
      g.exceptStatuses.length ? "(list_id IN (?) AND (status IS NULL OR status NOT IN (?)))" : "(list_id IN (?))",
    );
    params.push(g.listIds);
    if (g.exceptStatuses.length) params.push(g.exceptStatuses);
  }
  if (conds.length === 0) return { count: 0, sample: [] };
  const [r] = await viciQuery(
    ds,
    `SELECT COUNT(*) AS n, SUBSTRING_INDEX(GROUP_CONCAT(ids ORDER BY first_id SEPARATOR ','), ',', ${sample}) AS sample
       FROM (SELECT MIN(lead_id) AS first_id, GROUP_CONCAT(CAST(lead_id AS CHAR) ORDER BY lead_id SEPARATOR ',') AS ids
               FROM vicidial_list
              WHERE ${conds.join(" OR ")}
              GROUP BY COALESCE(phone_code, ''), phone_number
             HAVING COUNT(*) >= 2) d`,
    params,
  );
  return { count: Number(r.n), sample: idList(r.sample) };
}

/**
 * Numbers dialed from 2+ distinct leads since `from` (VICIdial's wall clock): a call_date index
 * range of vicidial_log (no phone_number index there), grouped by number. `campaignIds`
 * non-empty: only numbers with at least one call of those campaigns in the window count.
 */
export async function numbersDialedFromSeveralLeads(
  ds: DataSource,
  from: string,
  campaignIds: readonly string[],
  sample: number,
): Promise<{ count: number; sample: number[] }> {
  const params: unknown[] = [from];
  let having = "COUNT(DISTINCT lead_id) >= 2";
  if (campaignIds.length) {
    having += " AND SUM(campaign_id IN (?)) > 0";
    params.push(campaignIds);
  }
  const [r] = await viciQuery(
    ds,
    `SELECT COUNT(*) AS n, SUBSTRING_INDEX(GROUP_CONCAT(ids ORDER BY first_id SEPARATOR ','), ',', ${sample}) AS sample
       FROM (SELECT MIN(lead_id) AS first_id, GROUP_CONCAT(DISTINCT CAST(lead_id AS CHAR) ORDER BY lead_id SEPARATOR ',') AS ids
               FROM vicidial_log
              WHERE call_date >= ?
              GROUP BY phone_number
             HAVING ${having}) d`,
    params,
  );
  return { count: Number(r.n), sample: idList(r.sample) };
}

/** A comma-separated id list from GROUP_CONCAT (string or Buffer) → numbers. */
function idList(v: unknown): number[] {
  if (v === null || v === undefined) return [];
  const text = Buffer.isBuffer(v) ? v.toString("utf8") : String(v);
  return text
    .split(",")
    .filter((s) => /^[0-9]+$/.test(s))
    .map(Number);
}
