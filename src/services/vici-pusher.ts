import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { LeadEntity } from "../entities/brain/lead.entity";
import type { NewViciLead, ViciWriter } from "../vici/writers/vici-writer";
import { decideCreate, linkMeta, ViciAction, type ViciMatch } from "./call-guard";
import { doNotCallHolds } from "./do-not-call";
import { brainDoNotCallReason, callReasonLine } from "../vici/rules/call-verdict/held-number";
import { isRetryable } from "../vici/db/vici-query";
import { ReadBatcher } from "../vici/db/read-batcher";
import { PollingLoop } from "../util/polling-loop";
import { NotFoundError, UserInputError } from "../errors/errors";
import { LEAD_COLUMNS } from "./lead.service";
import type { IntakeSwitchService } from "./intake-switch.service";
import { maskPhone } from "../util/phone";
import { toViciPhone, type ViciPhone } from "../vici/rules/phone";
import type { ViciFactsService } from "../vici/db/create-facts.reader";
import type { ViciLeadService } from "../vici/db/vici-leads.reader";
import type { FieldUpdatePayload } from "./field-update";
import type { ViciFieldUpdates } from "./vici-field-updates";

/** A push's state; GraphQL shows it as ViciPush.state and Lead.viciSync.state (enum ViciPushState). */
export enum ViciPushState {
  PENDING = "PENDING",
  /** A recently called number's push, waiting for the end of its window (next_attempt_at). */
  DEFERRED = "DEFERRED",
  DONE = "DONE",
  SKIPPED = "SKIPPED",
  FAILED = "FAILED",
  CONFLICT = "CONFLICT",
}
type ViciPushStateValue = `${ViciPushState}`;

export interface LeadViciPush {
  leadId: string;
  state: ViciPushState;
  attempts: number;
  lastError: string | null;
  viciLeadId: number | null;
  nextAttemptAt: Date | null;
  /** While DEFERRED: when the push is tried. */
  callableAt: Date | null;
  updatedAt: Date;
}

export type ViciPushKind = "PUSH_LEAD" | "SET_VENDOR_CODE" | "UPDATE_FIELDS";

interface ViciPushRecord {
  id: string;
  lead_id: string;
  kind: ViciPushKind;
  payload: {
    listId?: number | null;
    campaignId?: string | null;
    source?: string | null;
    viciLeadId?: number;
    vendorLeadCode?: string;
    /** false: a recent call found by the re-check skips the push (the create said deferred: false). */
    deferred?: boolean;
  } & Partial<FieldUpdatePayload>;
  attempts: number;
}

/** A push delivered with others (deliverLead's group): its state and lead, or "ALONE": deliver it by itself. */
type GroupPush = { state: ViciPushStateValue | "PAUSED"; lead?: LeadEntity } | "ALONE";

/** Pushes sharing one Brain transaction and one vicidial_list INSERT at most, and such groups out at once. */
const PUSH_GROUP_LEADS = 32;
const PUSH_GROUPS_IN_FLIGHT = 3;

/** Test seams: a crash between the Vici insert and the Brain ack. */
export interface PusherFaults {
  afterViciInsert?: (viciLeadId: number) => void | Promise<void>;
}

/**
 * Names: a "push" is one record taking something of Brain's to VICIdial (a new lead, a vendor
 * code, a field update): table vici_pushes, GraphQL ViciPush. "The outbox" is the pushes not yet
 * delivered (the public names viciOutbox, OUTBOX_POLL_MS and the vici_outbox_* metrics keep
 * that word). "Sync" is the jobs' word (sync_jobs), never a push's.
 *
 * Delivers the outbox to VICIdial. Each record is claimed with FOR UPDATE SKIP LOCKED (any
 * number of processes may run pushers) and settled in the same Brain transaction as the
 * lead's link. A lead is never inserted twice: before inserting, the pusher looks for an
 * earlier insert by its vendor code — the insert may have landed before a crash lost the ack.
 */
