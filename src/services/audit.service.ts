import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { UserInputError } from "../errors/errors";
import type { CampaignService } from "../vici/db/campaigns.reader";
import type { ManagedCampaigns } from "../vici/db/managed-campaigns";
import type { VendorCodeOwners } from "../vici/db/vendor-code-owners.reader";
import { listCounts, listsAndCodesOf, numbersDialedFromSeveralLeads, phonesOnSeveralRows, rowsCarryingCodes, scanLists } from "../vici/db/audit.reader";
import { fromViciPhone } from "../vici/rules/phone";
import { StatusCategory } from "../vici/rules/status-category";
import type { ViciLeadService } from "../vici/db/vici-leads.reader";
import { instantToViciLocal } from "../vici/rules/vici-time";
import { cutoverAt as defaultCutover, rowsFromBrain } from "./vici-row-origin";

/**
 * The seed strategy's "Step 1: Audit Current State", done against the real VICIdial schema,
 * and its four "Success Metrics", measured.
 *
 * VICIdial facts this relies on (FACTS.md): a lead's campaign is its list's campaign
 * (`vicidial_lists.campaign_id`; `vicidial_list` has no campaign column), so a campaign is
 * turned into its list ids first and `vicidial_list` is read `WHERE list_id IN (...)` (the
 * list_id index). Every table is MyISAM: a read holds a table read lock that makes the
 * dialer's UPDATEs wait, so rows that have to be checked against Brain are streamed in short
 * keyset chunks (one Brain query per chunk) and never loaded whole.
 *
 * The chunks follow the (list_id, phone_number) index, one list at a time, not lead_id: a
 * MyISAM secondary index does not carry the primary key, so `list_id IN (...) AND lead_id > ?
 * ORDER BY lead_id LIMIT n` either walks the primary key through other lists' rows until n
 * match or sorts every remaining row of the lists for each chunk (measured on 400k rows, the
 * chosen lists 20% of them: 9 chunks, up to 670 ms each, 4.5 s in all; by list and phone:
 * 15 statements, at most 93 ms each, 0.65 s in all; equal when the lists are most of the table).
 *
 * Decisions:
 * - Campaign ids: 1–8 of `[-_0-9A-Za-z]` (UserInputError, field "campaigns"); compared
 *   case-insensitively like VICIdial does, reported in VICIdial's spelling. A campaign is
 *   known if vicidial_campaigns has it or a list names it (CampaignService.findAll). No
 *   campaigns (null or []) = every known managed campaign (VICI_CAMPAIGNS; unset: all); a
 *   campaign outside VICI_CAMPAIGNS is refused. Leads of lists without a vicidial_lists row
 *   (orphans) belong to no campaign and are never audited.
 * - A Vici row "has a vendor code" when vendor_lead_code is neither NULL nor ''.
 * - Unique phones are counted by (phone_code, phone_number) as stored, a NULL phone_code
 *   counted as '' (COUNT(DISTINCT a, b) would otherwise skip the row).
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
 * - No campaigns named in syncHealth: dialedTwiceIn30Days reads the whole call log, calls of
 *   campaigns VICIdial no longer knows included.
 * - Health ("success metrics"), each with its target and whether it is met:
 *   - dialedTwiceIn30Days: distinct vicidial_log.phone_number dialed from 2+ distinct
 *     lead_ids since `days` ago (default RECENT_CALL_DAYS, i.e. 30) in the Vici server's zone,
 *     among numbers with at least one call of the chosen campaigns in the window (a number
 *     called once by Auto2 and once by Survey1 is a double call for Auto2 too). Target zero.
 *   - vendorCodeShare: rows of the chosen campaigns with a vendor code / rows. Target 100%.
 *   - brainLinkedShare: Brain leads with meta.vici_lead_id / all Brain leads (the `linked`
 *     filter's definition). Target 100%.
 *   - createdOutsideBrain: rows of the chosen campaigns with entry_date >= the cut-over
 *     (converted to the Vici server's wall clock) that the gateway did not push (no delivered
 *     PUSH_LEAD names them, and no rollback left them: vici-row-origin.ts). The cut-over: the
 *     one asked for, else VICI_CUTOVER_AT, else the gateway's first delivered push; null
 *     (nothing pushed, none configured) → the metric is null. Target zero.
 *   A share of nothing (0 rows / 0 leads) is 1: "every lead has it" holds vacuously.
 */

