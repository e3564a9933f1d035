import type { DataSource, EntityManager } from "typeorm";
import type { AppConfig } from "../../config/app-config";
import type { LeadMeta } from "../../entities/brain/lead.entity";
import { viciQuery } from "../../vici/db/vici-query";
import { newExternalLeadId } from "../../services/external-lead-id";
import { conflictReason, decideVendorCode, holdsOtherCode, vendorCodeKey, type NotAdopted } from "../../services/vendor-code-rule";
import type { HeldRow, NumberRow } from "../../vici/db/number-rows.reader";
import { maskPhone, readViciPhone, type ViciPhone } from "../../services/phone";
import { StatusCategory, type StatusCatalog } from "../../vici/rules/status-category";
import { SyncJobKind, type JobProcessor, type JobRunContext, type SyncJobIssueInput } from "../sync-job.types";
import { heldIssue, heldReasons, mergedLeadState, newLeadState, rowCounters, sameDoNotCall, type GroupOutcome, type ImportContext, type PhoneGroup } from "./import-merge";
import { primaryRow } from "../../services/call-guard";
import { ViciLeadSource } from "../../vici/db/vici-lead-source";
import { cutoverAt, ignoredRows, rowsFromBrain } from "../../services/vici-row-origin";
import { viciLocalToInstant } from "../../vici/rules/vici-time";
import type { ProcessorDeps } from "./processor-deps";

export interface ImportCheckpoint {
  /** Every row up to this lead_id is written; the next read starts after it. */
  afterLeadId: number;
  rowsRead: number;
  /**
   * Per part (PARTS), the lead_id up to which that part's rows are written, when a part
   * committed a batch the other has not yet (a stop between the two commits).
   */
  partsAfter?: number[];
}

/** One lead_id range of an import cut for several workers (plan, runRange). */
export interface ImportRange {
  /** Rows after this lead_id ... */
  after: number;
  /** ... up to this one (null: to the end). */
  to: number | null;
  /** At most this many rows (the job's limit, shared out); null: no limit. */
  maxRows: number | null;
  /** The worker running it now: its commits are refused once another worker took it over. */
  owner: string | null;
  done: boolean;
  cp: ImportCheckpoint | null;
}

/** The checkpoint of an import cut into ranges: each range's own, side by side. */
export interface RangedImportCheckpoint {
  ranges: ImportRange[];
}

/**
 * A batch is written as two parts, by phone, on two Brain connections at once: one backend
 * maintaining `leads` and its indexes is the import's bottleneck, and a phone is in exactly
 * one part, so the parts never touch the same lead.
 */
const PARTS = 2;

/** The part of a phone: the parity of its last digit (uniform, and stable across runs). */
export function partOfPhone(e164: string): number {
  return e164.charCodeAt(e164.length - 1) % PARTS;
}

export interface ViciRow {
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
  entry_date: string | null;
}

/** One phone's rows in a batch, with what the Brain write needs of them. */
interface BatchGroup extends PhoneGroup {
  vici: ViciPhone;
  first: ViciRow;
  /** Every row of the number, any list (lead_id order): who is managed, their codes, which come first. */
  all: NumberRow[];
  /** The number's managed rows, whatever batch or range they sit in: the vendor-code rule's rows. */
  managedRows: NumberRow[];
  /** Reported for information (rows loaded straight into VICIdial after the cut-over). */
  notices: SyncJobIssueInput[];
}

export interface ViciBatch {
  groups: Map<string, BatchGroup>;
  bad: SyncJobIssueInput[];
  /** The vendor-code rule's "a managed row of another number carries it" (vendorCodeKey). */
  onAnotherNumber: (key: string) => boolean;
}

/** The databases and settings the import's batch path reads with (its readers come through the constructor): a job's context, or the follower's (src/services/vici-follower.ts). */
export interface ImportDeps {
  readonly brain: DataSource;
  readonly vici: DataSource;
  readonly config: AppConfig;
}

/** Who writes a batch: a job (its leads carry created_by_job_id, its changes their before-values), or the follower (jobId null). */
export interface ImportRun {
  jobId: string | null;
  dryRun: boolean;
}

