import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";
import type { AppConfig } from "../../config/app-config";
import { UserInputError } from "../../errors/errors";
import type { GuardFacts, ViciMatch } from "../rules/number-facts";
import { toViciPhone, type ViciPhone } from "../rules/phone";
import type { StatusCatalog } from "../rules/status-category";
import type { ManagedCampaigns } from "./managed-campaigns";
import { decideVendorCode, vendorCodeKey } from "../rules/vendor-code";
import type { NumberRowsReader } from "./number-rows.reader";
import type { VendorCodeOwners } from "./vendor-code-owners.reader";
import type { DncHit } from "../rules/call-verdict/held-number";
import { readDncEntries } from "./dnc.reader";
import { ReadBatcher } from "./read-batcher";
import type { DncEntries } from "../rules/dnc";
import type { NumberRows } from "./number-rows.reader";

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

/** Most keys one shared statement carries (a create's number is a handful of IN values). */
const BATCH_KEYS = 64;
/** Statements of one kind out at once (of the pool's 10 connections); more callers wait and share the next. */
const BATCHES_IN_FLIGHT = 4;

/**
 * What VICIdial knows about one phone, for the call guard. Reads only, short and indexed.
 * Concurrent creates share their statements (ReadBatcher): the lists of their targets in one,
 * their numbers' rows with calls and alternate phones in one, their DNC entries in one.
 */
