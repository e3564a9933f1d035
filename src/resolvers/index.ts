import { ApiKeyResolver } from "./api-key.resolver";
import { AuditResolver } from "./audit.resolver";
import { CallVerdictResolver } from "./call-verdict.resolver";
import { DriftHistoryResolver } from "./drift-history.resolver";
import { CampaignResolver, ViciListResolver } from "./campaign.resolver";
import { LeadIntakeResolver } from "./lead-intake.resolver";
import { LeadConnectionResolver, LeadResolver } from "./lead.resolver";
import { SyncJobResolver } from "./sync-job.resolver";
import { SyncStatusResolver } from "./sync-status.resolver";
import { ViciLeadConnectionResolver, ViciLeadResolver } from "./vici-lead.resolver";
import { ViciPushResolver } from "./vici-push.resolver";
import { ViewerResolver } from "./viewer.resolver";

export const resolvers = [
  LeadResolver,
  LeadConnectionResolver,
  LeadIntakeResolver,
  ViciLeadResolver,
  ViciLeadConnectionResolver,
  CampaignResolver,
  ViciListResolver,
  SyncJobResolver,
  AuditResolver,
  ApiKeyResolver,
  ViewerResolver,
  ViciPushResolver,
  DriftHistoryResolver,
  CallVerdictResolver,
  SyncStatusResolver,
] as const;
