import type { EntityManager } from "typeorm";
import type { LeadMeta } from "../../entities/brain/lead.entity";
import type { ViciMatch } from "../../services/call-guard";
import { viciQuery } from "../../services/errors-vici";
import { isExternalLeadId, newExternalLeadId } from "../../services/external-lead-id";
import { fromViciPhone, maskPhone, toViciPhone } from "../../services/phone";
import { StatusCategory, type StatusCatalog } from "../../services/status-category";
import { SyncJobKind, type JobProcessor, type JobRunContext, type SyncJobIssueInput } from "../sync-job.types";
import { mergedLeadState, newLeadState, type ImportContext, type PhoneGroup } from "./import-merge";
import { ViciLeadSource } from "./vici-source";

export interface ImportCheckpoint {
  afterLeadId: number;
  rowsRead: number;
}

interface ViciRow {
  lead_id: number;
  list_id: string | number;
  status: string | null;
  vendor_lead_code: string | null;
  phone_code: string | null;
  phone_number: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  source_id: string | null;
}

const COLUMNS =
  "lead_id, list_id, status, vendor_lead_code, phone_code, phone_number, first_name, last_name, email, address1, address2, city, state, postal_code, source_id";

/**
 * Phase 1: VICIdial's leads of the chosen campaigns into Brain. Streams vicidial_list by
 * lead_id (short keyset reads), collapses rows that share a phone into one Brain lead (all
 * lead ids kept, the most recently called primary), marks DNC and recently called numbers
 * do-not-call, and writes each batch with a handful of set-based statements in one Brain
 * transaction together with the job's checkpoint. Re-running it changes nothing.
 */
export class ViciImportProcessor implements JobProcessor {
  readonly kind = SyncJobKind.VICI_IMPORT;

  async run(ctx: JobRunContext<ImportCheckpoint>): Promise<void> {
    const { job, services, config } = ctx;
    const source = await ViciLeadSource.of(ctx.vici, services.campaigns, job.options.campaigns);
    let cp: ImportCheckpoint = ctx.checkpoint ?? { afterLeadId: 0, rowsRead: 0 };
    if (!ctx.checkpoint) {
      await ctx.phase("counting");
      const rows = await source.count();
      await ctx.phase("importing", job.options.limit !== null ? Math.min(rows, job.options.limit) : rows);
    } else {
      await ctx.phase("importing");
    }
    const catalog = await services.viciLeads.statusCatalog();
    // Dry runs write nothing, so phones "created" by earlier batches live here.
    const dryCreated = new Set<string>();

    for (;;) {
      const want = job.options.limit !== null ? Math.min(job.options.batchSize, job.options.limit - cp.rowsRead) : job.options.batchSize;
      if (want <= 0) break;
      const rows = await source.page<ViciRow>(COLUMNS, cp.afterLeadId, want);
      if (rows.length === 0) break;
      const batch = await this.readBatch(ctx, rows, catalog);
      const next: ImportCheckpoint = { afterLeadId: Number(rows[rows.length - 1].lead_id), rowsRead: cp.rowsRead + rows.length };
      await ctx.batch(async (m) => {
        const r = await this.writeBatch(ctx, m, batch, dryCreated);
        return { deltas: { ...r.deltas, processed: rows.length }, checkpoint: next, issues: r.issues };
      });
      cp = next;
      if (rows.length < want) break;
    }
  }

  /** The Vici side of a batch: its rows grouped by phone, with calls and DNC. */
  private async readBatch(ctx: JobRunContext, rows: ViciRow[], catalog: StatusCatalog) {
    const region = ctx.config.phone.defaultRegion;
    const ids = rows.map((r) => Number(r.lead_id));
    const calls = await ctx.services.viciLeads.lastCallByLeadIds(ids);
    const campaignOfList = await this.campaignOfLists(ctx, rows);

    const groups = new Map<string, PhoneGroup & { first: ViciRow; vendorCodes: { leadId: number; code: string }[] }>();
    const bad: SyncJobIssueInput[] = [];
    for (const r of rows) {
      const phone = fromViciPhone(r.phone_code, r.phone_number, region);
      const leadId = Number(r.lead_id);
      if (!phone) {
        bad.push({ kind: "SKIPPED", viciLeadId: leadId, reason: `not a valid phone number (${maskPhone(r.phone_number)})` });
        continue;
      }
      const campaignId = campaignOfList.get(Number(r.list_id)) ?? null;
      const match: ViciMatch = {
        leadId,
        listId: Number(r.list_id),
        campaignId,
        vendorLeadCode: r.vendor_lead_code?.trim() || null,
        statusCode: r.status,
        statusIsDnc: catalog.resolve(r.status, campaignId).category === StatusCategory.DNC,
        lastCallAt: calls.get(leadId) ?? null,
      };
      let g = groups.get(phone);
      if (!g) groups.set(phone, (g = { phone, rows: [], onDncList: false, first: r, vendorCodes: [] }));
      g.rows.push(match);
      if (match.vendorLeadCode) g.vendorCodes.push({ leadId, code: match.vendorLeadCode });
    }
    await this.markDnc(ctx, [...groups.values()]);
    return { groups, bad };
  }

