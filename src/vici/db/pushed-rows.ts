import type { DataSource } from "typeorm";
import { timedVici, viciQuery } from "./vici-query";

/**
 * "Untouched since the gateway pushed it": what a rollback needs to know before it deletes a
 * vicidial_list row its job created. Each check is one SQL condition on the row (alias `vl`),
 * used both by the read that reports why a row is kept and by the db writer's guarded DELETE,
 * so the two can never disagree. A row is untouched when every check holds:
 *
 * - `called_count = 0`: never dialed (the dialer and manual dials count every attempt);
 * - `status = 'NEW'`: the status both writers insert (an agent's disposition, a callback's
 *   CBHOLD/CALLBK, an admin's change all move it);
 * - `called_since_last_reset = 'N'`: not dialed since its list was last reset;
 * - `UNIX_TIMESTAMP(modify_date) <= <the push's delivery>`: not UPDATEd after the push.
 *   modify_date is a TIMESTAMP that VICIdial's schema bumps on every UPDATE of the row (an
 *   agent's or admin's edit, a list move, the dialer's status and count updates, also the
 *   nightly gmt_offset_now cron at a DST change: such a row is kept, conservatively). It is
 *   read as an instant, so no time zone shifts it; it has whole seconds, so an edit in the
 *   very second of the push cannot be told from the insert. The push's delivery is Brain's
 *   clock, modify_date the dialer's: keep both on NTP (a dialer clock ahead keeps rows);
 * - no `vicidial_log` / `vicidial_closer_log` row with its lead_id: no outbound or inbound
 *   call was logged against it (even one that did not move called_count);
 * - not in `vicidial_hopper`: VICIdial has not queued it for dialing.
 *
 * `last_local_call_time` is not a check: VICIdial's API sets it to the insert time, and every
 * dial moves called_count and modify_date anyway.
 */
export const UNTOUCHED_CHECKS = [
  { name: "never_dialed", sql: "vl.called_count = 0", why: "dialed (called_count > 0)" },
  { name: "status_new", sql: "vl.status = 'NEW'", why: "status changed from NEW" },
  {
    name: "not_reset_dialed",
    sql: "vl.called_since_last_reset = 'N'",
    why: "dialed since its list's last reset (called_since_last_reset is not N)",
  },
  { name: "not_modified", sql: "UNIX_TIMESTAMP(vl.modify_date) <= ?", why: "edited since the push (modify_date)" },
  {
    name: "no_outbound_call",
    sql: "NOT EXISTS (SELECT 1 FROM vicidial_log g WHERE g.lead_id = vl.lead_id)",
    why: "has calls in vicidial_log",
  },
  {
    name: "no_inbound_call",
    sql: "NOT EXISTS (SELECT 1 FROM vicidial_closer_log c WHERE c.lead_id = vl.lead_id)",
    why: "has calls in vicidial_closer_log",
  },
  {
    name: "not_in_hopper",
    sql: "NOT EXISTS (SELECT 1 FROM vicidial_hopper h WHERE h.lead_id = vl.lead_id)",
    why: "queued in vicidial_hopper",
  },
] as const;

/** The guard of a pushed row: it still sits in `listId` and is untouched since `pushedAt`. */
export interface PushedRowGuard {
  listId: number;
  /** When Brain recorded the push as delivered (vici_pushes.done_at). */
  pushedAt: Date;
}

/** The SQL of every check ANDed (alias `vl`), and its parameters. */
export function untouchedSql(pushedAt: Date): { sql: string; params: unknown[] } {
  return {
    sql: UNTOUCHED_CHECKS.map((c) => `(${c.sql})`).join(" AND "),
    params: UNTOUCHED_CHECKS.flatMap((c) => (c.sql.includes("?") ? [Math.floor(pushedAt.getTime() / 1000)] : [])),
  };
}

/** A pushed row as a rollback sees it. */
export interface PushedRowState {
  leadId: number;
  listId: number;
  campaignId: string | null;
  status: string | null;
  /** The checks that fail (their `why`); empty = untouched. */
  touched: string[];
}

/**
 * The rows with these lead_ids (one statement, by primary key), each with the checks it fails
 * against its own push time. Rows that are gone are absent from the map.
 */
export async function readPushedRows(
  vici: DataSource,
  pushes: ReadonlyMap<number, Date>,
): Promise<Map<number, PushedRowState>> {
  const out = new Map<number, PushedRowState>();
  if (pushes.size === 0) return out;
  // Each row is judged against its own push time: one CASE over the ids for the modify_date check.
  const ids = [...pushes.keys()];
  const pushedAtSql = `CASE vl.lead_id ${ids.map(() => "WHEN ? THEN ?").join(" ")} END`;
  const pushedAtParams = ids.flatMap((id) => [id, Math.floor(pushes.get(id)!.getTime() / 1000)]);
  const columns = UNTOUCHED_CHECKS.map((c) => `COALESCE((${c.sql.replace("?", pushedAtSql)}), 0) AS ${c.name}`).join(
    ", ",
  );
  const params = UNTOUCHED_CHECKS.flatMap((c) => (c.sql.includes("?") ? pushedAtParams : []));
  const rows: Record<string, unknown>[] = await viciQuery(
    vici,
    `SELECT vl.lead_id, vl.list_id, vl.status, ls.campaign_id, ${columns}
       FROM vicidial_list vl LEFT JOIN vicidial_lists ls ON ls.list_id = vl.list_id
      WHERE vl.lead_id IN (?)`,
    [...params, ids],
  );
  for (const r of rows) {
    const touched = UNTOUCHED_CHECKS.filter((c) => Number(r[c.name]) !== 1).map((c) =>
      c.name === "status_new" ? `status is ${r.status ?? "NULL"}, not NEW` : c.why,
    );
    out.set(Number(r.lead_id), {
      leadId: Number(r.lead_id),
      listId: Number(r.list_id),
      campaignId: (r.campaign_id as string | null) ?? null,
      status: (r.status as string | null) ?? null,
      touched,
    });
  }
  return out;
}

/**
 * Deletes one pushed row only if it still sits in its list and is untouched (one guarded
 * DELETE: MyISAM has no transactions, the guard is the check). Returns whether it deleted it;
 * repeating it deletes nothing more.
 */
export async function deleteUntouchedRow(vici: DataSource, leadId: number, guard: PushedRowGuard): Promise<boolean> {
  const u = untouchedSql(guard.pushedAt);
  const result = await timedVici(vici, () =>
    vici.query(`DELETE vl FROM vicidial_list vl WHERE vl.lead_id = ? AND vl.list_id = ? AND ${u.sql}`, [
      leadId,
      guard.listId,
      ...u.params,
    ]),
  );
  return Number(result?.affectedRows ?? 0) === 1;
}
