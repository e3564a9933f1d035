import { Entity, PrimaryColumn } from "typeorm";

/**
 * `vicidial_dnc`: system-wide do-not-call numbers. National number without country code; an
 * entry "727XXXXXXX" blocks an area code, but only where a campaign checks in AREACODE mode.
 */
@Entity({ name: "vicidial_dnc", synchronize: false })
export class VicidialDncEntity {
  @PrimaryColumn({ name: "phone_number", type: "varchar", length: 18 })
  phoneNumber: string;
}
