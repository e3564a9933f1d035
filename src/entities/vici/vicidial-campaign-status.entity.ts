import { Column, Entity, PrimaryColumn } from "typeorm";
import { YES_NO, type YesNo } from "./vici-columns";

/**
 * `vicidial_campaign_statuses`: dispositions a campaign adds to the system ones. The table has no
 * primary key, only UNIQUE (status, campaign_id); TypeORM needs one, so that pair is declared
 * primary here (never synchronized). campaign_id is nullable in the table: a row with a NULL
 * campaign_id cannot be loaded through this entity. All columns are mapped.
 */
@Entity({ name: "vicidial_campaign_statuses", synchronize: false })
export class VicidialCampaignStatusEntity {
  @PrimaryColumn({ type: "varchar", length: 6 })
  status: string;

  @Column({ name: "status_name", type: "varchar", length: 30, nullable: true })
  statusName: string | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true })
  selectable: YesNo | null;

  @PrimaryColumn({ name: "campaign_id", type: "varchar", length: 20 })
  campaignId: string;

  @Column({ name: "human_answered", type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  humanAnswered: YesNo | null;

  @Column({ type: "varchar", length: 20, nullable: true, default: "UNDEFINED" })
  category: string | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  sale: YesNo | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  dnc: YesNo | null;

  @Column({ name: "customer_contact", type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  customerContact: YesNo | null;

  @Column({ name: "not_interested", type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  notInterested: YesNo | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  unworkable: YesNo | null;

  @Column({ name: "scheduled_callback", type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  scheduledCallback: YesNo | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  completed: YesNo | null;

  @Column({ name: "min_sec", type: "int", unsigned: true, nullable: true, default: 0 })
  minSec: number | null;

  @Column({ name: "max_sec", type: "int", unsigned: true, nullable: true, default: 0 })
  maxSec: number | null;

  @Column({ name: "answering_machine", type: "enum", enum: [...YES_NO], nullable: true, default: "N" })
  answeringMachine: YesNo | null;
}
