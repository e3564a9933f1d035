import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintAsNumber, WallClockColumn, YES_NO, type YesNo } from "./vici-columns";

export const LOG_TERM_REASONS = ["CALLER", "AGENT", "QUEUETIMEOUT", "ABANDON", "AFTERHOURS", "NONE"] as const;
export type LogTermReason = (typeof LOG_TERM_REASONS)[number];

/**
 * `vicidial_log`: one row per outbound dial attempt. Indexed on lead_id and call_date only (no
 * phone_number index: bound call_date first). All columns are mapped.
 */
@Entity({ name: "vicidial_log", synchronize: false })
export class VicidialLogEntity {
  /** Asterisk call id ("epoch.sequence"). */
  @PrimaryColumn({ type: "varchar", length: 20 })
  uniqueid: string;

  @Column({ name: "lead_id", type: "int", unsigned: true })
  leadId: number;

  @Column({ name: "list_id", type: "bigint", unsigned: true, nullable: true, transformer: bigintAsNumber })
  listId: number | null;

  @Column({ name: "campaign_id", type: "varchar", length: 8, nullable: true })
  campaignId: string | null;

  /** Server local wall-clock time of the call. */
  @WallClockColumn("call_date", "datetime")
  callDate: string | null;

  @Column({ name: "start_epoch", type: "int", unsigned: true, nullable: true })
  startEpoch: number | null;

  @Column({ name: "end_epoch", type: "int", unsigned: true, nullable: true })
  endEpoch: number | null;

  @Column({ name: "length_in_sec", type: "int", nullable: true })
  lengthInSec: number | null;

  @Column({ type: "varchar", length: 6, nullable: true })
  status: string | null;

  @Column({ name: "phone_code", type: "varchar", length: 10, nullable: true })
  phoneCode: string | null;

  /** The number actually dialed (may be an alternate number of the lead). */
  @Column({ name: "phone_number", type: "varchar", length: 18, nullable: true })
  phoneNumber: string | null;

  /** "VDAD" for unanswered auto-dials, else the agent. */
  @Column({ type: "varchar", length: 20, nullable: true })
  user: string | null;

  @Column({ type: "varchar", length: 255, nullable: true })
  comments: string | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true })
  processed: YesNo | null;

  @Column({ name: "user_group", type: "varchar", length: 20, nullable: true })
  userGroup: string | null;

  @Column({ name: "term_reason", type: "enum", enum: [...LOG_TERM_REASONS], nullable: true, default: "NONE" })
  termReason: LogTermReason | null;

  /** MAIN, ALT, ADDR3, X1... */
  @Column({ name: "alt_dial", type: "varchar", length: 6, nullable: true, default: "NONE" })
  altDial: string | null;

  /** The lead's called_count at this call. */
  @Column({ name: "called_count", type: "smallint", unsigned: true, nullable: true, default: 0 })
  calledCount: number | null;
}
