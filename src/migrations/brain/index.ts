import { CreateLeads1764000000000 } from "./1764000000000-create-leads";
import { CreateOutbox1764100000000 } from "./1764100000000-create-outbox";
import { CreateSyncJobs1764200000000 } from "./1764200000000-create-sync-jobs";
import { FitLeadIndexes1764250000000 } from "./1764250000000-fit-lead-indexes";
import { CreateApiKeys1764300000000 } from "./1764300000000-create-api-keys";
import { CountUnchanged1764400000000 } from "./1764400000000-count-unchanged";
import { CreateDriftSnapshots1764960000000 } from "./1764960000000-create-drift-snapshots";
import { JobsWaitForDatabases1764970000000 } from "./1764970000000-jobs-wait-for-databases";
import { IdempotencyKeysPerApiKey1764980000000 } from "./1764980000000-idempotency-keys-per-api-key";
import { OutboxFieldUpdates1765150000000 } from "./1765150000000-outbox-field-updates";
import { ViciIgnoredRows1765300015000 } from "./1765300015000-vici-ignored-rows";
import { DoNotCallUntil1765400000000 } from "./1765400000000-do-not-call-until";
import { CreateFollowState1765500000000 } from "./1765500000000-create-follow-state";
import { RenameOutboxToViciPushes1765613000000 } from "./1765613000000-rename-outbox-to-vici-pushes";
import { VendorCodeChangeSets1765700000000 } from "./1765700000000-vendor-code-change-sets";

/** Brain's migrations, oldest first. Run on start and by `vici-brain migrate`. */
export const brainMigrations = [
  CreateLeads1764000000000,
  CreateOutbox1764100000000,
  CreateSyncJobs1764200000000,
  FitLeadIndexes1764250000000,
  CreateApiKeys1764300000000,
  CountUnchanged1764400000000,
  CreateDriftSnapshots1764960000000,
  JobsWaitForDatabases1764970000000,
  IdempotencyKeysPerApiKey1764980000000,
  OutboxFieldUpdates1765150000000,
  ViciIgnoredRows1765300015000,
  DoNotCallUntil1765400000000,
  CreateFollowState1765500000000,
  RenameOutboxToViciPushes1765613000000,
  VendorCodeChangeSets1765700000000,
];
