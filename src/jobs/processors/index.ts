import type { JobProcessor } from "../sync-job.types";
import { CsvImportProcessor } from "./csv-import.processor";
import { FullSyncProcessor } from "./full-sync.processor";
import { RollbackProcessor } from "./rollback.processor";
import { VendorCodesProcessor } from "./vendor-codes.processor";
import { ViciImportProcessor } from "./vici-import.processor";

/** Every job kind's processor. */
export function createProcessors(): JobProcessor[] {
  const viciImport = new ViciImportProcessor();
  const vendorCodes = new VendorCodesProcessor();
  return [viciImport, vendorCodes, new FullSyncProcessor(viciImport, vendorCodes), new RollbackProcessor(), new CsvImportProcessor()];
}
