import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import type { CampaignService } from "../vici/db/campaigns.reader";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";
import type { VendorCodeOwners } from "../vici/db/vendor-code-owners.reader";
import { listsAndCodesOf, phonesOnSeveralRows, rowsCarryingCodes } from "../vici/db/audit.reader";
import { fromViciPhone } from "../vici/rules/phone";
import { StatusCategory } from "../vici/rules/status-category";
import type { ViciLeadService } from "../vici/db/vici-leads.reader";
import { LEADS_OF_PHONES } from "./lead.service";
import {
  AUDIT_SAMPLE_SIZE,
  AuditScope,
  sampleLowest,
  Tally,
  type AuditCounts,
  type AuditList,
  type AuditScopeOptions,
  type ResolvedCampaign,
} from "./audit-scope";

export type { AuditCounts, AuditList } from "./audit-scope";

/**
 * The seed strategy's "Step 1: Audit Current State", done against the real VICIdial schema:
 * the chosen campaigns' rows and the drift between Brain and VICIdial. The campaigns, their
 * lists and how their rows are read: audit-scope.ts. Its "Success Metrics":
 * health-metrics.service.ts.
 *
 * Decisions:
 * - A row is DIALABLE when its list is active (vicidial_lists.active = 'Y') and its status,
 *   resolved in its campaign (campaign status over system status), is not in a category
 *   that ends dialing: DNC, SALE, UNWORKABLE, NOT_INTERESTED. Unknown codes and a NULL
 *   status are dialable (category OTHER: nothing says they are not). Phones on several
 *   dialable rows are grouped by (phone_code, phone_number) as stored: the dialer dials
 *   exactly that.
 * - Drift:
 *   - viciNotInBrain: rows of the chosen campaigns whose phone (fromViciPhone: the glued-on
 *     country code form matches too) no Brain lead has; a row whose number is not a valid
 *     phone can match no Brain lead and is counted.
 *   - brainNotInVici: Brain leads (all of Brain: a deleted Vici row has no campaign any more)
 *     whose meta.vici_lead_id or meta.vici_lead_ids name a lead_id vicidial_list no longer
 *     has. Count = Brain leads; samples = their ids and the missing Vici lead ids.
 *   - conflictingLinks: Vici rows of the chosen campaigns that are (a) linked to a Brain lead
 *     (in its vici_lead_id / vici_lead_ids) while holding another, non-empty vendor code than
 *     that lead's external_lead_id, or (b) carry a vendor code that rows of different phones
 *     (by fromViciPhone, else the raw number) in the chosen campaigns also carry. Codes are
 *     compared the way VICIdial's collation does (case-insensitive, trailing spaces ignored)
 *     for (b), exactly for (a). Count = distinct Vici rows.
 *   - phonesOnSeveralDialableRows: count = phones; sample = their rows' lead ids.
 *   Samples hold up to 20 ids: the lowest Vici lead ids (and Brain ids) found, ascending
 *   (phonesOnSeveralDialableRows: the rows of the phones whose lowest lead id is lowest).
 */

/** Brain leads per chunk for the link checks (one Vici `lead_id IN (...)` each). */
const BRAIN_CHUNK = 5_000;
/** Candidate shared vendor codes per `vendor_lead_code IN (...)` read. */
const CODE_CHUNK = 500;

/** Status categories that end dialing a row (the rest, OTHER included, are dialable). */
export const NOT_DIALABLE_CATEGORIES: readonly StatusCategory[] = [
  StatusCategory.DNC,
  StatusCategory.SALE,
  StatusCategory.UNWORKABLE,
  StatusCategory.NOT_INTERESTED,
];

export interface CampaignAudit extends AuditCounts {
  campaignId: string;
  name: string | null;
  lists: AuditList[];
}

export interface DriftFinding {
  count: number;
  /** Up to AUDIT_SAMPLE_SIZE Vici lead ids. */
  sampleLeadIds: number[];
  /** Up to AUDIT_SAMPLE_SIZE Brain lead ids (only brainNotInVici has them). */
  sampleBrainLeadIds: string[];
}

export interface AuditReport {
  campaigns: CampaignAudit[];
  totals: AuditCounts;
  viciNotInBrain: DriftFinding;
  brainNotInVici: DriftFinding;
  conflictingLinks: DriftFinding;
  phonesOnSeveralDialableRows: DriftFinding;
  generatedAt: Date;
}

