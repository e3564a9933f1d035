import type { EntityManager } from "typeorm";
import type { AppConfig } from "../../config/app-config";
import type { DataSource } from "typeorm";
import { newExternalLeadId } from "../../util/external-lead-id";
import {
  conflictReason,
  decideVendorCode,
  holdsOtherCode,
  vendorCodeKey,
  type NotAdopted,
  type VendorCodeDecision,
  type VendorCodeFacts,
} from "../../vici/rules/vendor-code";
import type { HeldRow, NumberRow } from "../../vici/db/number-rows.reader";
import { readDncLists, type ViciRow } from "../../vici/db/import-rows.reader";
import { maskPhone } from "../../util/phone";
import { readViciPhone, type ViciPhone } from "../../vici/rules/phone";
import type { StatusCatalog } from "../../vici/rules/status-category";
import type { SyncJobIssueInput } from "../sync-job.types";
import {
  heldIssue,
  heldReasons,
  mergedLeadState,
  newLeadState,
  rowCounters,
  sameDoNotCall,
  type GroupOutcome,
  type ImportContext,
  type PhoneGroup,
} from "./import-merge";
import { primaryRow } from "../../services/call-guard";
import type { ViciLeadSource } from "../../vici/db/vici-lead-source";
import { ignoredRows, rowsFromBrain } from "../../services/vici-row-origin";
import { viciLocalToInstant } from "../../vici/rules/vici-time";
import type { ProcessorDeps } from "./processor-deps";
import {
  ImportLeadsRepository,
  type LeadChangeRow,
  type LeadUpdateRow,
  type NewLeadRow,
} from "./import-leads.repository";

const NO_ROWS: ReadonlySet<number> = new Set();

/** One phone's rows in a batch, with what the Brain write needs of them. */
export interface BatchGroup extends PhoneGroup {
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

/**
 * The import's batch path, shared by VICI_IMPORT (vici-import.processor.ts: batches, parts,
 * checkpoints, ranges) and the follower: readBatch groups a batch's Vici rows by phone with
 * what VICIdial says about each number (its Vici reads: NumberRowsReader, readDncLists);
 * writeBatch decides per phone what its Brain lead becomes (the rules: import-merge.ts, the
 * vendor-code rule) and writes the part with a few set-based statements
 * (ImportLeadsRepository).
 */
export class ImportBatchPath {
  constructor(private readonly deps: Pick<ProcessorDeps, "managed" | "numbers">) {}

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
    const held: HeldRow[] = [];
    const viciForms = new Map<string, ViciPhone>();
    const viciPhones: ViciPhone[] = [];
    rows.forEach((r, i) => {
      const p = phones[i];
      if (!p) return;
      const listId = Number(r.list_id);
      held.push({
        leadId: Number(r.lead_id),
        listId,
        campaignId: source.campaignOfList.get(listId) ?? null,
        status: r.status,
        vendorLeadCode: r.vendor_lead_code || null,
        phoneCode: r.phone_code,
        phoneNumber: r.phone_number,
      });
      viciForms.set(p.e164, p.vici);
      viciPhones.push(p.vici);
    });
    // The DNC lists are read next to the numbers' rows (they need only the numbers).
    const [numbers, dncHits] = await Promise.all([
      this.deps.numbers.read([...viciForms.keys()], { held, viciForms }),
      readDncLists(ctx.vici, viciPhones),
    ]);
    // Rows a rollback left in VICIdial (vici_ignored_rows) are left alone wherever they sit:
    // reported, never imported or linked, and not counted by the vendor-code rule (they hold a
    // rolled-back lead's id). They still count for DNC and the recent-call rule (the number's).
    const ids = new Set<number>();
    for (const r of rows) ids.add(Number(r.lead_id));
    for (const n of numbers.values()) for (const x of n.rows) ids.add(x.leadId);
    const ignored = await ignoredRows(ctx.brain, [...ids]);
    // Rows loaded straight into VICIdial since the cut-over are imported as any other, and reported (NOTICE).
    const recent = cutover
      ? rows.filter(
          (r) =>
            !ignored.has(Number(r.lead_id)) &&
            (viciLocalToInstant(r.entry_date, ctx.config.vici.timeZone)?.getTime() ?? -Infinity) >= cutover.getTime(),
        )
      : [];
    const fromBrain = await rowsFromBrain(
      ctx.brain,
      recent.map((r) => Number(r.lead_id)),
    );
    const outside = new Set(recent.map((r) => Number(r.lead_id)).filter((id) => !fromBrain.has(id)));
    // A batch holds a handful of (campaign, status) pairs: each resolved once.
    const dncStatus = new Map<string | null, Map<string | null, boolean>>();
    const isDncStatus = (status: string | null, campaignId: string | null) => {
      let byStatus = dncStatus.get(campaignId);
      if (!byStatus) dncStatus.set(campaignId, (byStatus = new Map()));
      let dnc = byStatus.get(status);
      if (dnc === undefined) byStatus.set(status, (dnc = catalog.isDnc(status, campaignId)));
      return dnc;
    };

