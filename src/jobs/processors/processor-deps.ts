import type { ManagedCampaigns } from "../../vici/db/managed-campaigns";
import type { NumberRowsReader } from "../../vici/db/number-rows.reader";
import type { VendorCodeOwners } from "../../vici/db/vendor-code-owners.reader";
import type { ViciLeadService } from "../../vici/db/vici-leads.reader";
import type { LeadIntakeService } from "../../services/lead-intake.service";
import type { ViciPusher } from "../../services/vici-pusher";
import type { ViciFieldUpdates } from "../../services/vici-field-updates";
import type { ViciWriter } from "../../vici/writers/vici-writer";
import type { SyncJobRepository } from "../sync-job.repository";

/**
 * What the processors use besides their run context, each handed only its part through its
 * constructor (createProcessors): not the whole services container, which would make jobs
 * and services import each other.
 */
export interface ProcessorDeps {
  managed: ManagedCampaigns;
  numbers: NumberRowsReader;
  vendorCodeOwners: VendorCodeOwners;
  /** The status catalog (statusCatalog). */
  viciLeads: Pick<ViciLeadService, "statusCatalog">;
  /** Creates leads (the CSV rows). */
  leadCreation: LeadIntakeService;
  pusher: Pick<ViciPusher, "kick">;
  fieldUpdates: ViciFieldUpdates;
  writer: ViciWriter;
  syncJobRepo: Pick<SyncJobRepository, "get">;
}