export interface AuditServiceOptions extends AuditScopeOptions {
  brainChunk?: number;
}

export class AuditService {
  private readonly brainChunk: number;
  private readonly scope: AuditScope;

  constructor(
    private readonly brain: DataSource,
    private readonly vici: DataSource,
    private readonly config: AppConfig,
    campaigns: CampaignService,
    private readonly viciLeads: ViciLeadService,
    managed: ManagedCampaigns,
    private readonly owners: VendorCodeOwners,
    opts: AuditServiceOptions = {},
  ) {
    this.scope = new AuditScope(vici, campaigns, managed, opts);
    this.brainChunk = opts.brainChunk ?? BRAIN_CHUNK;
  }

  async audit(campaignIds: string[]): Promise<AuditReport> {
    const campaigns = await this.scope.resolveCampaigns(campaignIds);
    const allLists = campaigns.flatMap((c) => c.lists.map((l) => l.listId));

    const perCampaign: CampaignAudit[] = [];
    for (const c of campaigns) {
      perCampaign.push({
        campaignId: c.campaignId,
        name: c.name,
        lists: c.lists,
        ...(await this.scope.counts(c.lists.map((l) => l.listId))),
      });
    }
    const totals: AuditCounts = {
      rows: sum(perCampaign.map((c) => c.rows)),
      rowsWithVendorCode: sum(perCampaign.map((c) => c.rowsWithVendorCode)),
      // A phone may be in several campaigns: not the sum.
      uniquePhones:
        perCampaign.length === 1 ? perCampaign[0].uniquePhones : (await this.scope.counts(allLists)).uniquePhones,
    };

    const viciNotInBrain = await this.viciNotInBrain(allLists);
    const links = await this.checkBrainLinks(new Set(allLists));
    const shared = await this.rowsSharingVendorCodes(allLists);
    const conflicting = [...new Set([...links.conflictingRows, ...shared])].sort((a, b) => a - b);
    const dialable = await this.phonesOnSeveralDialableRows(campaigns);

    return {
      campaigns: perCampaign,
      totals,
      viciNotInBrain,
      brainNotInVici: links.brainNotInVici,
      conflictingLinks: {
        count: conflicting.length,
        sampleLeadIds: conflicting.slice(0, AUDIT_SAMPLE_SIZE),
        sampleBrainLeadIds: [],
      },
      phonesOnSeveralDialableRows: dialable,
      generatedAt: new Date(),
    };
  }

  /** Rows of the lists whose phone no Brain lead has: one Brain query per Vici chunk. */
  private async viciNotInBrain(listIds: number[]): Promise<DriftFinding> {
    const region = this.config.phone.defaultRegion;
    const tally = new Tally();
    await this.scope.scanLists(listIds, "", [], async (rows) => {
      const phones = rows.map((r) => fromViciPhone(r.phone_code, String(r.phone_number ?? ""), region));
      const wanted = [...new Set(phones.filter((p): p is string => p !== null))];
      const inBrain = new Set<string>();
      if (wanted.length) {
        const found: { phone: string }[] = await this.brain.query(`SELECT phone FROM ${LEADS_OF_PHONES}`, [wanted]);
        for (const f of found) inBrain.add(f.phone);
      }
      rows.forEach((r, i) => {
        if (phones[i] === null || !inBrain.has(phones[i]!)) tally.add(Number(r.lead_id));
      });
    });
    return { count: tally.count, sampleLeadIds: tally.sample, sampleBrainLeadIds: [] };
  }

