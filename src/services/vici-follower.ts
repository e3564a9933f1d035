import { randomUUID } from "node:crypto";
import os from "node:os";
import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { LeadMeta } from "../entities/brain/lead.entity";
import { calledLeadState, type ImportContext } from "../jobs/processors/import-merge";
import { ImportBatchPath, type ImportDeps, type ViciBatch } from "../jobs/processors/import-batch";
import { IMPORT_COLUMNS, type ViciRow } from "../vici/db/import-rows.reader";
import { ViciLeadSource } from "../vici/db/vici-lead-source";
import { PollingLoop } from "../util/polling-loop";
import { readDncEntries } from "../vici/db/dnc.reader";
import { FollowReader } from "../vici/db/follow.reader";
import { cutoverAt } from "./vici-row-origin";
import { fromViciPhone, readViciPhone, toViciPhone } from "../vici/rules/phone";
import type { StatusCatalog } from "../vici/rules/status-category";
import { instantToViciLocal, viciLocalToInstant } from "../vici/rules/vici-time";
import type { ProcessorDeps } from "../jobs/processors/processor-deps";
import type { ViciLeadService } from "../vici/db/vici-leads.reader";
import type { ViciPusher } from "./vici-pusher";
import { LEADS_OF_PHONES } from "./lead.service";

/** What one cycle (or the follower since it started following) applied, by source. */
export interface FollowCounts {
  /** New vicidial_list rows of the managed campaigns, imported. */
  leads: number;
  /** New vicidial_log rows, applied to their numbers once each. */
  calls: number;
  /** New vicidial_dnc_log entries, applied to their numbers. */
  dnc: number;
  /** Rows the reconciliation pass read again. */
  reconciled: number;
}

export interface FollowCycleReport extends FollowCounts {
  /** Every source was read to its end: nothing VICIdial held at the cycle's start is left. */
  caughtUp: boolean;
  ms: number;
}

export interface FollowWatermarks {
  /** vicidial_list rows up to this lead_id are imported (null: follow mode never ran). */
  leadIdAfter: number | null;
  /** vicidial_log is read from this call_date (VICIdial's wall clock), less the overlap window. */
  callsSince: Date | null;
  /** vicidial_dnc_log is read from this action_date, less the overlap window. */
  dncSince: Date | null;
  /** The reconciliation pass in progress: rows up to this lead_id are read again (null: none running). */
  reconcileAfterLeadId: number | null;
  reconcileStartedAt: Date | null;
  reconcileDoneAt: Date | null;
}

export interface FollowStatus {
  /** A follower holds the lease now (in this process or another). */
  following: boolean;
  /** This process follows (VICI_FOLLOW_INTERVAL_MS > 0 and it runs background work). */
  enabledHere: boolean;
  owner: string | null;
  lastCycleAt: Date | null;
  /** The start of the last cycle that read every source to its end. */
  caughtUpAt: Date | null;
  /** Seconds since caughtUpAt: how old the oldest VICIdial change Brain may not have is. */
  lagSeconds: number | null;
  watermarks: FollowWatermarks;
  lastCycle: FollowCycleReport | null;
  totals: FollowCounts;
  /** Outbox records (pushes, vendor codes, field updates) not yet in VICIdial. */
  pendingUpdates: number;
}

/**
 * Calls are re-read this far behind their watermark: vicidial_log rows written late. VICIdial
 * inserts a call's row when it dials (call_date = NOW()), so late rows are seconds late.
 */
export const CALL_OVERLAP_S = 30;
/** vicidial_log is read in call_date windows this long (its call_date index; no LIMIT + sort). */
const CALL_WINDOW_S = 300;
/** At most this many batches (or call windows) per source per cycle, so every source gets its turn. */
const MAX_BATCHES = 20;
/** Cycles run back to back while a backlog remains, at most this many per tick. */
const MAX_CATCH_UP_CYCLES = 50;
const COUNT_KEYS: (keyof FollowCounts)[] = ["leads", "calls", "dnc", "reconciled"];

