import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { bigintAsNumber, decimalAsNumber, WallClockColumn } from "./vici-columns";

export const CALLED_SINCE_LAST_RESET = ["Y", "N", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Y8", "Y9", "Y10"] as const;
/** "" can appear: a lax server stores an invalid ENUM value as the empty string. */
export type CalledSinceLastReset = (typeof CALLED_SINCE_LAST_RESET)[number] | "";

export const GENDERS = ["M", "F", "U"] as const;
/** The API stores an invalid letter as "" (VICIdial servers are not in strict mode). */
export type Gender = (typeof GENDERS)[number] | "";

/**
 * `vicidial_list`: VICIdial's leads (MyISAM: no transactions). A lead has no campaign column:
 * its campaign is `vicidial_lists.campaign_id` of its `list_id`. DATETIMEs are the Vici server's
 * wall-clock strings (last_local_call_time: the lead's local time). All columns are mapped.
 */
@Entity({ name: "vicidial_list", synchronize: false })
export class VicidialListEntity {
  @PrimaryGeneratedColumn({ name: "lead_id", type: "int", unsigned: true })
  leadId: number;

  @WallClockColumn("entry_date", "datetime")
  entryDate: string | null;

  /**
   * Set by the server on insert and on every UPDATE that changes the row (dialer updates too).
   * Never written by the gateway: assigning it in an UPDATE would stop the automatic bump.
   */
  @WallClockColumn("modify_date", "timestamp", { nullable: false, insert: false, update: false })
  modifyDate: string;

  @Column({ type: "varchar", length: 6, nullable: true })
  status: string | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  user: string | null;

  /** Brain's external_lead_id; at most 20 characters, not indexed, not unique. */
  @Column({ name: "vendor_lead_code", type: "varchar", length: 20, nullable: true })
  vendorLeadCode: string | null;

  @Column({ name: "source_id", type: "varchar", length: 50, nullable: true })
  sourceId: string | null;

  @Column({ name: "list_id", type: "bigint", unsigned: true, default: 0, transformer: bigintAsNumber })
  listId: number;

  @Column({ name: "gmt_offset_now", type: "decimal", precision: 4, scale: 2, nullable: true, default: 0, transformer: decimalAsNumber })
  gmtOffsetNow: number | null;

  @Column({ name: "called_since_last_reset", type: "enum", enum: [...CALLED_SINCE_LAST_RESET], nullable: true, default: "N" })
  calledSinceLastReset: CalledSinceLastReset | null;

  /** Country calling code, digits ("1" for US/CA). */
  @Column({ name: "phone_code", type: "varchar", length: 10, nullable: true })
  phoneCode: string | null;

  /** National number, digits only. */
  @Column({ name: "phone_number", type: "varchar", length: 18 })
  phoneNumber: string;

  @Column({ type: "varchar", length: 4, nullable: true })
  title: string | null;

  @Column({ name: "first_name", type: "varchar", length: 30, nullable: true })
  firstName: string | null;

  @Column({ name: "middle_initial", type: "varchar", length: 1, nullable: true })
  middleInitial: string | null;

  @Column({ name: "last_name", type: "varchar", length: 30, nullable: true })
  lastName: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address1: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address2: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address3: string | null;

  @Column({ type: "varchar", length: 50, nullable: true })
  city: string | null;

  @Column({ type: "varchar", length: 2, nullable: true })
  state: string | null;

  @Column({ type: "varchar", length: 50, nullable: true })
  province: string | null;

  @Column({ name: "postal_code", type: "varchar", length: 10, nullable: true })
  postalCode: string | null;

  @Column({ name: "country_code", type: "varchar", length: 3, nullable: true })
  countryCode: string | null;

  @Column({ type: "enum", enum: [...GENDERS], nullable: true, default: "U" })
  gender: Gender | null;

  /** 'YYYY-MM-DD'; '0000-00-00' when the API got no valid date. */
  @Column({ name: "date_of_birth", type: "date", nullable: true })
  dateOfBirth: string | null;

  @Column({ name: "alt_phone", type: "varchar", length: 12, nullable: true })
  altPhone: string | null;

  @Column({ type: "varchar", length: 70, nullable: true })
  email: string | null;

  @Column({ name: "security_phrase", type: "varchar", length: 100, nullable: true })
  securityPhrase: string | null;

  @Column({ type: "varchar", length: 255, nullable: true })
  comments: string | null;

  @Column({ name: "called_count", type: "smallint", unsigned: true, nullable: true, default: 0 })
  calledCount: number | null;

  /** The lead's local wall-clock time of the last dial (set to the insert time by the API). */
  @WallClockColumn("last_local_call_time", "datetime")
  lastLocalCallTime: string | null;

  /** `rank` is reserved in MySQL >= 8.0.2; TypeORM quotes column names. */
  @Column({ name: "rank", type: "smallint", default: 0 })
  rank: number;

  @Column({ type: "varchar", length: 20, nullable: true, default: "" })
  owner: string | null;

  /** List whose custom_<id> table holds this lead's custom fields; 0 = list_id. */
  @Column({ name: "entry_list_id", type: "bigint", unsigned: true, default: 0, transformer: bigintAsNumber })
  entryListId: number;
}
