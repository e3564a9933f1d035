/**
 * The vendor codes a job wrote into VICIdial, as recorded in sync_job_changes (target 'vici'):
 * what each row held before (what a rollback restores) and the code written (the rollback's
 * guard: only a row still holding it is restored). Two forms, both read everywhere:
 * - one row per Vici row (action 'vendor_code', key = lead_id, before/after =
 *   {"vendor_lead_code": value}): what jobs recorded before change sets;
 * - a change set, one row per written chunk (action 'vendor_codes', keys = the lead_ids in
 *   ascending order, key = the first of them, before/after = {"vendor_lead_code": [values in
 *   the order of keys]}). A per-row record was an index entry, a tuple and two jsonb objects
 *   for PostgreSQL per written row: 25–45% of the write-back's time (BENCHMARKS.md, issue 17).
 * A job records each Vici row at most once (the first before-value counts): a set never holds
 * a lead_id the job recorded already.
 */

/** Anything that runs a query on Brain (DataSource, EntityManager). */
interface Brain {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** One Vici row a job changed: what it held before, and the code the job wrote. */
export interface VendorCodeChangeRecord {
  leadId: number;
  before: string | null;
  after: string | null;
}

/**
 * Records the before-values of a chunk's writes as one change set, committed (autocommit)
 * before VICIdial is written. Rows the job recorded already must be left out by the caller.
 */
export async function recordVendorCodeChanges(
  brain: Brain,
  jobId: string,
  changes: readonly VendorCodeChangeRecord[],
): Promise<void> {
  if (changes.length === 0) return;
  const sorted = [...changes].sort((a, b) => a.leadId - b.leadId);
  // A re-run that got here first keeps its set (the same first lead_id): its before-values were read first.
  await brain.query(
    `INSERT INTO sync_job_changes (job_id, target, key, action, keys, before, after)
     VALUES ($1, 'vici', $2, 'vendor_codes', $3::bigint[], $4::jsonb, $5::jsonb)
     ON CONFLICT DO NOTHING`,
    [
      jobId,
      sorted[0].leadId,
      sorted.map((c) => c.leadId),
      JSON.stringify({ vendor_lead_code: sorted.map((c) => c.before) }),
      JSON.stringify({ vendor_lead_code: sorted.map((c) => c.after) }),
    ],
  );
}

/**
 * The lead_ids of the job's records with a key after `afterKey`: on resume, the rows recorded by
 * the chunk the job was writing when it stopped (its sets all start after the last checkpoint).
 */
export async function vendorCodeLeadIdsAfter(brain: Brain, jobId: string, afterKey: number): Promise<number[]> {
  const rows: { id: string }[] = await brain.query(
    `SELECT k.id::text AS id
       FROM sync_job_changes c CROSS JOIN LATERAL unnest(coalesce(c.keys, ARRAY[c.key])) AS k(id)
      WHERE c.job_id = $1 AND c.target = 'vici' AND c.key > $2`,
    [jobId, afterKey],
  );
  return rows.map((r) => Number(r.id));
}

/**
 * The job's recorded vendor-code changes after record key `afterKey`, whole records in key
 * order: per-row records up to `limit` of them, or one change set. `lastKey`: the last record's
 * key (where the next read starts), null when there are none left.
 */
export async function readVendorCodeChanges(
  brain: Brain,
  jobId: string,
  afterKey: string,
  limit: number,
): Promise<{ changes: VendorCodeChangeRecord[]; lastKey: string | null }> {
  // Which records come next, without reading a set's arrays.
  const heads: { key: string; isSet: boolean }[] = await brain.query(
    // Ordered by the column (bigint), not by the text it is read as.
    `SELECT c.key::text AS key, c.keys IS NOT NULL AS "isSet" FROM sync_job_changes c
      WHERE c.job_id = $1 AND c.target = 'vici' AND c.key > $2 ORDER BY c.key LIMIT $3`,
    [jobId, afterKey, limit],
  );
  if (heads.length === 0) return { changes: [], lastKey: null };
  if (heads[0].isSet) {
    const rows: { id: string; before: string | null; after: string | null }[] = await brain.query(
      `SELECT k.id::text AS id, k.before, k.after
         FROM sync_job_changes c
         CROSS JOIN LATERAL ROWS FROM (
           unnest(c.keys),
           jsonb_array_elements_text(c.before->'vendor_lead_code'),
           jsonb_array_elements_text(c.after->'vendor_lead_code')
         ) WITH ORDINALITY AS k(id, before, after, n)
        WHERE c.job_id = $1 AND c.target = 'vici' AND c.key = $2
        ORDER BY k.n`,
      [jobId, heads[0].key],
    );
    return {
      changes: rows.map((r) => ({ leadId: Number(r.id), before: r.before, after: r.after })),
      lastKey: heads[0].key,
    };
  }
  const firstSet = heads.findIndex((h) => h.isSet);
  const upTo = heads[(firstSet === -1 ? heads.length : firstSet) - 1].key;
  const rows: { key: string; before: string | null; after: string | null }[] = await brain.query(
    `SELECT c.key::text AS key, c.before->>'vendor_lead_code' AS before, c.after->>'vendor_lead_code' AS after
       FROM sync_job_changes c
      WHERE c.job_id = $1 AND c.target = 'vici' AND c.key > $2 AND c.key <= $3 AND c.keys IS NULL
      ORDER BY c.key`,
    [jobId, afterKey, upTo],
  );
  return {
    changes: rows.map((r) => ({ leadId: Number(r.key), before: r.before, after: r.after })),
    lastKey: upTo,
  };
}
