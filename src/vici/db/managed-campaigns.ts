import type { DataSource } from "typeorm";
import { CampaignNotManagedError } from "../../errors/errors";
import { viciQuery } from "./vici-query";

/**
 * The campaigns the gateway manages (VICI_CAMPAIGNS; unset: every campaign that exists), and
 * the one definition of a managed row: a vicidial_list row is managed iff its list's campaign
 * (`vicidial_lists.campaign_id`) is managed. A list without a vicidial_lists row, or naming no
 * campaign, is never managed.
 *
 * Only managed rows are imported, linked (meta.vici_lead_id(s)), counted as "already in Vici"
 * (LINKED_EXISTING), given a vendor code, rolled back or reported as drift. Every row of a
 * number, managed or not, is still read for safety (DNC, the recent-call rule).
 */
export class ManagedCampaigns {
  private readonly keys: ReadonlySet<string> | null;

  constructor(
    private readonly ds: DataSource,
    /** VICI_CAMPAIGNS as written; null: every campaign. */
    readonly configured: readonly string[] | null,
  ) {
    this.keys = campaignKeys(configured);
  }

  /** Is a row whose list belongs to `campaignId` managed? null/'' = no vicidial_lists row: never. */
  manages(campaignId: string | null | undefined): boolean {
    return managesCampaign(this.keys, campaignId);
  }

  /**
   * The campaigns a job or an audit covers: the ones asked for, each of which must be managed
   * (CampaignNotManagedError, `field`), else every managed one (null: every campaign).
   */
  chosen(requested: readonly string[], field = "campaigns"): string[] | null {
    const outside = requested.filter((c) => !this.manages(c));
    if (outside.length) throw new CampaignNotManagedError(outside, this.configured ?? [], field);
    if (requested.length) return [...requested];
    return this.configured ? [...this.configured] : null;
  }

  /**
   * The lists of these campaigns (null: of every managed campaign) → their campaign, as
   * vicidial_lists spells it. A small table, read whole.
   */
  async lists(campaignIds: readonly string[] | null): Promise<Map<number, string>> {
    const rows: { list_id: number; campaign_id: string }[] =
      campaignIds === null
        ? await viciQuery(
            this.ds,
            "SELECT list_id, campaign_id FROM vicidial_lists WHERE campaign_id IS NOT NULL AND campaign_id <> ''",
          )
        : campaignIds.length
          ? await viciQuery(this.ds, "SELECT list_id, campaign_id FROM vicidial_lists WHERE campaign_id IN (?)", [
              campaignIds,
            ])
          : [];
    return new Map(rows.filter((r) => this.manages(r.campaign_id)).map((r) => [Number(r.list_id), r.campaign_id]));
  }

  /** Every managed list → its campaign. */
  managedLists(): Promise<Map<number, string>> {
    return this.lists(this.configured);
  }
}

/** VICI_CAMPAIGNS as the keys `managesCampaign` compares (VICIdial compares campaign ids case-insensitively). */
export function campaignKeys(configured: readonly string[] | null): ReadonlySet<string> | null {
  return configured ? new Set(configured.map((c) => c.toLowerCase())) : null;
}

/** The managed-row rule on its own (the demo's seed has no VICIdial connection of ours). */
export function managesCampaign(keys: ReadonlySet<string> | null, campaignId: string | null | undefined): boolean {
  if (!campaignId) return false;
  return keys === null || keys.has(campaignId.toLowerCase());
}