interface StateRow {
  now: Date;
  lead_id_after: string | null;
  calls_since: string | null;
  dnc_since: string | null;
  dnc_counts: string | null;
  reconcile_after: string | null;
  reconcile_done_at: Date | null;
}

/** Thrown inside a write when another process holds the lease now: the transaction rolls back. */
export class LostLeaseError extends Error {
  constructor() {
    super("another process follows VICIdial now");
    this.name = "LostLeaseError";
  }
}

/** Columns of vici_follow_state a commit may move (never from outside: they are spliced into SQL). */
type Advance = Partial<
  Record<
    | "lead_id_after"
    | "calls_since"
    | "dnc_since"
    | "dnc_counts"
    | "reconcile_after"
    | "reconcile_started_at"
    | "reconcile_done_at"
    | "caught_up_at"
    | "last_cycle",
    unknown
  >
>;

/**
 * Follow mode: keeps Brain's picture of VICIdial fresh between imports. One process at a time
 * follows (a lease in Brain, vici_follow_state, renewed by every commit; a commit whose lease
 * another process took is refused and rolled back). Each cycle, for the managed campaigns:
 *
 * - new vicidial_list rows (lead_id above a watermark) go through the import's own batch path
 *   (ImportBatchPath.readBatch / writeBatch, as VICI_IMPORT: merge by phone, links, DNC, the recent-call
 *   rule, the vendor-code rule), and their empty vendor codes are queued for the outbox;
 * - new vicidial_log rows (call_date windows, re-read CALL_OVERLAP_S behind for rows written
 *   late, each uniqueid applied once: vici_follow_seen_calls) refresh every number they touch
 *   (the lead's own and the number dialed) through the same path;
 * - new vicidial_dnc_log entries (read only when the DNC tables' row counts moved: the log has
 *   no index on action_date) refresh their numbers the same way;
 * - a slow reconciliation pass (VICI_RECONCILE_INTERVAL_MS) reads every managed row again in
 *   keyset batches, as the import does, catching status changes and list moves.
 *
 * Every watermark advances in the transaction that writes what it covers: a follower killed
 * at any point resumes with nothing lost or applied twice.
 */
/**
 * What the follower reads with, handed in by createServices: the import's readers (its batch
 * path's own deps), the status tables and the outbox backlog. Not the services container,
 * which builds the follower: the two would import each other.
 */
export interface FollowerDeps extends Pick<ProcessorDeps, "managed" | "numbers" | "vendorCodeOwners"> {
  viciLeads: Pick<ViciLeadService, "statusCatalog" | "recentStatusCatalog">;
  pusher: Pick<ViciPusher, "backlog">;
}

export class ViciFollower {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly importer: ImportBatchPath;
  private readonly deps: ImportDeps;
  private loop: PollingLoop | null = null;
  private stopping = false;
  /** Codes managed rows of several numbers carry: one scan per start and per reconciliation pass (no index). */
  private shared: ReadonlySet<string> | null = null;
  /** VICIdial's side of a cycle beyond the import's batch path (vici/db/follow.reader.ts). */
  private readonly reads: FollowReader;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Test hook: runs after each commit of a batch (the kill test dies there). */
  afterCommit: ((what: keyof FollowCounts) => void) | null = null;

  constructor(
    private readonly brain: DataSource,
    private readonly vici: DataSource,
    private readonly config: AppConfig,
    private readonly services: FollowerDeps,
    private readonly log: Logger,
  ) {
    this.importer = new ImportBatchPath(services);
    this.deps = { brain, vici, config };
    this.reads = new FollowReader(vici);
  }

  get enabled(): boolean {
    return this.config.follow.intervalMs > 0;
  }

  get running(): boolean {
    return this.loop !== null && !this.loop.isStopped;
  }

  /** Follows every VICI_FOLLOW_INTERVAL_MS (0: never); cycles back to back while behind. */
  start(): void {
    if (!this.enabled || this.loop) return;
    this.stopping = false;
    this.loop = new PollingLoop(
      () => this.tick(),
      this.config.follow.intervalMs,
      (e) => this.log.warn({ err: e }, "follow cycle failed"),
    );
    this.loop.start();
  }