    const groups = new Map<string, BatchGroup>();
    const bad: SyncJobIssueInput[] = [];
    rows.forEach((r, i) => {
      const phone = phones[i];
      const leadId = Number(r.lead_id);
      const mark = ignored.get(leadId);
      if (mark) {
        bad.push({
          kind: "SKIPPED",
          viciLeadId: leadId,
          reason: `left alone: a rollback${mark.jobId ? ` (job ${mark.jobId})` : ""} kept this row in VICIdial (${mark.why})`,
        });
        return;
      }
      if (!phone) {
        bad.push({
          kind: "SKIPPED",
          viciLeadId: leadId,
          reason: `not a valid phone number (${maskPhone(r.phone_number)})`,
        });
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
            callOf: callsOf(number.rows),
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
        g.notices.push({
          kind: "NOTICE",
          viciLeadId: leadId,
          reason: `loaded straight into VICIdial after the cut-over (${cutover!.toISOString()}), not through Brain: imported`,
        });
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
    for (const g of groups.values()) {
      const hits = dncHits(
        g.vici,
        g.all.map((r) => r.campaignId),
      );
      if (hits.length === 0) continue;
      g.onDncList = true;
      g.dncHits = hits;
    }
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
    const brain = new ImportLeadsRepository(m);
    const ictx: ImportContext = {
      now: new Date(),
      recentCallDays: ctx.config.recentCallDays,
      syncedAt: new Date().toISOString(),
    };
    const issues = [...batch.bad, ...batch.groups.flatMap((g) => g.notices)];
    const deltas = { created: 0, updated: 0, linked: 0, skipped: batch.bad.length, unchanged: 0, conflicts: 0 };
    const count = (rowIds: number[], outcome: GroupOutcome, conflicts: SyncJobIssueInput[] = []) => {
      if (conflicts.length) issues.push(...conflicts);
      const n = rowCounters(rowIds, outcome, conflicts.length ? new Set(conflicts.map((c) => c.viciLeadId!)) : NO_ROWS);
      deltas.created += n.created ?? 0;
      deltas.updated += n.updated ?? 0;
      deltas.linked += n.linked ?? 0;
      deltas.unchanged += n.unchanged ?? 0;
      deltas.conflicts += n.conflicts ?? 0;
    };
    if (batch.groups.length === 0) return { deltas, issues };

    // Only a new lead takes a vendor code as its id, so the phones whose managed rows could give
    // one are looked up first (a dry run, which inserts nothing, looks every phone up), then the
    // Brain leads holding those codes.
    // Each number's rows through the rule once; the decision stands for the later calls whenever
    // the rule decided without asking about other numbers or leads (no code, several, one that
    // does not fit: most numbers), which are the only facts those calls give it differently.
    const firstLook = new Map<string, VendorCodeDecision | null>();
    const candidate = new Map<string, string | null>();
    let asked = false;
    const ask = () => ((asked = true), false);
    for (const g of batch.groups) {
      asked = false;
      const d = decideVendorCode({ rows: g.managedRows, onAnotherNumber: ask, heldByAnotherLead: ask });
      candidate.set(g.phone, d.adopt);
      firstLook.set(g.phone, asked ? null : d);
    }
    const decide = (g: BatchGroup, facts: () => Omit<VendorCodeFacts, "rows">) =>
      firstLook.get(g.phone) ?? decideVendorCode({ rows: g.managedRows, ...facts() });
    const { known, holders: holderPhone } = await brain.knownAndHolders(
      (job.dryRun ? batch.groups : batch.groups.filter((g) => candidate.get(g.phone))).map((g) => ({
        phone: g.phone,
        code: candidate.get(g.phone) ?? null,
      })),
    );

    // Why a lead this job created has not taken its number's code (as when it was created: it
    // did not take a code it could have, so another Brain lead held it).
    const whyNot = (g: BatchGroup, externalLeadId: string) =>
      decide(g, () => ({
        onAnotherNumber: batch.onAnotherNumber,
        heldByAnotherLead: (c) => vendorCodeKey(c) !== vendorCodeKey(externalLeadId),
      })).notAdopted;

    const inserts: NewLeadRow[] = [];
    const conflictsOf = new Map<string, (leadId: string | null) => SyncJobIssueInput[]>();
    for (const g of batch.groups) {
      if (known.has(g.phone) || dryCreated.has(g.phone)) continue;
      // A new Brain lead: the vendor-code rule, over every managed row of the number.
      const code = decide(g, () => ({
        onAnotherNumber: batch.onAnotherNumber,
        heldByAnotherLead: (c) => (holderPhone.get(c) ?? g.phone) !== g.phone,
      }));
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
    // A dry run "creates" every insert; the ids it would give are kept for later batches (by phone: no scan per lead).
    const dryIds = new Map<string, string>(job.dryRun ? inserts.map((i) => [i.phone, i.external_lead_id]) : []);
    const created: Map<string, string | null> = job.dryRun
      ? new Map(inserts.map((i) => [i.phone, null]))
      : await brain.insertNew(inserts, job.jobId);
    for (const g of batch.groups) {
      if (!created.has(g.phone)) continue;
      count(
        g.rows.map((r) => r.leadId),
        { kind: "new", created: true },
        conflictsOf.get(g.phone)!(created.get(g.phone) ?? null),
      );
      const held = heldReasons(g, ictx);
      if (held.length)
        issues.push(
          heldIssue(held, "do-not-call", {
            viciLeadId: primaryRow(g.rows)?.leadId ?? null,
            brainLeadId: created.get(g.phone) ?? null,
          }),
        );
      if (job.dryRun) dryCreated.set(g.phone, dryIds.get(g.phone)!);
    }

    // The rest are phones Brain has (or a concurrent writer just created): merged.
    const rest = batch.groups.filter((g) => !created.has(g.phone));
    if (rest.length === 0) return { deltas, issues };
    const byPhone = new Map(
      (
        await brain.lookup(
          rest.map((g) => g.phone),
          !job.dryRun,
        )
      ).map((e) => [e.phone, e]),
    );
    const updates: LeadUpdateRow[] = [];
    const changes: LeadChangeRow[] = [];
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
      count(
        rowIds,
        {
          kind: "merged",
          changed: next.changed,
          knownIds: new Set(m0.vici_lead_ids ?? (m0.vici_lead_id ? [m0.vici_lead_id] : [])),
        },
        conflicts,
      );
      if (!next.changed) continue;
      if (!sameDoNotCall(next, current) && next.doNotCall) {
        const held = heldReasons(g, ictx);
        if (held.length)
          issues.push(
            heldIssue(held, "do-not-call", { viciLeadId: primaryRow(g.rows)?.leadId ?? null, brainLeadId: current.id }),
          );
      }
      updates.push({
        id: current.id,
        meta: next.meta,
        do_not_call: next.doNotCall,
        do_not_call_reason: next.doNotCallReason,
        do_not_call_until: next.doNotCallUntil,
      });
      // Before-values for the rollback; a lead this job created is removed whole instead.
      if (job.jobId !== null && !createdHere) {
        changes.push({
          key: current.id,
          before: {
            meta: current.meta,
            doNotCall: current.doNotCall,
            doNotCallReason: current.doNotCallReason,
            doNotCallUntil: current.doNotCallUntil,
          },
          after: {
            meta: next.meta,
            doNotCall: next.doNotCall,
            doNotCallReason: next.doNotCallReason,
            doNotCallUntil: next.doNotCallUntil,
          },
        });
      }
    }
    if (job.dryRun) return { deltas, issues };
    await brain.update(updates);
    if (job.jobId !== null) await brain.recordChanges(job.jobId, changes);
    return { deltas, issues };
  }
}

/**
 * The batch's rows of a number holding another vendor code than its lead's id: conflicts,
 * reported with the code they hold and left alone (the write-back never overwrites them).
 */
function rowConflicts(
  g: PhoneGroup,
  externalLeadId: string,
  brainLeadId: string | null,
  notAdopted: NotAdopted | null,
): SyncJobIssueInput[] {
  let out: SyncJobIssueInput[] | null = null;
  for (const r of g.rows) {
    if (!holdsOtherCode(r.vendorLeadCode, externalLeadId)) continue;
    (out ??= []).push({
      kind: "CONFLICT",
      viciLeadId: r.leadId,
      brainLeadId,
      reason: conflictReason(r.vendorLeadCode!, notAdopted),
    });
  }
  return out ?? [];
}

/** Each row's own last call, by lead id (most numbers have a row or two: a scan, no Map per phone). */
function callsOf(rows: readonly NumberRow[]): Pick<ReadonlyMap<number, Date | null>, "get"> {
  if (rows.length > 8) return new Map(rows.map((x) => [x.leadId, x.lastCallAt]));
  return {
    get: (leadId) => {
      for (const r of rows) if (r.leadId === leadId) return r.lastCallAt;
      return undefined;
    },
  };
}