export class ViciPusher {
  private readonly loop: PollingLoop;
  faults: PusherFaults = {};

  constructor(
    private readonly brain: DataSource,
    private readonly config: AppConfig,
    private readonly writer: ViciWriter,
    private readonly facts: ViciFactsService,
    private readonly viciLeads: ViciLeadService,
    private readonly intakeSwitch: IntakeSwitchService,
    private readonly fieldUpdates: ViciFieldUpdates,
    private readonly log: Logger,
    /** The app's "now" (createApp's clock): when a record is due, and the re-check's instant. */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.loop = new PollingLoop(
      () => this.pass(),
      config.push.pollMs,
      (e) => this.log.error({ err: e }, "outbox pass failed"),
    );
  }

  /** Polls for due records every OUTBOX_POLL_MS until stop(). */
  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs a delivery pass soon (coalesced: one pass at a time per process). */
  kick(): void {
    this.loop.kick();
  }

  /** Waits for the background pass in flight, if any (nothing new is started). */
  settled(): Promise<void> {
    return this.loop.settled();
  }

  /**
   * Delivers every due record (up to `max`) after any pass already running in this process;
   * returns how many it settled or retried. Operators' scripts and tests call it.
   */
  async drain(max = 500): Promise<number> {
    await this.loop.settled();
    return this.pass(max);
  }

  private async pass(max = 500): Promise<number> {
    let n = 0;
    while (n < max && (await this.processOne()) !== null) n++;
    return n;
  }

  /**
   * The push of one lead, now (createLead uses it so callers usually see CREATED). `recheck:
   * false` skips the call-guard check when the caller has just made it.
   */
  async deliverLead(
    leadId: string,
    opts: { recheck: boolean; linked?: { lead?: LeadEntity } },
  ): Promise<ViciPushStateValue | "PAUSED" | "BUSY"> {
    // (A DEFERRED push is not due before its callableAt: "BUSY" says it was not tried.)
    // `linked.lead`: the lead as the push left it (DONE), so the caller need not read it again.
    if (!opts.recheck && this.writer.insertLeads) {
      // Concurrent creates' pushes go together (pushGroup); what the group leaves goes alone.
      const grouped = await this.groups.load(leadId);
      if (grouped && grouped !== "ALONE") {
        if (opts.linked && grouped.lead) opts.linked.lead = grouped.lead;
        return grouped.state;
      }
    }
    return (await this.processOne({ leadId, recheck: opts.recheck, linked: opts.linked }))!;
  }

  private readonly groups = new ReadBatcher<string, GroupPush>((ids) => this.pushGroup(ids), {
    maxKeys: PUSH_GROUP_LEADS,
    maxInFlight: PUSH_GROUPS_IN_FLIGHT,
  });

