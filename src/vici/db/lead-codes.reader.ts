import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";

/** A vicidial_list row's vendor code now, with its list's campaign (null: no vicidial_lists row). */
export interface LeadCode {
  leadId: number;
  vendorLeadCode: string | null;
  campaignId: string | null;
}

/** These rows' vendor codes and campaigns, by primary key (a rollback's check before it restores); gone rows are absent. */
export async function vendorCodesOf(ds: DataSource, leadIds: readonly number[]): Promise<LeadCode[]> {
  if (!leadIds.length) return [];
  const rows: { lead_id: number; vendor_lead_code: string | null; campaign_id: string | null }[] = await viciQuery(
    ds,
    "SELECT vl.lead_id, vl.vendor_lead_code, l.campaign_id FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id WHERE vl.lead_id IN (?)",
    [leadIds],
  );
  return rows.map((r) => ({
    leadId: Number(r.lead_id),
    vendorLeadCode: r.vendor_lead_code,
    campaignId: r.campaign_id,
  }));
}
