import type { EntityManager } from "typeorm";
import type { LeadMeta } from "../../entities/brain/lead.entity";

/**
 * The import's Brain SQL (VICI_IMPORT and the follower's batches): set-based statements over
 * one batch part, inside the caller's transaction. What the rows become is decided in code
 * (import-batch.ts, import-merge.ts); these only read and write.
 */

/** A Brain lead the import may merge into. */
export interface ExistingLead {
  id: string;
  phone: string;
  externalLeadId: string;
  meta: LeadMeta;
  doNotCall: boolean;
  doNotCallReason: string | null;
  doNotCallUntil: Date | null;
  createdByJob: string | null;
}

/** A new lead as the import inserts it. */
export interface NewLeadRow {
  external_lead_id: string;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  source: string | null;
  do_not_call: boolean;
  do_not_call_reason: string | null;
  do_not_call_until: Date | null;
  meta: LeadMeta;
}

/** A known lead's new import-owned columns. */
export interface LeadUpdateRow {
  id: string;
  meta: LeadMeta;
  do_not_call: boolean;
  do_not_call_reason: string | null;
  do_not_call_until: Date | null;
}

/** The before/after of a lead the import changed (not created), for a rollback. */
export interface LeadChangeRow {
  key: string;
  before: object;
  after: object;
}

export class ImportLeadsRepository {
  constructor(private readonly m: EntityManager) {}

  /** Settings of a job's batch transaction (SET LOCAL: they end with it). */
  async prepareBatch(): Promise<void> {
    // A crash of PostgreSQL may lose the last commits, never half of one: the checkpoint
    // commits with the writes, so the job redoes exactly what was lost. Not waiting for
    // the WAL flush at each of a big import's commits is then free.
    // Phone lookups must take leads_phone_key: on a table growing 5,000 rows a batch the
    // planner now and then answered them from the trigram GIN index (a bitmap scan over
    // its pending list: 12 s for 600 phones, measured), and nothing here needs a bitmap scan.
    await this.m.query("SET LOCAL synchronous_commit = off; SET LOCAL enable_bitmapscan = off");
  }

  /**
   * Which of these phones Brain has, and the phone of the lead whose external_lead_id is each
   * one's code (null: none asked) → holder: one statement, index reads only.
   */
  async knownAndHolders(
    asked: { phone: string; code: string | null }[],
  ): Promise<{ known: Set<string>; holders: Map<string, string> }> {
    const known = new Set<string>();
    const holders = new Map<string, string>();
    if (asked.length === 0) return { known, holders };
    const rows: { phone: string; code: string | null; known: boolean; holder: string | null }[] = await this.m.query(
      // Scalar subqueries, not joins: each is an index probe per phone, whatever the planner
      // believes of a table that grew since its last ANALYZE (a hash join would read it whole).
      `SELECT p.phone, p.code, coalesce((SELECT true FROM leads l WHERE l.phone = p.phone), false) AS known,
              (SELECT h.phone FROM leads h WHERE h.external_lead_id = p.code) AS holder
         FROM unnest($1::text[], $2::text[]) AS p(phone, code)`,
      [asked.map((a) => a.phone), asked.map((a) => a.code)],
    );
    for (const r of rows) {
      if (r.known) known.add(r.phone);
      if (r.code !== null && r.holder !== null) holders.set(r.code, r.holder);
    }
    return { known, holders };
  }

  /** Brain's leads with these phones; `lock`: FOR UPDATE, taken in phone order (no deadlocks). */
  lookup(phones: string[], lock: boolean): Promise<ExistingLead[]> {
    if (phones.length === 0) return Promise.resolve([]);
    return this.m.query(
      // Joined to unnest, not "phone = ANY($1)": with thousands of phones and a table that
      // grew since its last ANALYZE, the planner turned ANY into a filter over the whole table
      // (18 s per batch at 330k leads).
      `SELECT l.id::text AS id, l.phone, l.external_lead_id AS "externalLeadId", l.meta, l.do_not_call AS "doNotCall", l.do_not_call_reason AS "doNotCallReason",
              l.do_not_call_until AS "doNotCallUntil", l.created_by_job_id::text AS "createdByJob"
         FROM unnest($1::text[]) WITH ORDINALITY AS p(phone, n) JOIN leads l ON l.phone = p.phone
        ORDER BY p.n ${lock ? "FOR UPDATE OF l" : ""}`,
      [[...phones].sort()],
    );
  }

  /** Inserts the leads whose phone Brain does not have; returns the phones it inserted → their lead ids. */
  async insertNew(inserts: NewLeadRow[], jobId: string | null): Promise<Map<string, string | null>> {
    if (inserts.length === 0) return new Map();
    // Each lead as a JSON array, not an object: a third fewer bytes to send and for PostgreSQL to parse.
    const rows: { phone: string; id: string }[] = await this.m.query(
      `INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state, postal_code,
                          source, origin, do_not_call, do_not_call_reason, do_not_call_until, meta, created_by_job_id)
       SELECT x->>0, x->>1, x->>2, x->>3, x->>4, x->>5, x->>6, x->>7, x->>8, x->>9, x->>10, 'vici_import', (x->>11)::boolean, x->>12,
              (x->>13)::timestamptz, x->14, $2
         FROM jsonb_array_elements($1::jsonb) AS x
       ON CONFLICT (phone) DO NOTHING
       RETURNING phone, id::text AS id`,
      [
        JSON.stringify(
          inserts.map((r) => [
            r.external_lead_id,
            r.phone,
            r.first_name,
            r.last_name,
            r.email,
            r.address1,
            r.address2,
            r.city,
            r.state,
            r.postal_code,
            r.source,
            r.do_not_call,
            r.do_not_call_reason,
            r.do_not_call_until,
            r.meta,
          ]),
        ),
        jobId,
      ],
    );
    return new Map(rows.map((r) => [r.phone, r.id]));
  }

  /** Writes known leads' import-owned columns. */
  async update(updates: LeadUpdateRow[]): Promise<void> {
    if (updates.length === 0) return;
    await this.m.query(
      `UPDATE leads l SET meta = x->1, do_not_call = (x->>2)::boolean, do_not_call_reason = x->>3,
              do_not_call_until = (x->>4)::timestamptz, updated_at = now()
         FROM jsonb_array_elements($1::jsonb) AS x
        WHERE l.id = (x->>0)::bigint`,
      [JSON.stringify(updates.map((u) => [u.id, u.meta, u.do_not_call, u.do_not_call_reason, u.do_not_call_until]))],
    );
  }

  /** The job's before-values of the leads it changed (once per lead: the first before stands). */
  async recordChanges(jobId: string, changes: LeadChangeRow[]): Promise<void> {
    if (changes.length === 0) return;
    await this.m.query(
      `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
       SELECT $1, 'brain', x.key, 'update', x.before, x.after FROM jsonb_to_recordset($2::jsonb) AS x(key bigint, before jsonb, after jsonb)
       ON CONFLICT DO NOTHING`,
      [jobId, JSON.stringify(changes)],
    );
  }
}
