import { Entity, PrimaryColumn } from "typeorm";

/**
 * `vicidial_campaign_dnc`: per-campaign do-not-call numbers. VICIdial gives the table no primary
 * key, only UNIQUE (phone_number, campaign_id); TypeORM needs a primary key, so both columns are
 * declared primary here (the entity is never synchronized).
 */
@Entity({ name: "vicidial_campaign_dnc", synchronize: false })
export class VicidialCampaignDncEntity {
  @PrimaryColumn({ name: "phone_number", type: "varchar", length: 18 })
  phoneNumber: string;

  @PrimaryColumn({ name: "campaign_id", type: "varchar", length: 8 })
  campaignId: string;
}