export const IMPORT_COLUMNS =
  "lead_id, list_id, status, vendor_lead_code, phone_code, phone_number, first_name, last_name, email, address1, address2, city, state, postal_code, source_id, entry_date";

/**
 * Phase 1: VICIdial's leads of the chosen campaigns into Brain. Streams vicidial_list by
 * lead_id (short keyset reads), collapses rows that share a phone into one Brain lead (all
 * lead ids kept, the most recently called primary), marks DNC and recently called numbers
 * do-not-call, and writes each batch with a handful of set-based statements per part (see
 * PARTS), each part in one Brain transaction with its counters and checkpoint. Reading the
 * next batch overlaps writing this one. Re-running it changes nothing.
 *
 * Rules about a number see the whole number, not the batch: each batch reads every row of its
 * numbers (any list, managed or not) for DNC statuses, the recent-call rule and the vendor-code
 * rule, and the codes managed rows of several numbers carry are found once per run
 * (VendorCodeOwners.sharedCodes). So the result does not depend on batch size, batch
 * boundaries, worker ranges or row order.
 */
export class ViciImportProcessor implements JobProcessor {
  readonly kind = SyncJobKind.VICI_IMPORT;

  constructor(private readonly deps: Pick<ProcessorDeps, "managed" | "numbers" | "vendorCodeOwners" | "viciLeads">) {}