  /** Ends the cycle in flight at its next commit and gives the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.loop) return;
    await this.loop.stop();
    this.loop = null;
    await this.release().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    for (let i = 0; i < MAX_CATCH_UP_CYCLES && !this.stopping; i++) {
      const r = await this.cycle();
      if (!r || r.caughtUp) return;
    }
  }

  /** Gives the lease up now (another process may follow at once). */
  async release(): Promise<void> {
    await this.brain.query(
      "UPDATE vici_follow_state SET owner = NULL, lease_until = NULL WHERE id = 1 AND owner = $1",
      [this.owner],
    );
  }

  /**
   * One cycle; null when another process holds the lease. The first cycle ever starts the
   * watermarks at VICIdial's present (older rows are Phase 1's, VICI_IMPORT, and the
   * reconciliation pass's).
   */
  cycle(): Promise<FollowCycleReport | null> {
    // One cycle at a time in a process (the loop's and a caller's): the lease is per process.
    const next = this.inFlight.then(() => this.runCycle());
    this.inFlight = next.catch(() => undefined);
    return next;
  }

  private async runCycle(): Promise<FollowCycleReport | null> {
    const started = performance.now();
    const st = await this.claim();
    if (!st) return null;
    // "Now" on VICIdial's wall clock, as the gateway reads every VICIdial time (VICI_TIMEZONE).
    const viciNow = instantToViciLocal(new Date(), this.config.vici.timeZone);
    const maxLeadId = await this.reads.maxLeadId();
    const counts: FollowCounts = { leads: 0, calls: 0, dnc: 0, reconciled: 0 };
    if (st.lead_id_after === null) {
      const dnc_counts = await this.reads.dncSignature();
      await this.finish(
        { lead_id_after: maxLeadId, calls_since: viciNow, dnc_since: viciNow, dnc_counts, reconcile_done_at: st.now },
        st.now,
        { ...counts, caughtUp: true, ms: 0 },
      );
      this.log.info({ leadIdAfter: maxLeadId }, "follow mode started: following VICIdial from its present");
      return { ...counts, caughtUp: true, ms: Math.round(performance.now() - started) };
    }
    const cycle = new CycleReads(this.brain, this.vici, this.config, this.services, () => this.sharedCodes());
    const leadsDone = await this.followNewRows(st, maxLeadId, counts, cycle);
    const calls = await this.followCalls(st, viciNow, counts, cycle);
    const dnc = await this.followDnc(st, viciNow, counts, cycle);
    await this.reconcile(st, counts, cycle);
    const caughtUp = leadsDone && calls.done && dnc.done;
    const report: FollowCycleReport = { ...counts, caughtUp, ms: Math.round(performance.now() - started) };
    await this.finish({ ...calls.advance, ...dnc.advance }, caughtUp ? st.now : null, report);
    if (counts.leads + counts.calls + counts.dnc + counts.reconciled > 0) this.log.info({ ...report }, "follow cycle");
    return report;
  }

  /** Takes or renews the lease: one statement. */
  private async claim(): Promise<StateRow | null> {
    const [row] = updated(
      await this.brain.query(
        `UPDATE vici_follow_state SET owner = $1, lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
        WHERE id = 1 AND (owner = $1 OR owner IS NULL OR lease_until IS NULL OR lease_until < now())
       RETURNING now() AS now, lead_id_after::text, calls_since, dnc_since, dnc_counts, reconcile_after::text, reconcile_done_at`,
        [this.owner, this.leaseMs],
      ),
    );
    return row ?? null;
  }

  private get leaseMs(): number {
    // A cycle renews it at every commit; between cycles it must outlast the interval.
    return this.config.follow.intervalMs + this.config.jobs.leaseMs;
  }

