import type { EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { LeadMeta } from "../entities/brain/lead.entity";
import type { ViciWriter } from "../vici/writers/vici-writer";
import {
  decideFieldWrite,
  mergeFieldChanges,
  settleFieldUpdate,
  type FieldChange,
  type FieldConflict,
  type FieldUpdateOutcome,
  type FieldUpdatePayload,
} from "./field-update";
import { VICI_CONTACT_COLUMN, type ViciContactColumn } from "../vici/rules/contact-columns";
import { CONTACT_COLUMN, CONTACT_FIELDS, type ContactField } from "./lead-input";
import type { ViciContactRow, ViciLeadService } from "../vici/db/vici-leads.reader";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";

/** Test seams: a crash right after a row was written, before Brain records it. */
export interface FieldUpdateFaults {
  afterViciUpdate?: (viciLeadId: number) => void | Promise<void>;
}

/** What delivering one UPDATE_FIELDS record did; the pusher settles the record with it. */
export interface FieldUpdateDelivery extends FieldUpdateOutcome {
  viciLeadId: number | null;
  conflicts: FieldConflict[];
}

/** Every Vici row a lead is linked to (vici_lead_ids, and the primary for leads linked before that key existed). */
export function linkedViciLeadIds(meta: LeadMeta | null | undefined): number[] {
  const ids = new Set<number>(meta?.vici_lead_ids ?? []);
  if (meta?.vici_lead_id) ids.add(meta.vici_lead_id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Brain → VICIdial contact-field updates, through the outbox (kind UPDATE_FIELDS): queued in
 * the transaction that changes the lead (createLead's merge, CSV_IMPORT --update-existing,
 * updateLead), delivered by the pusher with a create's guarantees (retries, the intake switch,
 * both write modes) and written exactly once: each field is compared with the row first, so a
 * delivery repeated after a crash finds its values there and writes nothing.
 */
export class ViciFieldUpdates {
  faults: FieldUpdateFaults = {};

  constructor(
    private readonly viciLeads: ViciLeadService,
    private readonly writer: ViciWriter,
    private readonly managed: ManagedCampaigns,
    private readonly log: Logger,
  ) {}

  /**
   * Queues the change of a linked lead (in the caller's transaction, which holds the lead's row
   * lock); `before` holds Brain's values before the change of each changed field. A record
   * not tried yet takes the change in (one write per lead instead of one per change); one
   * already tried, or being delivered, stays as it is and a new record follows it. Returns the
   * record's id, or null when the lead has no Vici row.
   */
  async queue(
    m: EntityManager,
    lead: { id: string; meta: LeadMeta | null },
    before: Partial<Record<ContactField, string | null>>,
  ): Promise<string | null> {
    if (linkedViciLeadIds(lead.meta).length === 0) return null;
    const changedAt = new Date().toISOString();
    const changes: Partial<Record<ContactField, FieldChange>> = {};
    for (const f of Object.keys(before) as ContactField[]) changes[f] = { from: before[f] ?? null, changedAt };
    if (Object.keys(changes).length === 0) return null;
    const [waiting]: { id: string; payload: FieldUpdatePayload }[] = await m.query(
      `SELECT id::text AS id, payload FROM vici_pushes
        WHERE lead_id = $1 AND kind = 'UPDATE_FIELDS' AND state = 'PENDING' AND attempts = 0
        ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [lead.id],
    );
    if (waiting) {
      const payload: FieldUpdatePayload = { fields: mergeFieldChanges(waiting.payload.fields ?? {}, changes) };
      await m.query("UPDATE vici_pushes SET payload = $2, updated_at = now() WHERE id = $1", [
        waiting.id,
        JSON.stringify(payload),
      ]);
      return waiting.id;
    }
    const [row] = await m.query(
      "INSERT INTO vici_pushes (lead_id, kind, payload) VALUES ($1, 'UPDATE_FIELDS', $2) RETURNING id::text AS id",
      [lead.id, JSON.stringify({ fields: changes } satisfies FieldUpdatePayload)],
    );
    return row.id;
  }

  /**
   * Delivers one record (the pusher has claimed it; `m` is its transaction). Brain's CURRENT
   * value is what is sent: a newer change or a rollback since is what counts. The lead's row is
   * read, not locked (a create or update of the lead never waits for VICIdial): a change that
   * commits meanwhile queues a record of its own, delivered after this one, whose baseline is
   * the value this one read. A row written meanwhile by someone else (the guard saw it) throws:
   * retried, decided again.
   */
  async deliver(m: EntityManager, leadId: string, payload: FieldUpdatePayload): Promise<FieldUpdateDelivery> {
    const [lead]: (Record<string, string | null> & { meta: LeadMeta })[] = await m.query(
      `SELECT meta, ${CONTACT_FIELDS.map((f) => `${CONTACT_COLUMN[f]} AS "${f}"`).join(", ")} FROM leads WHERE id = $1`,
      [leadId],
    );
    if (!lead) return { state: "SKIPPED", note: "the lead no longer exists", conflicts: [], viciLeadId: null };
    const fields = Object.entries(payload.fields ?? {}) as [ContactField, FieldChange][];
    const linked = linkedViciLeadIds(lead.meta);
    const found = await this.viciLeads.contactRows(linked);
    const rows = this.rowsToWrite(found);
    const conflicts: FieldConflict[] = [];
    const skippedRows = linked
      .filter((id) => !found.some((r) => r.leadId === id))
      .map((id) => `VICIdial lead ${id} no longer exists`);
    for (const r of found) {
      if (!rows.includes(r))
        skippedRows.push(`VICIdial lead ${r.leadId} is outside the managed campaigns (VICI_CAMPAIGNS): not written`);
    }
    let written = 0;
    for (const row of rows) {
      const values: Partial<Record<ViciContactColumn, string>> = {};
      const expected: Partial<Record<ViciContactColumn, string | null>> = {};
      for (const [field, change] of fields) {
        const column = VICI_CONTACT_COLUMN[field];
        const state = {
          brain: lead[field],
          baseline: change.from,
          vici: row.values[column],
          viciModifiedAt: row.modifiedAt,
          brainChangedAt: new Date(change.changedAt),
        };
        const action = decideFieldWrite(state);
        if (action === "OVERWRITE" || action === "KEEP_VICI") {
          conflicts.push({
            viciLeadId: row.leadId,
            field,
            brainValue: state.brain,
            viciValue: state.vici,
            viciModifiedAt: row.modifiedAt?.toISOString() ?? null,
            brainChangedAt: change.changedAt,
            winner: action === "OVERWRITE" ? "BRAIN" : "VICI",
          });
        }
        if (action === "WRITE" || action === "OVERWRITE") {
          values[column] = state.brain!;
          expected[column] = state.vici;
        }
      }
      if (Object.keys(values).length === 0) continue;
      const outcome = await this.writer.updateContactFields(row.leadId, values, expected);
      if (outcome === "CHANGED") {
        throw new Error(
          `VICIdial lead ${row.leadId} changed while its fields were written: decided again on the next try`,
        );
      }
      if (outcome === "MISSING") {
        skippedRows.push(`VICIdial lead ${row.leadId} no longer exists`);
        continue;
      }
      written++;
      await this.faults.afterViciUpdate?.(row.leadId);
    }
    const outcome = settleFieldUpdate({ rows: rows.length, written, conflicts, skippedRows });
    this.log.info(
      {
        leadId,
        viciLeadIds: rows.map((r) => r.leadId),
        written,
        conflicts: conflicts.length,
        state: outcome.state,
        writer: this.writer.kind,
      },
      "lead fields pushed to Vici",
    );
    const primary = lead.meta?.vici_lead_id;
    return {
      ...outcome,
      conflicts,
      viciLeadId: rows.find((r) => r.leadId === primary)?.leadId ?? rows[0]?.leadId ?? null,
    };
  }

  /**
   * The one place that picks which of a lead's linked rows an update may write: every linked
   * row that still exists and is managed (its list's campaign in VICI_CAMPAIGNS: a row whose
   * list moved out since it was linked is left alone).
   */
  private rowsToWrite(rows: ViciContactRow[]): ViciContactRow[] {
    return rows.filter((r) => this.managed.manages(r.campaignId));
  }
}