  async run(ctx: JobRunContext<ImportCheckpoint>): Promise<void> {
    const { job } = ctx;
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, job.options.campaigns);
    if (!ctx.checkpoint) {
      await ctx.phase("counting");
      const rows = await source.count();
      const shared = await this.sharedCodes(ctx);
      await ctx.phase("importing", job.options.limit !== null ? Math.min(rows, job.options.limit) : rows);
      await this.importRange(ctx, source, shared, { after: 0, to: null, maxRows: job.options.limit }, null, null);
    } else {
      await ctx.phase("importing");
      await this.importRange(ctx, source, await this.sharedCodes(ctx), { after: 0, to: null, maxRows: job.options.limit }, ctx.checkpoint, null);
    }
  }

  /** Codes managed rows of more than one number carry: one read per run (vendor_lead_code has no index). */
  private async sharedCodes(ctx: JobRunContext): Promise<ReadonlySet<string>> {
    return this.deps.vendorCodeOwners.sharedCodes([...(await this.deps.managed.managedLists()).keys()]);
  }

  /**
   * Cuts the job into at most `maxRanges` lead_id ranges for several workers. Each range starts
   * where a batch of the one-process run starts (a multiple of batchSize rows in), so every
   * batch holds the same rows as it would there. A dry run stays one range (what it
   * "created" lives in its process's memory).
   */
  async plan(ctx: JobRunContext, maxRanges: number): Promise<{ ranges: ImportRange[]; total: number }> {
    const { options } = ctx.job;
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, options.campaigns);
    const count = await source.count();
    const total = options.limit !== null ? Math.min(count, options.limit) : count;
    const batches = Math.ceil(total / options.batchSize);
    const n = options.dryRun ? 1 : Math.max(1, Math.min(maxRanges, batches));
    const perRange = Math.ceil(batches / n) * options.batchSize;
    const starts = [0];
    for (let k = 1; k < n && k * perRange < total; k++) {
      const last = await source.leadIdAt(k * perRange - 1); // the last row of range k-1
      if (last === null) break;
      starts.push(last);
    }
    const ranges = starts.map((after, k): ImportRange => {
      const last = k === starts.length - 1;
      return {
        after,
        to: last ? null : starts[k + 1],
        maxRows: options.limit === null ? null : last ? total - k * perRange : perRange,
        owner: null,
        done: false,
        cp: null,
      };
    });
    return { ranges, total };
  }

  /**
   * One range of a job cut by plan(), with its own checkpoint (ctx.checkpoint is the range's).
   * Before a batch is written, `awaitRows` waits until the earlier ranges have written each of
   * its phones' first row (which creates the Brain lead and gives it its fields), so the result
   * is the one-process run's, whatever the order ranges run in. (The lead's id needs no wait:
   * the vendor-code rule reads the whole number.)
   */
  async runRange(ctx: JobRunContext<ImportCheckpoint>, range: ImportRange, awaitRows: (leadIds: number[]) => Promise<void>): Promise<void> {
    const source = await ViciLeadSource.of(ctx.vici, this.deps.managed, ctx.job.options.campaigns);
    await this.importRange(ctx, source, await this.sharedCodes(ctx), range, ctx.checkpoint, async (batch) => {
      if (range.after > 0) await awaitRows(earlierFirstRows(batch, source, range.after));
    });
  }

  private async importRange(
    ctx: JobRunContext<ImportCheckpoint>,
    source: ViciLeadSource,
    shared: ReadonlySet<string>,
    range: Pick<ImportRange, "after" | "to" | "maxRows">,
    from: ImportCheckpoint | null,
    beforeWrite: ((batch: ViciBatch) => Promise<void>) | null,
  ): Promise<void> {
    const { job } = ctx;
    let cp: ImportCheckpoint = from ?? { afterLeadId: range.after, rowsRead: 0 };
    const catalog = await this.deps.viciLeads.statusCatalog();
    const cutover = await cutoverAt(ctx.brain, ctx.config);
    // Dry runs write nothing, so phones "created" by earlier batches (and their ids) live here.
    const dryCreated = new Map<string, string>();

    // The next batch is read from Vici (and grouped) while this one is written to Brain.
    const read = (after: ImportCheckpoint) => {
      const want = range.maxRows !== null ? Math.min(job.options.batchSize, range.maxRows - after.rowsRead) : job.options.batchSize;
      if (want <= 0) return null;
      const p = (async () => {
        const rows = await source.page<ViciRow>(IMPORT_COLUMNS, after.afterLeadId, want, range.to);
        return { rows, want, batch: rows.length ? await this.readBatch(ctx, source, shared, rows, catalog, cutover) : null };
      })();
      p.catch(() => undefined); // awaited below; a write failing first must not leave it unhandled
      return p;
    };
    let next = read(cp);
    while (next) {
      const { rows, want, batch } = await next;
      if (!batch) break;
      const done: ImportCheckpoint = { afterLeadId: Number(rows[rows.length - 1].lead_id), rowsRead: cp.rowsRead + rows.length };
      next = rows.length < want ? null : read(done);
      if (beforeWrite) await beforeWrite(batch);
      await this.writeParts(ctx, batch, cp, done, dryCreated);
      cp = done;
    }
  }

  /**
   * Writes a batch's parts in concurrent transactions, each committing its own counters. The
   * last part commits after the others and carries the batch's checkpoint; a part that
   * committed alone (a stop in between) is recorded in partsAfter and skipped on resume,
   * which re-reads the same batch.
   */
  private async writeParts(ctx: JobRunContext<ImportCheckpoint>, batch: ViciBatch, cp: ImportCheckpoint, done: ImportCheckpoint, dryCreated: Map<string, string>) {
    const partsAfter = cp.partsAfter ?? Array<number>(PARTS).fill(cp.afterLeadId);
    const groups: BatchGroup[][] = Array.from({ length: PARTS }, () => []);
    for (const g of batch.groups.values()) groups[partOfPhone(g.phone)].push(g);
    const rowsOf = (part: number) => (groups[part] ?? []).reduce((n, g) => n + g.rows.length, 0) + (part === 0 ? batch.bad.length : 0);
    // Parts without rows commit nothing; the last one to commit carries the checkpoint.
    const todo = [...Array(PARTS).keys()].filter((part) => partsAfter[part] < done.afterLeadId && rowsOf(part) > 0);
    if (todo.length === 0) todo.push(-1); // nothing left to write (Vici changed since): only the checkpoint
    const last = todo[todo.length - 1];

    const commits: Promise<void>[] = [];
    for (const part of todo) {
      const others = [...commits];
      commits.push(
        ctx.batch(async (m) => {
          // A crash of PostgreSQL may lose the last commits, never half of one: the checkpoint
          // commits with the writes, so the job redoes exactly what was lost. Not waiting for
          // the WAL flush at each of a big import's commits is then free.
          await m.query("SET LOCAL synchronous_commit = off");
          // Phone lookups must take leads_phone_key: on a table growing 5,000 rows a batch the
          // planner now and then answered them from the trigram GIN index (a bitmap scan over
          // its pending list: 12 s for 600 phones, measured), and nothing here needs a bitmap scan.
          await m.query("SET LOCAL enable_bitmapscan = off");
          const r = await this.writeBatch(ctx, { jobId: ctx.job.id, dryRun: ctx.job.dryRun }, m, { groups: groups[part] ?? [], bad: part === 0 ? batch.bad : [], onAnotherNumber: batch.onAnotherNumber }, dryCreated);
          let checkpoint: ImportCheckpoint;
          if (part === last) {
            // The other parts' commits first: this one says the whole batch is written.
            await Promise.all(others);
            checkpoint = done;
          } else {
            const ahead = [...partsAfter];
            ahead[part] = done.afterLeadId;
            checkpoint = { ...cp, partsAfter: ahead };
          }
          return { deltas: { ...r.deltas, processed: rowsOf(part) }, checkpoint, issues: r.issues };
        }),
      );
    }
    const settled = await Promise.allSettled(commits);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
  }

  /**
   * The Vici side of a batch: its rows grouped by phone, with every row of those numbers (any
   * list: NumberRowsReader, one statement) for the number's last call, DNC statuses and managed
   * vendor codes, then the DNC lists (one statement).
   */
  async readBatch(
    ctx: ImportDeps,
    source: Pick<ViciLeadSource, "campaignOfList">,
    shared: ReadonlySet<string>,
    batchRows: ViciRow[],
    catalog: StatusCatalog,
    cutover: Date | null,
  ): Promise<ViciBatch> {
    const region = ctx.config.phone.defaultRegion;
    const { managed } = this.deps;
    const rows = batchRows;
    const phones = rows.map((r) => readViciPhone(r.phone_code, r.phone_number, region));
    // The batch's rows are held: only the other rows of its numbers are fetched.
    const held: HeldRow[] = rows.flatMap((r, i) =>
      phones[i]
        ? [{ leadId: Number(r.lead_id), listId: Number(r.list_id), campaignId: source.campaignOfList.get(Number(r.list_id)) ?? null, status: r.status, vendorLeadCode: r.vendor_lead_code || null, phoneCode: r.phone_code, phoneNumber: r.phone_number }]
        : [],
    );
    const viciForms = new Map(phones.flatMap((p) => (p ? [[p.e164, p.vici] as const] : [])));
    // The DNC lists are read next to the numbers' rows (they need only the numbers).
    const [numbers, dnc] = await Promise.all([
      this.deps.numbers.read([...viciForms.keys()], { held, viciForms }),
      this.dncEntries(ctx, phones.flatMap((p) => (p ? [p.vici] : []))),
    ]);
    // Rows a rollback left in VICIdial (vici_ignored_rows) are left alone wherever they sit:
    // reported, never imported or linked, and not counted by the vendor-code rule (they hold a
    // rolled-back lead's id). They still count for DNC and the recent-call rule (the number's).
    const ignored = await ignoredRows(ctx.brain, [...new Set([...rows.map((r) => Number(r.lead_id)), ...[...numbers.values()].flatMap((n) => n.rows.map((x) => x.leadId))])]);
    // Rows loaded straight into VICIdial since the cut-over are imported as any other, and reported (NOTICE).
    const recent = cutover
      ? rows.filter((r) => !ignored.has(Number(r.lead_id)) && (viciLocalToInstant(r.entry_date, ctx.config.vici.timeZone)?.getTime() ?? -Infinity) >= cutover.getTime())
      : [];
    const fromBrain = await rowsFromBrain(ctx.brain, recent.map((r) => Number(r.lead_id)));
    const outside = new Set(recent.map((r) => Number(r.lead_id)).filter((id) => !fromBrain.has(id)));
    const isDncStatus = (status: string | null, campaignId: string | null) => catalog.resolve(status, campaignId).category === StatusCategory.DNC;

    const groups = new Map<string, BatchGroup>();
    const bad: SyncJobIssueInput[] = [];
    rows.forEach((r, i) => {
      const phone = phones[i];
      const leadId = Number(r.lead_id);
      const mark = ignored.get(leadId);
      if (mark) {
        bad.push({ kind: "SKIPPED", viciLeadId: leadId, reason: `left alone: a rollback${mark.jobId ? ` (job ${mark.jobId})` : ""} kept this row in VICIdial (${mark.why})` });
        return;
      }
      if (!phone) {
        bad.push({ kind: "SKIPPED", viciLeadId: leadId, reason: `not a valid phone number (${maskPhone(r.phone_number)})` });
        return;
      }
      let g = groups.get(phone.e164);
      if (!g) {
        const number = numbers.get(phone.e164)!;
        g = {
          phone: phone.e164,
          vici: phone.vici,
          rows: [],
          number: {
            lastCallAt: number.lastCallAt,
            statusIsDnc: number.rows.some((x) => isDncStatus(x.status, x.campaignId)),
            callOf: new Map(number.rows.map((x) => [x.leadId, x.lastCallAt])),
          },
          onDncList: false,
          first: r,
          all: number.rows,
          managedRows: number.rows.filter((x) => managed.manages(x.campaignId) && !ignored.has(x.leadId)),
          notices: [],
        };
        groups.set(phone.e164, g);
      }
      if (outside.has(leadId)) {
        g.notices.push({ kind: "NOTICE", viciLeadId: leadId, reason: `loaded straight into VICIdial after the cut-over (${cutover!.toISOString()}), not through Brain: imported` });
      }
      const campaignId = source.campaignOfList.get(Number(r.list_id)) ?? null;
      g.rows.push({
        leadId,
        listId: Number(r.list_id),
        campaignId,
        vendorLeadCode: r.vendor_lead_code?.trim() || null,
        statusCode: r.status,
        statusIsDnc: isDncStatus(r.status, campaignId),
        lastCallAt: g.number.callOf.get(leadId) ?? null,
        managed: true,
      });
    });
    this.markDnc(groups.values(), dnc);
    // A code two numbers of this batch carry is shared too (Vici may have changed since the run's read).
    const carriers = new Map<string, Set<string>>();
    for (const g of groups.values()) {
      for (const x of g.managedRows) {
        if (!x.vendorLeadCode) continue;
        const key = vendorCodeKey(x.vendorLeadCode);
        if (!carriers.has(key)) carriers.set(key, new Set());
        carriers.get(key)!.add(g.phone);
      }
    }
    return { groups, bad, onAnotherNumber: (key) => shared.has(key) || (carriers.get(key)?.size ?? 0) > 1 };
  }

  /**
   * One statement for the batch, read next to its numbers' rows: the system DNC entries (exact
   * and US area-code wildcards) and every campaign DNC entry of its numbers, each with the
   * campaigns that share its list (use_other_campaign_dnc). markDnc picks the ones that apply.
   */
  private async dncEntries(ctx: ImportDeps, phones: readonly ViciPhone[]): Promise<DncEntry[]> {
    const numbers = new Set<string>();
    for (const v of phones) dncNumbers(v).forEach((n) => numbers.add(n));
    if (numbers.size === 0) return [];
    return viciQuery(
      ctx.vici,
      `SELECT phone_number, NULL AS campaign_id, NULL AS owner FROM vicidial_dnc WHERE phone_number IN (?)
       UNION ALL
       SELECT d.phone_number, d.campaign_id, c.campaign_id FROM vicidial_campaign_dnc d
         LEFT JOIN vicidial_campaigns c ON c.use_other_campaign_dnc = d.campaign_id
        WHERE d.phone_number IN (?)`,
      [[...numbers], [...numbers]],
    );
  }

  /**
   * A number is on a DNC list when the system list has it, or the DNC list of the campaign of
   * any of its rows (managed or not: DNC is about the number wherever it sits) or one that
   * campaign shares.
   */
  private markDnc(groups: Iterable<BatchGroup>, hits: readonly DncEntry[]): void {
    if (hits.length === 0) return;
    for (const g of groups) {
      const numbers = dncNumbers(g.vici);
      const campaigns = new Set(g.all.map((r) => r.campaignId?.toLowerCase()).filter((c): c is string => !!c));
      const holding = hits.filter(
        (h) =>
          numbers.includes(h.phone_number) &&
          (h.campaign_id === null || campaigns.has(h.campaign_id.toLowerCase()) || (h.owner !== null && campaigns.has(h.owner.toLowerCase()))),
      );
      g.onDncList = holding.length > 0;
      g.dncHits = holding.map((h) => ({ list: h.campaign_id === null ? "system" : "campaign", campaignId: h.campaign_id, entry: h.phone_number }));
    }
  }

  /**
   * The Brain side of a batch part, set-based. New phones are inserted first (ON CONFLICT
   * DO NOTHING: no lookup for the bulk of a first import); the phones Brain already has are
   * then locked, merged in code and updated, with their before-values for a rollback.
   */
  async writeBatch(
    ctx: ImportDeps,
    job: ImportRun,
    m: EntityManager,
    batch: { groups: BatchGroup[]; bad: SyncJobIssueInput[]; onAnotherNumber: (key: string) => boolean },
    dryCreated: Map<string, string>,
  ) {
    const ictx: ImportContext = { now: new Date(), recentCallDays: ctx.config.recentCallDays, syncedAt: new Date().toISOString() };
    const issues = [...batch.bad, ...batch.groups.flatMap((g) => g.notices)];
    const deltas = { created: 0, updated: 0, linked: 0, skipped: batch.bad.length, unchanged: 0, conflicts: 0 };
    const count = (rowIds: number[], outcome: GroupOutcome, conflicts: SyncJobIssueInput[] = []) => {
      issues.push(...conflicts);
      for (const [k, n] of Object.entries(rowCounters(rowIds, outcome, new Set(conflicts.map((c) => c.viciLeadId!))))) deltas[k as keyof typeof deltas] += n;
    };
    if (batch.groups.length === 0) return { deltas, issues };

    // Only a new lead takes a vendor code as its id, so the phones whose managed rows could give
    // one are looked up first (a dry run, which inserts nothing, looks every phone up), then the
    // Brain leads holding those codes.
    const candidate = new Map(batch.groups.map((g) => [g.phone, decideVendorCode({ rows: g.managedRows, onAnotherNumber: () => false, heldByAnotherLead: () => false }).adopt]));
    const known = await this.known(m, (job.dryRun ? batch.groups : batch.groups.filter((g) => candidate.get(g.phone))).map((g) => g.phone));
    const codes = [...new Set(batch.groups.filter((g) => !known.has(g.phone)).map((g) => candidate.get(g.phone)).filter((c): c is string => !!c))];
    const holders: { code: string; phone: string }[] = codes.length
      ? await m.query("SELECT l.external_lead_id AS code, l.phone FROM unnest($1::text[]) AS c(code) JOIN leads l ON l.external_lead_id = c.code", [codes])
      : [];
    const holderPhone = new Map(holders.map((h) => [h.code, h.phone]));

    // Why a lead this job created has not taken its number's code (as when it was created: it
    // did not take a code it could have, so another Brain lead held it).
    const whyNot = (g: BatchGroup, externalLeadId: string) =>
      decideVendorCode({ rows: g.managedRows, onAnotherNumber: batch.onAnotherNumber, heldByAnotherLead: (c) => vendorCodeKey(c) !== vendorCodeKey(externalLeadId) }).notAdopted;

    const inserts: (Record<string, unknown> & { phone: string; external_lead_id: string })[] = [];
    const conflictsOf = new Map<string, (leadId: string | null) => SyncJobIssueInput[]>();
    for (const g of batch.groups) {
      if (known.has(g.phone) || dryCreated.has(g.phone)) continue;
      // A new Brain lead: the vendor-code rule, over every managed row of the number.
      const code = decideVendorCode({
        rows: g.managedRows,
        onAnotherNumber: batch.onAnotherNumber,
        heldByAnotherLead: (c) => (holderPhone.get(c) ?? g.phone) !== g.phone,
      });
      const externalLeadId = code.adopt ?? newExternalLeadId();
      conflictsOf.set(g.phone, (leadId) => rowConflicts(g, externalLeadId, leadId, code.notAdopted));
      const state = newLeadState(g, ictx);
      const f = g.first;
      inserts.push({
        external_lead_id: externalLeadId,
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
        do_not_call_until: state.doNotCallUntil,
        meta: state.meta,
      });
    }
    const created = job.dryRun ? new Map(inserts.map((i) => [i.phone, null])) : await this.insertNew(m, inserts, job.jobId);
    for (const g of batch.groups) {
      if (!created.has(g.phone)) continue;
      count(g.rows.map((r) => r.leadId), { kind: "new", created: true }, conflictsOf.get(g.phone)!(created.get(g.phone) ?? null));
      const held = heldReasons(g, ictx);
      if (held.length) issues.push(heldIssue(held, "do-not-call", { viciLeadId: primaryRow(g.rows)?.leadId ?? null, brainLeadId: created.get(g.phone) ?? null }));
      if (job.dryRun) dryCreated.set(g.phone, inserts.find((i) => i.phone === g.phone)!.external_lead_id);
    }

    // The rest are phones Brain has (or a concurrent writer just created): merged.
    const rest = batch.groups.filter((g) => !created.has(g.phone));
    if (rest.length === 0) return { deltas, issues };
    const byPhone = new Map((await this.lookup(m, rest.map((g) => g.phone), !job.dryRun)).map((e) => [e.phone, e]));
    const updates: object[] = [];
    const changes: object[] = [];
    for (const g of rest) {
      const current = byPhone.get(g.phone);
      const rowIds = g.rows.map((r) => r.leadId);
      if (!current) {
        // Joining a lead an earlier batch of this dry run "created".
        const ext = dryCreated.get(g.phone) ?? "";
        count(rowIds, { kind: "new", created: false }, rowConflicts(g, ext, null, whyNot(g, ext)));
        continue;
      }
      const next = mergedLeadState(current, g, ictx);
      const m0 = current.meta ?? {};
      // A row holding another code than the lead's id is a conflict whichever batch created the lead.
      const createdHere = job.jobId !== null && current.createdByJob === job.jobId;
      const why = createdHere ? whyNot(g, current.externalLeadId) : null;
      const conflicts = rowConflicts(g, current.externalLeadId, current.id, why);
      count(rowIds, { kind: "merged", changed: next.changed, knownIds: new Set(m0.vici_lead_ids ?? (m0.vici_lead_id ? [m0.vici_lead_id] : [])) }, conflicts);
      if (!next.changed) continue;
      if (!sameDoNotCall(next, current) && next.doNotCall) {
        const held = heldReasons(g, ictx);
        if (held.length) issues.push(heldIssue(held, "do-not-call", { viciLeadId: primaryRow(g.rows)?.leadId ?? null, brainLeadId: current.id }));
      }
      updates.push({ id: current.id, meta: next.meta, do_not_call: next.doNotCall, do_not_call_reason: next.doNotCallReason, do_not_call_until: next.doNotCallUntil });
      // Before-values for the rollback; a lead this job created is removed whole instead.
      if (job.jobId !== null && !createdHere) {
        changes.push({
          key: current.id,
          before: { meta: current.meta, doNotCall: current.doNotCall, doNotCallReason: current.doNotCallReason, doNotCallUntil: current.doNotCallUntil },
          after: { meta: next.meta, doNotCall: next.doNotCall, doNotCallReason: next.doNotCallReason, doNotCallUntil: next.doNotCallUntil },
        });
      }
    }
    if (job.dryRun) return { deltas, issues };
    if (updates.length) {
      await m.query(
        `UPDATE leads l SET meta = x.meta, do_not_call = x.do_not_call, do_not_call_reason = x.do_not_call_reason,
                do_not_call_until = x.do_not_call_until, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, meta jsonb, do_not_call boolean, do_not_call_reason text, do_not_call_until timestamptz)
          WHERE l.id = x.id`,
        [JSON.stringify(updates)],
      );
    }
    if (changes.length) {
      await m.query(
        `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
         SELECT $1, 'brain', x.key, 'update', x.before, x.after FROM jsonb_to_recordset($2::jsonb) AS x(key bigint, before jsonb, after jsonb)
         ON CONFLICT DO NOTHING`,
        [job.jobId, JSON.stringify(changes)],
      );
    }
    return { deltas, issues };
  }

  /** Brain's leads with these phones; `lock`: FOR UPDATE, taken in phone order (no deadlocks). */
  private lookup(m: EntityManager, phones: string[], lock: boolean): Promise<ExistingLead[]> {
    if (phones.length === 0) return Promise.resolve([]);
    return m.query(
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

  /** Which of these phones Brain has (the phone only: an index-only read). */
  private async known(m: EntityManager, phones: string[]): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows: { phone: string }[] = await m.query("SELECT l.phone FROM unnest($1::text[]) AS p(phone) JOIN leads l ON l.phone = p.phone", [phones]);
    return new Set(rows.map((r) => r.phone));
  }

  /** Inserts the leads whose phone Brain does not have; returns the phones it inserted → their lead ids. */
  private async insertNew(m: EntityManager, inserts: object[], jobId: string | null): Promise<Map<string, string | null>> {
    if (inserts.length === 0) return new Map();
    const rows: { phone: string; id: string }[] = await m.query(
      `INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state, postal_code,
                          source, origin, do_not_call, do_not_call_reason, do_not_call_until, meta, created_by_job_id)
       SELECT x.external_lead_id, x.phone, x.first_name, x.last_name, x.email, x.address1, x.address2, x.city, x.state,
              x.postal_code, x.source, 'vici_import', x.do_not_call, x.do_not_call_reason, x.do_not_call_until, x.meta, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(external_lead_id text, phone text, first_name text, last_name text, email text,
              address1 text, address2 text, city text, state text, postal_code text, source text, do_not_call boolean,
              do_not_call_reason text, do_not_call_until timestamptz, meta jsonb)
       ON CONFLICT (phone) DO NOTHING
       RETURNING phone, id::text AS id`,
      [JSON.stringify(inserts), jobId],
    );
    return new Map(rows.map((r) => [r.phone, r.id]));
  }
}

