import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { UserInputError } from "../errors/errors";
import type { GuardFacts, ViciMatch } from "./call-guard";
import { toViciPhone, type ViciPhone } from "./phone";
import { StatusCategory, type StatusCatalog } from "./status-category";
import { instantToViciLocal, viciLocalToInstant } from "./vici-time";
import { storedPhoneVariants, type ViciLeadService } from "./vici-lead.service";

/** Where a new lead goes in Vici: a list, and through it a campaign. */
export interface ViciTarget {
  listId: number;
  campaignId: string | null;
}

export interface TargetRequest {
  listId?: number | null;
  campaignId?: string | null;
  source?: string | null;
}

/** What VICIdial knows about one phone, for the call guard. Reads only, short and indexed. */
export class ViciFactsService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly viciLeads: ViciLeadService,
  ) {}

  /**
   * The list a new lead goes to: the explicit listId, else the list configured for its
   * source, else for its campaign, else the default. Null when nothing applies (fine unless
   * the lead must be pushed). An explicit or configured list must exist in vicidial_lists.
   */
  async target(req: TargetRequest): Promise<ViciTarget | null> {
    const { push } = this.config;
    let listId: number | null = null;
    let via = "";
    if (req.listId != null) [listId, via] = [req.listId, "listId"];
    else if (req.source && push.sourceLists[req.source.toLowerCase()] != null)
      [listId, via] = [push.sourceLists[req.source.toLowerCase()], `VICI_SOURCE_LISTS (${req.source})`];
    else if (req.campaignId) {
      const mapped = push.campaignLists[req.campaignId.toLowerCase()];
      if (mapped == null) {
        throw new UserInputError(`no list is configured for campaign "${req.campaignId}" (VICI_CAMPAIGN_LISTS)`, "campaignId");
      }
      [listId, via] = [mapped, `VICI_CAMPAIGN_LISTS (${req.campaignId})`];
    } else if (push.defaultListId != null) [listId, via] = [push.defaultListId, "VICI_DEFAULT_LIST_ID"];
    if (listId == null) return null;

    const [row] = await this.ds.query("SELECT list_id, campaign_id FROM vicidial_lists WHERE list_id = ?", [listId]);
    if (!row) throw new UserInputError(`list ${listId} (from ${via}) does not exist in VICIdial`, req.listId != null ? "listId" : undefined);
    if (req.campaignId && row.campaign_id && String(row.campaign_id).toLowerCase() !== req.campaignId.toLowerCase()) {
      throw new UserInputError(`list ${listId} belongs to campaign ${row.campaign_id}, not ${req.campaignId}`, "campaignId");
    }
    return { listId: Number(row.list_id), campaignId: row.campaign_id || null };
  }

  /** Everything the call guard needs about `e164`, for a lead headed to `target`. */
  async facts(
    e164: string,
    target: ViciTarget | null,
    catalog: StatusCatalog,
    now: Date,
  ): Promise<Omit<GuardFacts, "takenExternalIds">> {
    const phone = toViciPhone(e164);
    const found = (await this.viciLeads.findByPhones([e164])).get(e164) ?? [];
    const calls = await this.viciLeads.lastCallByLeadIds(found.map((r) => r.leadId));
    const rows: ViciMatch[] = found.map((r) => ({
      leadId: r.leadId,
      listId: r.listId,
      campaignId: r.campaignId,
      vendorLeadCode: r.vendorLeadCode,
      statusCode: r.statusCode,
      statusIsDnc: catalog.resolve(r.statusCode, r.campaignId).category === StatusCategory.DNC,
      lastCallAt: calls.get(r.leadId) ?? null,
    }));
    const campaigns = [...new Set([target?.campaignId, ...rows.map((r) => r.campaignId)].filter((c): c is string => !!c))];
    const [lastCallByNumber, dncHits, altPhoneLeadIds] = await Promise.all([
      this.lastCallByNumber(phone, now),
      this.dncHits(phone, campaigns),
      this.altPhoneLeadIds(phone),
    ]);
    return {
      now,
      recentCallDays: this.config.recentCallDays,
      rows,
      altPhoneLeadIds: altPhoneLeadIds.filter((id) => !rows.some((r) => r.leadId === id)),
      lastCallByNumber,
      dncHits,
    };
  }

  /** Calls logged against the number itself (alt-number dials, deleted leads), via the call_date index. */
  private async lastCallByNumber(phone: ViciPhone, now: Date): Promise<Date | null> {
    const since = instantToViciLocal(new Date(now.getTime() - (this.config.recentCallDays + 1) * 86_400_000), this.config.vici.timeZone);
    const [row] = await this.ds.query(
      "SELECT MAX(call_date) AS last_call FROM vicidial_log WHERE call_date >= ? AND phone_number IN (?)",
      [since, storedPhoneVariants([`+${phone.phoneCode}${phone.phoneNumber}`])],
    );
    return viciLocalToInstant(row?.last_call ?? null, this.config.vici.timeZone);
  }

  /**
   * VICIdial's DNC lists hold national digits without phone_code; a US entry of 3 digits +
   * XXXXXXX blocks the area code. System DNC always counts; campaign DNC counts for the
   * target campaign, the campaigns of the phone's rows, and their shared lists
   * (use_other_campaign_dnc). Wildcards count whatever the campaign's AREACODE setting:
   * Brain's do-not-call is not per campaign, so the stricter reading wins.
   */
  private async dncHits(phone: ViciPhone, campaigns: string[]): Promise<string[]> {
    const numbers = [phone.phoneNumber];
    if (phone.phoneCode === "1" && phone.phoneNumber.length === 10) numbers.push(`${phone.phoneNumber.slice(0, 3)}XXXXXXX`);
    let dncCampaigns = campaigns;
    if (campaigns.length) {
      const shared = await this.ds.query(
        "SELECT use_other_campaign_dnc AS other FROM vicidial_campaigns WHERE campaign_id IN (?) AND use_other_campaign_dnc <> ''",
        [campaigns],
      );
      dncCampaigns = [...new Set([...campaigns, ...shared.map((r: any) => String(r.other))])];
    }
    const rows = await this.ds.query(
      `SELECT 'vicidial_dnc' AS list, phone_number, NULL AS campaign_id FROM vicidial_dnc WHERE phone_number IN (?)
       ${dncCampaigns.length ? "UNION ALL SELECT 'vicidial_campaign_dnc', phone_number, campaign_id FROM vicidial_campaign_dnc WHERE phone_number IN (?) AND campaign_id IN (?)" : ""}`,
      dncCampaigns.length ? [numbers, numbers, dncCampaigns] : [numbers],
    );
    return rows.map((r: any) => `${r.list}${r.campaign_id ? ` (${r.campaign_id})` : ""} ${r.phone_number}`);
  }

  /** Leads holding the number as an extra phone. vicidial_list.alt_phone has no index: opt-in. */
  private async altPhoneLeadIds(phone: ViciPhone): Promise<number[]> {
    const rows = await this.ds.query(
      `SELECT lead_id FROM vicidial_list_alt_phones WHERE phone_number = ? AND (phone_code = ? OR phone_code IS NULL OR phone_code = '')
       ${this.config.push.checkAltPhoneColumn ? "UNION SELECT lead_id FROM vicidial_list WHERE REPLACE(REPLACE(REPLACE(REPLACE(alt_phone,'-',''),' ',''),'(',''),')','') IN (?)" : ""}`,
      this.config.push.checkAltPhoneColumn
        ? [phone.phoneNumber, phone.phoneCode, [phone.phoneNumber, phone.phoneCode + phone.phoneNumber]]
        : [phone.phoneNumber, phone.phoneCode],
    );
    return [...new Set<number>(rows.map((r: any) => Number(r.lead_id)))].sort((a, b) => a - b);
  }
}