  /**
   * The fenced write: moves watermarks and totals, renews the lease, and is refused
   * (LostLeaseError: the transaction rolls back) when this process no longer holds the lease.
   */
  private async advance(
    m: EntityManager | DataSource,
    set: Advance,
    counts: Partial<FollowCounts> = {},
    cycleEnd = false,
  ): Promise<void> {
    const cols = Object.keys(set) as (keyof Advance)[];
    const params: unknown[] = [this.owner, this.leaseMs, JSON.stringify(counts)];
    const sets = cols.map((c) => `${c} = $${params.push(set[c] ?? null)}`);
    if (cycleEnd) sets.push("last_cycle_at = now()");
    const rows = updated(
      await m.query(
        `UPDATE vici_follow_state SET ${sets.join(", ")}${sets.length ? "," : ""}
              totals = (SELECT jsonb_object_agg(k, COALESCE((totals->>k)::bigint, 0) + COALESCE(($3::jsonb->>k)::bigint, 0))
                          FROM unnest(ARRAY['leads', 'calls', 'dnc', 'reconciled']) AS k),
              lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
        WHERE id = 1 AND owner = $1 AND lease_until > now()
       RETURNING id`,
        params,
      ),
    );
    if (!rows.length) throw new LostLeaseError();
  }

  private async finish(set: Advance, caughtUpAt: Date | null, report: FollowCycleReport): Promise<void> {
    await this.advance(
      this.brain,
      { ...set, ...(caughtUpAt ? { caught_up_at: caughtUpAt } : {}), last_cycle: JSON.stringify(report) },
      {},
      true,
    );
  }

  /** New managed vicidial_list rows, in lead_id order, through the import's batch path. */
  private async followNewRows(
    st: StateRow,
    maxLeadId: number,
    counts: FollowCounts,
    cycle: CycleReads,
  ): Promise<boolean> {
    let after = Number(st.lead_id_after);
    if (maxLeadId <= after) return true;
    const source = await cycle.source();
    const size = this.config.follow.batchSize;
    for (let b = 0; b < MAX_BATCHES && !this.stopping; b++) {
      // Bounded by the max read first: its range is the PK's, however many unmanaged rows it holds.
      const rows = await source.page<ViciRow>(IMPORT_COLUMNS, after, size, maxLeadId);
      const full = rows.length === size;
      const upTo = full ? Number(rows[rows.length - 1].lead_id) : maxLeadId;
      await this.importRows(rows, cycle, { lead_id_after: upTo }, "leads", true);
      counts.leads += rows.length;
      after = upTo;
      if (!full) return true;
    }
    return false;
  }

  /**
   * One batch of managed rows into Brain, as the import writes it, with `set` (its watermark)
   * and its count in the same transaction. `codes`: queue the vendor-code write-back for rows
   * that carry none (new rows loaded straight into VICIdial).
   */
  private async importRows(
    rows: ViciRow[],
    cycle: CycleReads,
    set: Advance,
    what: keyof FollowCounts,
    codes: boolean,
    also?: (m: EntityManager) => Promise<void>,
  ): Promise<void> {
    const batch = rows.length
      ? await this.importer.readBatch(
          this.deps,
          await cycle.source(),
          await cycle.shared(),
          rows,
          await cycle.catalog(),
          await cycle.cutover(),
        )
      : null;
    await this.write(async (m) => {
      await this.advance(m, set, { [what]: rows.length });
      if (batch) await this.writeImport(m, batch, codes);
      await also?.(m);
    });
    this.afterCommit?.(what);
  }