  private async campaignOfLists(ctx: JobRunContext, rows: ViciRow[]): Promise<Map<number, string | null>> {
    const listIds = [...new Set(rows.map((r) => Number(r.list_id)))];
    const found = await viciQuery(ctx.vici, "SELECT list_id, campaign_id FROM vicidial_lists WHERE list_id IN (?)", [listIds]);
    return new Map(found.map((l: any) => [Number(l.list_id), l.campaign_id || null]));
  }

  /**
   * One statement for the batch: system DNC (exact and US area-code wildcards) and the DNC
   * lists of the rows' campaigns, including a list a campaign shares (use_other_campaign_dnc).
   */
  private async markDnc(ctx: JobRunContext, groups: PhoneGroup[]) {
    if (groups.length === 0) return;
    const keys = new Map<PhoneGroup, { numbers: string[]; campaigns: Set<string> }>();
    const numbers = new Set<string>();
    const campaigns = new Set<string>();
    for (const g of groups) {
      const v = toViciPhone(g.phone);
      const own = v.phoneCode === "1" && v.phoneNumber.length === 10 ? [v.phoneNumber, `${v.phoneNumber.slice(0, 3)}XXXXXXX`] : [v.phoneNumber];
      const cs = new Set(g.rows.map((r) => r.campaignId?.toLowerCase()).filter((c): c is string => !!c));
      keys.set(g, { numbers: own, campaigns: cs });
      own.forEach((n) => numbers.add(n));
      cs.forEach((c) => campaigns.add(c));
    }
    const hits: { phone_number: string; campaign_id: string | null; owner: string | null }[] = await viciQuery(
      ctx.vici,
      `SELECT phone_number, NULL AS campaign_id, NULL AS owner FROM vicidial_dnc WHERE phone_number IN (?)
       ${
         campaigns.size
           ? `UNION ALL
              SELECT d.phone_number, d.campaign_id, c.campaign_id FROM vicidial_campaign_dnc d
                LEFT JOIN vicidial_campaigns c ON c.use_other_campaign_dnc = d.campaign_id AND c.campaign_id IN (?)
               WHERE d.phone_number IN (?) AND (d.campaign_id IN (?) OR c.campaign_id IS NOT NULL)`
           : ""
       }`,
      campaigns.size ? [[...numbers], [...campaigns], [...numbers], [...campaigns]] : [[...numbers]],
    );
    if (hits.length === 0) return;
    for (const g of groups) {
      const k = keys.get(g)!;
      g.onDncList = hits.some(
        (h) =>
          k.numbers.includes(h.phone_number) &&
          (h.campaign_id === null || k.campaigns.has(h.campaign_id.toLowerCase()) || (h.owner !== null && k.campaigns.has(h.owner.toLowerCase()))),
      );
    }
  }

