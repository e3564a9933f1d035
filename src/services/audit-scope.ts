import type { DataSource } from "typeorm";
import { UserInputError } from "../errors/errors";
import type { CampaignService } from "../vici/db/campaigns.reader";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";
import { listCounts, scanLists } from "../vici/db/audit.reader";

/**
 * What the audit (audit.service.ts) and the health metrics (health-metrics.service.ts) both
 * stand on: the chosen campaigns resolved to their lists, the lists' row counts, and a
 * chunked scan of the lists' rows.
 *
 * VICIdial facts this relies on (FACTS.md): a lead's campaign is its list's campaign
 * (`vicidial_lists.campaign_id`; `vicidial_list` has no campaign column), so a campaign is
 * turned into its list ids first and `vicidial_list` is read `WHERE list_id IN (...)` (the
 * list_id index). Every table is MyISAM: a read holds a table read lock that makes the
 * dialer's UPDATEs wait, so rows that have to be checked against Brain are streamed in short
 * keyset chunks (one Brain query per chunk) and never loaded whole.
 *
 * The chunks follow the (list_id, phone_number) index, one list at a time, not lead_id: a
 * MyISAM secondary index does not carry the primary key, so `list_id IN (...) AND lead_id > ?
 * ORDER BY lead_id LIMIT n` either walks the primary key through other lists' rows until n
 * match or sorts every remaining row of the lists for each chunk (measured on 400k rows, the
 * chosen lists 20% of them: 9 chunks, up to 670 ms each, 4.5 s in all; by list and phone:
 * 15 statements, at most 93 ms each, 0.65 s in all; equal when the lists are most of the table).
 *
 * Decisions:
 * - Campaign ids: 1–8 of `[-_0-9A-Za-z]` (UserInputError, field "campaigns"); compared
 *   case-insensitively like VICIdial does, reported in VICIdial's spelling. A campaign is
 *   known if vicidial_campaigns has it or a list names it (CampaignService.findAll). No
 *   campaigns (null or []) = every known managed campaign (VICI_CAMPAIGNS; unset: all); a
 *   campaign outside VICI_CAMPAIGNS is refused. Leads of lists without a vicidial_lists row
 *   (orphans) belong to no campaign and are never audited.
 * - A Vici row "has a vendor code" when vendor_lead_code is neither NULL nor ''.
 * - Unique phones are counted by (phone_code, phone_number) as stored, a NULL phone_code
 *   counted as '' (COUNT(DISTINCT a, b) would otherwise skip the row).
 */

/** Vici rows per keyset chunk (one short (list_id, phone_number) index read each, one Brain query each). */
const VICI_CHUNK = 10_000;
/** Sample size of every drift kind and metric. */
export const AUDIT_SAMPLE_SIZE = 20;

const CAMPAIGN_ID = /^[-_0-9A-Za-z]{1,8}$/;

export interface AuditList {
  listId: number;
  name: string | null;
  campaignId: string | null;
  active: boolean;
}

export interface AuditCounts {
  rows: number;
  uniquePhones: number;
  rowsWithVendorCode: number;
}

export interface ResolvedCampaign {
  campaignId: string;
  name: string | null;
  lists: AuditList[];
}

export interface AuditScopeOptions {
  viciChunk?: number;
}

/** A count and the AUDIT_SAMPLE_SIZE lowest ids counted (whatever order they come in). */
export class Tally {
  count = 0;
  readonly sample: number[] = [];
  add(id: number): void {
    this.count++;
    sampleLowest(this.sample, id);
  }
}

/** Keeps `sample` the (at most AUDIT_SAMPLE_SIZE) lowest distinct ids offered, ascending. */
export function sampleLowest(sample: number[], id: number): void {
  if (sample.includes(id)) return;
  if (sample.length >= AUDIT_SAMPLE_SIZE && id > sample[sample.length - 1]) return;
  sample.push(id);
  sample.sort((a, b) => a - b);
  if (sample.length > AUDIT_SAMPLE_SIZE) sample.pop();
}

export class AuditScope {
  private readonly viciChunk: number;

  constructor(
    private readonly vici: DataSource,
    private readonly campaigns: CampaignService,
    private readonly managed: ManagedCampaigns,
    opts: AuditScopeOptions = {},
  ) {
    this.viciChunk = opts.viciChunk ?? VICI_CHUNK;
  }

  /**
   * Validates and resolves campaign ids (none = every managed campaign) to VICIdial's campaigns
   * and their lists. A campaign outside VICI_CAMPAIGNS is refused (CampaignNotManagedError).
   */
  async resolveCampaigns(ids: readonly string[]): Promise<ResolvedCampaign[]> {
    if (!Array.isArray(ids)) throw new UserInputError("campaigns must be a list of campaign ids", "campaigns");
    const bad = ids.filter((c) => typeof c !== "string" || !CAMPAIGN_ID.test(c));
    if (bad.length) {
      throw new UserInputError(
        `not a VICIdial campaign id (1 to 8 of A-Z a-z 0-9 - _): ${bad.map((c) => JSON.stringify(c)).join(", ")}`,
        "campaigns",
      );
    }
    this.managed.chosen(ids);
    const known = (await this.campaigns.findAll()).filter((c) => this.managed.manages(c.campaignId));
    const byKey = new Map(known.map((c) => [c.campaignId.toLowerCase(), c]));
    let chosen = known;
    if (ids.length > 0) {
      const keys = [...new Set(ids.map((c) => c.toLowerCase()))];
      const unknown = ids.filter(
        (c, i) => !byKey.has(c.toLowerCase()) && ids.findIndex((d) => d.toLowerCase() === c.toLowerCase()) === i,
      );
      if (unknown.length)
        throw new UserInputError(
          `unknown campaign${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`,
          "campaigns",
        );
      chosen = keys.map((k) => byKey.get(k)!);
    }
    const lists = await this.campaigns.listsByCampaign(chosen.map((c) => c.campaignId));
    return chosen.map((c) => ({
      campaignId: c.campaignId,
      name: c.name,
      lists: (lists.get(c.campaignId.toLowerCase()) ?? []).map((l) => ({
        listId: l.listId,
        name: l.name,
        campaignId: l.campaignId,
        active: l.active,
      })),
    }));
  }

  /**
   * Rows, rows with a vendor code and (optionally) unique phones of some lists: one
   * statement, a list_id index range (the rows themselves are read: neither vendor_lead_code
   * nor phone_code is in an index).
   */
  async counts(listIds: number[], phones = true): Promise<AuditCounts> {
    if (listIds.length === 0) return { rows: 0, uniquePhones: 0, rowsWithVendorCode: 0 };
    return listCounts(this.vici, listIds, phones);
  }

  /**
   * Streams the rows of some lists, `viciChunk` at a time, handing each chunk to `each` before
   * reading the next. Per list, keyset on the (list_id, phone_number) index (`list_phone`):
   * `WHERE list_id = ? AND phone_number > ? ORDER BY phone_number LIMIT n`, an index range read
   * in index order (no filesort). A full chunk may end inside one phone's rows: that phone's
   * rows are read whole (`phone_number = ?`, same index) and the next chunk starts after it.
   * Rows always carry lead_id, phone_code and phone_number; `columns` adds more.
   */
  async scanLists(
    listIds: number[],
    columns: string,
    columnParams: unknown[],
    each: (rows: Record<string, any>[]) => Promise<void>,
  ): Promise<void> {
    await scanLists(this.vici, listIds, columns, columnParams, this.viciChunk, each);
  }
}