  /**
   * Walks every linked Brain lead (id keyset, `brainChunk` at a time) and looks its Vici
   * lead ids up by primary key (one `lead_id IN (...)` per chunk): ids that are gone make
   * the lead "not in Vici"; a linked row of `chosenLists` with another vendor code than the
   * lead's external_lead_id is a conflicting link.
   */
  private async checkBrainLinks(
    chosenLists: Set<number>,
  ): Promise<{ brainNotInVici: DriftFinding; conflictingRows: Set<number> }> {
    let missingCount = 0;
    const missingBrainIds: string[] = [];
    const missingViciIds: number[] = [];
    const conflictingRows = new Set<number>();
    let after = "0";
    for (;;) {
      const leads: { id: string; external_lead_id: string; primary_id: unknown; ids: unknown }[] =
        await this.brain.query(
          `SELECT id::text AS id, external_lead_id, meta->'vici_lead_id' AS primary_id, meta->'vici_lead_ids' AS ids
           FROM leads
          WHERE id > $1::bigint AND (meta ? 'vici_lead_id' OR meta ? 'vici_lead_ids')
          ORDER BY leads.id LIMIT $2`,
          [after, this.brainChunk],
        );
      if (leads.length === 0) break;
      const refs = leads.map((l) => leadIdsOf(l.primary_id, l.ids));
      const all = [...new Set(refs.flat())];
      const rows = await listsAndCodesOf(this.vici, all);
      leads.forEach((lead, i) => {
        const gone = refs[i].filter((id) => !rows.has(id));
        if (gone.length) {
          // Brain is walked in id order: the first leads found are its lowest ids.
          if (missingCount++ < AUDIT_SAMPLE_SIZE) missingBrainIds.push(lead.id);
          for (const id of gone) sampleLowest(missingViciIds, id);
        }
        for (const id of refs[i]) {
          const row = rows.get(id);
          if (row && chosenLists.has(row.listId) && row.code !== "" && row.code !== lead.external_lead_id)
            conflictingRows.add(id);
        }
      });
      if (leads.length < this.brainChunk) break;
      after = leads[leads.length - 1].id;
    }
    return {
      brainNotInVici: { count: missingCount, sampleLeadIds: missingViciIds, sampleBrainLeadIds: missingBrainIds },
      conflictingRows,
    };
  }

  /**
   * Rows of the lists carrying a vendor code that rows of another phone carry too. MariaDB
   * finds the candidate codes (more than one stored phone per code: one GROUP BY over the
   * lists' coded rows); their rows are then read and compared by real phone identity, so a
   * number stored with its country code glued on is not "another phone".
   */
  private async rowsSharingVendorCodes(listIds: number[]): Promise<Set<number>> {
    const out = new Set<number>();
    if (listIds.length === 0) return out;
    // The codes (VendorCodeOwners: the vendor-code rule's own reading), then their rows.
    const shared = [...(await this.owners.sharedCodes(listIds))];
    for (let i = 0; i < shared.length; i += CODE_CHUNK) {
      for (const id of await rowsCarryingCodes(this.vici, listIds, shared.slice(i, i + CODE_CHUNK))) out.add(id);
    }
    return out;
  }

  /**
   * Phones with 2+ dialable rows in the campaigns: one GROUP BY over the campaigns' active
   * lists, each campaign with its own non-dialable status codes. Returns the number of such
   * phones and the lead ids of the first ones (by lowest lead_id).
   */
  private async phonesOnSeveralDialableRows(campaigns: ResolvedCampaign[]): Promise<DriftFinding> {
    const none: DriftFinding = { count: 0, sampleLeadIds: [], sampleBrainLeadIds: [] };
    const catalog = await this.viciLeads.statusCatalog();
    const groups: { listIds: number[]; exceptStatuses: string[] }[] = [];
    for (const c of campaigns) {
      const active = c.lists.filter((l) => l.active).map((l) => l.listId);
      if (active.length === 0) continue;
      groups.push({ listIds: active, exceptStatuses: catalog.codesIn(NOT_DIALABLE_CATEGORIES, [c.campaignId]) });
    }
    if (groups.length === 0) return none;
    const r = await phonesOnSeveralRows(this.vici, groups, AUDIT_SAMPLE_SIZE);
    return { count: r.count, sampleLeadIds: r.sample, sampleBrainLeadIds: [] };
  }
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** meta.vici_lead_id and meta.vici_lead_ids → distinct positive lead ids (junk ignored). */
function leadIdsOf(primary: unknown, ids: unknown): number[] {
  const out: number[] = [];
  const take = (v: unknown) => {
    const n = typeof v === "number" ? v : typeof v === "string" && /^[0-9]{1,15}$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n > 0 && !out.includes(n)) out.push(n);
  };
  take(primary);
  if (Array.isArray(ids)) ids.forEach(take);
  return out;
}
