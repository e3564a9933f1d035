import type { LeadMeta } from "../entities/brain/lead.entity";
import { conflictReason, decideVendorCode } from "../vici/rules/vendor-code";
import {
  callReasonLine,
  dncListReasons,
  dncStatusReason,
  recentCallReason,
} from "../vici/rules/call-verdict/held-number";
import type { CallReason } from "../vici/rules/call-verdict/types";
import { primaryRow } from "../vici/rules/primary-row";
import { calledWithin, type GuardFacts, type ViciMatch } from "../vici/rules/number-facts";

/**
 * The decision for a new phone in Brain (the seed's "Duplicate Resolution Logic"), as a pure
 * function of what VICIdial knows about that phone. No I/O: lead-intake.service gathers the
 * facts, this says what to do, the service does it.
 */

/** What happened on the Vici side of a create. */
export enum ViciAction {
  /** Inserted into Vici just now. */
  CREATED = "CREATED",
  /** Stored in Brain; the outbox pushes it (Vici unreachable, or intake paused). */
  QUEUED = "QUEUED",
  /** Vici already had the phone: Brain is linked to its row(s); nothing new is dialed. */
  LINKED_EXISTING = "LINKED_EXISTING",
  /**
   * Called within the recent-call window, and the create said `deferred: false`: Brain marks it
   * do-not-call until the window ends, Vici gets nothing (now or later).
   */
  SKIPPED_RECENTLY_CALLED = "SKIPPED_RECENTLY_CALLED",
  /**
   * Called within the recent-call window, nothing else in the way: stored, do-not-call until
   * callableAt; the push waits in the outbox until then and runs every check again first.
   */
  DEFERRED = "DEFERRED",
  /** On VICIdial's DNC (system, campaign, or a DNC status): never pushed. */
  SKIPPED_DNC = "SKIPPED_DNC",
  /** Brain already had the phone: returned as it is (new non-empty fields merged). */
  ALREADY_IN_BRAIN = "ALREADY_IN_BRAIN",
}

export type DoNotCallReason = "dnc" | "recently_called";

export interface CreateDecision {
  action: Exclude<ViciAction, ViciAction.CREATED | ViciAction.QUEUED | ViciAction.ALREADY_IN_BRAIN> | "PUSH";
  /** The managed row Brain links as primary (most recently called, else newest); null unless LINKED_EXISTING. */
  primary: ViciMatch | null;
  /** The managed rows Brain links (meta.vici_lead_ids); none unless LINKED_EXISTING. */
  linkRows: ViciMatch[];
  /** A Vici vendor code to adopt as Brain's external_lead_id (the vendor-code rule); null → generate one. */
  adoptExternalLeadId: string | null;
  doNotCall: DoNotCallReason | null;
  /** Linked rows whose empty vendor_lead_code gets Brain's external_lead_id. */
  writeVendorCodeTo: number[];
  /** Linked rows holding another vendor code than the lead's id (left alone), with the reason reported. */
  conflicts: { viciLeadId: number; reason: string }[];
  /** The number's last call (GuardFacts.lastCallAt). */
  lastCallAt: Date | null;
  /** When a recent call stops holding the number (DEFERRED, SKIPPED_RECENTLY_CALLED): the do-not-call flag's end. */
  callableAt: Date | null;
  /** Why the number may not be called, as callVerdict says it (codes, words, when each lifts). */
  callReasons: CallReason[];
  reasons: string[];
}

/** How a create treats a recent call: DEFERRED (the default) or SKIPPED_RECENTLY_CALLED. */
export interface GuardOptions {
  deferred?: boolean;
}

