import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintAsNumber, YES_NO, type YesNo } from "./vici-columns";

export const DNC_CHECK_MODES = ["Y", "N", "AREACODE"] as const;
export type DncCheckMode = (typeof DNC_CHECK_MODES)[number];

/**
 * `vicidial_campaigns`: only the columns the gateway reads are mapped (id, name, active, and the
 * dialing / DNC settings its rules depend on); the real table has 269 columns, all with defaults.
 * Read-only for the gateway: campaigns are administered in VICIdial.
 */
@Entity({ name: "vicidial_campaigns", synchronize: false })
export class VicidialCampaignEntity {
  /** VICIdial compares campaign ids case-insensitively. */
  @PrimaryColumn({ name: "campaign_id", type: "varchar", length: 8 })
  campaignId: string;

  @Column({ name: "campaign_name", type: "varchar", length: 40, nullable: true })
  campaignName: string | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true })
  active: YesNo | null;

  /** Space-separated statuses the hopper dials, e.g. " NEW NA B -". */
  @Column({ name: "dial_statuses", type: "varchar", length: 255, nullable: true, default: " NEW -" })
  dialStatuses: string | null;

  /** A vicidial_call_times id. */
  @Column({ name: "local_call_time", type: "varchar", length: 10, nullable: true, default: "9am-9pm" })
  localCallTime: string | null;

  /** Check vicidial_dnc in the hopper. */
  @Column({ name: "use_internal_dnc", type: "enum", enum: [...DNC_CHECK_MODES], nullable: true, default: "N" })
  useInternalDnc: DncCheckMode | null;

  /** Check vicidial_campaign_dnc (this campaign's, or useOtherCampaignDnc's) in the hopper. */
  @Column({ name: "use_campaign_dnc", type: "enum", enum: [...DNC_CHECK_MODES], nullable: true, default: "N" })
  useCampaignDnc: DncCheckMode | null;

  /** Campaign whose DNC list this campaign uses instead of its own; "" = its own. */
  @Column({ name: "use_other_campaign_dnc", type: "varchar", length: 8, nullable: true, default: "" })
  useOtherCampaignDnc: string | null;

  /** Stop dialing a lead at this called_count; 0 = no limit. */
  @Column({ name: "call_count_limit", type: "smallint", unsigned: true, nullable: true, default: 0 })
  callCountLimit: number | null;

  /** Hours a DROP lead is held back (a number in a VARCHAR). */
  @Column({ name: "drop_lockout_time", type: "varchar", length: 6, nullable: true, default: "0" })
  dropLockoutTime: string | null;

  @Column({ name: "manual_dial_list_id", type: "bigint", unsigned: true, nullable: true, default: 998, transformer: bigintAsNumber })
  manualDialListId: number | null;
}