  private async writeImport(m: EntityManager, batch: ViciBatch, codes: boolean): Promise<void> {
    const r = await this.importer.writeBatch(
      this.deps,
      { jobId: null, dryRun: false },
      m,
      { groups: [...batch.groups.values()], bad: batch.bad, onAnotherNumber: batch.onAnotherNumber },
      new Map(),
    );
    const conflicts = r.issues.filter((i) => i.kind === "CONFLICT").length;
    // New rows' conflicts are news; a refreshed number's were reported when its rows came in.
    if (conflicts)
      this.log[codes ? "warn" : "debug"](
        { conflicts, created: r.deltas.created, linked: r.deltas.linked },
        "follow mode: Vici rows hold another lead's vendor code (left alone)",
      );
    if (!codes) return;
    const uncoded = [...batch.groups.values()].flatMap((g) =>
      g.rows.filter((x) => !x.vendorLeadCode).map((x) => ({ phone: g.phone, leadId: x.leadId })),
    );
    if (!uncoded.length) return;
    // As createLead does for a row it links: the pusher writes the lead's id where the code is still empty.
    await m.query(
      `INSERT INTO vici_pushes (lead_id, kind, payload)
       SELECT l.id, 'SET_VENDOR_CODE', jsonb_build_object('viciLeadId', x.vici_lead_id, 'vendorLeadCode', l.external_lead_id)
         FROM unnest($1::text[], $2::bigint[]) AS x(phone, vici_lead_id) JOIN leads l ON l.phone = x.phone
        WHERE l.meta->'vici_lead_ids' @> to_jsonb(x.vici_lead_id)
          AND NOT EXISTS (SELECT 1 FROM vici_pushes o WHERE o.lead_id = l.id AND o.kind = 'SET_VENDOR_CODE' AND o.payload->>'viciLeadId' = x.vici_lead_id::text)`,
      [uncoded.map((u) => u.phone), uncoded.map((u) => u.leadId)],
    );
  }

