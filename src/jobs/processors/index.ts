import type { JobProcessor } from "../sync-job.types";
import { CsvImportProcessor } from "./csv-import.processor";
import { FullSyncProcessor } from "./full-sync.processor";
import type { ProcessorDeps } from "./processor-deps";
import { RollbackProcessor } from "./rollback.processor";
import { VendorCodesProcessor } from "./vendor-codes.processor";
import { ViciImportProcessor } from "./vici-import.processor";

/** Every job kind's processor, each given what it uses. */
export function createProcessors(deps: ProcessorDeps): JobProcessor[] {
  const viciImport = new ViciImportProcessor(deps);
  const vendorCodes = new VendorCodesProcessor(deps);
  return [
    viciImport,
    vendorCodes,
    new FullSyncProcessor(viciImport, vendorCodes, deps),
    new RollbackProcessor(deps),
    new CsvImportProcessor(deps),
  ];
}