/** Vici rows per keyset chunk (one short (list_id, phone_number) index read each, one Brain query each). */
const VICI_CHUNK = 10_000;
/** Brain leads per chunk for the link checks (one Vici `lead_id IN (...)` each). */
const BRAIN_CHUNK = 5_000;
/** Candidate shared vendor codes per `vendor_lead_code IN (...)` read. */
const CODE_CHUNK = 500;
/** Sample size of every drift kind and metric. */
export const AUDIT_SAMPLE_SIZE = 20;

/** Status categories that end dialing a row (the rest, OTHER included, are dialable). */
export const NOT_DIALABLE_CATEGORIES: readonly StatusCategory[] = [
  StatusCategory.DNC,
  StatusCategory.SALE,
  StatusCategory.UNWORKABLE,
  StatusCategory.NOT_INTERESTED,
];

const CAMPAIGN_ID = /^[-_0-9A-Za-z]{1,8}$/;

export interface AuditList {
  listId: number;
  name: string | null;
  campaignId: string | null;
  active: boolean;
}

export interface AuditCounts {
  rows: number;
  uniquePhones: number;
  rowsWithVendorCode: number;
}

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

export interface HealthMetric {
  /** A count, or a share 0..1. */
  value: number;
  /** The count, or a share's numerator. */
  count: number;
  /** A share's denominator; for createdOutsideBrain the rows entered since the cut-over; else null. */
  total: number | null;
  target: string;
  met: boolean;
  /** Up to AUDIT_SAMPLE_SIZE Vici lead ids behind the value, where the measurement sees them. */
  sampleLeadIds: number[];
}

export interface SyncHealth {
  campaigns: string[];
  windowDays: number;
  /** Start of the call-log window (an instant; compared with call_date in the server's zone). */
  windowStart: Date;
  cutoverAt: Date | null;
  dialedTwiceIn30Days: HealthMetric;
  vendorCodeShare: HealthMetric;
  brainLinkedShare: HealthMetric;
  createdOutsideBrain: HealthMetric | null;
  measuredAt: Date;
}

export interface AuditServiceOptions {
  viciChunk?: number;
  brainChunk?: number;
}

interface ResolvedCampaign {
  campaignId: string;
  name: string | null;
  lists: AuditList[];
}

/** A count and the AUDIT_SAMPLE_SIZE lowest ids counted (whatever order they come in). */
class Tally {
  count = 0;
  readonly sample: number[] = [];
  add(id: number): void {
    this.count++;
    sampleLowest(this.sample, id);
  }
}

/** Keeps `sample` the (at most AUDIT_SAMPLE_SIZE) lowest distinct ids offered, ascending. */
function sampleLowest(sample: number[], id: number): void {
  if (sample.includes(id)) return;
  if (sample.length >= AUDIT_SAMPLE_SIZE && id > sample[sample.length - 1]) return;
  sample.push(id);
  sample.sort((a, b) => a - b);
  if (sample.length > AUDIT_SAMPLE_SIZE) sample.pop();
}

export class AuditService {
  private readonly viciChunk: number;
  private readonly brainChunk: number;

  constructor(
    private readonly brain: DataSource,
    private readonly vici: DataSource,
    private readonly config: AppConfig,
    private readonly campaigns: CampaignService,
    private readonly viciLeads: ViciLeadService,
    private readonly managed: ManagedCampaigns,
    private readonly owners: VendorCodeOwners,
    opts: AuditServiceOptions = {},
  ) {
    this.viciChunk = opts.viciChunk ?? VICI_CHUNK;
    this.brainChunk = opts.brainChunk ?? BRAIN_CHUNK;
  }

  async audit(campaignIds: string[]): Promise<AuditReport> {
    const campaigns = await this.resolveCampaigns(campaignIds);
    const allLists = campaigns.flatMap((c) => c.lists.map((l) => l.listId));

    const perCampaign: CampaignAudit[] = [];
    for (const c of campaigns) {
      perCampaign.push({ campaignId: c.campaignId, name: c.name, lists: c.lists, ...(await this.counts(c.lists.map((l) => l.listId))) });
    }
    const totals: AuditCounts = {
      rows: sum(perCampaign.map((c) => c.rows)),
      rowsWithVendorCode: sum(perCampaign.map((c) => c.rowsWithVendorCode)),
      // A phone may be in several campaigns: not the sum.
      uniquePhones: perCampaign.length === 1 ? perCampaign[0].uniquePhones : (await this.counts(allLists)).uniquePhones,
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
      conflictingLinks: { count: conflicting.length, sampleLeadIds: conflicting.slice(0, AUDIT_SAMPLE_SIZE), sampleBrainLeadIds: [] },
      phonesOnSeveralDialableRows: dialable,
      generatedAt: new Date(),
    };
  }

