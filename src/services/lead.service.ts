import type { DataSource, EntityManager } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { LeadEntity } from "../entities/brain/lead.entity";
import { InvalidCursorError, UserInputError } from "../errors/errors";
import {
  LeadOrderField,
  OrderDirection,
  type LeadLookup,
  type LeadPageQuery,
  type LeadQueryFilter,
} from "./lead-query";
import { decodeCursor, encodeCursor, likeEscape, pageSize, toPage, type Page } from "../util/pagination";
import { normalizePhone, parsePhone } from "../util/phone";
import type { BrainPhoneLookup } from "../vici/db/vici-leads.reader";
import { StatusCategory, type StatusCatalog } from "../vici/rules/status-category";
import { MAX_VERDICT_NUMBERS, type BrainDoNotCall, type BrainDoNotCallLookup } from "./call-verdict.service";
import { checkCampaignId } from "../vici/db/campaigns.reader";
import { CallReasonCode, type CallVerdict } from "../vici/rules/call-verdict";
import { doNotCallHoldsSql } from "./do-not-call";

/** Every column of `leads`, aliased to LeadEntity's property names. */
export const LEAD_COLUMNS = `
  id::text AS id, external_lead_id AS "externalLeadId", phone, first_name AS "firstName",
  last_name AS "lastName", email, address1, address2, city, state, postal_code AS "postalCode",
  source, origin, do_not_call AS "doNotCall", do_not_call_reason AS "doNotCallReason",
  do_not_call_until AS "doNotCallUntil", meta,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Brain's leads of a list of numbers ($1, text[]), each found by its own equality with
 * `LIMIT 1`, which PostgreSQL answers from the unique btree. As `phone = ANY($1)` (without
 * statistics) or as a join to `unnest($1)` (with them) it may take the trigram index instead,
 * whose posting lists for digits are long: 337 ms for 50 numbers at 4,000 leads (BENCHMARKS.md).
 */
export const LEADS_OF_PHONES =
  "unnest($1::text[]) AS p(wanted) CROSS JOIN LATERAL (SELECT * FROM leads WHERE phone = p.wanted LIMIT 1) AS l";

/**
 * How each ordering sorts and how its cursor is written and read back. Timestamps travel as
 * microsecond UTC text: a JS Date would round PostgreSQL's microseconds and skip rows.
 */
const TIMESTAMP_KEY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$/;
const ORDERINGS: Record<
  LeadOrderField,
  { expr: string; cursor: string; param: (n: number) => string; validKey: (k: string) => boolean }
> = {
  [LeadOrderField.CREATED_AT]: {
    expr: "created_at",
    cursor: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    param: (n) => `($${n}::timestamp AT TIME ZONE 'UTC')`,
    validKey: (k) => TIMESTAMP_KEY.test(k),
  },
  [LeadOrderField.UPDATED_AT]: {
    expr: "updated_at",
    cursor: `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    param: (n) => `($${n}::timestamp AT TIME ZONE 'UTC')`,
    validKey: (k) => TIMESTAMP_KEY.test(k),
  },
  [LeadOrderField.LAST_CALL_AT]: {
    expr: "coalesce(meta->>'last_call_date', '')",
    cursor: "coalesce(meta->>'last_call_date', '')",
    param: (n) => `$${n}::text`,
    validKey: (k) => k.length <= 40,
  },
};

const MAX_CALLED_WITHIN_DAYS = 3650;

/** How a callableNow page was found (GraphQL: CallableScan). */
export interface CallableScanRecord {
  campaignId: string;
  /** The instant every verdict of the page is for. */
  at: Date;
  /** Leads given a verdict (chunks are read whole). */
  scanned: number;
  /** CALLABLE_NOW_SCAN_MAX ended the scan before the page filled. */
  limitReached: boolean;
}

/** One page of Brain's leads (GraphQL: LeadConnection). */
export interface LeadPage {
  edges: { node: LeadEntity; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** With callableNow: how the page was found; null otherwise. */
  callableScan: CallableScanRecord | null;
  /** Leads matching the filter, counted only when asked (a statement). */
  countThunk: () => Promise<number>;
}

/** Brain's leads: lookups and the filtered, keyset-paginated list. */
export class LeadService implements BrainPhoneLookup, BrainDoNotCallLookup {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** lead(id | externalLeadId | phone): exactly one key. */
  async findOne(args: LeadLookup, m: EntityManager = this.ds.manager): Promise<LeadEntity | null> {
    const given = (["id", "externalLeadId", "phone"] as const).filter((k) => args[k] != null);
    if (given.length !== 1) {
      throw new UserInputError("lead() takes exactly one of id, externalLeadId or phone", given[1] ?? "id");
    }
    const key = given[0];
    if (key === "id") {
      if (!/^[1-9][0-9]{0,17}$/.test(args.id!)) throw new UserInputError(`"${args.id}" is not a lead id`, "id");
      return this.one(m, "id = $1", [args.id]);
    }
    if (key === "externalLeadId") return this.one(m, "external_lead_id = $1", [args.externalLeadId]);
    return this.one(m, "phone = $1", [normalizePhone(args.phone!, this.config.phone.defaultRegion)]);
  }

