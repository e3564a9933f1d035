import { CampaignResolver, ViciListResolver } from "./campaign.resolver";
import { LeadConnectionResolver, LeadResolver } from "./lead.resolver";
import { ViciLeadConnectionResolver, ViciLeadResolver } from "./vici-lead.resolver";

export const resolvers = [
  LeadResolver,
  LeadConnectionResolver,
  ViciLeadResolver,
  ViciLeadConnectionResolver,
  CampaignResolver,
  ViciListResolver,
] as const;