  /**
   * Group commit of pushes just checked under their phones' locks (createLead's): one Brain
   * transaction claims their records and reads their leads (one statement, records in id order),
   * the "inserted before?" checks go out as one statement (per row, as alone), the new rows as one
   * multi-row INSERT, their links and DONEs as one statement. Crash-safe as a push alone: the
   * records stay PENDING until the link commits, and a retry finds each landed row by its vendor
   * code (a multi-row INSERT on MyISAM may land some rows and not others). Whatever is not the
   * plain case — not due, not PENDING, landed before, no list, a refused row — goes alone
   * (processOne), after this transaction has released its records.
   */
  private async pushGroup(ids: string[]): Promise<Map<string, GroupPush>> {
    const out = new Map<string, GroupPush>();
    if (ids.length === 1 || !ids.every((id) => /^[1-9][0-9]{0,18}$/.test(id))) return out; // alone
    const now = this.clock();
    await this.brain.transaction(async (m) => {
      // No parameters: the statement carries the transaction's BEGIN (TimedPgClient). The intake
      // switch is read in it as IntakeSwitchService reads it (a paused intake holds new leads).
      const rows: (ViciPushRecord & { state: ViciPushStateValue; due: boolean; paused: boolean; lead: LeadEntity })[] =
        await m.query(
          `SELECT p.id::text AS id, p.lead_id::text AS lead_id, p.kind, p.payload, p.attempts, p.state,
                  p.next_attempt_at <= '${now.toISOString()}'::timestamptz AS due,
                  coalesce((SELECT value->'paused' = 'true'::jsonb FROM gateway_settings WHERE name = 'intake'), false) AS paused,
                  json_build_object('id', l.id::text, 'externalLeadId', l.external_lead_id, 'phone', l.phone,
                    'firstName', l.first_name, 'lastName', l.last_name, 'email', l.email, 'address1', l.address1,
                    'address2', l.address2, 'city', l.city, 'state', l.state, 'postalCode', l.postal_code,
                    'source', l.source, 'meta', l.meta) AS lead
             FROM vici_pushes p JOIN leads l ON l.id = p.lead_id
            WHERE p.lead_id IN (${ids.join(", ")}) AND p.kind = 'PUSH_LEAD'
            ORDER BY p.id FOR UPDATE`,
        );
      if (rows.some((r) => r.paused)) {
        for (const id of ids) out.set(id, { state: "PAUSED" });
        return;
      }
      const records = new Map<string, typeof rows>();
      for (const r of rows) records.set(r.lead_id, [...(records.get(r.lead_id) ?? []), r]);
      const plain = [...records.values()]
        .filter((rs) => rs.length === 1 && rs[0].state === "PENDING" && rs[0].due && rs[0].payload.listId != null)
        .map(([r]) => ({ rec: r, lead: r.lead, phone: toViciPhone(r.lead.phone) }));
      // Landed before (a crash lost its ack): alone, which links it.
      const earlier = await Promise.all(plain.map((p) => this.writer.findByVendorCode(p.phone, p.lead.externalLeadId)));
      const fresh = plain.filter((_, i) => earlier[i] === null);
      if (!fresh.length) return;
      let inserted: Map<string, number>;
      try {
        inserted = await this.writer.insertLeads!(
          fresh.map(({ rec, lead, phone }) => newViciLead(lead, phone, rec.payload.listId!)),
        );
      } catch (e) {
        // VICIdial unreachable: each record's attempt failed as it would alone. A refused statement
        // (a bad row, strict mode): each goes alone, so only the bad one fails.
        if (isRetryable(e)) for (const { rec } of fresh) out.set(rec.lead_id, { state: await this.failed(m, rec, e) });
        return;
      }
      const links: { leadId: string; meta: LeadMetaPatch; recId: string; viciLeadId: number }[] = [];
      for (const { rec, lead } of fresh) {
        const viciLeadId = inserted.get(lead.externalLeadId);
        if (viciLeadId === undefined) continue; // alone: finds it by its vendor code
        try {
          await this.faults.afterViciInsert?.(viciLeadId);
        } catch (e) {
          out.set(rec.lead_id, { state: await this.failed(m, rec, e) });
          continue;
        }
        const row: ViciMatch = {
          leadId: viciLeadId,
          listId: rec.payload.listId!,
          campaignId: rec.payload.campaignId ?? null,
          vendorLeadCode: lead.externalLeadId,
          statusCode: "NEW",
          statusIsDnc: false,
          lastCallAt: null,
          managed: true,
        };
        links.push({ leadId: lead.id, meta: linkedMeta(lead, [row], viciLeadId), recId: rec.id, viciLeadId });
        this.log.info(
          { phone: maskPhone(lead.phone), leadId: lead.id, viciLeadId, writer: this.writer.kind },
          "lead pushed to Vici",
        );
      }
      if (!links.length) return;
      // Every link and DONE in one statement (as link() does for one push). Each row found by its
      // key (`= ANY`, an index scan), its values looked up by that key in a JSON object.
      const linkedLeads: LeadEntity[] = await m.query(
        `WITH l AS (UPDATE leads SET meta = meta || ($2::jsonb -> id::text), updated_at = now() WHERE id = ANY($1::bigint[])
                    RETURNING ${LEAD_COLUMNS}),
              s AS (UPDATE vici_pushes SET state = 'DONE', vici_lead_id = ($4::jsonb ->> id::text)::bigint, last_error = NULL,
                           attempts = attempts + 1, done_at = clock_timestamp(), updated_at = now() WHERE id = ANY($3::bigint[]))
         SELECT * FROM l`,
        [
          links.map((x) => x.leadId),
          JSON.stringify(Object.fromEntries(links.map((x) => [x.leadId, x.meta]))),
          links.map((x) => x.recId),
          JSON.stringify(Object.fromEntries(links.map((x) => [x.recId, x.viciLeadId]))),
        ],
      );
      for (const lead of linkedLeads) out.set(lead.id, { state: "DONE", lead });
    });
    return out;
  }