  async findByPhones(phones: readonly string[]): Promise<Map<string, LeadEntity>> {
    const out = new Map<string, LeadEntity>();
    if (phones.length === 0) return out;
    const rows: LeadEntity[] = await this.ds.query(`SELECT ${LEAD_COLUMNS} FROM ${LEADS_OF_PHONES}`, [phones]);
    for (const r of rows) out.set(r.phone, r);
    return out;
  }

  /** Brain's do-not-call of the numbers it holds (the call verdict's Brain fact), one indexed read. */
  async doNotCallByPhones(phones: readonly string[]): Promise<Map<string, BrainDoNotCall>> {
    const out = new Map<string, BrainDoNotCall>();
    if (phones.length === 0) return out;
    const rows: { phone: string; dnc: boolean; reason: string | null; until: Date | null }[] = await this.ds.query(
      `SELECT phone, do_not_call AS dnc, do_not_call_reason AS reason, do_not_call_until AS until
         FROM ${LEADS_OF_PHONES}`,
      [phones],
    );
    for (const r of rows) out.set(r.phone, { doNotCall: r.dnc, doNotCallReason: r.reason, doNotCallUntil: r.until });
    return out;
  }

  async phonesInBrain(phones: string[]): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows: { phone: string }[] = await this.ds.query(`SELECT phone FROM ${LEADS_OF_PHONES}`, [phones]);
    return new Set(rows.map((r) => r.phone));
  }

  /**
   * `statusCatalog` (Vici's status tables) is read only for a status-category filter. `pii`:
   * the caller may see phone numbers (else a phone search needs the whole number). `verdicts`:
   * how a callableNow filter gets its call verdicts (the request's loaders). `now`: the request's
   * instant (doNotCall holds or not at it).
   */
  async page(
    args: LeadPageQuery,
    statusCatalog: () => Promise<StatusCatalog>,
    pii = true,
    verdicts?: LeadVerdicts,
    now: Date = verdicts?.at ?? new Date(),
  ): Promise<LeadPage> {
    const limit = pageSize(args.first, this.config.pagination);
    const field = args.orderBy?.field ?? LeadOrderField.CREATED_AT;
    const dir = args.orderBy?.direction ?? OrderDirection.DESC;
    const ord = ORDERINGS[field];
    const kind = `lead:${field}:${dir}`;
    const after = decodeCursor(args.after, kind, 2);
    if (after) {
      const [key, id] = after;
      if (typeof key !== "string" || !ord.validKey(key) || typeof id !== "string" || !/^[0-9]{1,19}$/.test(id)) {
        throw new InvalidCursorError();
      }
    }
    const filter = args.filter ?? {};
    const callable = callableFilter(filter);
    const where = await this.filterSql(filter, statusCatalog, pii, now);
    const sqlDir = dir === OrderDirection.ASC ? "ASC" : "DESC";
    /** The next `n` leads of the ordering after `position` (a cursor's [key, id]). */
    const fetch = (position: unknown[] | null, n: number): Promise<PageRow[]> => {
      const params = [...where.params];
      const conds = [...where.conds];
      if (position) {
        params.push(position[0], position[1]);
        const cmp = dir === OrderDirection.ASC ? ">" : "<";
        conds.push(`(${ord.expr}, id) ${cmp} (${ord.param(params.length - 1)}, $${params.length}::bigint)`);
      }
      params.push(n);
      // "leads.id": the bare name would sort by the id::text output column.
      return this.ds.query(
        `SELECT ${LEAD_COLUMNS}, ${ord.cursor} AS cursor_key FROM leads
          ${conds.length ? "WHERE " + conds.join(" AND ") : ""}
          ORDER BY ${ord.expr} ${sqlDir}, leads.id ${sqlDir} LIMIT $${params.length}`,
        params,
      );
    };
    const cursorOf = (r: PageRow) => encodeCursor(kind, [r.cursor_key, r.id]);

    let page: Page<PageRow>;
    let scan: (CallableScanRecord & { endCursor: string | null }) | null = null;
    if (callable) {
      if (!verdicts) throw new Error("a callableNow page needs the request's verdicts");
      ({ page, scan } = await this.callablePage(callable, limit, after, args.after ?? null, fetch, cursorOf, verdicts));
    } else {
      page = toPage(await fetch(after, limit + 1), limit, cursorOf);
    }
    return {
      edges: page.nodes.map((r, i) => ({ node: r, cursor: page.cursors[i] })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: scan ? scan.endCursor : (page.cursors.at(-1) ?? null) },
      callableScan: scan && {
        campaignId: scan.campaignId,
        at: scan.at,
        scanned: scan.scanned,
        limitReached: scan.limitReached,
      },
      countThunk: async () => {
        if (callable) {
          throw new UserInputError(
            "totalCount is not available with callableNow: it would need a verdict for every lead (page on with endCursor instead)",
            "totalCount",
          );
        }
        const [{ n }] = await this.ds.query(
          `SELECT count(*)::int AS n FROM leads ${where.conds.length ? "WHERE " + where.conds.join(" AND ") : ""}`,
          where.params,
        );
        return n;
      },
    };
  }

