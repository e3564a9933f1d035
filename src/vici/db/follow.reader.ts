import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";

/** A vicidial_log row as follow mode reads it. */
export interface FollowedCall {
  uniqueid: string;
  lead_id: number;
  call_date: string;
  phone_code: string | null;
  phone_number: string | null;
}

/**
 * What follow mode (vici-follower.ts in src/services) reads from VICIdial besides the import's batch
 * path: the newest lead_id, calls by call_date window, the DNC tables' row counts and the
 * vicidial_dnc_log entries added since a time. Read-only; VICIdial wall-clock strings in and out.
 */
export class FollowReader {
  /** Whether this VICIdial has vicidial_dnc_log (looked up once per process). */
  private dncLog: boolean | null = null;

  constructor(private readonly ds: DataSource) {}

  /** The highest lead_id of vicidial_list (0 when empty). */
  async maxLeadId(): Promise<number> {
    const [head] = await viciQuery(this.ds, "SELECT MAX(lead_id) AS max_lead_id FROM vicidial_list");
    return Number(head.max_lead_id ?? 0);
  }

  /** The DNC tables' row counts (exact and free in MyISAM), with the log's where VICIdial has it. */
  async dncSignature(): Promise<string> {
    this.dncLog ??=
      Number(
        (
          await viciQuery(
            this.ds,
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'vicidial_dnc_log'",
          )
        )[0].n,
      ) > 0;
    const [c] = await viciQuery(
      this.ds,
      `SELECT (SELECT COUNT(*) FROM vicidial_dnc) AS sys, (SELECT COUNT(*) FROM vicidial_campaign_dnc) AS camp${this.dncLog ? ", (SELECT COUNT(*) FROM vicidial_dnc_log) AS log" : ""}`,
    );
    return `${c.sys}:${c.camp}:${c.log ?? "-"}`;
  }

  /** Known after the first dncSignature(): whether vicidial_dnc_log exists. */
  get hasDncLog(): boolean {
    return this.dncLog === true;
  }

  /** vicidial_log rows with from <= call_date < to (its call_date index). */
  callsBetween(from: string, to: string): Promise<FollowedCall[]> {
    return viciQuery(
      this.ds,
      "SELECT uniqueid, lead_id, call_date, phone_code, phone_number FROM vicidial_log WHERE call_date >= ? AND call_date < ?",
      [from, to],
    );
  }

  /** The numbers of these leads, by primary key. */
  phonesOfLeads(leadIds: readonly number[]): Promise<{ phone_code: string | null; phone_number: string }[]> {
    return viciQuery(this.ds, "SELECT phone_code, phone_number FROM vicidial_list WHERE lead_id IN (?)", [leadIds]);
  }

  /** vicidial_dnc_log 'add' entries since `since` (no index on action_date: read only when the counts moved). */
  dncAddsSince(since: string): Promise<{ phone_number: string; campaign_id: string }[]> {
    return viciQuery(
      this.ds,
      "SELECT phone_number, campaign_id FROM vicidial_dnc_log WHERE action = 'add' AND action_date >= ?",
      [since],
    );
  }
}
