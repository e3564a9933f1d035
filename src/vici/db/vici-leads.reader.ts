import type { DataSource } from "typeorm";
import { viciQuery } from "./vici-query";
import type { AppConfig } from "../../config/app-config";
import { InvalidCursorError } from "../../errors/errors";
import { StatusCatalog, StatusCategory, statusRowFromDb } from "../rules/status-category";
import { normalizePhone } from "../../util/phone";
import { fromViciPhone, toViciPhone } from "../rules/phone";
import { parseViciLocalDateTime, viciLocalToInstant } from "../rules/vici-time";
import { decodeCursor, encodeCursor, pageSize, toPage } from "../../util/pagination";
import { CampaignService } from "./campaigns.reader";
import { VICI_CONTACT_COLUMN, type ViciContactColumn } from "../rules/contact-columns";

/** Answers "which of these phones does Brain already hold?" (implemented by LeadService). */
export interface BrainPhoneLookup {
  phonesInBrain(e164s: string[]): Promise<Set<string>>;
}

/** Which vicidial_list rows a page shows (GraphQL's ViciLeadFilter has this shape; every field optional). */
export interface ViciLeadFilterParams {
  /** Leads whose list belongs to one of these campaigns. */
  campaignIds?: readonly string[] | null;
  listIds?: readonly number[] | null;
  statuses?: readonly string[] | null;
  statusCategories?: readonly StatusCategory[] | null;
  /** true: vendor_lead_code is set; false: NULL or empty. */
  hasVendorCode?: boolean | null;
  /** true: no Brain lead has this phone yet (a scan: a page may come back short). */
  notInBrain?: boolean | null;
  /** Only rows with this phone, as the user wrote it (refused with INVALID_PHONE naming filter.phone). */
  phone?: string | null;
}

/** A page request: its size, the cursor it follows, the filter (the resolver's GraphQL args fit it). */
export interface ViciLeadPageParams {
  first?: number | null;
  after?: string | null;
  filter?: ViciLeadFilterParams | null;
}

/** The vicidial_list columns the gateway reads; the campaign comes from the list (vicidial_lists). */
export const LEAD_SELECT = `
  SELECT vl.lead_id, vl.list_id, l.campaign_id, vl.status, vl.vendor_lead_code, vl.phone_code,
         vl.phone_number, vl.first_name, vl.last_name, vl.called_count, vl.last_local_call_time,
         vl.entry_date, UNIX_TIMESTAMP(vl.modify_date) AS modify_epoch
    FROM vicidial_list vl
    LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id`;

/** A vicidial_list row as the gateway reads it, times converted to instants (GraphQL: ViciLead). */
export interface ViciLeadRecord {
  leadId: number;
  listId: number;
  /** The campaign of the lead's list (vicidial_lists); null for a list with no vicidial_lists row. */
  campaignId: string | null;
  /** Raw status code (the status tables resolve it). */
  statusCode: string | null;
  vendorLeadCode: string | null;
  /** E.164, or null when Vici holds a number that is not a valid phone. */
  phone: string | null;
  phoneCode: string;
  phoneNumber: string;
  firstName: string | null;
  lastName: string | null;
  calledCount: number;
  /** The lead's local wall-clock time of the last dial: not an instant. */
  lastLocalCallTime: string | null;
  entryDate: Date | null;
  modifyDate: Date | null;
}

