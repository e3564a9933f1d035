import type { DataSource } from "typeorm";
import type { LeadEntity } from "../entities/brain/lead.entity";
import { UserInputError } from "../errors/errors";
import { LEAD_COLUMNS } from "./lead.service";
import { ViciSyncState } from "./outbox-pusher";

export interface ViciPushRow {
  id: string;
  kind: "PUSH_LEAD" | "SET_VENDOR_CODE";
  state: ViciSyncState;
  attempts: number;
  lastError: string | null;
  viciLeadId: number | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lead: LeadEntity;
}

export interface ViciOutboxSummary {
  pending: number;
  failed: number;
  /** When the oldest record still PENDING was queued. */
  oldestPendingAt: Date | null;
}

const MAX_FIRST = 200;

/**
 * The outbox as operators read it (the console's Outbox page): records by state, newest
 * first, with their lead, and the counts of what waits and what failed. Read-only; the
 * OutboxPusher delivers and re-queues.
 */
export class OutboxViewService {
  constructor(private readonly brain: DataSource) {}

  async list(opts: { states?: ViciSyncState[] | null; first?: number | null; afterId?: string | null }): Promise<ViciPushRow[]> {
    const first = opts.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw new UserInputError(`first must be 1 to ${MAX_FIRST}`, "first");
    if (opts.afterId && !/^[1-9][0-9]{0,17}$/.test(opts.afterId)) throw new UserInputError("after is not an outbox record id", "after");
    const states = opts.states?.length ? opts.states : null;
    const rows: (Omit<ViciPushRow, "lead"> & { leadId: string })[] = await this.brain.query(
      `SELECT id::text AS id, lead_id::text AS "leadId", kind, state, attempts, last_error AS "lastError",
              vici_lead_id::float8 AS "viciLeadId", CASE WHEN state = 'PENDING' THEN next_attempt_at END AS "nextAttemptAt",
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM vici_outbox
        WHERE ($1::text[] IS NULL OR state = ANY($1)) AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [states, opts.afterId ?? null, first],
    );
    if (!rows.length) return [];
    const leads: LeadEntity[] = await this.brain.query(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ANY($1::bigint[])`, [
      [...new Set(rows.map((r) => r.leadId))],
    ]);
    const byId = new Map(leads.map((l) => [String(l.id), l]));
    // A record's lead cannot be gone: vici_outbox.lead_id cascades on delete.
    return rows.map(({ leadId, ...r }) => ({ ...r, lead: byId.get(leadId)! }));
  }

  /** Served by the partial indexes on PENDING and FAILED records. */
  async summary(): Promise<ViciOutboxSummary> {
    const [row] = await this.brain.query(
      `SELECT (SELECT count(*)::int FROM vici_outbox WHERE state = 'PENDING') AS pending,
              (SELECT count(*)::int FROM vici_outbox WHERE state = 'FAILED') AS failed,
              (SELECT min(created_at) FROM vici_outbox WHERE state = 'PENDING') AS "oldestPendingAt"`,
    );
    return row;
  }
}
