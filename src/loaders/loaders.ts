import DataLoader from "dataloader";
import type { LeadEntity } from "../entities/brain/lead.entity";
import type { ViciLead } from "../schema/types/vici-lead.type";
import type { ViciList } from "../schema/types/campaign.type";
import type { Services } from "../services";
import type { StatusCatalog } from "../services/status-category";
import type { ViciSyncRow } from "../services/outbox-pusher";
import type { NumberRows } from "../vici/db/number-rows.reader";

/**
 * Per-request batching: however many leads a page holds, each loader costs one statement
 * per tick of resolution, so a page's SQL count does not grow with its size.
 */
export interface Loaders {
  viciLeadById: DataLoader<number, ViciLead | null>;
  viciLeadsByPhone: DataLoader<string, ViciLead[]>;
  lastCallByLeadId: DataLoader<number, Date | null>;
  /** Every Vici row of a number (E.164) with each row's last call, and the number's (the recent-call rule). */
  numberRows: DataLoader<string, NumberRows>;
  brainLeadByPhone: DataLoader<string, LeadEntity | null>;
  listsByCampaign: DataLoader<string, ViciList[]>;
  leadCountByList: DataLoader<number, number>;
  viciSyncByLead: DataLoader<string, ViciSyncRow | null>;
  /** VICIdial's status tables, read at most once per request. */
  statusCatalog: () => Promise<StatusCatalog>;
}

/** Told each batch's size (the dataloader_batch_size metric). */
export type BatchObserver = (loader: keyof Loaders, size: number) => void;

export function createLoaders(s: Services, onBatch?: BatchObserver): Loaders {
  let catalog: Promise<StatusCatalog> | null = null;
  const loader = <K, V>(name: keyof Loaders, batch: DataLoader.BatchLoadFn<K, V>) =>
    new DataLoader<K, V>((keys) => {
      onBatch?.(name, keys.length);
      return batch(keys);
    });
  const viciLeadById = loader<number, ViciLead | null>("viciLeadById", async (ids) => {
    const found = await s.viciLeads.findByIds(ids);
    return ids.map((id) => found.get(id) ?? null);
  });
  return {
    viciLeadById,
    viciLeadsByPhone: loader<string, ViciLead[]>("viciLeadsByPhone", async (phones) => {
      const found = await s.viciLeads.findByPhones(phones);
      const out = phones.map((p) => found.get(p) ?? []);
      // Rows read by phone answer later lookups by id for free.
      for (const row of out.flat()) viciLeadById.prime(row.leadId, row);
      return out;
    }),
    numberRows: loader<string, NumberRows>("numberRows", async (phones) => {
      const found = await s.numbers.read(phones);
      return phones.map((p) => found.get(p)!);
    }),
    lastCallByLeadId: loader<number, Date | null>("lastCallByLeadId", async (ids) => {
      const found = await s.viciLeads.lastCallByLeadIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    brainLeadByPhone: loader<string, LeadEntity | null>("brainLeadByPhone", async (phones) => {
      const found = await s.leads.findByPhones(phones);
      return phones.map((p) => found.get(p) ?? null);
    }),
    listsByCampaign: loader<string, ViciList[]>("listsByCampaign", async (ids) => {
      const found = await s.campaigns.listsByCampaign(ids);
      return ids.map((id) => found.get(id.toLowerCase()) ?? []);
    }),
    leadCountByList: loader<number, number>("leadCountByList", async (ids) => {
      const found = await s.campaigns.leadCounts(ids);
      return ids.map((id) => found.get(id) ?? 0);
    }),
    viciSyncByLead: loader<string, ViciSyncRow | null>("viciSyncByLead", async (ids) => {
      const found = await s.pusher.syncStateByLead(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    statusCatalog: () => (catalog ??= s.viciLeads.statusCatalog()),
  };
}