/** Latest of the dates, or null. */
export function latestOf(dates: (Date | null | undefined)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

/**
 * The primary row, the recent-call test and the facts the guard decides on are VICIdial knowledge
 * (vici/rules/primary-row.ts, number-facts.ts); re-exported for the call guard's callers.
 */
export { primaryRow, calledWithin, type GuardFacts, type ViciMatch };

/**
 * DNC and the recent-call rule look at the number wherever it sits (every row, managed or
 * not); only managed rows are linked, counted as "already in Vici" and given a vendor code. A
 * number on unmanaged rows only is new to the gateway: it is pushed to the target list. A
 * skipped create (DNC, recently called) links nothing and writes nothing to Vici.
 */
export function decideCreate(f: GuardFacts, opts: GuardOptions = {}): CreateDecision {
  const reasons: string[] = [];
  const managed = f.rows.filter((r) => r.managed);
  const outside = f.rows.filter((r) => !r.managed);
  const primary = primaryRow(managed);
  const lastCallAt = f.lastCallAt;

  const code = decideVendorCode({
    rows: managed,
    onAnotherNumber: (key) => f.codesOnAnotherNumber.has(key),
    heldByAnotherLead: (c) => f.takenExternalIds.has(c.toLowerCase()),
  });
  if (f.altPhoneLeadIds.length)
    reasons.push(`number is an alternate phone of Vici lead(s) ${f.altPhoneLeadIds.join(", ")}`);
  if (managed.length)
    reasons.push(`in Vici as lead(s) ${managed.map((r) => r.leadId).join(", ")}; primary ${primary!.leadId}`);
  if (outside.length) {
    reasons.push(
      `also in VICIdial outside the managed campaigns as lead(s) ${outside.map((r) => r.leadId).join(", ")}: read for DNC and recent calls, never linked or written`,
    );
  }

  const base = {
    adoptExternalLeadId: code.adopt,
    lastCallAt,
    reasons,
    callableAt: null,
    callReasons: [] as CallReason[],
  };
  const skipped = { ...base, primary: null, linkRows: [], writeVendorCodeTo: [], conflicts: [] };

  // DNC first: it holds whatever else is true, and the number is never pushed.
  const dncRows = f.rows.filter((r) => r.statusIsDnc);
  if (f.dncHits.length || dncRows.length) {
    const callReasons = [
      ...dncListReasons(f.dncHits),
      ...(dncRows.length ? [dncStatusReason(dncRows.map((r) => ({ leadId: r.leadId, status: r.statusCode })))] : []),
    ];
    if (calledWithin(lastCallAt, f.now, f.recentCallDays))
      callReasons.push(recentCallReason(lastCallAt!, f.recentCallDays));
    reasons.push(...callReasons.map(callReasonLine));
    return { ...skipped, callReasons, action: ViciAction.SKIPPED_DNC, doNotCall: "dnc" };
  }
  // The recent-call rule: a fact about the number, over every row and its alternate-phone dials.
  if (calledWithin(lastCallAt, f.now, f.recentCallDays)) {
    const recent = recentCallReason(lastCallAt!, f.recentCallDays);
    reasons.push(callReasonLine(recent));
    const action = opts.deferred === false ? ViciAction.SKIPPED_RECENTLY_CALLED : ViciAction.DEFERRED;
    return { ...skipped, callReasons: [recent], callableAt: recent.until, action, doNotCall: "recently_called" };
  }
  // Already in a managed campaign: link, never insert a second lead or move the existing one.
  if (primary) {
    // Linked rows holding another code keep it: each is a conflict, reported.
    const conflicts = code.conflicts.map((c) => ({
      viciLeadId: c.leadId,
      reason: `Vici lead ${c.leadId}: ${conflictReason(c.code, code.notAdopted, false)}`,
    }));
    reasons.push(...conflicts.map((c) => c.reason));
    return {
      ...base,
      primary,
      linkRows: managed,
      writeVendorCodeTo: code.emptyRows,
      conflicts,
      action: ViciAction.LINKED_EXISTING,
      doNotCall: null,
    };
  }
  return { ...skipped, action: "PUSH", doNotCall: null };
}

/** Brain's meta (the seed's keys) for a lead linked to these Vici rows, `primary` among them. */
export function linkMeta(primary: ViciMatch, rows: ViciMatch[], syncedAt = new Date().toISOString()): LeadMeta {
  return {
    vici_lead_id: primary.leadId,
    vici_lead_ids: rows.map((r) => r.leadId).sort((a, b) => a - b),
    vici_list_id: primary.listId,
    vici_campaign_id: primary.campaignId,
    vici_status: primary.statusCode ?? undefined,
    synced_at: syncedAt,
  };
}