  /** `cutoverAt` null or absent: VICI_CUTOVER_AT, else the gateway's first push (vici-row-origin.ts). */
  async health(opts: { campaignIds: string[]; cutoverAt?: Date | null; days?: number }): Promise<SyncHealth> {
    const days = opts.days ?? this.config.recentCallDays;
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UserInputError("days must be a whole number from 1 to 3650", "days");
    if (opts.cutoverAt != null && !(opts.cutoverAt instanceof Date && !Number.isNaN(opts.cutoverAt.getTime()))) {
      throw new UserInputError("cutoverAt is not a date-time", "cutoverAt");
    }
    const campaigns = await this.resolveCampaigns(opts.campaignIds);
    const listIds = campaigns.flatMap((c) => c.lists.map((l) => l.listId));
    const measuredAt = new Date();
    const windowStart = new Date(measuredAt.getTime() - days * 86_400_000);

    // No campaigns named and no VICI_CAMPAIGNS = all: then every number in the log counts, whatever its campaign.
    const every = opts.campaignIds.length === 0 && this.managed.configured === null;
    const dialedTwice = await this.dialedTwice(windowStart, every ? [] : campaigns.map((c) => c.campaignId));
    const vici = await this.counts(listIds, false);
    const [brain] = await this.brain.query(
      `SELECT COUNT(*)::bigint AS total, COUNT(*) FILTER (WHERE meta ? 'vici_lead_id')::bigint AS linked FROM leads`,
    );
    const cutover = opts.cutoverAt ?? (await defaultCutover(this.brain, this.config));
    const created = cutover ? await this.createdOutsideBrain(listIds, cutover) : null;

    return {
      campaigns: campaigns.map((c) => c.campaignId),
      windowDays: days,
      windowStart,
      cutoverAt: cutover,
      dialedTwiceIn30Days: zeroMetric(dialedTwice.count, dialedTwice.sample),
      vendorCodeShare: shareMetric(vici.rowsWithVendorCode, vici.rows),
      brainLinkedShare: shareMetric(Number(brain.linked), Number(brain.total)),
      createdOutsideBrain: created ? { ...zeroMetric(created.count, created.sample), total: created.total } : null,
      measuredAt,
    };
  }

