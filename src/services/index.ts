import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { CampaignService } from "./campaign.service";
import { LeadService } from "./lead.service";
import { ViciLeadService } from "./vici-lead.service";

export interface Services {
  leads: LeadService;
  viciLeads: ViciLeadService;
  campaigns: CampaignService;
}

/** Wires the services over the two databases. */
export function createServices(config: AppConfig, brain: DataSource, vici: DataSource): Services {
  const campaigns = new CampaignService(vici);
  const viciLeads = new ViciLeadService(vici, config, campaigns);
  const leads = new LeadService(brain, config);
  return { leads, viciLeads, campaigns };
}
