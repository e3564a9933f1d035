import type { DataSource } from "typeorm";
import { DEFAULT_SYSTEM_STATUSES } from "../../src/vici/rules/status-category";
import type { LeadMeta } from "../../src/entities/brain/lead.entity";

/** Multi-row INSERT into a VICIdial table; columns are the union of the rows' keys. */
export async function insertVici(vici: DataSource, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const values = rows.map((r) => cols.map((c) => (c in r ? r[c] : null)));
  await vici.query(`INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(",")}) VALUES ?`, [values]);
}

/** VICIdial's default system statuses, as a fresh install has them. */
export async function insertSystemStatuses(vici: DataSource): Promise<void> {
  const yn = (b: boolean) => (b ? "Y" : "N");
  await insertVici(
    vici,
    "vicidial_statuses",
    DEFAULT_SYSTEM_STATUSES.map((s) => ({
      status: s.status,
      status_name: s.statusName,
      human_answered: yn(s.humanAnswered),
      sale: yn(s.sale),
      dnc: yn(s.dnc),
      customer_contact: yn(s.customerContact),
      not_interested: yn(s.notInterested),
      unworkable: yn(s.unworkable),
      scheduled_callback: yn(s.scheduledCallback),
      completed: yn(s.completed),
      answering_machine: yn(s.answeringMachine),
    })),
  );
}

export interface BrainLeadFixture {
  externalLeadId: string;
  phone: string;
  firstName?: string | null;
  lastName?: string | null;
  origin?: string;
  doNotCall?: boolean;
  doNotCallReason?: string | null;
  meta?: LeadMeta;
  createdAt?: string;
}

/** Inserts Brain leads in one statement; returns their ids in order. */
export async function insertBrainLeads(brain: DataSource, leads: BrainLeadFixture[]): Promise<string[]> {
  if (leads.length === 0) return [];
  const params: unknown[] = [];
  const tuples = leads.map((l) => {
    const vals = [
      l.externalLeadId,
      l.phone,
      l.firstName ?? null,
      l.lastName ?? null,
      l.origin ?? "api",
      l.doNotCall ?? false,
      l.doNotCallReason ?? null,
      JSON.stringify(l.meta ?? {}),
      l.createdAt ?? new Date().toISOString(),
    ];
    const start = params.length;
    params.push(...vals);
    return `(${vals.map((_, i) => `$${start + i + 1}`).join(",")})`;
  });
  const rows: { id: string }[] = await brain.query(
    `INSERT INTO leads (external_lead_id, phone, first_name, last_name, origin, do_not_call, do_not_call_reason, meta, created_at)
     VALUES ${tuples.join(",")} RETURNING id::text AS id`,
    params,
  );
  return rows.map((r) => r.id);
}