/**
 * The batch's rows of a number holding another vendor code than its lead's id: conflicts,
 * reported with the code they hold and left alone (the write-back never overwrites them).
 */
function rowConflicts(g: PhoneGroup, externalLeadId: string, brainLeadId: string | null, notAdopted: NotAdopted | null): SyncJobIssueInput[] {
  return g.rows
    .filter((r) => holdsOtherCode(r.vendorLeadCode, externalLeadId))
    .map((r) => ({ kind: "CONFLICT", viciLeadId: r.leadId, brainLeadId, reason: conflictReason(r.vendorLeadCode!, notAdopted) }));
}

/**
 * The rows up to `upTo` (earlier ranges) a batch must see written first (runRange): each of its
 * phones' first row in the job's lists, which creates the Brain lead and gives it its fields.
 */
function earlierFirstRows(batch: ViciBatch, source: ViciLeadSource, upTo: number): number[] {
  const wait: number[] = [];
  for (const g of batch.groups.values()) {
    const first = g.all.find((r) => source.campaignOfList.has(r.listId));
    if (first && first.leadId <= upTo) wait.push(first.leadId);
  }
  return wait;
}

/** A DNC entry of a batch's numbers: the system list's (campaign null) or a campaign's, with a campaign sharing it. */
interface DncEntry {
  phone_number: string;
  campaign_id: string | null;
  owner: string | null;
}

/** The DNC entries that hold a number: itself, and for a US number its area-code wildcard. */
function dncNumbers(v: ViciPhone): string[] {
  return v.phoneCode === "1" && v.phoneNumber.length === 10 ? [v.phoneNumber, `${v.phoneNumber.slice(0, 3)}XXXXXXX`] : [v.phoneNumber];
}

interface ExistingLead {
  id: string;
  phone: string;
  externalLeadId: string;
  meta: LeadMeta;
  doNotCall: boolean;
  doNotCallReason: string | null;
  doNotCallUntil: Date | null;
  createdByJob: string | null;
}