export class ViciFactsService {
  private readonly lists: ReadBatcher<number, { list_id: unknown; campaign_id: string | null }>;
  private readonly numberRows: ReadBatcher<string, NumberRows>;
  private readonly dnc: ReadBatcher<string, DncEntries>;

  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly numbers: NumberRowsReader,
    private readonly managed: ManagedCampaigns,
    private readonly owners: VendorCodeOwners,
  ) {
    this.lists = new ReadBatcher(
      async (ids) => {
        const rows: { list_id: unknown; campaign_id: string | null }[] = await viciQuery(
          this.ds,
          "SELECT list_id, campaign_id FROM vicidial_lists WHERE list_id IN (?)",
          [ids],
        );
        return new Map(rows.map((r) => [Number(r.list_id), r]));
      },
      { maxKeys: BATCH_KEYS, maxInFlight: BATCHES_IN_FLIGHT },
    );
    this.numberRows = new ReadBatcher((e164s) => this.numbers.read(e164s), {
      maxKeys: BATCH_KEYS,
      maxInFlight: BATCHES_IN_FLIGHT,
    });
    // Every number's entries in one read; each create then asks for its own number's (hitsOf).
    this.dnc = new ReadBatcher(
      async (e164s) => {
        const entries = await readDncEntries(
          this.ds,
          e164s.map((p) => toViciPhone(p)),
        );
        return new Map(e164s.map((p) => [p, entries]));
      },
      { maxKeys: BATCH_KEYS, maxInFlight: BATCHES_IN_FLIGHT },
    );
  }

  /**
   * The list a new lead goes to: the explicit listId, else the list configured for its
   * source, else for its campaign, else the default. Null when nothing applies (fine unless
   * the lead must be pushed). An explicit or configured list must exist in vicidial_lists and
   * belong to a managed campaign: the gateway writes nowhere else.
   */
  async target(req: TargetRequest): Promise<ViciTarget | null> {
    const { push } = this.config;
    if (req.campaignId) this.managed.chosen([req.campaignId], "campaignId");
    let listId: number | null = null;
    let via = "";
    if (req.listId != null) [listId, via] = [req.listId, "listId"];
    else if (req.source && push.sourceLists[req.source.toLowerCase()] != null)
      [listId, via] = [push.sourceLists[req.source.toLowerCase()], `VICI_SOURCE_LISTS (${req.source})`];
    else if (req.campaignId) {
      const mapped = push.campaignLists[req.campaignId.toLowerCase()];
      if (mapped == null) {
        throw new UserInputError(
          `no list is configured for campaign "${req.campaignId}" (VICI_CAMPAIGN_LISTS)`,
          "campaignId",
        );
      }
      [listId, via] = [mapped, `VICI_CAMPAIGN_LISTS (${req.campaignId})`];
    } else if (push.defaultListId != null) [listId, via] = [push.defaultListId, "VICI_DEFAULT_LIST_ID"];
    if (listId == null) return null;

    const row = await this.lists.load(listId);
    if (!row)
      throw new UserInputError(
        `list ${listId} (from ${via}) does not exist in VICIdial`,
        req.listId != null ? "listId" : undefined,
      );
    if (req.campaignId && row.campaign_id && String(row.campaign_id).toLowerCase() !== req.campaignId.toLowerCase()) {
      throw new UserInputError(
        `list ${listId} belongs to campaign ${row.campaign_id}, not ${req.campaignId}`,
        "campaignId",
      );
    }
    if (!this.managed.manages(row.campaign_id)) {
      const whose = row.campaign_id
        ? `campaign ${row.campaign_id}, which this gateway does not manage (VICI_CAMPAIGNS)`
        : "no campaign";
      throw new UserInputError(
        `list ${listId} (from ${via}) belongs to ${whose}`,
        req.listId != null ? "listId" : req.campaignId ? "campaignId" : undefined,
      );
    }
    return { listId: Number(row.list_id), campaignId: row.campaign_id || null };
  }

  /**
   * Everything the call guard needs about `e164`, for a lead headed to `target`: every row of
   * the number (managed or not) with the number's last call, the DNC lists, and — only when the
   * vendor-code rule could adopt a code — whether managed rows of another number carry it.
   */
  async facts(
    e164: string,
    target: ViciTarget | null,
    catalog: StatusCatalog,
    now: Date,
    /** false: the lead has its id already (the outbox's re-check): no vendor code is adopted, so its owners are not read. */
    adoptable = true,
  ): Promise<Omit<GuardFacts, "takenExternalIds">> {
    const phone = toViciPhone(e164);
    // The number's DNC entries are read beside its rows (which campaigns count is decided after).
    const dncEntries = this.dnc.load(e164);
    dncEntries.catch(() => {}); // awaited below; a failed rows read must not leave it unhandled
    const number = (await this.numberRows.load(e164))!;
    const rows: ViciMatch[] = number.rows.map((r) => ({
      leadId: r.leadId,
      listId: r.listId,
      campaignId: r.campaignId,
      vendorLeadCode: r.vendorLeadCode,
      statusCode: r.status,
      statusIsDnc: catalog.isDnc(r.status, r.campaignId),
      lastCallAt: r.lastCallAt,
      managed: this.managed.manages(r.campaignId),
    }));
    const campaigns = [
      ...new Set([target?.campaignId, ...rows.map((r) => r.campaignId)].filter((c): c is string => !!c)),
    ];
    const [{ dncHits, altLeadIds }, codesOnAnotherNumber] = await Promise.all([
      this.dncAndAltPhones(phone, campaigns, dncEntries),
      adoptable
        ? this.codesOnAnotherNumber(
            e164,
            rows.filter((r) => r.managed),
          )
        : Promise.resolve(new Set<string>()),
    ]);
    const altPhoneLeadIds = [...new Set([...number.altLeadIds, ...altLeadIds])]
      .filter((id) => !rows.some((r) => r.leadId === id))
      .sort((a, b) => a - b);
    return {
      now,
      recentCallDays: this.config.recentCallDays,
      rows,
      lastCallAt: number.lastCallAt,
      altPhoneLeadIds,
      dncHits,
      codesOnAnotherNumber,
    };
  }

  /**
   * The vendor-code rule's "no managed row of another number carries it", asked only for the
   * code the rule could adopt (vendor_lead_code has no index: this reads the managed lists).
   */
  private async codesOnAnotherNumber(e164: string, managedRows: ViciMatch[]): Promise<Set<string>> {
    const candidate = decideVendorCode({
      rows: managedRows,
      onAnotherNumber: () => false,
      heldByAnotherLead: () => false,
    }).adopt;
    if (candidate === null) return new Set();
    const carriers = await this.owners.numbersCarrying([candidate], [...(await this.managed.managedLists()).keys()]);
    const key = vendorCodeKey(candidate);
    return [...(carriers.get(key) ?? [])].some((n) => n !== e164) ? new Set([key]) : new Set();
  }

  /**
   * The DNC lists (one statement: readDncEntries) and, with VICI_CHECK_ALT_PHONE_COLUMN, the
   * leads whose alt_phone column holds the number, side by side. Campaign DNC counts for the
   * target campaign and the campaigns of the phone's rows, and the lists they share
   * (use_other_campaign_dnc); wildcards count whatever a campaign's AREACODE setting: Brain's
   * do-not-call is not per campaign, so the stricter reading wins (rules/dnc.ts).
   *
   * Alternate phones: vicidial_list_alt_phones is read with the number's rows (NumberRowsReader,
   * whose last call counts its dials); vicidial_list.alt_phone has no index (a scan of the
   * dialer's table per create), so only with VICI_CHECK_ALT_PHONE_COLUMN, and only reported.
   */
  private async dncAndAltPhones(
    phone: ViciPhone,
    campaigns: string[],
    entries: Promise<DncEntries | undefined>,
  ): Promise<{ dncHits: DncHit[]; altLeadIds: number[] }> {
    const [dnc, alt] = await Promise.all([
      entries.then((e) => e!),
      this.config.push.checkAltPhoneColumn
        ? viciQuery<{ lead_id: number }[]>(
            this.ds,
            `SELECT lead_id FROM vicidial_list
              WHERE REPLACE(REPLACE(REPLACE(REPLACE(alt_phone,'-',''),' ',''),'(',''),')','') IN (?)`,
            [[phone.phoneNumber, phone.phoneCode + phone.phoneNumber]],
          )
        : Promise.resolve([]),
    ]);
    return {
      dncHits: dnc.hitsOf(phone, campaigns),
      altLeadIds: [...new Set(alt.map((r) => Number(r.lead_id)))].sort((a, b) => a - b),
    };
  }
}
