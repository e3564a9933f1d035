import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { YES_NO, type YesNo } from "./vici-columns";

/** `vicidial_list_alt_phones`: extra numbers of a lead, in alt_phone_count order. All columns are mapped. */
@Entity({ name: "vicidial_list_alt_phones", synchronize: false })
export class VicidialListAltPhoneEntity {
  @PrimaryGeneratedColumn({ name: "alt_phone_id", type: "int", unsigned: true })
  altPhoneId: number;

  @Column({ name: "lead_id", type: "int", unsigned: true })
  leadId: number;

  @Column({ name: "phone_code", type: "varchar", length: 10, nullable: true })
  phoneCode: string | null;

  @Column({ name: "phone_number", type: "varchar", length: 18, nullable: true })
  phoneNumber: string | null;

  @Column({ name: "alt_phone_note", type: "varchar", length: 30, nullable: true })
  altPhoneNote: string | null;

  /** 1, 2, ...: the order in which auto-alt-dial uses the numbers. */
  @Column({ name: "alt_phone_count", type: "smallint", unsigned: true, nullable: true })
  altPhoneCount: number | null;

  @Column({ type: "enum", enum: [...YES_NO], nullable: true, default: "Y" })
  active: YesNo | null;
}
