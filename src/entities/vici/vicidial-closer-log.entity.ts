import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { bigintAsNumber, decimalAsNumber, WallClockColumn, YES_NO, type YesNo } from "./vici-columns";

export const CLOSER_TERM_REASONS = [
  "CALLER",
  "AGENT",
  "QUEUETIMEOUT",
  "ABANDON",
  "AFTERHOURS",
  "HOLDRECALLXFER",
  "HOLDTIME",
  "NOAGENT",
  "NONE",
  "MAXCALLS",
  "ACFILTER",
  "CLOSETIME",
] as const;
export type CloserTermReason = (typeof CLOSER_TERM_REASONS)[number];

/**
 * `vicidial_closer_log`: inbound / closer calls. Same core columns as vicidial_log plus queue
 * data; unlike vicidial_log it has a phone_number index. All columns are mapped.
 */
@Entity({ name: "vicidial_closer_log", synchronize: false })
export class VicidialCloserLogEntity {
  @PrimaryGeneratedColumn({ name: "closecallid", type: "int", unsigned: true })
  closecallid: number;

  @Column({ name: "lead_id", type: "int", unsigned: true })
  leadId: number;

  @Column({ name: "list_id", type: "bigint", unsigned: true, nullable: true, transformer: bigintAsNumber })
  listId: number | null;

  /** An in-group id (up to 20 characters), not only a campaign id. */
  @Column({ name: "campaign_id", type: "varchar", length: 20, nullable: true })
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

  @Column({ name: "phone_number", type: "varchar", length: 18, nullable: true })
  phoneNumber: string | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  user: string | null;

  @Column({ type: "varchar", length: 255, nullable: true })
  comments: string | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true })
  processed: YesNo | null;

  @Column({ name: "queue_seconds", type: "decimal", precision: 7, scale: 2, nullable: true, default: 0, transformer: decimalAsNumber })
  queueSeconds: number | null;

  @Column({ name: "user_group", type: "varchar", length: 20, nullable: true })
  userGroup: string | null;

  @Column({ name: "xfercallid", type: "int", unsigned: true, nullable: true })
  xfercallid: number | null;

  @Column({ name: "term_reason", type: "enum", enum: [...CLOSER_TERM_REASONS], nullable: true, default: "NONE" })
  termReason: CloserTermReason | null;

  /** Asterisk call id; "" when unknown. */
  @Column({ type: "varchar", length: 20, default: "" })
  uniqueid: string;

  @Column({ name: "agent_only", type: "varchar", length: 20, nullable: true, default: "" })
  agentOnly: string | null;

  @Column({ name: "queue_position", type: "smallint", unsigned: true, nullable: true, default: 1 })
  queuePosition: number | null;

  @Column({ name: "called_count", type: "smallint", unsigned: true, nullable: true, default: 0 })
  calledCount: number | null;
}