  /**
   * A callableNow page: the filter's Brain leads in the page's order, a chunk at a time (the
   * first about twice the page, then MAX_VERDICT_NUMBERS), each chunk's verdicts read in one
   * batch, until the page is full — or the request scanned CALLABLE_NOW_SCAN_MAX leads: then the
   * page ends early, hasNextPage is true and endCursor points after the last lead scanned.
   */
  private async callablePage(
    want: { callable: boolean; campaignId: string },
    limit: number,
    after: unknown[] | null,
    afterCursor: string | null,
    fetch: (position: unknown[] | null, n: number) => Promise<PageRow[]>,
    cursorOf: (r: PageRow) => string,
    verdicts: LeadVerdicts,
  ): Promise<{ page: Page<PageRow>; scan: CallableScanRecord & { endCursor: string | null } }> {
    const matched: PageRow[] = [];
    let position = after;
    let lastScanned: PageRow | null = null;
    let scanned = 0;
    let exhausted = false;
    let chunk = Math.min(MAX_VERDICT_NUMBERS, 2 * (limit + 1));
    while (matched.length <= limit) {
      // The limit is the request's: every callableNow list of one operation shares it, so a
      // chunk is reserved before it is read (lists resolve side by side).
      const take = Math.min(chunk, this.config.callableNowScanMax - verdicts.scanned);
      if (take <= 0) break;
      verdicts.scanned += take;
      let rows: PageRow[] = [];
      try {
        rows = await fetch(position, take);
        const found = rows.length ? await verdicts.of(rows, want.campaignId) : [];
        if (found.some((v) => v.reasons.some((r) => r.code === CallReasonCode.CAMPAIGN_NOT_FOUND))) {
          throw new UserInputError(`campaign ${want.campaignId} does not exist in VICIdial`, "filter.campaignId");
        }
        // Rows after the one that filled the page are not looked at (a page ends there, so no cursor passes them).
        for (let i = 0; i < rows.length && matched.length <= limit; i++) {
          lastScanned = rows[i];
          if (found[i].callable === want.callable) matched.push(rows[i]);
        }
        if (rows.length < take) {
          exhausted = matched.length <= limit;
          break;
        }
      } finally {
        // Every lead read got its verdict (that is the cost); what was reserved and not read is given back.
        scanned += rows.length;
        verdicts.scanned -= take - rows.length;
      }
      position = [lastScanned!.cursor_key, lastScanned!.id];
      chunk = MAX_VERDICT_NUMBERS;
    }
    const page = toPage(matched, limit, cursorOf);
    const limitReached = !page.hasNextPage && !exhausted;
    return {
      page: limitReached ? { ...page, hasNextPage: true } : page,
      scan: {
        campaignId: want.campaignId,
        at: verdicts.at,
        scanned,
        limitReached,
        endCursor: limitReached ? (lastScanned ? cursorOf(lastScanned) : afterCursor) : (page.cursors.at(-1) ?? null),
      },
    };
  }

  private async one(m: EntityManager, cond: string, params: unknown[]): Promise<LeadEntity | null> {
    const rows = await m.query(`SELECT ${LEAD_COLUMNS} FROM leads WHERE ${cond}`, params);
    return rows[0] ?? null;
  }

