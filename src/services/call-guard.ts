import type { LeadMeta } from "../entities/brain/lead.entity";
import { isExternalLeadId } from "./external-lead-id";

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
  /** Called within the recent-call window: Brain marks it do-not-call, Vici gets nothing new. */
  SKIPPED_RECENTLY_CALLED = "SKIPPED_RECENTLY_CALLED",
  /** On VICIdial's DNC (system, campaign, or a DNC status): never pushed. */
  SKIPPED_DNC = "SKIPPED_DNC",
  /** Brain already had the phone: returned as it is (new non-empty fields merged). */
  ALREADY_IN_BRAIN = "ALREADY_IN_BRAIN",
}

export type DoNotCallReason = "dnc" | "recently_called";

/** One vicidial_list row with this phone (any list). */
export interface ViciMatch {
  leadId: number;
  listId: number;
  campaignId: string | null;
  vendorLeadCode: string | null;
  statusCode: string | null;
  /** Its status (campaign's over system) has the dnc flag. */
  statusIsDnc: boolean;
  /** Latest vicidial_log call of this row, as an instant. */
  lastCallAt: Date | null;
}

export interface GuardFacts {
  now: Date;
  recentCallDays: number;
  rows: ViciMatch[];
  /** Leads holding the number as an alternate phone: reported, not linked. */
  altPhoneLeadIds: number[];
  /** Latest call that dialed the number as another lead's alternate phone (vicidial_log). */
  lastCallByNumber: Date | null;
  /** Which DNC list holds the number, if any (e.g. "vicidial_dnc 727XXXXXXX"). */
  dncHits: string[];
  /** Lower-cased external ids other Brain leads already hold (among the rows' vendor codes). */
  takenExternalIds: ReadonlySet<string>;
}

export interface CreateDecision {
  action: Exclude<ViciAction, ViciAction.CREATED | ViciAction.QUEUED | ViciAction.ALREADY_IN_BRAIN> | "PUSH";
  /** The row Brain links as primary (most recently called, else newest). */
  primary: ViciMatch | null;
  /** A Vici vendor code to adopt as Brain's external_lead_id; null → generate one. */
  adoptExternalLeadId: string | null;
  doNotCall: DoNotCallReason | null;
  /** Rows whose empty vendor_lead_code gets Brain's external_lead_id. */
  writeVendorCodeTo: number[];
  /** Latest call over every row and the number itself. */
  lastCallAt: Date | null;
  reasons: string[];
}

const DAY_MS = 86_400_000;

/** Latest of the dates, or null. */
export function latestOf(dates: (Date | null | undefined)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

/** "Called within N days": strictly less than N×24 h ago (exactly N days ago may be called). */
export function calledWithin(lastCallAt: Date | null, now: Date, days: number): boolean {
  return lastCallAt !== null && now.getTime() - lastCallAt.getTime() < days * DAY_MS;
}

/** The primary row: the most recently called; never-called rows rank by newest lead_id. */
export function primaryRow(rows: ViciMatch[]): ViciMatch | null {
  let best: ViciMatch | null = null;
  for (const r of rows) {
    if (!best) best = r;
    else {
      const a = r.lastCallAt?.getTime() ?? -Infinity;
      const b = best.lastCallAt?.getTime() ?? -Infinity;
      if (a > b || (a === b && r.leadId > best.leadId)) best = r;
    }
  }
  return best;
}

export function decideCreate(f: GuardFacts): CreateDecision {
  const reasons: string[] = [];
  const primary = primaryRow(f.rows);
  const lastCallAt = latestOf([...f.rows.map((r) => r.lastCallAt), f.lastCallByNumber]);

  // Adopt an existing vendor code (the primary's first) only when it can be Brain's id.
  let adopt: string | null = null;
  const byPriority = primary ? [primary, ...f.rows.filter((r) => r !== primary)] : [];
  for (const r of byPriority) {
    const code = r.vendorLeadCode?.trim();
    if (!code) continue;
    if (!isExternalLeadId(code)) {
      reasons.push(`vendor_lead_code of Vici lead ${r.leadId} cannot be an external_lead_id (length or characters)`);
    } else if (f.takenExternalIds.has(code.toLowerCase())) {
      reasons.push(`vendor_lead_code of Vici lead ${r.leadId} is already another Brain lead's external_lead_id`);
    } else {
      adopt = code;
      break;
    }
  }
  // Empty codes get Brain's id; a row holding another code keeps it (reported: a conflict).
  const writeVendorCodeTo = f.rows.filter((r) => !r.vendorLeadCode?.trim()).map((r) => r.leadId);
  for (const r of f.rows) {
    const code = r.vendorLeadCode?.trim();
    if (code && adopt !== null && code !== adopt) reasons.push(`Vici lead ${r.leadId} keeps its own vendor_lead_code (conflict)`);
  }
  if (f.altPhoneLeadIds.length) reasons.push(`number is an alternate phone of Vici lead(s) ${f.altPhoneLeadIds.join(", ")}`);
  if (f.rows.length) reasons.push(`in Vici as lead(s) ${f.rows.map((r) => r.leadId).join(", ")}; primary ${primary!.leadId}`);

  const base = { primary, adoptExternalLeadId: adopt, writeVendorCodeTo, lastCallAt, reasons };

  // DNC first: it holds whatever else is true, and the number is never pushed.
  const dncRows = f.rows.filter((r) => r.statusIsDnc);
  if (f.dncHits.length || dncRows.length) {
    for (const hit of f.dncHits) reasons.push(`on DNC: ${hit}`);
    for (const r of dncRows) reasons.push(`Vici lead ${r.leadId} has DNC status ${r.statusCode}`);
    return { ...base, action: ViciAction.SKIPPED_DNC, doNotCall: "dnc" };
  }
  // The 30-day rule covers every row of the phone and calls logged against the number itself.
  if (calledWithin(lastCallAt, f.now, f.recentCallDays)) {
    reasons.push(`called ${lastCallAt!.toISOString()}, within ${f.recentCallDays} days`);
    return { ...base, action: ViciAction.SKIPPED_RECENTLY_CALLED, doNotCall: "recently_called" };
  }
  // Already in Vici: link, never insert a second lead or move the existing one.
  if (primary) return { ...base, action: ViciAction.LINKED_EXISTING, doNotCall: null };
  return { ...base, action: "PUSH", doNotCall: null };
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
