import DataLoader from "dataloader";
import type { LeadEntity } from "../entities/brain/lead.entity";
import type { ViciLead } from "../schema/types/vici-lead.type";
import type { ViciList } from "../schema/types/campaign.type";
import type { Services } from "../services";
import type { StatusCatalog } from "../services/status-category";
import type { ViciSyncRow } from "../services/outbox-pusher";

/**
 * Per-request batching: however many leads a page holds, each loader costs one statement
 * per tick of resolution, so a page's SQL count does not grow with its size.
 */
export interface Loaders {
  viciLeadById: DataLoader<number, ViciLead | null>;
  viciLeadsByPhone: DataLoader<string, ViciLead[]>;
  lastCallByLeadId: DataLoader<number, Date | null>;
  brainLeadByPhone: DataLoader<string, LeadEntity | null>;
  listsByCampaign: DataLoader<string, ViciList[]>;
  leadCountByList: DataLoader<number, number>;
  viciSyncByLead: DataLoader<string, ViciSyncRow | null>;
  /** VICIdial's status tables, read at most once per request. */
  statusCatalog: () => Promise<StatusCatalog>;
}

export function createLoaders(s: Services): Loaders {
  let catalog: Promise<StatusCatalog> | null = null;
  const viciLeadById = new DataLoader<number, ViciLead | null>(async (ids) => {
    const found = await s.viciLeads.findByIds(ids);
    return ids.map((id) => found.get(id) ?? null);
  });
  return {
    viciLeadById,
    viciLeadsByPhone: new DataLoader<string, ViciLead[]>(async (phones) => {
      const found = await s.viciLeads.findByPhones(phones);
      const out = phones.map((p) => found.get(p) ?? []);
      // Rows read by phone answer later lookups by id for free.
      for (const row of out.flat()) viciLeadById.prime(row.leadId, row);
      return out;
    }),
    lastCallByLeadId: new DataLoader<number, Date | null>(async (ids) => {
      const found = await s.viciLeads.lastCallByLeadIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    brainLeadByPhone: new DataLoader<string, LeadEntity | null>(async (phones) => {
      const found = await s.leads.findByPhones(phones);
      return phones.map((p) => found.get(p) ?? null);
    }),
    listsByCampaign: new DataLoader<string, ViciList[]>(async (ids) => {
      const found = await s.campaigns.listsByCampaign(ids);
      return ids.map((id) => found.get(id.toLowerCase()) ?? []);
    }),
    leadCountByList: new DataLoader<number, number>(async (ids) => {
      const found = await s.campaigns.leadCounts(ids);
      return ids.map((id) => found.get(id) ?? 0);
    }),
    viciSyncByLead: new DataLoader<string, ViciSyncRow | null>(async (ids) => {
      const found = await s.pusher.syncStateByLead(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    statusCatalog: () => (catalog ??= s.viciLeads.statusCatalog()),
  };
}
