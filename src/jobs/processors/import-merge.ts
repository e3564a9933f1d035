import type { LeadMeta } from "../../entities/brain/lead.entity";
import { calledWithin, linkMeta, primaryRow, type DoNotCallReason, type ViciMatch } from "../../services/call-guard";
import { doNotCallHolds, recentCallEnds } from "../../services/do-not-call";
import {
  callReasonLine,
  dncListReasons,
  dncStatusReason,
  recentCallReason,
  type DncHit,
} from "../../vici/rules/call-verdict/held-number";
import type { CallReason } from "../../vici/rules/call-verdict/types";
import type { SyncJobIssueInput } from "../sync-job.types";

/**
 * How one phone's Vici rows land in Brain (Phase 1), as pure functions: the import reads a
 * batch, groups it by phone, and these say what each Brain lead becomes.
 */

/** One phone's rows in the batch, with what VICIdial says about the number. */
export interface PhoneGroup {
  phone: string;
  /** The batch's rows of the number (the job's campaigns): the rows the import links. */
  rows: ViciMatch[];
  /** What VICIdial says about the number wherever it sits: every row, managed or not. */
  number: {
    /** The recent-call rule's fact (lastCallOfNumber). */
    lastCallAt: Date | null;
    /** A row of the number has a DNC status. */
    statusIsDnc: boolean;
    /** Each row's own last call (the primary is the most recently called linked row). */
    callOf: Pick<ReadonlyMap<number, Date | null>, "get">;
  };
  /** On vicidial_dnc / a campaign DNC list of the number's rows' campaigns. */
  onDncList: boolean;
  /** Those DNC entries (for the reasons). */
  dncHits?: DncHit[];
}

/** The Brain side of a lead the import may change. */
export interface BrainLeadState extends DoNotCallState {
  meta: LeadMeta;
}

/** Brain's do-not-call columns (src/services/do-not-call.ts says when the flag holds). */
export interface DoNotCallState {
  doNotCall: boolean;
  doNotCallReason: string | null;
  /** null = never lifts (dnc, an operator's reason). */
  doNotCallUntil: Date | null;
}

export interface ImportContext {
  now: Date;
  recentCallDays: number;
  syncedAt: string;
}

/**
 * Do-not-call after the import. DNC outranks everything and never lifts. A recent call sets
 * recently_called with the end of the number's window (last call + RECENT_CALL_DAYS) — never a
 * permanent flag — unless a flag that holds for another reason is there (an operator's, dnc);
 * a later call moves the end out, never in. The import clears nothing: a recency flag lifts by
 * itself, the others stay.
 */
export function doNotCallAfter(
  current: DoNotCallState,
  dnc: boolean,
  lastCallAt: Date | null,
  ctx: ImportContext,
): DoNotCallState {
  if (dnc) {
    if (current.doNotCallReason === "dnc" && current.doNotCall && current.doNotCallUntil === null) return pick(current);
    return { doNotCall: true, doNotCallReason: "dnc" satisfies DoNotCallReason, doNotCallUntil: null };
  }
  const holds = doNotCallHolds(current, ctx.now);
  const recency = current.doNotCallReason === "recently_called";
  if (holds && !recency) return pick(current);
  if (calledWithin(lastCallAt, ctx.now, ctx.recentCallDays)) {
    const ends = recentCallEnds(lastCallAt!, ctx.recentCallDays);
    const until = holds && current.doNotCallUntil && current.doNotCallUntil > ends ? current.doNotCallUntil : ends;
    return { doNotCall: true, doNotCallReason: "recently_called" satisfies DoNotCallReason, doNotCallUntil: until };
  }
  return pick(current);
}

function pick(s: DoNotCallState): DoNotCallState {
  return { doNotCall: s.doNotCall, doNotCallReason: s.doNotCallReason, doNotCallUntil: s.doNotCallUntil };
}

/** The same do-not-call state (the until compared as an instant). */
export function sameDoNotCall(a: DoNotCallState, b: DoNotCallState): boolean {
  return (
    a.doNotCall === b.doNotCall &&
    a.doNotCallReason === b.doNotCallReason &&
    (a.doNotCallUntil?.getTime() ?? null) === (b.doNotCallUntil?.getTime() ?? null)
  );
}

function isDnc(g: PhoneGroup): boolean {
  return g.onDncList || g.number.statusIsDnc;
}

/** The seed's meta for a phone's rows: vici_lead_id = the most recently called row. */
export function viciMeta(rows: ViciMatch[], lastCallAt: Date | null, ctx: ImportContext): LeadMeta {
  // linkMeta's object is fresh: completed in place (no copies: the import builds one per lead).
  const meta = linkMeta(primaryRow(rows)!, rows, ctx.syncedAt);
  meta.last_call_date = lastCallAt ? lastCallAt.toISOString() : null;
  return meta;
}

/** A phone Brain does not have yet. */
export function newLeadState(g: PhoneGroup, ctx: ImportContext): BrainLeadState {
  const lastCallAt = g.number.lastCallAt;
  const meta = viciMeta(g.rows, lastCallAt, ctx);
  meta.origin = "vici_import";
  return {
    meta,
    ...doNotCallAfter({ doNotCall: false, doNotCallReason: null, doNotCallUntil: null }, isDnc(g), lastCallAt, ctx),
  };
}

/**
 * A phone Brain has: its rows join the ones already linked (rows of this phone may sit in
 * other batches), the primary is the most recently called of all (each row by its own last
 * call, so batches give the same primary in any order), last_call_date is the number's, nothing
 * else in meta is touched. `changed` false means the import leaves the lead exactly as it is.
 */