  /** A Brain transaction, tried again when PostgreSQL refused it for a concurrent writer (it rolled back). */
  private async write(fn: (m: EntityManager) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.brain.transaction(fn);
        return;
      } catch (e) {
        const code = (e as any)?.driverError?.code ?? (e as any)?.code;
        if (attempt >= 5 || !["40P01", "40001", "23505"].includes(code)) throw e;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * attempt));
      }
    }
  }

  /**
   * vicidial_log from the watermark less the overlap, in call_date windows (its index), up to
   * VICIdial's "now" at the cycle's start. Each window's calls not applied before refresh their
   * numbers; the calls, their count and the watermark commit together.
   */
  private async followCalls(
    st: StateRow,
    viciNow: string,
    counts: FollowCounts,
    cycle: CycleReads,
  ): Promise<{ done: boolean; advance: Advance }> {
    let since = st.calls_since ?? viciNow;
    let from = shiftLocal(since, -CALL_OVERLAP_S);
    for (let w = 0; w < MAX_BATCHES && !this.stopping; w++) {
      if (from >= viciNow) break;
      const to = minLocal(shiftLocal(from, CALL_WINDOW_S), viciNow);
      const calls = await this.reads.callsBetween(from, to);
      const next = maxLocal(since, to);
      let fresh = calls;
      if (calls.length) {
        const seen = new Set<string>(
          (
            await this.brain.query("SELECT uniqueid FROM vici_follow_seen_calls WHERE uniqueid = ANY($1::text[])", [
              calls.map((c) => c.uniqueid),
            ])
          ).map((r: any) => r.uniqueid),
        );
        fresh = calls.filter((c) => !seen.has(c.uniqueid));
      }
      if (fresh.length) {
        const region = this.config.phone.defaultRegion;
        const numbers = new Set<string>();
        for (const c of fresh) {
          const dialed = c.phone_number ? fromViciPhone(c.phone_code, String(c.phone_number), region) : null;
          if (dialed) numbers.add(dialed);
        }
        const leadIds = [...new Set(fresh.map((c) => Number(c.lead_id)))];
        const own = await this.reads.phonesOfLeads(leadIds);
        for (const r of own) {
          const p = fromViciPhone(r.phone_code, String(r.phone_number), region);
          if (p) numbers.add(p);
        }
        await this.refreshNumbers(
          [...numbers],
          cycle,
          { calls_since: next },
          "calls",
          fresh.length,
          false,
          async (m) => {
            await m.query(
              `INSERT INTO vici_follow_seen_calls (uniqueid, call_date) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
              [fresh.map((c) => c.uniqueid), fresh.map((c) => String(c.call_date))],
            );
            // Calls before this window are never read again.
            await m.query("DELETE FROM vici_follow_seen_calls WHERE call_date < $1", [from]);
          },
        );
        counts.calls += fresh.length;
      }
      since = next;
      from = to;
    }
    return { done: from >= viciNow, advance: { calls_since: since } };
  }

  /**
   * DNC entries added in VICIdial. MyISAM keeps exact row counts, so an idle check is one
   * statement; only when they moved is vicidial_dnc_log (no index on action_date) read from
   * the watermark less the overlap. Without that table, the reconciliation pass picks DNC
   * entries up (each of its batches reads the DNC lists of its numbers).
   */
  private async followDnc(
    st: StateRow,
    viciNow: string,
    counts: FollowCounts,
    cycle: CycleReads,
  ): Promise<{ done: boolean; advance: Advance }> {
    const sig = await this.reads.dncSignature();
    const advance: Advance = { dnc_since: viciNow, dnc_counts: sig };
    if (sig === st.dnc_counts || !this.reads.hasDncLog || st.dnc_counts === null) return { done: true, advance };
    const entries = await this.reads.dncAddsSince(shiftLocal(st.dnc_since ?? viciNow, -CALL_OVERLAP_S));
    const region = this.config.phone.defaultRegion;
    // Each number an entry names; whether a list holds it is the DNC rule's (rules/dnc.ts), asked in refreshNumbers.
    const byNumber = new Set<string>();
    for (const e of entries) {
      const p = /^[0-9]+$/.test(e.phone_number) ? fromViciPhone(null, e.phone_number, region) : null; // area-code wildcards: not a number
      if (p) byNumber.add(p);
    }
    const numbers = [...byNumber];
    if (numbers.length === 0) return { done: true, advance };
    await this.refreshNumbers(numbers, cycle, advance, "dnc", entries.length, true);
    counts.dnc += entries.length;
    return { done: true, advance: {} };
  }

  /**
   * Every number touched (called, put on a DNC list) in Brain again: its managed rows through
   * the import's batch path (which reads every row of the number for the recent-call rule and
   * its DNC lists), and a Brain lead with no managed row of the number through the same
   * do-not-call merge (calledLeadState). The last chunk commits `set`, the count and `also`.
   */
  private async refreshNumbers(
    numbers: string[],
    cycle: CycleReads,
    set: Advance,
    what: keyof FollowCounts,
    count: number,
    /** Read the DNC lists for Brain leads with no managed row of the number (a DNC entry moved); managed rows' numbers get them through the batch path. */
    checkDncLists: boolean,
    also?: (m: EntityManager) => Promise<void>,
  ): Promise<void> {
    const size = this.config.follow.batchSize;
    const source = await cycle.source();
    for (let i = 0; i < numbers.length || i === 0; i += size) {
      const chunk = numbers.slice(i, i + size);
      const last = i + size >= numbers.length;
      const stored = new Set<string>();
      for (const p of chunk) {
        const v = toViciPhone(p);
        stored.add(v.phoneNumber).add(v.phoneCode + v.phoneNumber);
      }
      const rows: ViciRow[] = stored.size ? await source.rowsWithNumbers<ViciRow>(IMPORT_COLUMNS, [...stored]) : [];
      const region = this.config.phone.defaultRegion;
      const mine = new Set(chunk);
      const managed = rows.filter((r) => {
        const p = readViciPhone(r.phone_code, String(r.phone_number), region);
        return !!p && mine.has(p.e164);
      });
      const batch = managed.length
        ? await this.importer.readBatch(
            this.deps,
            source,
            await cycle.shared(),
            managed,
            await cycle.catalog(),
            await cycle.cutover(),
          )
        : null;
      const others = chunk.filter((p) => !batch?.groups.has(p));
      const brainOnly: {
        id: string;
        phone: string;
        meta: LeadMeta;
        doNotCall: boolean;
        doNotCallReason: string | null;
        doNotCallUntil: Date | null;
      }[] = others.length
        ? await this.brain.query(
            `SELECT id::text AS id, phone, meta, do_not_call AS "doNotCall", do_not_call_reason AS "doNotCallReason", do_not_call_until AS "doNotCallUntil"
               FROM ${LEADS_OF_PHONES}`,
            [others],
          )
        : [];
      const [facts, dncLists] = brainOnly.length
        ? await Promise.all([
            this.services.numbers.read(brainOnly.map((l) => l.phone)),
            checkDncLists
              ? readDncEntries(
                  this.vici,
                  brainOnly.map((l) => toViciPhone(l.phone)),
                )
              : Promise.resolve(null),
          ])
        : [null, null];
      const catalog = facts ? await cycle.catalog() : null;
      await this.write(async (m) => {
        await this.advance(m, last ? set : {}, last ? { [what]: count } : {});
        if (batch) await this.writeImport(m, batch, false);
        if (facts) {
          const ictx: ImportContext = {
            now: new Date(),
            recentCallDays: this.config.recentCallDays,
            syncedAt: new Date().toISOString(),
          };
          const updates: object[] = [];
          for (const lead of brainOnly) {
            const n = facts.get(lead.phone)!;
            const dnc =
              n.rows.some((x) => catalog!.isDnc(x.status, x.campaignId)) ||
              (dncLists?.hitsOf(
                toViciPhone(lead.phone),
                n.rows.map((x) => x.campaignId),
              ).length ?? 0) > 0;
            const next = calledLeadState(lead, { lastCallAt: n.lastCallAt, dnc }, ictx);
            if (next.changed)
              updates.push({
                id: lead.id,
                meta: next.meta,
                do_not_call: next.doNotCall,
                do_not_call_reason: next.doNotCallReason,
                do_not_call_until: next.doNotCallUntil,
              });
          }
          if (updates.length) {
            await m.query(
              `UPDATE leads l SET meta = x.meta, do_not_call = x.do_not_call, do_not_call_reason = x.do_not_call_reason,
                      do_not_call_until = x.do_not_call_until, updated_at = now()
                 FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, meta jsonb, do_not_call boolean, do_not_call_reason text, do_not_call_until timestamptz)
                WHERE l.id = x.id`,
              [JSON.stringify(updates)],
            );
          }
        }
        if (last) await also?.(m);
      });
      this.afterCommit?.(what);
    }
  }

  /**
   * The slow pass: every managed row again, in the import's keyset batches, a bounded number
   * per cycle. Due VICI_RECONCILE_INTERVAL_MS after the last pass ended (0: never).
   */
  private async reconcile(st: StateRow, counts: FollowCounts, cycle: CycleReads): Promise<void> {
    const every = this.config.follow.reconcileIntervalMs;
    const running = st.reconcile_after !== null;
    const due =
      running ||
      (every > 0 && (!st.reconcile_done_at || st.now.getTime() - new Date(st.reconcile_done_at).getTime() >= every));
    if (!due || this.stopping) return;
    let after = running ? Number(st.reconcile_after) : 0;
    if (after === 0) this.shared = null; // a new pass reads the shared codes again
    const source = await cycle.source();
    const size = this.config.follow.batchSize;
    for (let b = 0; b < MAX_BATCHES && !this.stopping; b++) {
      const rows = await source.page<ViciRow>(IMPORT_COLUMNS, after, size);
      const full = rows.length === size;
      const set: Advance = full
        ? { reconcile_after: Number(rows[rows.length - 1].lead_id) }
        : { reconcile_after: null, reconcile_done_at: st.now };
      if (after === 0) set.reconcile_started_at = st.now;
      await this.importRows(rows, cycle, set, "reconciled", false);
      counts.reconciled += rows.length;
      if (!full) {
        this.log.info("follow mode: reconciliation pass done");
        return;
      }
      after = Number(rows[rows.length - 1].lead_id);
    }
  }

  /** What syncStatus, follow-status, /metrics and /readyz show: read from Brain (any process may follow). */
  async status(): Promise<FollowStatus> {
    const [[r], backlog] = await Promise.all([
      this.brain.query(
        `SELECT owner, COALESCE(lease_until > now(), false) AS live, lead_id_after::float8 AS lead_id_after, calls_since, dnc_since,
                reconcile_after::float8 AS reconcile_after, reconcile_started_at, reconcile_done_at, last_cycle_at, caught_up_at,
                last_cycle, totals, extract(epoch FROM now() - caught_up_at)::float8 AS lag
           FROM vici_follow_state WHERE id = 1`,
      ),
      this.services.pusher.backlog(),
    ]);
    const tz = this.config.vici.timeZone;
    const local = (v: string | null) => (v ? viciLocalToInstant(v, tz) : null);
    const totals = Object.fromEntries(
      COUNT_KEYS.map((k) => [k, Number(r?.totals?.[k] ?? 0)]),
    ) as unknown as FollowCounts;
    return {
      following: !!r?.live,
      enabledHere: this.running,
      owner: r?.live ? r.owner : null,
      lastCycleAt: r?.last_cycle_at ?? null,
      caughtUpAt: r?.caught_up_at ?? null,
      lagSeconds: r?.lag === null || r?.lag === undefined ? null : Math.max(0, r.lag),
      watermarks: {
        leadIdAfter: r?.lead_id_after ?? null,
        callsSince: local(r?.calls_since ?? null),
        dncSince: local(r?.dnc_since ?? null),
        reconcileAfterLeadId: r?.reconcile_after ?? null,
        reconcileStartedAt: r?.reconcile_started_at ?? null,
        reconcileDoneAt: r?.reconcile_done_at ?? null,
      },
      lastCycle: r?.last_cycle && Object.keys(r.last_cycle).length ? (r.last_cycle as FollowCycleReport) : null,
      totals,
      pendingUpdates: backlog.pending,
    };
  }

  /** Codes managed rows of several numbers carry (cached; see `shared`). */
  private sharedCodes = async (): Promise<ReadonlySet<string>> =>
    (this.shared ??= await this.services.vendorCodeOwners.sharedCodes([
      ...(await this.services.managed.managedLists()).keys(),
    ]));
}

/** What a cycle reads at most once, and only when it needs it (an idle cycle reads none of it). */
class CycleReads {
  private src: Promise<ViciLeadSource> | null = null;
  private cat: Promise<StatusCatalog> | null = null;
  private cut: Promise<Date | null> | null = null;
  constructor(
    private readonly brain: DataSource,
    private readonly vici: DataSource,
    private readonly config: AppConfig,
    private readonly services: Pick<FollowerDeps, "managed" | "viciLeads">,
    readonly shared: () => Promise<ReadonlySet<string>>,
  ) {}
  /** The managed campaigns' lists (VICI_CAMPAIGNS may change between cycles). */
  source(): Promise<ViciLeadSource> {
    return (this.src ??= ViciLeadSource.of(this.vici, this.services.managed, []));
  }
  catalog(): Promise<StatusCatalog> {
    return (this.cat ??= this.services.viciLeads.recentStatusCatalog());
  }
  /** The cut-over (VICI_CUTOVER_AT, else the first push): rows loaded straight into VICIdial since are reported. */
  cutover(): Promise<Date | null> {
    return (this.cut ??= cutoverAt(this.brain, this.config));
  }
}

/** The rows of an UPDATE ... RETURNING (TypeORM's PostgreSQL driver answers [rows, affected]). */
function updated(result: any): any[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result;
}

/** "YYYY-MM-DD HH:MM:SS" (VICIdial's wall clock) moved by `seconds`, as wall-clock arithmetic. */
export function shiftLocal(local: string, seconds: number): string {
  const t = Date.parse(local.replace(" ", "T") + "Z");
  return new Date(t + seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

function minLocal(a: string, b: string): string {
  return a < b ? a : b;
}

function maxLocal(a: string, b: string): string {
  return a > b ? a : b;
}
