import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";
import type { ManagedCampaigns } from "./managed-campaigns";

/**
 * Where a bulk job reads VICIdial: the managed rows of the chosen campaigns (none chosen: of
 * every managed campaign; never a list without a vicidial_lists row). Their lists are resolved
 * first (reading `list_id IN (...)` is 2–3× faster than joining vicidial_lists), then rows are
 * read in lead_id order, one short keyset read per batch so the dialer's MyISAM table is never
 * locked for long.
 */
export class ViciLeadSource {
  private constructor(
    private readonly ds: DataSource,
    /** The lists read → their campaign. */
    readonly campaignOfList: ReadonlyMap<number, string>,
  ) {}

  /**
   * The source of a job over `campaignIds` (none: every managed campaign). Each must still be
   * managed (CampaignNotManagedError: VICI_CAMPAIGNS may have changed since the job started).
   */
  static async of(ds: DataSource, managed: ManagedCampaigns, campaignIds: readonly string[]): Promise<ViciLeadSource> {
    return new ViciLeadSource(ds, await managed.lists(managed.chosen(campaignIds)));
  }

  get listIds(): number[] {
    return [...this.campaignOfList.keys()];
  }

  private where(): { sql: string; params: unknown[] } {
    return this.campaignOfList.size ? { sql: "list_id IN (?)", params: [this.listIds] } : { sql: "FALSE", params: [] };
  }

  async count(): Promise<number> {
    const w = this.where();
    const [{ n }] = await viciQuery(this.ds, `SELECT COUNT(*) AS n FROM vicidial_list WHERE ${w.sql}`, w.params);
    return Number(n);
  }

  /** The next `limit` rows after `afterLeadId` (up to `toLeadId` when given) with the given columns. */
  async page<T>(columns: string, afterLeadId: number, limit: number, toLeadId: number | null = null): Promise<T[]> {
    const w = this.where();
    const upTo = toLeadId === null ? "" : "AND lead_id <= ?";
    return viciQuery(
      this.ds,
      `SELECT ${columns} FROM vicidial_list WHERE lead_id > ? ${upTo} AND ${w.sql} ORDER BY lead_id LIMIT ?`,
      [afterLeadId, ...(toLeadId === null ? [] : [toLeadId]), ...w.params, limit],
    );
  }

  /** The source's rows stored with one of these phone_number values (its phone_number index), in lead_id order. */
  async rowsWithNumbers<T>(columns: string, storedNumbers: readonly string[]): Promise<T[]> {
    if (!this.campaignOfList.size || !storedNumbers.length) return [];
    return viciQuery(
      this.ds,
      `SELECT ${columns} FROM vicidial_list WHERE phone_number IN (?) AND list_id IN (?) ORDER BY lead_id`,
      [storedNumbers, this.listIds],
    );
  }

  /**
   * The lead_id of the row at `offset` (0-based) in lead_id order; null past the end. Only for
   * cutting a job into ranges: a handful of reads per job, never one per batch.
   */
  async leadIdAt(offset: number): Promise<number | null> {
    const w = this.where();
    const [row] = await viciQuery(
      this.ds,
      `SELECT lead_id FROM vicidial_list WHERE ${w.sql} ORDER BY lead_id LIMIT 1 OFFSET ?`,
      [...w.params, offset],
    );
    return row ? Number(row.lead_id) : null;
  }
}