export function mergedLeadState(
  current: BrainLeadState,
  g: PhoneGroup,
  ctx: ImportContext,
): BrainLeadState & { changed: boolean } {
  const m = current.meta ?? {};
  const knownIds = new Set<number>(m.vici_lead_ids ?? (m.vici_lead_id ? [m.vici_lead_id] : []));
  const batchIds = new Set(g.rows.map((r) => r.leadId));
  // The current primary stands for the rows of other batches, with what Brain recorded of it.
  const carried: ViciMatch[] =
    m.vici_lead_id && !batchIds.has(m.vici_lead_id)
      ? [
          {
            leadId: m.vici_lead_id,
            listId: m.vici_list_id ?? 0,
            campaignId: m.vici_campaign_id ?? null,
            vendorLeadCode: null,
            statusCode: m.vici_status ?? null,
            statusIsDnc: false,
            lastCallAt: g.number.callOf.get(m.vici_lead_id) ?? null,
            managed: true,
          },
        ]
      : [];
  const rows = [...g.rows, ...carried];
  const lastCallAt = g.number.lastCallAt;
  const fresh = viciMeta(rows, lastCallAt, ctx);
  fresh.vici_lead_ids = [...new Set([...knownIds, ...batchIds, ...(fresh.vici_lead_ids ?? [])])].sort((a, b) => a - b);

  const keys = [
    "vici_lead_id",
    "vici_lead_ids",
    "vici_list_id",
    "vici_campaign_id",
    "vici_status",
    "last_call_date",
  ] as const;
  const metaChanged = keys.some((k) => JSON.stringify(m[k] ?? null) !== JSON.stringify(fresh[k] ?? null));
  const dnc = doNotCallAfter(current, isDnc(g), lastCallAt, ctx);
  const changed = metaChanged || !sameDoNotCall(dnc, current);
  return {
    meta: metaChanged ? { ...m, ...fresh } : m,
    ...dnc,
    changed,
  };
}

/** What became of one phone's rows in Brain, for the counters. */
export type GroupOutcome =
  /** A new Brain lead (or, in a dry run, one an earlier batch would have created: `created` false). */
  | { kind: "new"; created: boolean }
  /** A lead Brain had: its linked Vici row ids before, and whether the import changed it. */
  | { kind: "merged"; knownIds: ReadonlySet<number>; changed: boolean };

/**
 * Each of a phone's rows in exactly one counter. Rows whose vendor code conflicted count as
 * conflicts (reported); of a new lead's other rows the first created it and the rest joined
 * it (linked); a known lead's rows new to it are linked, the ones it had are updated when the
 * import changed the lead and unchanged when it did not.
 */
export function rowCounters(
  rowIds: readonly number[],
  outcome: GroupOutcome,
  conflictRows: ReadonlySet<number> = new Set(),
): Partial<Record<"created" | "updated" | "linked" | "unchanged" | "conflicts", number>> {
  const out = { created: 0, updated: 0, linked: 0, unchanged: 0, conflicts: 0 };
  let first = outcome.kind === "new" && outcome.created;
  for (const id of rowIds) {
    if (conflictRows.has(id)) out.conflicts++;
    else if (outcome.kind === "new") {
      if (first) out.created++;
      else out.linked++;
      first = false;
    } else if (!outcome.knownIds.has(id))
      out.linked++; // joining the lead changes it (vici_lead_ids)
    else if (outcome.changed) out.updated++;
    else out.unchanged++;
  }
  return out;
}

/**
 * Why an imported number is held from calls — DNC lists, a do-not-call status, a recent call —
 * in callVerdict's codes and words (empty: nothing holds it).
 */
export function heldReasons(g: PhoneGroup, ctx: ImportContext): CallReason[] {
  const out = dncListReasons(g.dncHits ?? []);
  if (g.onDncList && out.length === 0) out.push(...dncListReasons([{ list: "system", campaignId: null, entry: "" }]));
  if (g.number.statusIsDnc)
    out.push(
      dncStatusReason(g.rows.filter((r) => r.statusIsDnc).map((r) => ({ leadId: r.leadId, status: r.statusCode }))),
    );
  const last = g.number.lastCallAt;
  if (calledWithin(last, ctx.now, ctx.recentCallDays)) out.push(recentCallReason(last!, ctx.recentCallDays));
  return out;
}

/** An import's HELD issue: a lead stored but not to be called (yet), its reasons as callVerdict gives them. */
export function heldIssue(
  reasons: readonly CallReason[],
  what: string,
  at: { line?: number | null; viciLeadId?: number | null; brainLeadId?: string | null },
): SyncJobIssueInput {
  return {
    kind: "HELD",
    ...at,
    reason: `${what}: ${reasons.map(callReasonLine).join("; ")}`,
    data: {
      callReasons: reasons.map((r) => ({ code: r.code, detail: r.detail, until: r.until?.toISOString() ?? null })),
    },
  };
}

/**
 * A Brain lead whose number VICIdial called or put on a DNC list but that has no managed row
 * to import (a CSV lead whose number sits only in other campaigns' lists): the follower
 * records the number's last call and the do-not-call merge the import applies.
 */
export function calledLeadState(
  current: BrainLeadState,
  number: { lastCallAt: Date | null; dnc: boolean },
  ctx: ImportContext,
): BrainLeadState & { changed: boolean } {
  const m = current.meta ?? {};
  const lastCall = number.lastCallAt ? number.lastCallAt.toISOString() : null;
  const metaChanged = lastCall !== null && (m.last_call_date ?? null) !== lastCall;
  const dnc = doNotCallAfter(current, number.dnc, number.lastCallAt, ctx);
  return {
    meta: metaChanged ? { ...m, last_call_date: lastCall } : m,
    ...dnc,
    changed: metaChanged || !sameDoNotCall(dnc, current),
  };
}