  /** The Brain side of a batch, set-based: one read, one insert, one update, one change log. */
  private async writeBatch(
    ctx: JobRunContext,
    m: EntityManager,
    batch: { groups: Map<string, PhoneGroup & { first: ViciRow; vendorCodes: { leadId: number; code: string }[] }>; bad: SyncJobIssueInput[] },
    dryCreated: Set<string>,
  ) {
    const { job } = ctx;
    const ictx: ImportContext = { now: new Date(), recentCallDays: ctx.config.recentCallDays, syncedAt: new Date().toISOString() };
    const phones = [...batch.groups.keys()];
    const issues = [...batch.bad];
    const deltas = { created: 0, updated: 0, linked: 0, skipped: batch.bad.length, conflicts: 0 };
    if (phones.length === 0) return { deltas, issues };

    const existing: { id: string; phone: string; meta: LeadMeta; doNotCall: boolean; doNotCallReason: string | null; createdByJob: string | null }[] =
      await m.query(
        // Joined to unnest, not "phone = ANY($1)": with thousands of phones and a table that
        // grew since its last ANALYZE, the planner turned ANY into a filter over the whole table
        // (18 s per batch at 330k leads). Locks are taken in phone order: no deadlocks.
        `SELECT l.id::text AS id, l.phone, l.meta, l.do_not_call AS "doNotCall", l.do_not_call_reason AS "doNotCallReason",
                l.created_by_job_id::text AS "createdByJob"
           FROM unnest($1::text[]) WITH ORDINALITY AS p(phone, n) JOIN leads l ON l.phone = p.phone
          ORDER BY p.n FOR UPDATE OF l`,
        [[...phones].sort()],
      );
    const byPhone = new Map(existing.map((e) => [e.phone, e]));
    const codes = [...new Set([...batch.groups.values()].flatMap((g) => g.vendorCodes.map((v) => v.code)).filter(isExternalLeadId))];
    const holders: { code: string; phone: string; id: string }[] = codes.length
      ? await m.query(
          "SELECT l.external_lead_id AS code, l.phone, l.id::text AS id FROM unnest($1::text[]) AS c(code) JOIN leads l ON l.external_lead_id = c.code",
          [codes],
        )
      : [];
    const takenBy = new Map(holders.map((h) => [h.code, h]));

    const inserts: object[] = [];
    const updates: object[] = [];
    const changes: object[] = [];
    for (const g of batch.groups.values()) {
      const current = byPhone.get(g.phone);
      if (current || dryCreated.has(g.phone)) {
        if (!current) {
          deltas.updated++;
          continue;
        }
        const next = mergedLeadState(current, g, ictx);
        if (!next.changed) continue;
        if (next.newlyLinked) deltas.linked++;
        else deltas.updated++;
        updates.push({ id: current.id, meta: next.meta, do_not_call: next.doNotCall, do_not_call_reason: next.doNotCallReason });
        // Before-values for the rollback; a lead this job created is removed whole instead.
        if (current.createdByJob !== job.id) {
          changes.push({
            key: current.id,
            before: { meta: current.meta, doNotCall: current.doNotCall, doNotCallReason: current.doNotCallReason },
            after: { meta: next.meta, doNotCall: next.doNotCall, doNotCallReason: next.doNotCallReason },
          });
        }
        continue;
      }
      // A new Brain lead: Vici's vendor code becomes its id when it can, else a new one.
      let externalLeadId: string | null = null;
      for (const v of g.vendorCodes) {
        const holder = takenBy.get(v.code);
        if (!isExternalLeadId(v.code)) continue;
        if (holder && holder.phone !== g.phone) {
          deltas.conflicts++;
          // The holder may be a lead this batch is about to create (no id yet).
          issues.push({ kind: "CONFLICT", viciLeadId: v.leadId, brainLeadId: holder.id || null, reason: `vendor_lead_code "${v.code}" is already another Brain lead's external_lead_id` });
          continue;
        }
        externalLeadId = v.code;
        takenBy.set(v.code, { code: v.code, phone: g.phone, id: "" });
        break;
      }
      const state = newLeadState(g, ictx);
      const f = g.first;
      inserts.push({
        external_lead_id: externalLeadId ?? newExternalLeadId(),
        phone: g.phone,
        first_name: f.first_name || null,
        last_name: f.last_name || null,
        email: f.email || null,
        address1: f.address1 || null,
        address2: f.address2 || null,
        city: f.city || null,
        state: f.state || null,
        postal_code: f.postal_code || null,
        source: f.source_id || null,
        do_not_call: state.doNotCall,
        do_not_call_reason: state.doNotCallReason,
        meta: state.meta,
      });
      deltas.created++;
      if (job.dryRun) dryCreated.add(g.phone);
    }
    if (job.dryRun) return { deltas, issues };

    if (inserts.length) {
      await m.query(
        `INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state, postal_code,
                            source, origin, do_not_call, do_not_call_reason, meta, created_by_job_id)
         SELECT x.external_lead_id, x.phone, x.first_name, x.last_name, x.email, x.address1, x.address2, x.city, x.state,
                x.postal_code, x.source, 'vici_import', x.do_not_call, x.do_not_call_reason, x.meta, $2
           FROM jsonb_to_recordset($1::jsonb) AS x(external_lead_id text, phone text, first_name text, last_name text, email text,
                address1 text, address2 text, city text, state text, postal_code text, source text, do_not_call boolean,
                do_not_call_reason text, meta jsonb)`,
        [JSON.stringify(inserts), job.id],
      );
    }
    if (updates.length) {
      await m.query(
        `UPDATE leads l SET meta = x.meta, do_not_call = x.do_not_call, do_not_call_reason = x.do_not_call_reason, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, meta jsonb, do_not_call boolean, do_not_call_reason text)
          WHERE l.id = x.id`,
        [JSON.stringify(updates)],
      );
    }
    if (changes.length) {
      await m.query(
        `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
         SELECT $1, 'brain', x.key, 'update', x.before, x.after FROM jsonb_to_recordset($2::jsonb) AS x(key bigint, before jsonb, after jsonb)
         ON CONFLICT DO NOTHING`,
        [job.id, JSON.stringify(changes)],
      );
    }
    return { deltas, issues };
  }
}
