import DataLoader from "dataloader";
import type { LeadEntity } from "../entities/brain/lead.entity";
import type { Services } from "../services";
import type { StatusCatalog } from "../vici/rules/status-category";
import type { LeadViciPush } from "../services/vici-pusher";
import type { ViciLeadRecord } from "../vici/db/vici-leads.reader";
import type { ViciListRecord } from "../vici/db/campaigns.reader";
import type { NumberRows } from "../vici/db/number-rows.reader";
import { MAX_VERDICT_NUMBERS, type BrainDoNotCall } from "../services/call-verdict.service";
import type { LeadVerdicts } from "../services/lead.service";
import type { CallVerdict } from "../vici/rules/call-verdict";

/** One number's verdict in one campaign at one instant; `brain` when the caller has the lead (else Brain is asked). */
export interface CallVerdictKey {
  phone: string;
  campaignId: string;
  at: Date;
  brain?: BrainDoNotCall | null;
}

/**
 * Per-request batching: however many leads a page holds, each loader costs one statement
 * per tick of resolution, so a page's SQL count does not grow with its size.
 */
export interface Loaders {
  viciLeadById: DataLoader<number, ViciLeadRecord | null>;
  viciLeadsByPhone: DataLoader<string, ViciLeadRecord[]>;
  lastCallByLeadId: DataLoader<number, Date | null>;
  /** Every Vici row of a number (E.164) with each row's last call, and the number's (the recent-call rule). */
  numberRows: DataLoader<string, NumberRows>;
  brainLeadByPhone: DataLoader<string, LeadEntity | null>;
  listsByCampaign: DataLoader<string, ViciListRecord[]>;
  leadCountByList: DataLoader<number, number>;
  viciPushByLead: DataLoader<string, LeadViciPush | null>;
  /** VICIdial's status tables, read at most once per request. */
  statusCatalog: () => Promise<StatusCatalog>;
  /**
   * What the request has read already, for resolvers that can then answer without a promise
   * (a page's Vici rows ask for what their lead's fields loaded; a promise per row's field was
   * a good part of a page's CPU: BENCHMARKS.md). Filled as each batch comes in; what is not
   * there yet is loaded as ever.
   */
  loaded: {
    statusCatalog: StatusCatalog | null;
    numberRows: Map<string, NumberRows>;
  };
  /**
   * Call verdicts, batched per campaign and instant (up to 1,000 numbers per read of the facts):
   * a page of leads with Lead.callVerdict costs one batch, whatever its size.
   */
  callVerdict: DataLoader<CallVerdictKey, CallVerdict>;
  /** The request's instant: every verdict asked for "now" in one request is for the same one. */
  now: Date;
  /** The verdicts a callableNow page needs, through callVerdict (so the page's Lead.callVerdict costs nothing more). */
  leadVerdicts: LeadVerdicts;
}

/** Told each batch's size (the dataloader_batch_size metric). */
export type BatchObserver = (loader: keyof Loaders, size: number) => void;

export function createLoaders(s: Services, onBatch?: BatchObserver, now = new Date()): Loaders {
  let catalog: Promise<StatusCatalog> | null = null;
  const loaded: Loaders["loaded"] = { statusCatalog: null, numberRows: new Map() };
  const loader = <K, V, C = K>(
    name: keyof Loaders,
    batch: DataLoader.BatchLoadFn<K, V>,
    options?: DataLoader.Options<K, V, C>,
  ) =>
    new DataLoader<K, V, C>((keys) => {
      onBatch?.(name, keys.length);
      return batch(keys);
    }, options);
  const callVerdict = loader<CallVerdictKey, CallVerdict, string>("callVerdict", (keys) => loadVerdicts(s, keys), {
    cacheKeyFn: (k) => `${k.campaignId.toLowerCase()}\u0000${k.at.getTime()}\u0000${k.phone}`,
  });
  const viciLeadById = loader<number, ViciLeadRecord | null>("viciLeadById", async (ids) => {
    const found = await s.viciLeads.findByIds(ids);
    return ids.map((id) => found.get(id) ?? null);
  });
  return {
    viciLeadById,
    viciLeadsByPhone: loader<string, ViciLeadRecord[]>("viciLeadsByPhone", async (phones) => {
      const found = await s.viciLeads.findByPhones(phones);
      const out = phones.map((p) => found.get(p) ?? []);
      // Rows read by phone answer later lookups by id for free.
      for (const row of out.flat()) viciLeadById.prime(row.leadId, row);
      return out;
    }),
    numberRows: loader<string, NumberRows>("numberRows", async (phones) => {
      const found = await s.numbers.read(phones);
      for (const [p, rows] of found) loaded.numberRows.set(p, rows);
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
    listsByCampaign: loader<string, ViciListRecord[]>("listsByCampaign", async (ids) => {
      const found = await s.campaigns.listsByCampaign(ids);
      return ids.map((id) => found.get(id.toLowerCase()) ?? []);
    }),
    leadCountByList: loader<number, number>("leadCountByList", async (ids) => {
      const found = await s.campaigns.leadCounts(ids);
      return ids.map((id) => found.get(id) ?? 0);
    }),
    viciPushByLead: loader<string, LeadViciPush | null>("viciPushByLead", async (ids) => {
      const found = await s.pusher.pushByLead(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    statusCatalog: () =>
      (catalog ??= s.viciLeads.statusCatalog().then((c) => {
        loaded.statusCatalog = c;
        return c;
      })),
    loaded,
    callVerdict,
    now,
    leadVerdicts: {
      at: now,
      scanned: 0,
      async of(leads, campaignId) {
        const keys = leads.map((l) => ({
          phone: l.phone,
          campaignId,
          at: now,
          brain: { doNotCall: l.doNotCall, doNotCallReason: l.doNotCallReason, doNotCallUntil: l.doNotCallUntil },
        }));
        const found = await callVerdict.loadMany(keys);
        return found.map((v) => {
          if (v instanceof Error) throw v;
          return v;
        });
      },
    },
  };
}

/** One read of the facts per campaign, instant and 1,000 numbers; a failed read fails only its own keys. */
async function loadVerdicts(s: Services, keys: readonly CallVerdictKey[]): Promise<(CallVerdict | Error)[]> {
  const groups = new Map<string, CallVerdictKey[]>();
  for (const k of keys) {
    const g = `${k.campaignId.toLowerCase()}\u0000${k.at.getTime()}`;
    groups.set(g, [...(groups.get(g) ?? []), k]);
  }
  const out = new Map<CallVerdictKey, CallVerdict | Error>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const phones = [...new Set(group.map((k) => k.phone))];
      const brain = new Map<string, BrainDoNotCall | null>();
      for (const k of group) if (k.brain !== undefined) brain.set(k.phone, k.brain);
      const { campaignId, at } = group[0];
      for (let i = 0; i < phones.length; i += MAX_VERDICT_NUMBERS) {
        const part = new Set(phones.slice(i, i + MAX_VERDICT_NUMBERS));
        const keysOfPart = group.filter((k) => part.has(k.phone));
        try {
          const verdicts = await s.callVerdicts.verdicts([...part], campaignId, at, brain);
          for (const k of keysOfPart) out.set(k, verdicts.get(k.phone)!);
        } catch (e) {
          for (const k of keysOfPart) out.set(k, e as Error);
        }
      }
    }),
  );
  return keys.map((k) => out.get(k)!);
}