  /** Re-queues a lead's push that ended FAILED or SKIPPED; NOT_FOUND when it has none. */
  async retry(leadId: string): Promise<LeadEntity> {
    if (!/^[1-9][0-9]{0,17}$/.test(leadId)) throw new UserInputError(`"${leadId}" is not a lead id`, "leadId");
    const [, updated] = await this.brain.query(
      `UPDATE vici_pushes SET state = 'PENDING', next_attempt_at = now(), updated_at = now(), done_at = NULL
        WHERE lead_id = $1 AND kind = 'PUSH_LEAD' AND state IN ('FAILED', 'SKIPPED')`,
      [leadId],
    );
    const [lead] = await this.brain.query(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = $1`, [leadId]);
    if (!lead) throw new NotFoundError("lead", leadId);
    if (!updated) throw new UserInputError("this lead has no failed or skipped push to retry", "leadId");
    this.kick();
    return lead;
  }

  /** Re-queues every record that ended FAILED (both kinds); returns how many. */
  async retryAllFailed(): Promise<number> {
    const [, n] = await this.brain.query(
      `UPDATE vici_pushes SET state = 'PENDING', next_attempt_at = now(), updated_at = now(), done_at = NULL WHERE state = 'FAILED'`,
    );
    if (n) this.kick();
    return n;
  }

  /** New leads and field updates waiting: what the intake switch holds. */
  async pendingPushes(): Promise<number> {
    const [{ n }] = await this.brain.query(
      "SELECT count(*)::int AS n FROM vici_pushes WHERE state = 'PENDING' AND kind IN ('PUSH_LEAD', 'UPDATE_FIELDS')",
    );
    return n;
  }

  /**
   * The latest outbox record of each lead that has one (the push, else a vendor-code write).
   * Field updates are not the lead's way into VICIdial: viciPushes lists them.
   */
  async pushByLead(leadIds: readonly string[]): Promise<Map<string, LeadViciPush>> {
    const rows: LeadViciPush[] = await this.brain.query(
      `SELECT DISTINCT ON (lead_id) lead_id::text AS "leadId", state, attempts, last_error AS "lastError",
              vici_lead_id::float8 AS "viciLeadId", CASE WHEN state IN ('PENDING', 'DEFERRED') THEN next_attempt_at END AS "nextAttemptAt",
              CASE WHEN state = 'DEFERRED' THEN next_attempt_at END AS "callableAt", updated_at AS "updatedAt"
         FROM vici_pushes WHERE lead_id = ANY($1::bigint[]) AND kind <> 'UPDATE_FIELDS'
        ORDER BY lead_id, (kind = 'PUSH_LEAD') DESC, id DESC`,
      [leadIds],
    );
    return new Map(rows.map((r) => [r.leadId, r]));
  }

  /** What still waits to reach Vici, for /metrics: served by the partial index on PENDING records. */
  async backlog(): Promise<{ pending: number; oldestPendingSeconds: number | null }> {
    const [row] = await this.brain.query(
      `SELECT count(*)::float8 AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest
         FROM vici_pushes WHERE state = 'PENDING'`,
    );
    return { pending: row.pending, oldestPendingSeconds: row.oldest };
  }

  /** Claims and handles one due record: its new state, or why none was handled (null: none due). */
  private async processOne(
    only: { leadId: string; recheck: boolean; linked?: { lead?: LeadEntity } } | null = null,
  ): Promise<ViciPushStateValue | "PAUSED" | "BUSY" | null> {
    const leadId = only?.leadId;
    // Due by the app's clock: a test moving it forward makes a deferred push due.
    const now = this.clock();
    return this.brain.transaction(async (m) => {
      const paused = (await this.intakeSwitch.state(m)).paused;
      if (paused && leadId) return "PAUSED";
      // One lead's push waits for whoever holds it and then reports its state; a pass skips
      // records other processes hold. A paused intake holds new leads and field updates. A
      // lead's field update waits for its older records (each update's baseline is what the
      // one before it wrote).
      // Due PENDING and DEFERRED records, the earliest first (their partial indexes serve it).
      const [rec]: (ViciPushRecord & { state: ViciPushStateValue; due: boolean })[] = await m.query(
        `SELECT id::text AS id, lead_id::text AS lead_id, kind, payload, attempts, state, next_attempt_at <= $${leadId ? 2 : 1}::timestamptz AS due
           FROM vici_pushes
          WHERE ${leadId ? "lead_id = $1 AND kind = 'PUSH_LEAD'" : "(state = 'PENDING' OR state = 'DEFERRED') AND next_attempt_at <= $1::timestamptz"}
            ${paused ? "AND kind = 'SET_VENDOR_CODE'" : ""}
            AND (kind <> 'UPDATE_FIELDS' OR NOT EXISTS (
                  SELECT 1 FROM vici_pushes older
                   WHERE older.lead_id = vici_pushes.lead_id AND older.state = 'PENDING' AND older.id < vici_pushes.id))
          ORDER BY next_attempt_at, vici_pushes.id LIMIT 1 FOR UPDATE ${leadId ? "" : "SKIP LOCKED"}`,
        leadId ? [leadId, now] : [now],
      );
      if (!rec) return leadId ? "BUSY" : null;
      if (rec.state !== "PENDING" && rec.state !== "DEFERRED") return rec.state;
      if (!rec.due) return rec.state === "DEFERRED" ? "DEFERRED" : "BUSY";
      await m.query("SAVEPOINT deliver");
      try {
        // A deferred push always runs every check again: the world had its window to change.
        if (rec.kind === "PUSH_LEAD")
          return await this.pushLead(m, rec, rec.state === "DEFERRED" || (only?.recheck ?? true), now, only?.linked);
        if (rec.kind === "UPDATE_FIELDS") return await this.updateFields(m, rec);
        return await this.setVendorCode(m, rec);
      } catch (e) {
        await m.query("ROLLBACK TO SAVEPOINT deliver");
        return this.failed(m, rec, e);
      }
    });
  }

  private async pushLead(
    m: EntityManager,
    rec: ViciPushRecord,
    recheck: boolean,
    now: Date,
    linked?: { lead?: LeadEntity },
  ): Promise<ViciPushStateValue> {
    // The id is inlined (digits only): with no parameters the statement goes out in one message
    // with the SAVEPOINT before it (TimedPgClient), a round trip less per push.
    if (!/^[1-9][0-9]{0,18}$/.test(rec.lead_id)) throw new Error(`bad lead id ${rec.lead_id}`);
    const [lead]: LeadEntity[] = await m.query(
      `SELECT id::text AS id, external_lead_id AS "externalLeadId", phone, first_name AS "firstName", last_name AS "lastName",
              email, address1, address2, city, state, postal_code AS "postalCode", source, meta,
              do_not_call AS "doNotCall", do_not_call_reason AS "doNotCallReason", do_not_call_until AS "doNotCallUntil"
         FROM leads WHERE id = ${rec.lead_id} FOR UPDATE`,
    );
    const phone = toViciPhone(lead.phone);
    const earlier = await this.writer.findByVendorCode(phone, lead.externalLeadId);
    if (earlier !== null) {
      // The insert landed before (a crash lost its ack): link it, never insert again.
      const [row] = (await this.viciLeads.findByIds([earlier])).values();
      await this.link(m, lead, row ? [toMatch(row)] : [], earlier);
      return this.settle(m, rec, "DONE", earlier, "found an earlier insert by vendor_lead_code");
    }

    // Brain's own do-not-call (not a recency flag: the re-check below reads the calls) holds the push.
    if (recheck && doNotCallHolds(lead, now) && lead.doNotCallReason !== "recently_called") {
      return this.settle(
        m,
        rec,
        "SKIPPED",
        null,
        `SKIPPED_DNC: ${callReasonLine(brainDoNotCallReason(lead.doNotCallReason ?? "no reason given"))}`,
      );
    }
    const target =
      rec.payload.listId != null ? { listId: rec.payload.listId, campaignId: rec.payload.campaignId ?? null } : null;
    const resolved =
      target ?? (await this.facts.target({ campaignId: rec.payload.campaignId, source: rec.payload.source }));
    // The world may have changed while the lead waited (paused intake, Vici down): check again.
    const facts = recheck
      ? await this.facts.facts(lead.phone, resolved, await this.viciLeads.recentStatusCatalog(), now, false)
      : null;
    const d = facts
      ? decideCreate({ ...facts, takenExternalIds: new Set() }, { deferred: rec.payload.deferred !== false })
      : null;
    if (d && d.action === ViciAction.DEFERRED) {
      // Called again meanwhile (or first seen now): the push waits for the new window's end.
      await m.query(
        `UPDATE leads SET do_not_call = true, do_not_call_reason = 'recently_called', do_not_call_until = $2, updated_at = now(),
                meta = meta || jsonb_build_object('last_call_date', $3::text)
          WHERE id = $1 AND NOT (do_not_call AND do_not_call_until IS NULL)`,
        [lead.id, d.callableAt, d.lastCallAt!.toISOString()],
      );
      await m.query(
        `UPDATE vici_pushes SET state = 'DEFERRED', next_attempt_at = $2, last_error = $3, updated_at = now() WHERE id = $1`,
        [rec.id, d.callableAt, `${d.action}: ${d.reasons.join("; ")}`],
      );
      this.log.info(
        { phone: maskPhone(lead.phone), leadId: lead.id, callableAt: d.callableAt },
        "lead push deferred: recently called",
      );
      return "DEFERRED";
    }
    if (facts && d && d.action !== "PUSH") {
      // Only a LINKED_EXISTING decision links (managed rows) and writes codes; a skip writes nothing to Vici.
      if (d.primary) await this.link(m, lead, d.linkRows, d.primary.leadId);
      for (const viciLeadId of d.writeVendorCodeTo) {
        await m.query("INSERT INTO vici_pushes (lead_id, kind, payload) VALUES ($1, 'SET_VENDOR_CODE', $2)", [
          lead.id,
          JSON.stringify({ viciLeadId, vendorLeadCode: lead.externalLeadId }),
        ]);
      }
      if (d.doNotCall) {
        // The number's last call goes with it: meta.last_call_date and Lead.lastCallAt agree. A
        // recency flag ends with the window; dnc never (nor is a permanent flag shortened).
        await m.query(
          `UPDATE leads SET do_not_call = true, do_not_call_reason = $2, do_not_call_until = $4, updated_at = now(),
                  meta = CASE WHEN $3::text IS NULL THEN meta ELSE meta || jsonb_build_object('last_call_date', $3::text) END
            WHERE id = $1 AND ($4::timestamptz IS NULL OR NOT (do_not_call AND do_not_call_until IS NULL))`,
          [lead.id, d.doNotCall, d.lastCallAt?.toISOString() ?? null, d.doNotCall === "dnc" ? null : d.callableAt],
        );
      }
      return this.settle(m, rec, "SKIPPED", d.primary?.leadId ?? null, `${d.action}: ${d.reasons.join("; ")}`);
    }
    if (!resolved)
      throw Object.assign(new Error("no VICIdial list for this lead (configure VICI_DEFAULT_LIST_ID)"), {
        retryable: false,
      });

    const viciLeadId = await this.writer.insertLead(newViciLead(lead, phone, resolved.listId));
    await this.faults.afterViciInsert?.(viciLeadId);
    // The link and the record's DONE go in one statement (a round trip less per push).
    await this.link(
      m,
      lead,
      [
        {
          leadId: viciLeadId,
          listId: resolved.listId,
          campaignId: resolved.campaignId,
          vendorLeadCode: lead.externalLeadId,
          statusCode: "NEW",
          statusIsDnc: false,
          lastCallAt: null,
          managed: true,
        },
      ],
      viciLeadId,
      linked,
      { rec, viciLeadId },
    );
    this.log.info(
      { phone: maskPhone(lead.phone), leadId: lead.id, viciLeadId, writer: this.writer.kind },
      "lead pushed to Vici",
    );
    return "DONE";
  }

  private async setVendorCode(m: EntityManager, rec: ViciPushRecord): Promise<ViciPushStateValue> {
    const { viciLeadId, vendorLeadCode } = rec.payload;
    const r = await this.writer.setVendorCodeIfEmpty(viciLeadId!, vendorLeadCode!);
    if (r.outcome === "SET" || r.outcome === "ALREADY") return this.settle(m, rec, "DONE", viciLeadId!, null);
    if (r.outcome === "CONFLICT")
      return this.settle(m, rec, "SKIPPED", viciLeadId!, `conflict: vendor_lead_code is already "${r.current}"`);
    if (r.outcome === "NOT_MANAGED")
      return this.settle(
        m,
        rec,
        "SKIPPED",
        viciLeadId!,
        "its list is outside the managed campaigns (VICI_CAMPAIGNS) now: left alone",
      );
    return this.settle(m, rec, "SKIPPED", viciLeadId!, "the Vici lead no longer exists");
  }

  private async updateFields(m: EntityManager, rec: ViciPushRecord): Promise<ViciPushStateValue> {
    const d = await this.fieldUpdates.deliver(m, rec.lead_id, { fields: rec.payload.fields ?? {} });
    // The conflicts are part of the record: the outbox views show both values and the winner.
    await m.query("UPDATE vici_pushes SET payload = payload || $2::jsonb WHERE id = $1", [
      rec.id,
      JSON.stringify({ conflicts: d.conflicts }),
    ]);
    return this.settle(m, rec, d.state, d.viciLeadId, d.note);
  }

  /** Brain's meta now names the Vici row(s); vici_lead_ids keeps every row seen so far. */
  private async link(
    m: EntityManager,
    lead: LeadEntity,
    rows: ViciMatch[],
    primaryId: number,
    linked?: { lead?: LeadEntity },
    /** Settles this record DONE (delivered as this Vici lead) in the link's statement. */
    done?: { rec: ViciPushRecord; viciLeadId: number },
  ): Promise<void> {
    const meta = linkedMeta(lead, rows, primaryId);
    const update = `UPDATE leads SET meta = meta || $2::jsonb, updated_at = now() WHERE id = $1 RETURNING ${LEAD_COLUMNS}`;
    if (done) {
      const [row] = await m.query(
        `WITH l AS (${update}),
              s AS (UPDATE vici_pushes SET state = 'DONE', vici_lead_id = $4, last_error = NULL, attempts = attempts + 1,
                           done_at = clock_timestamp(), updated_at = now() WHERE id = $3)
         SELECT * FROM l`,
        [lead.id, JSON.stringify(meta), done.rec.id, done.viciLeadId],
      );
      if (linked) linked.lead = row;
      return;
    }
    const [[row]] = await m.query(update, [lead.id, JSON.stringify(meta)]);
    if (linked) linked.lead = row;
  }

  /**
   * done_at is the moment of delivery (clock_timestamp, after the Vici write), not the
   * transaction's start: a rollback deletes a pushed row only if its modify_date is not later.
   */
  private async settle(
    m: EntityManager,
    rec: ViciPushRecord,
    state: ViciPushStateValue,
    viciLeadId: number | null,
    note: string | null,
  ): Promise<ViciPushStateValue> {
    await m.query(SETTLE, [rec.id, state, viciLeadId, note]);
    return state;
  }

  /** Retry later with exponential backoff; a refusal that would repeat (auth, rejected) is final. */
  private async failed(m: EntityManager, rec: ViciPushRecord, e: unknown): Promise<ViciPushStateValue> {
    const retry = isRetryable(e);
    const delay =
      Math.min(this.config.push.maxBackoffMs, 1000 * 2 ** Math.min(rec.attempts, 20)) * (0.8 + Math.random() * 0.4);
    const message = e instanceof Error ? e.message : String(e);
    await m.query(
      `UPDATE vici_pushes SET attempts = attempts + 1, last_error = $2, updated_at = now(),
              state = $3, next_attempt_at = now() + ($4 || ' milliseconds')::interval WHERE id = $1`,
      [rec.id, message.slice(0, 1000), retry ? "PENDING" : "FAILED", Math.round(delay)],
    );
    this.log.warn(
      { outboxId: rec.id, leadId: rec.lead_id, kind: rec.kind, attempts: rec.attempts + 1, retry, err: message },
      "Vici push failed",
    );
    return retry ? "PENDING" : "FAILED";
  }
}

type LeadMetaPatch = ReturnType<typeof linkMeta>;

/** The meta a link writes: the primary row's fields, and vici_lead_ids keeping every row seen so far. */
/** The VICIdial row a pushed lead becomes (one shape for a push alone and a group's). */
function newViciLead(lead: LeadEntity, phone: ViciPhone, listId: number): NewViciLead {
  const { externalLeadId: vendorLeadCode, source: sourceId, firstName, lastName, email } = lead;
  const { address1, address2, city, state, postalCode } = lead;
  return {
    phone,
    listId,
    vendorLeadCode,
    sourceId,
    firstName,
    lastName,
    email,
    address1,
    address2,
    city,
    state,
    postalCode,
  };
}

function linkedMeta(lead: Pick<LeadEntity, "meta">, rows: ViciMatch[], primaryId: number): LeadMetaPatch {
  const primary = rows.find((r) => r.leadId === primaryId) ?? {
    leadId: primaryId,
    listId: 0,
    campaignId: null,
    vendorLeadCode: null,
    statusCode: null,
    statusIsDnc: false,
    lastCallAt: null,
    managed: true,
  };
  const meta = linkMeta(primary, rows.length ? rows : [primary]);
  const known = new Set([...(lead.meta?.vici_lead_ids ?? []), ...(meta.vici_lead_ids ?? [])]);
  meta.vici_lead_ids = [...known].sort((a, b) => a - b);
  return meta;
}

/** A record's final state ($1 id, $2 state, $3 Vici lead id, $4 note); link() has the DONE of a push in its statement. */
const SETTLE = `UPDATE vici_pushes SET state = $2, vici_lead_id = $3, last_error = $4, attempts = attempts + 1,
        done_at = clock_timestamp(), updated_at = now() WHERE id = $1`;

function toMatch(v: {
  leadId: number;
  listId: number;
  campaignId: string | null;
  vendorLeadCode: string | null;
  statusCode: string | null;
}): ViciMatch {
  return {
    leadId: v.leadId,
    listId: v.listId,
    campaignId: v.campaignId,
    vendorLeadCode: v.vendorLeadCode,
    statusCode: v.statusCode,
    statusIsDnc: false,
    lastCallAt: null,
    managed: true,
  };
}