  /**
   * Validates and resolves campaign ids (none = every managed campaign) to VICIdial's campaigns
   * and their lists. A campaign outside VICI_CAMPAIGNS is refused (CampaignNotManagedError).
   */
  private async resolveCampaigns(ids: readonly string[]): Promise<ResolvedCampaign[]> {
    if (!Array.isArray(ids)) throw new UserInputError("campaigns must be a list of campaign ids", "campaigns");
    const bad = ids.filter((c) => typeof c !== "string" || !CAMPAIGN_ID.test(c));
    if (bad.length) {
      throw new UserInputError(
        `not a VICIdial campaign id (1 to 8 of A-Z a-z 0-9 - _): ${bad.map((c) => JSON.stringify(c)).join(", ")}`,
        "campaigns",
      );
    }
    this.managed.chosen(ids);
    const known = (await this.campaigns.findAll()).filter((c) => this.managed.manages(c.campaignId));
    const byKey = new Map(known.map((c) => [c.campaignId.toLowerCase(), c]));
    let chosen = known;
    if (ids.length > 0) {
      const keys = [...new Set(ids.map((c) => c.toLowerCase()))];
      const unknown = ids.filter((c, i) => !byKey.has(c.toLowerCase()) && ids.findIndex((d) => d.toLowerCase() === c.toLowerCase()) === i);
      if (unknown.length) throw new UserInputError(`unknown campaign${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, "campaigns");
      chosen = keys.map((k) => byKey.get(k)!);
    }
    const lists = await this.campaigns.listsByCampaign(chosen.map((c) => c.campaignId));
    return chosen.map((c) => ({
      campaignId: c.campaignId,
      name: c.name,
      lists: (lists.get(c.campaignId.toLowerCase()) ?? []).map((l) => ({ listId: l.listId, name: l.name, campaignId: l.campaignId, active: l.active })),
    }));
  }

  /**
   * Rows, rows with a vendor code and (optionally) unique phones of some lists: one
   * statement, a list_id index range (the rows themselves are read: neither vendor_lead_code
   * nor phone_code is in an index).
   */
  private async counts(listIds: number[], phones = true): Promise<AuditCounts> {
    if (listIds.length === 0) return { rows: 0, uniquePhones: 0, rowsWithVendorCode: 0 };
    return listCounts(this.vici, listIds, phones);
  }

  /** The lists' rows in `viciChunk` chunks (vici/db/audit.reader.ts scanLists: the (list_id, phone_number) index). */
  private async scanLists(
    listIds: number[],
    columns: string,
    columnParams: unknown[],
    each: (rows: Record<string, any>[]) => Promise<void>,
  ): Promise<void> {
    await scanLists(this.vici, listIds, columns, columnParams, this.viciChunk, each);
  }

  /** Rows of the lists whose phone no Brain lead has: one Brain query per Vici chunk. */
  private async viciNotInBrain(listIds: number[]): Promise<DriftFinding> {
    const region = this.config.phone.defaultRegion;
    const tally = new Tally();
    await this.scanLists(listIds, "", [], async (rows) => {
      const phones = rows.map((r) => fromViciPhone(r.phone_code, String(r.phone_number ?? ""), region));
      const wanted = [...new Set(phones.filter((p): p is string => p !== null))];
      const inBrain = new Set<string>();
      if (wanted.length) {
        const found: { phone: string }[] = await this.brain.query("SELECT phone FROM leads WHERE phone = ANY($1)", [wanted]);
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
  private async checkBrainLinks(chosenLists: Set<number>): Promise<{ brainNotInVici: DriftFinding; conflictingRows: Set<number> }> {
    let missingCount = 0;
    const missingBrainIds: string[] = [];
    const missingViciIds: number[] = [];
    const conflictingRows = new Set<number>();
    let after = "0";
    for (;;) {
      const leads: { id: string; external_lead_id: string; primary_id: unknown; ids: unknown }[] = await this.brain.query(
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
          if (row && chosenLists.has(row.listId) && row.code !== "" && row.code !== lead.external_lead_id) conflictingRows.add(id);
        }
      });
      if (leads.length < this.brainChunk) break;
      after = leads[leads.length - 1].id;
    }
    return { brainNotInVici: { count: missingCount, sampleLeadIds: missingViciIds, sampleBrainLeadIds: missingBrainIds }, conflictingRows };
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

  /**
   * Numbers dialed from 2+ distinct leads since `since`: a call_date index range of
   * vicidial_log (no phone_number index there), grouped by number. `campaignIds` non-empty:
   * only numbers with at least one call of those campaigns in the window count.
   */
  private async dialedTwice(since: Date, campaignIds: string[]): Promise<{ count: number; sample: number[] }> {
    const from = instantToViciLocal(since, this.config.vici.timeZone);
    return numbersDialedFromSeveralLeads(this.vici, from, campaignIds, AUDIT_SAMPLE_SIZE);
  }

  /**
   * Rows of the lists entered since the cut-over (server wall clock) that the gateway did not
   * push: streamed with scanLists (entry_date has no index; comparing it in the select list,
   * not the WHERE, keeps every chunk a bounded read), their lead ids looked up once per chunk
   * among the rows Brain delivered (vici_outbox, by vici_lead_id) or a rollback left
   * (vici_ignored_rows). A vendor code is no proof: the import's write-back gives rows loaded
   * straight into VICIdial a Brain id too.
   */
  private async createdOutsideBrain(listIds: number[], cutoverAt: Date): Promise<{ count: number; total: number; sample: number[] }> {
    const since = instantToViciLocal(cutoverAt, this.config.vici.timeZone);
    const tally = new Tally();
    let total = 0;
    await this.scanLists(listIds, "(entry_date >= ?) AS recent", [since], async (rows) => {
      const recent = rows.filter((r) => Number(r.recent) === 1).map((r) => Number(r.lead_id));
      total += recent.length;
      const fromBrain = await rowsFromBrain(this.brain, recent);
      for (const id of recent) if (!fromBrain.has(id)) tally.add(id);
    });
    return { count: tally.count, total, sample: tally.sample };
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

function zeroMetric(count: number, sample: number[]): HealthMetric {
  return { value: count, count, total: null, target: "zero", met: count === 0, sampleLeadIds: sample };
}

function shareMetric(count: number, total: number): HealthMetric {
  return { value: total === 0 ? 1 : count / total, count, total, target: "100%", met: count === total, sampleLeadIds: [] };
}
