import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";
import { UserInputError } from "../../errors/errors";

/** VICIdial's campaign_id: VARCHAR(8) of letters, digits, - and _. */
export const CAMPAIGN_ID = /^[-_0-9A-Za-z]{1,8}$/;

/** A campaign id as VICIdial could hold it, or BAD_USER_INPUT naming `field`. */
export function checkCampaignId(id: unknown, field = "campaignId"): asserts id is string {
  if (typeof id !== "string" || !CAMPAIGN_ID.test(id)) {
    throw new UserInputError(`${field} must be a VICIdial campaign id (1-8 letters, digits, - or _)`, field);
  }
}

/** A VICIdial campaign (GraphQL: Campaign); name null for one lists name but vicidial_campaigns lacks. */
export interface CampaignRecord {
  campaignId: string;
  name: string | null;
  active: boolean;
}

/** A vicidial_lists row (GraphQL: ViciList). */
export interface ViciListRecord {
  listId: number;
  name: string | null;
  campaignId: string | null;
  active: boolean;
}

/** VICIdial campaigns and lists. A lead's campaign is its list's campaign. */
export class CampaignService {
  constructor(private readonly ds: DataSource) {}

  /** Campaigns from vicidial_campaigns, plus any campaign that lists name but that table lacks. */
  async findAll(): Promise<CampaignRecord[]> {
    const rows = await viciQuery(
      this.ds,
      `
      SELECT campaign_id, campaign_name, active FROM vicidial_campaigns
      UNION ALL
      SELECT DISTINCT l.campaign_id, NULL, NULL FROM vicidial_lists l
       WHERE l.campaign_id IS NOT NULL AND l.campaign_id <> ''
         AND NOT EXISTS (SELECT 1 FROM vicidial_campaigns c WHERE c.campaign_id = l.campaign_id)
      ORDER BY campaign_id`,
    );
    return rows.map((r: any): CampaignRecord => ({
      campaignId: r.campaign_id,
      name: r.campaign_name ?? null,
      active: r.active === "Y",
    }));
  }

  /** Lists per campaign id. VICIdial compares campaign ids case-insensitively, so do we. */
  async listsByCampaign(campaignIds: readonly string[]): Promise<Map<string, ViciListRecord[]>> {
    const out = new Map<string, ViciListRecord[]>(campaignIds.map((c) => [c.toLowerCase(), []]));
    if (campaignIds.length === 0) return out;
    const rows = await viciQuery(
      this.ds,
      "SELECT list_id, list_name, campaign_id, active FROM vicidial_lists WHERE campaign_id IN (?) ORDER BY list_id",
      [campaignIds],
    );
    for (const r of rows) {
      const list: ViciListRecord = {
        listId: Number(r.list_id),
        name: r.list_name ?? null,
        campaignId: r.campaign_id,
        active: r.active === "Y",
      };
      out.get(String(r.campaign_id).toLowerCase())?.push(list);
    }
    return out;
  }

  async listIdsOf(campaignIds: readonly string[]): Promise<number[]> {
    const byCampaign = await this.listsByCampaign(campaignIds);
    return [...byCampaign.values()].flat().map((l) => l.listId);
  }

  /** Leads per list (uses the list_id index; no table scan). */
  async leadCounts(listIds: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (listIds.length === 0) return out;
    const rows = await viciQuery(
      this.ds,
      "SELECT list_id, COUNT(*) AS n FROM vicidial_list WHERE list_id IN (?) GROUP BY list_id",
      [listIds],
    );
    for (const r of rows) out.set(Number(r.list_id), Number(r.n));
    return out;
  }
}
