import type { DncHit } from "./call-verdict/held-number";

/**
 * What VICIdial holds about one number, as createLead's call guard (call-guard.ts in src/services)
 * decides on it and the import groups it: its rows (ViciMatch) and the facts read with them
 * (GuardFacts, read by db/create-facts.reader.ts); and the recent-call test both use.
 */

const DAY_MS = 86_400_000;

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
  /** Its list belongs to a managed campaign (ManagedCampaigns): only such rows are linked. */
  managed: boolean;
}

/** What createLead's call guard decides on (db/create-facts.reader.ts reads it). */
export interface GuardFacts {
  now: Date;
  recentCallDays: number;
  /** Every row with the number, any list, managed or not: all are read for safety. */
  rows: ViciMatch[];
  /** The recent-call rule's fact about the number (lastCallOfNumber: every row, and its dials as an alternate phone). */
  lastCallAt: Date | null;
  /** Leads holding the number as an alternate phone: reported, not linked. */
  altPhoneLeadIds: number[];
  /** The DNC entries holding the number (system list, campaign lists; exact or area-code wildcard). */
  dncHits: DncHit[];
  /** Codes (vendorCodeKey) that managed rows of another number carry (asked only for a code the rule could adopt). */
  codesOnAnotherNumber: ReadonlySet<string>;
  /** Lower-cased external ids other Brain leads already hold (among the rows' vendor codes). */
  takenExternalIds: ReadonlySet<string>;
}

/** "Called within N days": strictly less than N×24 h ago (exactly N days ago may be called). */
export function calledWithin(lastCallAt: Date | null, now: Date, days: number): boolean {
  return lastCallAt !== null && now.getTime() - lastCallAt.getTime() < days * DAY_MS;
}
