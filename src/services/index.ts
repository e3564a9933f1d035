import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import { ViciApiClient } from "../vici/api";
import { ApiViciWriter } from "../vici/writers/api-vici-writer";
import { DbViciWriter } from "../vici/writers/db-vici-writer";
import type { ViciWriter } from "../vici/writers/vici-writer";
import type { ViciCallObserver } from "../vici/db/vici-query";
import { ApiKeyService } from "../auth/api-key.service";
import { AuditService } from "./audit.service";
import { HealthMetricsService } from "./health-metrics.service";
import { CallVerdictService } from "./call-verdict.service";
import { CampaignService } from "../vici/db/campaigns.reader";
import { DriftHistoryService } from "./drift-history.service";
import { IntakeSwitchService } from "./intake-switch.service";
import { LeadIntakeService } from "./lead-intake.service";
import { LeadService } from "./lead.service";
import { ViciPusher } from "./vici-pusher";
import { ViciPushViewService } from "./vici-push-view.service";
import { ViciFactsService } from "../vici/db/create-facts.reader";
import { ViciLeadService } from "../vici/db/vici-leads.reader";
import { ManagedCampaigns } from "../vici/db/managed-campaigns";
import { NumberRowsReader } from "../vici/db/number-rows.reader";
import { VendorCodeOwners } from "../vici/db/vendor-code-owners.reader";
import { ViciFieldUpdates } from "./vici-field-updates";
import { LeadUpdateService } from "./lead-update.service";
import { ViciFollower } from "./vici-follower";
import { createInProcessBus, type JobProgressBus } from "../jobs/progress";
import { SyncJobRepository } from "../jobs/sync-job.repository";
import { SyncJobService } from "../jobs/sync-job.service";

export interface Services {
  apiKeys: ApiKeyService;
  /** The chosen campaigns' rows and the drift between Brain and VICIdial. */
  audit: AuditService;
  /** The success metrics (syncHealth). */
  healthMetrics: HealthMetricsService;
  /** The audit recorded as daily drift snapshots (the console's chart). */
  drift: DriftHistoryService;
  leads: LeadService;
  viciLeads: ViciLeadService;
  campaigns: CampaignService;
  /** VICI_CAMPAIGNS: which Vici rows the gateway may import, link and write. */
  managed: ManagedCampaigns;
  /** Every Vici row of a number with the number's last call (the recent-call rule's one reader). */
  numbers: NumberRowsReader;
  /** Which numbers carry a vendor code (the vendor-code rule). */
  vendorCodeOwners: VendorCodeOwners;
  viciFacts: ViciFactsService;
  /** May this number be called now in this campaign (the call-eligibility engine over both databases). */
  callVerdicts: CallVerdictService;
  /** The intake switch: paused, new leads are stored and their pushes held. */
  intakeSwitch: IntakeSwitchService;
  writer: ViciWriter;
  pusher: ViciPusher;
  /** The pushes to VICIdial as operators read them (viciPushes, viciOutbox). */
  viciPushes: ViciPushViewService;
  /** Creates leads (createLead, the webhook, CSV rows): Brain first, then the push to VICIdial. */
  leadCreation: LeadIntakeService;
  /** Brain → VICIdial contact-field updates (queued with a lead's change, delivered by the pusher). */
  fieldUpdates: ViciFieldUpdates;
  /** The updateLead mutation. */
  leadUpdates: LeadUpdateService;
  syncJobs: SyncJobService;
  syncJobRepo: SyncJobRepository;
  /** Follow mode: Brain keeps up with VICIdial between imports (one process at a time). */
  follower: ViciFollower;
}

/** The Vici writer VICI_WRITE_MODE names. */
export function createViciWriter(
  config: AppConfig,
  vici: DataSource,
  log: Logger,
  managed: ManagedCampaigns,
  onViciCall?: ViciCallObserver,
): ViciWriter {
  if (config.push.writer === "api") {
    const api = config.push.api!;
    return new ApiViciWriter(
      new ViciApiClient({ url: api.url, user: api.user, pass: api.pass, source: api.source, log, onCall: onViciCall }),
    );
  }
  return new DbViciWriter(vici, { timeZone: config.vici.timeZone, user: config.push.dbUser, log, managed });
}

