import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintAsNumber, WallClockColumn, YES_NO, type YesNo } from "./vici-columns";

/**
 * `vicidial_lists`: VICIdial's lists; `campaign_id` here is the only link from a lead to its
 * campaign. Only the columns the gateway uses are mapped (the table has 29); inserts through
 * this entity leave the others at their defaults.
 */
@Entity({ name: "vicidial_lists", synchronize: false })
export class VicidialListsEntity {
  @PrimaryColumn({ name: "list_id", type: "bigint", unsigned: true, transformer: bigintAsNumber })
  listId: number;

  @Column({ name: "list_name", type: "varchar", length: 30, nullable: true })
  listName: string | null;

  @Column({ name: "campaign_id", type: "varchar", length: 8, nullable: true })
  campaignId: string | null;

  /** The hopper ignores inactive lists. */
  @Column({ type: "enum", enum: [...YES_NO], nullable: true })
  active: YesNo | null;

  @Column({ name: "list_description", type: "varchar", length: 255, nullable: true })
  listDescription: string | null;

  @WallClockColumn("list_changedate", "datetime")
  listChangedate: string | null;

  @WallClockColumn("list_lastcalldate", "datetime")
  listLastcalldate: string | null;

  /** HHMM times of day at which the list is reset, e.g. "0800-1600"; "" = never. */
  @Column({ name: "reset_time", type: "varchar", length: 100, nullable: true, default: "" })
  resetTime: string | null;

  /** 'YYYY-MM-DD' (default 2099-12-31): the hopper skips the list after it. */
  @Column({ name: "expiration_date", type: "date", nullable: true, default: "2099-12-31" })
  expirationDate: string | null;

  /** A vicidial_call_times id, or "campaign" to use the campaign's. */
  @Column({ name: "local_call_time", type: "varchar", length: 10, default: "campaign" })
  localCallTime: string;
}
