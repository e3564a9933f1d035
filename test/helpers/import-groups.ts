import type { PhoneGroup } from "../../src/jobs/processors/import-merge";
import type { ViciMatch } from "../../src/services/call-guard";

/** A managed Vici row of Auto2's list 1001, status NA, never called, as the import sees it. */
export const row = (leadId: number, o: Partial<ViciMatch> = {}): ViciMatch => ({
  leadId,
  listId: 1001,
  campaignId: "Auto2",
  vendorLeadCode: null,
  statusCode: "NA",
  statusIsDnc: false,
  lastCallAt: null,
  managed: true,
  ...o,
});

/** One phone's rows in a batch (default: row 1) and what VICIdial says of the number. */
export const group = (
  o: Partial<PhoneGroup> & {
    lastCallAt?: Date | null;
    statusIsDnc?: boolean;
    callOf?: ReadonlyMap<number, Date | null>;
  } = {},
): PhoneGroup => ({
  phone: "+17275550101",
  rows: o.rows ?? [row(1)],
  number: { lastCallAt: o.lastCallAt ?? null, statusIsDnc: o.statusIsDnc ?? false, callOf: o.callOf ?? new Map() },
  onDncList: o.onDncList ?? false,
  dncHits: o.dncHits,
});
