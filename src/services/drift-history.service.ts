import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import { UserInputError } from "../errors/errors";
import { PollingLoop } from "../util/polling-loop";
import type { AuditReport, AuditService } from "./audit.service";
import { instantToViciLocal } from "../vici/rules/vici-time";

export interface DriftSnapshot {
  /** The VICIdial server's calendar day (VICI_TIMEZONE), YYYY-MM-DD. */
  day: string;
  takenAt: Date;
  viciRows: number;
  viciNotInBrain: number;
  brainNotInVici: number;
  conflictingLinks: number;
  phonesOnSeveralDialableRows: number;
}

/** How often a background process looks whether today's snapshot is taken. */
const CHECK_EVERY_MS = 60 * 60 * 1000;
/** The first look waits this long after start: short-lived processes (CLI commands, tests) never audit. */
const FIRST_CHECK_AFTER_MS = 5 * 60 * 1000;
/** A claim older than this (its process died mid-audit) may be taken over. */
const CLAIM_TTL = "1 hour";
export const MAX_HISTORY_DAYS = 366;

/** The campaign set as a key: '' for the default set, else the ids lower-cased, sorted, comma-joined. */
export function campaignSetKey(campaignIds: readonly string[]): string {
  return [...new Set(campaignIds.map((c) => c.trim().toLowerCase()).filter(Boolean))].sort().join(",");
}

/**
 * The drift between Brain and VICIdial over time: every audit records its drift numbers as
 * the day's snapshot of its campaign set (the last audit of a day wins), and a background
 * process audits the default set once a day when nobody did. The console charts them.
 */
export class DriftHistoryService {
  private readonly loop: PollingLoop;
  private firstCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly brain: DataSource,
    private readonly audits: AuditService,
    private readonly config: AppConfig,
    private readonly log: Logger,
  ) {
    this.loop = new PollingLoop(
      () => this.takeDailyIfDue(),
      CHECK_EVERY_MS,
      (e) => this.log.warn({ err: e }, "daily drift snapshot failed"),
    );
  }

  /** The audit (AuditService.audit), recorded as today's snapshot of its campaign set. */
  async audit(campaignIds: string[]): Promise<AuditReport> {
    const report = await this.audits.audit(campaignIds);
    try {
      await this.record(campaignIds, report);
    } catch (e) {
      // The audit is what was asked for; a lost snapshot is only a gap in the chart.
      this.log.warn({ err: e }, "drift snapshot not recorded");
    }
    return report;
  }

  async record(campaignIds: readonly string[], r: AuditReport): Promise<void> {
    await this.brain.query(
      `INSERT INTO drift_snapshots (campaigns, day, vici_rows, vici_not_in_brain, brain_not_in_vici, conflicting_links,
                                    phones_on_several_dialable_rows, taken_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (campaigns, day) DO UPDATE SET vici_rows = EXCLUDED.vici_rows, vici_not_in_brain = EXCLUDED.vici_not_in_brain,
         brain_not_in_vici = EXCLUDED.brain_not_in_vici, conflicting_links = EXCLUDED.conflicting_links,
         phones_on_several_dialable_rows = EXCLUDED.phones_on_several_dialable_rows, taken_at = EXCLUDED.taken_at`,
      [
        campaignSetKey(campaignIds),
        this.dayOf(r.generatedAt),
        r.totals.rows,
        r.viciNotInBrain.count,
        r.brainNotInVici.count,
        r.conflictingLinks.count,
        r.phonesOnSeveralDialableRows.count,
        r.generatedAt,
      ],
    );
  }

  /** The snapshots of the last `days` days (today included), oldest first. */
  async history(opts: { campaignIds?: readonly string[] | null; days?: number | null }): Promise<DriftSnapshot[]> {
    const days = opts.days ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > MAX_HISTORY_DAYS)
      throw new UserInputError(`days must be 1 to ${MAX_HISTORY_DAYS}`, "days");
    const rows: DriftSnapshot[] = await this.brain.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, taken_at AS "takenAt", vici_rows::float8 AS "viciRows",
              vici_not_in_brain::float8 AS "viciNotInBrain", brain_not_in_vici::float8 AS "brainNotInVici",
              conflicting_links::float8 AS "conflictingLinks", phones_on_several_dialable_rows::float8 AS "phonesOnSeveralDialableRows"
         FROM drift_snapshots WHERE campaigns = $1 AND day > $2::date - $3::int ORDER BY day`,
      [campaignSetKey(opts.campaignIds ?? []), this.dayOf(new Date()), days],
    );
    return rows;
  }

  /**
   * Audits the default campaign set unless today's snapshot exists or another process is
   * taking it (a claim in gateway_settings, one statement: processes never audit twice a day).
   * Returns whether it took one.
   */
  async takeDailyIfDue(now = new Date()): Promise<boolean> {
    const day = this.dayOf(now);
    const [taken] = await this.brain.query("SELECT 1 FROM drift_snapshots WHERE campaigns = '' AND day = $1", [day]);
    if (taken) return false;
    const claimed = await this.brain.query(
      `INSERT INTO gateway_settings (name, value, updated_at) VALUES ('drift_snapshot', $1, now())
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
        WHERE gateway_settings.value->>'day' IS DISTINCT FROM $2 OR gateway_settings.updated_at < now() - interval '${CLAIM_TTL}'
       RETURNING name`,
      [JSON.stringify({ day }), day],
    );
    if (!claimed.length) return false;
    const report = await this.audits.audit([]);
    await this.record([], report);
    this.log.info(
      { day, viciNotInBrain: report.viciNotInBrain.count, brainNotInVici: report.brainNotInVici.count },
      "daily drift snapshot taken",
    );
    return true;
  }

  /** Looks every hour, the first time a few minutes after start. */
  start(): void {
    if (this.firstCheck) return;
    this.firstCheck = setTimeout(() => this.loop.start(), FIRST_CHECK_AFTER_MS);
    this.firstCheck.unref();
  }

  async stop(): Promise<void> {
    if (this.firstCheck) clearTimeout(this.firstCheck);
    await this.loop.stop();
  }

  private dayOf(d: Date): string {
    return instantToViciLocal(d, this.config.vici.timeZone).slice(0, 10);
  }
}