/** Wires the services over the two databases; `onViciCall` times Non-Agent API calls (metrics). */
export function createServices(
  config: AppConfig,
  brain: DataSource,
  vici: DataSource,
  log: Logger,
  onViciCall?: ViciCallObserver,
  /** The app's "now" (createApp's clock): when deferred pushes are due, and the create's recent-call check. */
  clock: () => Date = () => new Date(),
): Services {
  const campaigns = new CampaignService(vici);
  const viciLeads = new ViciLeadService(vici, config, campaigns);
  const leads = new LeadService(brain, config);
  const managed = new ManagedCampaigns(vici, config.vici.campaigns);
  const numbers = new NumberRowsReader(vici, {
    timeZone: config.vici.timeZone,
    defaultRegion: config.phone.defaultRegion,
  });
  const vendorCodeOwners = new VendorCodeOwners(vici, config.phone.defaultRegion);
  const viciFacts = new ViciFactsService(vici, config, numbers, managed, vendorCodeOwners);
  // Reads and validates the rule file: a bad one stops the start here (CallRulesError).
  const callVerdicts = new CallVerdictService(vici, leads, config);
  const intakeSwitch = new IntakeSwitchService(brain);
  const writer = createViciWriter(config, vici, log, managed, onViciCall);
  const fieldUpdates = new ViciFieldUpdates(viciLeads, writer, managed, log);
  const pusher = new ViciPusher(brain, config, writer, viciFacts, viciLeads, intakeSwitch, fieldUpdates, log, clock);
  const leadCreation = new LeadIntakeService(
    brain,
    config,
    leads,
    viciLeads,
    viciFacts,
    pusher,
    fieldUpdates,
    log,
    clock,
  );
  const leadUpdates = new LeadUpdateService(brain, config, leads, fieldUpdates, pusher, log);
  const syncJobRepo = new SyncJobRepository(brain);
  // With Redis, progress crosses processes: a worker's batches reach every gateway's subscribers.
  const bus = config.redis ? redisBus(config.redis) : createInProcessBus();
  const syncJobs = new SyncJobService(syncJobRepo, bus, managed);
  const audit = new AuditService(brain, vici, config, campaigns, viciLeads, managed, vendorCodeOwners);
  const healthMetrics = new HealthMetricsService(brain, vici, config, campaigns, managed);
  const drift = new DriftHistoryService(brain, audit, config, log);
  const viciPushes = new ViciPushViewService(brain);
  const apiKeys = new ApiKeyService(brain, { required: config.auth.apiKeysRequired });
  // The follower writes through the import's batch path: it gets that path's readers, the status tables and the outbox backlog.
  const follower = new ViciFollower(
    brain,
    vici,
    config,
    { managed, numbers, vendorCodeOwners, viciLeads, pusher },
    log.child({ component: "follower" }),
  );
  return {
    apiKeys,
    audit,
    healthMetrics,
    drift,
    viciPushes,
    leads,
    viciLeads,
    campaigns,
    managed,
    numbers,
    vendorCodeOwners,
    viciFacts,
    callVerdicts,
    intakeSwitch,
    writer,
    pusher,
    leadCreation,
    fieldUpdates,
    leadUpdates,
    syncJobs,
    syncJobRepo,
    follower,
  };
}

/** Loaded only with REDIS_URL: the one-process setup needs none of the Redis packages. */
function redisBus(redis: NonNullable<AppConfig["redis"]>): JobProgressBus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, on purpose (see above)
  const { createRedisBus } = require("../jobs/redis-progress-bus") as typeof import("../jobs/redis-progress-bus");
  return createRedisBus(redis.url, redis.prefix);
}