/** One page of vicidial_list in lead_id order (GraphQL: ViciLeadConnection). */
export interface ViciLeadPage {
  edges: { node: ViciLeadRecord; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Rows matching the filter, counted only when asked (a statement); null: not countable (notInBrain). */
  countThunk: (() => Promise<number | null>) | null;
}

/** A Vici row's contact columns as a field update reads them, with the row's last change. */
export interface ViciContactRow {
  leadId: number;
  listId: number;
  campaignId: string | null;
  /** vicidial_list.modify_date as an instant (a TIMESTAMP: read as epoch seconds, no zone involved); null when unset. */
  modifiedAt: Date | null;
  values: Record<ViciContactColumn, string | null>;
}

const CONTACT_COLUMNS = Object.values(VICI_CONTACT_COLUMN);

/** notInBrain scans Vici in batches of this many rows, at most this many batches per page. */
const SCAN_BATCH = 500;
const SCAN_MAX_BATCHES = 20;

/** Reads VICIdial: leads, their call log and the status tables. Never writes. */
export class ViciLeadService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly campaigns: CampaignService,
  ) {}

  toViciLead(r: Record<string, any>): ViciLeadRecord {
    const tz = this.config.vici.timeZone;
    return {
      leadId: Number(r.lead_id),
      listId: Number(r.list_id),
      campaignId: r.campaign_id || null,
      statusCode: r.status ?? null,
      vendorLeadCode: r.vendor_lead_code || null,
      phone: fromViciPhone(r.phone_code, r.phone_number, this.config.phone.defaultRegion),
      phoneCode: r.phone_code ?? "",
      phoneNumber: r.phone_number,
      firstName: r.first_name || null,
      lastName: r.last_name || null,
      calledCount: Number(r.called_count ?? 0),
      lastLocalCallTime: parseViciLocalDateTime(r.last_local_call_time),
      entryDate: viciLocalToInstant(r.entry_date, tz),
      modifyDate: modifyInstant(r.modify_epoch),
    };
  }

  async findByIds(ids: readonly number[]): Promise<Map<number, ViciLeadRecord>> {
    const out = new Map<number, ViciLeadRecord>();
    if (ids.length === 0) return out;
    const rows = await viciQuery(this.ds, `${LEAD_SELECT} WHERE vl.lead_id IN (?)`, [ids]);
    for (const r of rows) out.set(Number(r.lead_id), this.toViciLead(r));
    return out;
  }

  /** The contact columns of these rows (by primary key) and when each row last changed. */
  async contactRows(ids: readonly number[]): Promise<ViciContactRow[]> {
    if (ids.length === 0) return [];
    const rows = await viciQuery(
      this.ds,
      `SELECT vl.lead_id, vl.list_id, l.campaign_id, UNIX_TIMESTAMP(vl.modify_date) AS modify_epoch,
              ${CONTACT_COLUMNS.map((c) => `vl.${c}`).join(", ")}
         FROM vicidial_list vl LEFT JOIN vicidial_lists l ON l.list_id = vl.list_id
        WHERE vl.lead_id IN (?) ORDER BY vl.lead_id`,
      [ids],
    );
    return rows.map((r: Record<string, any>) => ({
      leadId: Number(r.lead_id),
      listId: Number(r.list_id),
      campaignId: r.campaign_id || null,
      modifiedAt: modifyInstant(r.modify_epoch),
      values: Object.fromEntries(CONTACT_COLUMNS.map((c) => [c, r[c] ?? null])) as Record<
        ViciContactColumn,
        string | null
      >,
    }));
  }

  /** Every Vici row of each phone (E.164), in any list, newest lead first. */
  async findByPhones(e164s: readonly string[]): Promise<Map<string, ViciLeadRecord[]>> {
    const out = new Map<string, ViciLeadRecord[]>(e164s.map((p) => [p, []]));
    if (e164s.length === 0) return out;
    const rows = await viciQuery(this.ds, `${LEAD_SELECT} WHERE vl.phone_number IN (?) ORDER BY vl.lead_id DESC`, [
      storedPhoneVariants(e164s),
    ]);
    for (const r of rows) {
      const lead = this.toViciLead(r);
      if (lead.phone && out.has(lead.phone)) out.get(lead.phone)!.push(lead);
    }
    return out;
  }

  /** Latest vicidial_log.call_date per lead, as an instant. */
  async lastCallByLeadIds(ids: readonly number[]): Promise<Map<number, Date>> {
    const out = new Map<number, Date>();
    if (ids.length === 0) return out;
    const rows = await viciQuery(
      this.ds,
      "SELECT lead_id, MAX(call_date) AS last_call FROM vicidial_log WHERE lead_id IN (?) GROUP BY lead_id",
      [ids],
    );
    for (const r of rows) {
      const at = viciLocalToInstant(r.last_call, this.config.vici.timeZone);
      if (at) out.set(Number(r.lead_id), at);
    }
    return out;
  }

  private cachedCatalog: { at: number; catalog: Promise<StatusCatalog> } | null = null;

  /**
   * The status tables as of at most `maxAgeMs` ago: the write path reads them on every create,
   * and VICIdial's statuses change only when an admin edits them. Reads use statusCatalog().
   */
  recentStatusCatalog(maxAgeMs = 30_000): Promise<StatusCatalog> {
    const now = Date.now();
    if (!this.cachedCatalog || now - this.cachedCatalog.at > maxAgeMs) {
      const catalog = this.statusCatalog();
      this.cachedCatalog = { at: now, catalog };
      catalog.catch(() => (this.cachedCatalog = null));
    }
    return this.cachedCatalog.catalog;
  }

  /** Both status tables in one statement: system statuses and every campaign's own. */
  async statusCatalog(): Promise<StatusCatalog> {
    const cols =
      "status, status_name, human_answered, sale, dnc, customer_contact, not_interested, unworkable, scheduled_callback, completed, answering_machine";
    const rows = await viciQuery(
      this.ds,
      `SELECT NULL AS campaign_id, ${cols} FROM vicidial_statuses
       UNION ALL
       SELECT campaign_id, ${cols} FROM vicidial_campaign_statuses`,
    );
    return new StatusCatalog(
      rows.map((r: Record<string, unknown>) => statusRowFromDb(r, (r.campaign_id as string) ?? null)),
    );
  }

  /** Browse vicidial_list directly: keyset on lead_id (the primary key; never OFFSET). */
  async page(
    args: ViciLeadPageParams,
    brain: BrainPhoneLookup,
    statusCatalog: () => Promise<StatusCatalog> = () => this.statusCatalog(),
  ): Promise<ViciLeadPage> {
    const limit = pageSize(args.first, this.config.pagination);
    const after = decodeCursor(args.after, "vici", 1);
    const afterId = after ? Number(after[0]) : 0;
    if (!Number.isSafeInteger(afterId) || afterId < 0) throw new InvalidCursorError();
    const where = await this.filterSql(args, statusCatalog);
    if (where === null) {
      // The filter names campaigns without lists, or nothing can match: no statement needed.
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, countThunk: async () => 0 };
    }

    const cursorOf = (v: ViciLeadRecord) => encodeCursor("vici", [v.leadId]);
    let countThunk: ViciLeadPage["countThunk"] = null;
    let nodes: ViciLeadRecord[];
    let hasNextPage: boolean;
    let endId: number | null;

    if (!args.filter?.notInBrain) {
      const rows = await viciQuery(
        this.ds,
        `${LEAD_SELECT} WHERE vl.lead_id > ? ${where.sql ? "AND " + where.sql : ""} ORDER BY vl.lead_id LIMIT ?`,
        [afterId, ...where.params, limit + 1],
      );
      const page = toPage(
        rows.map((r: any) => this.toViciLead(r)),
        limit,
        cursorOf,
      );
      nodes = page.nodes;
      hasNextPage = page.hasNextPage;
      endId = nodes.length ? nodes[nodes.length - 1].leadId : null;
      countThunk = async () => {
        const [{ n }] = await viciQuery(
          this.ds,
          `SELECT COUNT(*) AS n FROM vicidial_list vl ${where.sql ? "WHERE " + where.sql : ""}`,
          where.params,
        );
        return Number(n);
      };
    } else {
      // Cross-database filter: scan Vici in lead_id order and drop phones Brain holds.
      nodes = [];
      let scanned = afterId;
      let exhausted = false;
      for (let batch = 0; batch < SCAN_MAX_BATCHES && nodes.length <= limit && !exhausted; batch++) {
        const rows = await viciQuery(
          this.ds,
          `${LEAD_SELECT} WHERE vl.lead_id > ? ${where.sql ? "AND " + where.sql : ""} ORDER BY vl.lead_id LIMIT ?`,
          [scanned, ...where.params, SCAN_BATCH],
        );
        exhausted = rows.length < SCAN_BATCH;
        const leads: ViciLeadRecord[] = rows.map((r: any) => this.toViciLead(r));
        const known = await brain.phonesInBrain(leads.flatMap((l) => (l.phone ? [l.phone] : [])));
        for (const l of leads) {
          if (nodes.length > limit) break;
          scanned = l.leadId;
          if (!l.phone || !known.has(l.phone)) nodes.push(l);
        }
      }
      hasNextPage = nodes.length > limit || !exhausted;
      nodes = nodes.slice(0, limit);
      // A short page still moves the cursor past every row it scanned.
      endId = nodes.length === limit || !hasNextPage ? (nodes.length ? nodes[nodes.length - 1].leadId : null) : scanned;
    }

    return {
      edges: nodes.map((node) => ({ node, cursor: cursorOf(node) })),
      pageInfo: { hasNextPage, endCursor: endId === null ? null : encodeCursor("vici", [endId]) },
      countThunk,
    };
  }

  /** SQL for a filter, or null when it cannot match anything. */
  private async filterSql(
    args: ViciLeadPageParams,
    statusCatalog: () => Promise<StatusCatalog>,
  ): Promise<{ sql: string; params: unknown[] } | null> {
    const f = args.filter ?? {};
    const parts: string[] = [];
    const params: unknown[] = [];
    let listIds: number[] | null = f.listIds?.length ? [...f.listIds] : null;
    if (f.campaignIds?.length) {
      // Resolving list ids first beats joining vicidial_lists in the scan (2–3× here).
      const campaignLists = await this.campaigns.listIdsOf(f.campaignIds);
      listIds = listIds ? listIds.filter((id) => campaignLists.includes(id)) : campaignLists;
    }
    if (listIds) {
      if (listIds.length === 0) return null;
      parts.push("vl.list_id IN (?)");
      params.push(listIds);
    }
    let statuses: string[] | null = f.statuses?.length ? [...f.statuses] : null;
    let excludeKnown: string[] | null = null;
    if (f.statusCategories?.length) {
      const catalog = await statusCatalog();
      const codes = catalog.codesIn(f.statusCategories, f.campaignIds ?? null);
      if (f.statusCategories.includes(StatusCategory.OTHER)) {
        // OTHER also covers codes in neither status table, which no list can name.
        excludeKnown = catalog.codesIn(
          Object.values(StatusCategory).filter((c) => !f.statusCategories!.includes(c)),
          f.campaignIds ?? null,
        );
      }
      if (excludeKnown) {
        parts.push(codes.length ? "(vl.status IN (?) OR vl.status NOT IN (?))" : "vl.status NOT IN (?)");
        if (codes.length) params.push(codes);
        params.push(excludeKnown.length ? excludeKnown : [""]);
      } else {
        statuses = statuses ? statuses.filter((s) => codes.includes(s)) : codes;
      }
    }
    if (statuses) {
      if (statuses.length === 0) return null;
      parts.push("vl.status IN (?)");
      params.push(statuses);
    }
    if (f.hasVendorCode === true) parts.push("(vl.vendor_lead_code IS NOT NULL AND vl.vendor_lead_code <> '')");
    if (f.hasVendorCode === false) parts.push("(vl.vendor_lead_code IS NULL OR vl.vendor_lead_code = '')");
    if (f.phone != null) {
      const e164 = normalizePhone(f.phone, this.config.phone.defaultRegion, "filter.phone");
      parts.push("vl.phone_number IN (?)");
      params.push(storedPhoneVariants([e164]));
    }
    return { sql: parts.join(" AND "), params };
  }
}

/** UNIX_TIMESTAMP(modify_date) → an instant; null for NULL and the zero timestamp. */
function modifyInstant(epoch: unknown): Date | null {
  return epoch == null || Number(epoch) === 0 ? null : new Date(Number(epoch) * 1000);
}

/**
 * The phone_number values a phone may be stored as: the national digits, and with the country
 * code glued on (the API stores "+17275550104" as "17275550104"). Rows are then checked with
 * fromViciPhone, so a variant never matches the wrong number.
 */
export function storedPhoneVariants(e164s: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of e164s) {
    const v = toViciPhone(p);
    out.add(v.phoneNumber);
    out.add(v.phoneCode + v.phoneNumber);
  }
  return [...out];
}
