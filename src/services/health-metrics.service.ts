import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { UserInputError } from "../errors/errors";
import type { CampaignService } from "../vici/db/campaigns.reader";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";
import { numbersDialedFromSeveralLeads } from "../vici/db/audit.reader";
import { instantToViciLocal } from "../vici/rules/vici-time";
import { cutoverAt as defaultCutover, rowsFromBrain } from "./vici-row-origin";
import { AUDIT_SAMPLE_SIZE, AuditScope, Tally, type AuditScopeOptions } from "./audit-scope";

/**
 * The seed strategy's four "Success Metrics", measured (the syncHealth query). The campaigns,
 * their lists and how their rows are read: audit-scope.ts.
 *
 * Decisions:
 * - No campaigns named in syncHealth: dialedTwiceIn30Days reads the whole call log, calls of
 *   campaigns VICIdial no longer knows included.
 * - Health ("success metrics"), each with its target and whether it is met:
 *   - dialedTwiceIn30Days: distinct vicidial_log.phone_number dialed from 2+ distinct
 *     lead_ids since `days` ago (default RECENT_CALL_DAYS, i.e. 30) in the Vici server's zone,
 *     among numbers with at least one call of the chosen campaigns in the window (a number
 *     called once by Auto2 and once by Survey1 is a double call for Auto2 too). Target zero.
 *   - vendorCodeShare: rows of the chosen campaigns with a vendor code / rows. Target 100%.
 *   - brainLinkedShare: Brain leads with meta.vici_lead_id / all Brain leads (the `linked`
 *     filter's definition). Target 100%.
 *   - createdOutsideBrain: rows of the chosen campaigns with entry_date >= the cut-over
 *     (converted to the Vici server's wall clock) that the gateway did not push (no delivered
 *     PUSH_LEAD names them, and no rollback left them: vici-row-origin.ts). The cut-over: the
 *     one asked for, else VICI_CUTOVER_AT, else the gateway's first delivered push; null
 *     (nothing pushed, none configured) → the metric is null. Target zero.
 *   A share of nothing (0 rows / 0 leads) is 1: "every lead has it" holds vacuously.
 */

export interface HealthMetric {
  /** A count, or a share 0..1. */
  value: number;
  /** The count, or a share's numerator. */
  count: number;
  /** A share's denominator; for createdOutsideBrain the rows entered since the cut-over; else null. */
  total: number | null;
  target: string;
  met: boolean;
  /** Up to AUDIT_SAMPLE_SIZE Vici lead ids behind the value, where the measurement sees them. */
  sampleLeadIds: number[];
}

export interface SyncHealth {
  campaigns: string[];
  windowDays: number;
  /** Start of the call-log window (an instant; compared with call_date in the server's zone). */
  windowStart: Date;
  cutoverAt: Date | null;
  dialedTwiceIn30Days: HealthMetric;
  vendorCodeShare: HealthMetric;
  brainLinkedShare: HealthMetric;
  createdOutsideBrain: HealthMetric | null;
  measuredAt: Date;
}

export class HealthMetricsService {
  private readonly scope: AuditScope;

  constructor(
    private readonly brain: DataSource,
    private readonly vici: DataSource,
    private readonly config: AppConfig,
    campaigns: CampaignService,
    private readonly managed: ManagedCampaigns,
    opts: AuditScopeOptions = {},
  ) {
    this.scope = new AuditScope(vici, campaigns, managed, opts);
  }