  private async filterSql(
    f: LeadQueryFilter,
    statusCatalog: () => Promise<StatusCatalog>,
    pii: boolean,
    now: Date,
  ): Promise<{ conds: string[]; params: unknown[] }> {
    const conds: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.campaignIds?.length) {
      // VICIdial compares campaign ids case-insensitively.
      conds.push(`lower(meta->>'vici_campaign_id') = ANY(${p(f.campaignIds.map((c) => c.toLowerCase()))})`);
    }
    if (f.statuses?.length) conds.push(`meta->>'vici_status' = ANY(${p(f.statuses)})`);
    if (f.statusCategories?.length) {
      const catalog = await statusCatalog();
      const codes = catalog.codesIn(f.statusCategories, f.campaignIds ?? null);
      if (f.statusCategories.includes(StatusCategory.OTHER)) {
        const others = catalog.codesIn(
          Object.values(StatusCategory).filter((c) => !f.statusCategories!.includes(c)),
          f.campaignIds ?? null,
        );
        conds.push(`(meta->>'vici_status' = ANY(${p(codes)}) OR NOT (meta->>'vici_status' = ANY(${p(others)})))`);
      } else {
        conds.push(`meta->>'vici_status' = ANY(${p(codes)})`);
      }
    }
    if (f.origins?.length) conds.push(`origin = ANY(${p(f.origins)})`);
    if (f.linked === true) conds.push(`meta ? 'vici_lead_id'`);
    if (f.linked === false) conds.push(`NOT (meta ? 'vici_lead_id')`);
    if (f.calledWithinDays != null) {
      const d = f.calledWithinDays;
      if (!Number.isInteger(d) || d < 0 || d > MAX_CALLED_WITHIN_DAYS) {
        throw new UserInputError(
          `calledWithinDays must be between 0 and ${MAX_CALLED_WITHIN_DAYS}`,
          "filter.calledWithinDays",
        );
      }
      // last_call_date is stored as Date#toISOString(), so text order is time order; written
      // as the LAST_CALL_AT ordering's expression so that index serves it.
      conds.push(`coalesce(meta->>'last_call_date', '') >= ${p(new Date(Date.now() - d * 86_400_000).toISOString())}`);
    }
    if (f.doNotCall != null) {
      // Written as the condition itself (not "= true"): leads_do_not_call_idx serves doNotCall: true.
      const holds = doNotCallHoldsSql(p(now.toISOString()));
      conds.push(f.doNotCall ? holds : `NOT ${holds}`);
    }
    if (f.search != null) {
      const text = f.search.trim();
      if (text.length < 2 || text.length > 100) {
        throw new UserInputError("search must be 2 to 100 characters", "filter.search");
      }
      const digits = text.replace(/[\s().+-]/g, "");
      if (/^[0-9]{3,}$/.test(digits) && !pii) {
        // Without pii, a part of a number would be an oracle (one more digit per query, and the
        // whole number comes back): only the whole number matches, which the caller knows already.
        const whole = parsePhone(text, this.config.phone.defaultRegion);
        if (!whole.ok)
          throw new UserInputError("without the pii scope, a phone search takes the whole number", "filter.search");
        conds.push(`phone = ${p(whole.e164)}`);
      } else if (/^[0-9]{3,}$/.test(digits)) {
        conds.push(`phone LIKE ${p("%" + likeEscape(digits) + "%")}`);
      } else {
        conds.push(
          `(coalesce(first_name,'') || ' ' || coalesce(last_name,'')) ILIKE ${p("%" + likeEscape(text) + "%")}`,
        );
      }
    }
    return { conds, params };
  }
}

type PageRow = LeadEntity & { cursor_key: string };

/** How a callableNow page gets its verdicts: one per lead, in order, all at `at` (the request's loaders). */
export interface LeadVerdicts {
  at: Date;
  /** Leads the request's callableNow lists scanned so far (CALLABLE_NOW_SCAN_MAX is per request). */
  scanned: number;
  of(leads: LeadEntity[], campaignId: string): Promise<CallVerdict[]>;
}

/** The callableNow filter, checked: it needs campaignId, and campaignId needs it. */
function callableFilter(f: LeadQueryFilter): { callable: boolean; campaignId: string } | null {
  if (f.callableNow == null) {
    if (f.campaignId != null) {
      throw new UserInputError(
        "campaignId goes with callableNow (to filter by the linked Vici lead's campaign, use campaignIds)",
        "filter.campaignId",
      );
    }
    return null;
  }
  if (f.campaignId == null) {
    throw new UserInputError(
      "callableNow needs campaignId: the VICIdial campaign whose dialer and rules decide",
      "filter.campaignId",
    );
  }
  checkCampaignId(f.campaignId, "filter.campaignId");
  return { callable: f.callableNow, campaignId: f.campaignId };
}
