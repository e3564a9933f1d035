import type { DataSource, EntityManager } from "typeorm";
import type { AppConfig } from "../config/app-config";

/**
 * What Brain knows about where a VICIdial row came from, for imports and syncHealth:
 * - rows a rollback left in VICIdial (vici_ignored_rows): imports leave them alone;
 * - rows the gateway pushed (a DONE PUSH_LEAD of vici_pushes names them);
 * - the cut-over: from when on new leads are meant to come through Brain.
 */

type Db = DataSource | EntityManager;

/**
 * Lead ids as one bigint[] literal: the import asks thousands a batch, and pg's own array
 * serializer builds the literal by concatenation, then flattens it to measure it.
 */
function idArray(ids: readonly number[]): string {
  return `{${ids.join(",")}}`;
}

export interface IgnoredRow {
  why: string;
  jobId: string | null;
}

/** The rows among these that a rollback marked for imports to leave alone (one statement, by primary key). */
export async function ignoredRows(brain: Db, leadIds: readonly number[]): Promise<Map<number, IgnoredRow>> {
  if (leadIds.length === 0) return new Map();
  const rows: { id: string; why: string; job: string | null }[] = await brain.query(
    "SELECT vici_lead_id::text AS id, why, job_id::text AS job FROM vici_ignored_rows WHERE vici_lead_id = ANY($1::bigint[])",
    [idArray(leadIds)],
  );
  return new Map(rows.map((r) => [Number(r.id), { why: r.why, jobId: r.job }]));
}

/** The rows among these the gateway pushed (createLead, CSV: a delivered PUSH_LEAD), or left after a rollback. */
export async function rowsFromBrain(brain: Db, leadIds: readonly number[]): Promise<Set<number>> {
  if (leadIds.length === 0) return new Set();
  const rows: { id: string }[] = await brain.query(
    `SELECT o.vici_lead_id::text AS id FROM vici_pushes o
      WHERE o.vici_lead_id = ANY($1::bigint[]) AND o.kind = 'PUSH_LEAD' AND o.state = 'DONE'
     UNION
     SELECT vici_lead_id::text FROM vici_ignored_rows WHERE vici_lead_id = ANY($1::bigint[])`,
    [idArray(leadIds)],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * The cut-over: VICI_CUTOVER_AT when set, else the moment the gateway first delivered a new
 * lead to VICIdial (the earliest DONE PUSH_LEAD), else null (nothing pushed yet: no cut-over).
 */
export async function cutoverAt(brain: Db, config: AppConfig): Promise<Date | null> {
  if (config.vici.cutoverAt) return config.vici.cutoverAt;
  const [r]: { at: Date | null }[] = await brain.query(
    "SELECT min(done_at) AS at FROM vici_pushes WHERE kind = 'PUSH_LEAD' AND state = 'DONE' AND vici_lead_id IS NOT NULL",
  );
  return r?.at ? new Date(r.at) : null;
}
