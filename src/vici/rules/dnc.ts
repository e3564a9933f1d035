import type { ViciPhone } from "./phone";
import type { DncHit } from "./call-verdict/held-number";

/**
 * VICIdial's DNC lists and which of their entries hold a number: the ONE matching rule
 * (createLead, the import, the follower, call verdicts; the entries are read by
 * vici/db/dnc.reader.ts in one statement for any number of phones).
 *
 * - Entries are national digits without phone_code (FACTS.md §4). A number is held by the
 *   entry of its national number and, for a NANP number (phone_code 1, 10 digits), by its
 *   area-code wildcard `727XXXXXXX` (VICIdial's wildcards block a US area code; another
 *   country's first three digits are no area code).
 * - The system list (vicidial_dnc) holds the number everywhere.
 * - A campaign's list (vicidial_campaign_dnc) holds it for that campaign and for every
 *   campaign that shares the list (use_other_campaign_dnc). Which campaigns count is the
 *   caller's: createLead the target's and the number's rows', the import and the follower the
 *   number's rows', a call verdict its campaign (whose use_*_dnc settings then narrow it).
 * - A do-not-call status (dnc='Y', the campaign's definition over the system's) is
 *   StatusCatalog.isDnc.
 */

/** The area-code wildcard the hopper builds: the first three digits + XXXXXXX. */
export function areaCodeEntry(phoneNumber: string): string {
  return `${phoneNumber.slice(0, 3)}XXXXXXX`;
}

/** The DNC entries that hold a number: itself, and for a NANP number its area-code wildcard. */
export function dncEntriesOf(v: ViciPhone): string[] {
  return v.phoneCode === "1" && v.phoneNumber.length === 10
    ? [v.phoneNumber, areaCodeEntry(v.phoneNumber)]
    : [v.phoneNumber];
}

/** One DNC entry as read: the system list's (campaignId null) or a campaign's, with the campaigns sharing that list. */
export interface DncEntry {
  entry: string;
  campaignId: string | null;
  /** Campaigns whose use_other_campaign_dnc names this entry's campaign (lower-cased). */
  sharedBy: string[];
}

/** The DNC entries of a set of numbers, indexed by entry: `hitsOf` answers per number without another read. */
export class DncEntries {
  private readonly byEntry = new Map<string, DncEntry[]>();

  constructor(entries: readonly DncEntry[]) {
    for (const e of entries) {
      const list = this.byEntry.get(e.entry);
      if (list) list.push(e);
      else this.byEntry.set(e.entry, [e]);
    }
  }

  /**
   * The entries holding `v` for `campaigns` (the system list's always; a campaign list's when
   * its campaign, or one sharing it, is among them; compared case-insensitively as VICIdial
   * compares campaign ids). System hits come first.
   */
  hitsOf(v: ViciPhone, campaigns: Iterable<string | null | undefined>): DncHit[] {
    // Most numbers have no entry (the import asks thousands a batch): the campaigns are
    // lower-cased only when a campaign entry is there to compare.
    let keys: Set<string> | null = null;
    const system: DncHit[] = [];
    const campaign: DncHit[] = [];
    for (const entry of dncEntriesOf(v)) {
      const found = this.byEntry.get(entry);
      if (!found) continue;
      for (const e of found) {
        if (e.campaignId === null) {
          system.push({ list: "system", campaignId: null, entry: e.entry });
          continue;
        }
        if (keys === null) {
          keys = new Set<string>();
          for (const c of campaigns) if (c) keys.add(c.toLowerCase());
        }
        if (keys.has(e.campaignId.toLowerCase()) || e.sharedBy.some((s) => keys!.has(s))) {
          campaign.push({ list: "campaign", campaignId: e.campaignId, entry: e.entry });
        }
      }
    }
    return campaign.length ? [...system, ...campaign] : system;
  }
}
