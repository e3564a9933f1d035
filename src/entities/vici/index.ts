import { VicidialCampaignDncEntity } from "./vicidial-campaign-dnc.entity";
import { VicidialCampaignStatusEntity } from "./vicidial-campaign-status.entity";
import { VicidialCampaignEntity } from "./vicidial-campaign.entity";
import { VicidialCloserLogEntity } from "./vicidial-closer-log.entity";
import { VicidialDncEntity } from "./vicidial-dnc.entity";
import { VicidialListAltPhoneEntity } from "./vicidial-list-alt-phone.entity";
import { VicidialListEntity } from "./vicidial-list.entity";
import { VicidialListsEntity } from "./vicidial-lists.entity";
import { VicidialLogEntity } from "./vicidial-log.entity";
import { VicidialStatusEntity } from "./vicidial-status.entity";

export * from "./vici-columns";
export * from "./vicidial-campaign-dnc.entity";
export * from "./vicidial-campaign-status.entity";
export * from "./vicidial-campaign.entity";
export * from "./vicidial-closer-log.entity";
export * from "./vicidial-dnc.entity";
export * from "./vicidial-list-alt-phone.entity";
export * from "./vicidial-list.entity";
export * from "./vicidial-lists.entity";
export * from "./vicidial-log.entity";
export * from "./vicidial-status.entity";

/**
 * VICIdial's tables as TypeORM entities (createViciDataSource). They map VICIdial's own tables:
 * never synchronized, never migrated. vicidial_lists_fields has no entity (custom fields are not used).
 */
export const viciEntities = [
  VicidialListEntity,
  VicidialListsEntity,
  VicidialCampaignEntity,
  VicidialStatusEntity,
  VicidialCampaignStatusEntity,
  VicidialLogEntity,
  VicidialCloserLogEntity,
  VicidialDncEntity,
  VicidialCampaignDncEntity,
  VicidialListAltPhoneEntity,
];