  /** `cutoverAt` null or absent: VICI_CUTOVER_AT, else the gateway's first push (vici-row-origin.ts). */
  async measure(opts: { campaignIds: string[]; cutoverAt?: Date | null; days?: number }): Promise<SyncHealth> {
    const days = opts.days ?? this.config.recentCallDays;
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      throw new UserInputError("days must be a whole number from 1 to 3650", "days");
    if (opts.cutoverAt != null && !(opts.cutoverAt instanceof Date && !Number.isNaN(opts.cutoverAt.getTime()))) {
      throw new UserInputError("cutoverAt is not a date-time", "cutoverAt");
    }
    const campaigns = await this.scope.resolveCampaigns(opts.campaignIds);
    const listIds = campaigns.flatMap((c) => c.lists.map((l) => l.listId));
    const measuredAt = new Date();
    const windowStart = new Date(measuredAt.getTime() - days * 86_400_000);

    // No campaigns named and no VICI_CAMPAIGNS = all: then every number in the log counts, whatever its campaign.
    const every = opts.campaignIds.length === 0 && this.managed.configured === null;
    const dialedTwice = await this.dialedTwice(windowStart, every ? [] : campaigns.map((c) => c.campaignId));
    const vici = await this.scope.counts(listIds, false);
    const [brain] = await this.brain.query(
      `SELECT COUNT(*)::bigint AS total, COUNT(*) FILTER (WHERE meta ? 'vici_lead_id')::bigint AS linked FROM leads`,
    );
    const cutover = opts.cutoverAt ?? (await defaultCutover(this.brain, this.config));
    const created = cutover ? await this.createdOutsideBrain(listIds, cutover) : null;

    return {
      campaigns: campaigns.map((c) => c.campaignId),
      windowDays: days,
      windowStart,
      cutoverAt: cutover,
      dialedTwiceIn30Days: zeroMetric(dialedTwice.count, dialedTwice.sample),
      vendorCodeShare: shareMetric(vici.rowsWithVendorCode, vici.rows),
      brainLinkedShare: shareMetric(Number(brain.linked), Number(brain.total)),
      createdOutsideBrain: created ? { ...zeroMetric(created.count, created.sample), total: created.total } : null,
      measuredAt,
    };
  }
  /**
   * Numbers dialed from 2+ distinct leads since `since`: a call_date index range of
   * vicidial_log (no phone_number index there), grouped by number. `campaignIds` non-empty:
   * only numbers with at least one call of those campaigns in the window count.
   */
  private async dialedTwice(since: Date, campaignIds: string[]): Promise<{ count: number; sample: number[] }> {
    const from = instantToViciLocal(since, this.config.vici.timeZone);
    return numbersDialedFromSeveralLeads(this.vici, from, campaignIds, AUDIT_SAMPLE_SIZE);
  }

  /**
   * Rows of the lists entered since the cut-over (server wall clock) that the gateway did not
   * push: streamed with scanLists (entry_date has no index; comparing it in the select list,
   * not the WHERE, keeps every chunk a bounded read), their lead ids looked up once per chunk
   * among the rows Brain delivered (vici_pushes, by vici_lead_id) or a rollback left
   * (vici_ignored_rows). A vendor code is no proof: the import's write-back gives rows loaded
   * straight into VICIdial a Brain id too.
   */
  private async createdOutsideBrain(
    listIds: number[],
    cutoverAt: Date,
  ): Promise<{ count: number; total: number; sample: number[] }> {
    const since = instantToViciLocal(cutoverAt, this.config.vici.timeZone);
    const tally = new Tally();
    let total = 0;
    await this.scope.scanLists(listIds, "(entry_date >= ?) AS recent", [since], async (rows) => {
      const recent = rows.filter((r) => Number(r.recent) === 1).map((r) => Number(r.lead_id));
      total += recent.length;
      const fromBrain = await rowsFromBrain(this.brain, recent);
      for (const id of recent) if (!fromBrain.has(id)) tally.add(id);
    });
    return { count: tally.count, total, sample: tally.sample };
  }
}

function zeroMetric(count: number, sample: number[]): HealthMetric {
  return { value: count, count, total: null, target: "zero", met: count === 0, sampleLeadIds: sample };
}

function shareMetric(count: number, total: number): HealthMetric {
  return {
    value: total === 0 ? 1 : count / total,
    count,
    total,
    target: "100%",
    met: count === total,
    sampleLeadIds: [],
  };
}
