import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { LeadEntity, LeadMeta } from "../entities/brain/lead.entity";
import { BrainUnavailableError, IdempotencyKeyReusedError, UserInputError } from "../errors/errors";
import { ViciUnavailableError } from "../vici/errors";
import { isBrainUnreachable } from "../data-sources/brain-errors";
import { decideCreate, linkMeta, ViciAction } from "./call-guard";
import type { CallReason } from "../vici/rules/call-verdict/types";
import { isViciUnreachable } from "../vici/db/vici-query";
import { newExternalLeadId } from "../util/external-lead-id";
import {
  CONTACT_COLUMN,
  CONTACT_FIELDS,
  validateCreateLead,
  type ContactField,
  type ValidLeadInput,
} from "./lead-input";
import { LEAD_COLUMNS, type LeadService } from "./lead.service";
import type { ViciPusher } from "./vici-pusher";
import { maskPhone } from "../util/phone";
import type { ViciFactsService } from "../vici/db/create-facts.reader";
import type { ViciLeadService } from "../vici/db/vici-leads.reader";
import type { ViciFieldUpdates } from "./vici-field-updates";
import { CreateGroups } from "./create-group";

/**
 * What a create did to Brain (or, in a dry run, would do): a new lead (CREATED), a new lead
 * linked to the phone's VICIdial rows (LINKED), an existing lead whose fields changed (UPDATED)
 * or did not (UNCHANGED), an existing lead left alone (SKIPPED_EXISTING: updateExisting
 * false), or nothing at all because VICIdial has the phone (SKIPPED_IN_VICI: matchVici false).
 */
export type LeadEffect = "CREATED" | "LINKED" | "UPDATED" | "UNCHANGED" | "SKIPPED_EXISTING" | "SKIPPED_IN_VICI";

export interface CreateLeadResult {
  lead: LeadEntity;
  created: boolean;
  viciAction: ViciAction;
  reasons: string[];
  effect: LeadEffect;
  /** Linked Vici rows holding another vendor code (the vendor-code rule's conflicts), left alone. */
  conflicts?: { viciLeadId: number; reason: string }[];
  /** Why the number may not be called (DNC, a recent call), as callVerdict words them; absent = none. */
  callReasons?: CallReason[];
  /** DEFERRED, SKIPPED_RECENTLY_CALLED: when the recent-call window ends. */
  callableAt?: Date | null;
}

/** With dryRun or matchVici: false a create may write nothing: then there is no lead. */
export interface PlannedLeadResult extends Omit<CreateLeadResult, "lead"> {
  lead: LeadEntity | null;
}

export interface CreateLeadOptions {
  /** How the lead arrived: "api" (GraphQL), "webhook", or "csv_import" (a CSV_IMPORT job). */
  origin: "api" | "webhook" | "csv_import";
  /** A repeat with the same key returns the first result. */
  idempotencyKey?: string | null;
  /**
   * Whose keys these are: a key is looked up only among its scope's (`createLead:<API key id>`
   * for GraphQL, `webhook` for the webhook), so one client never replays another's answer.
   */
  idempotencyScope?: string;
  /**
   * The sync job doing the create: a new lead gets created_by_job_id (its rollback removes
   * it), an existing lead's before-values go to sync_job_changes (its rollback restores them).
   */
  jobId?: string | null;
  /** false: a phone VICIdial already has is neither linked nor pushed; nothing is written. Default true. */
  matchVici?: boolean;
  /** false: an existing Brain lead is returned unchanged. Default true. */
  updateExisting?: boolean;
  /** Decide everything, write nothing (no Brain row, no outbox, no VICIdial). */
  dryRun?: boolean;
  /**
   * Run inside the caller's Brain transaction (a job's batch). The push then waits for that
   * transaction to commit: the caller kicks the pusher afterwards.
   */
  manager?: EntityManager;
}

/** Test seams: a Brain fault at a precise moment of a create. */
export interface IntakeFaults {
  /** Inside the create's transaction, everything written, before COMMIT. */
  beforeCommit?: () => void | Promise<void>;
}

/** How long a repeat waits for the first request with its key to finish (then takes what it committed). */
const KEY_OWNER_SECONDS = 30;
const KEY_POLL_MS = 50;
/** A phone as validateCreateLead leaves it: safe to write into SQL text as it is. */
const E164 = /^\+[1-9][0-9]{1,14}$/;

interface StoredResponse {
  leadId: string;
  created: boolean;
  viciAction: ViciAction;
  reasons: string[];
  effect?: LeadEffect;
  /** As JSON (instants as ISO text). */
  callReasons?: (Omit<CallReason, "until"> & { until: string | null })[];
  callableAt?: string | null;
}

/** An existing lead as a create reads it (under its row lock). */
interface ExistingLead extends Record<ContactColumn, string | null> {
  id: string;
  createdByJob: string | null;
  meta: LeadMeta;
  doNotCall: boolean;
  doNotCallReason: string | null;
  doNotCallUntil: Date | null;
}

type ContactColumn = (typeof CONTACT_COLUMN)[ContactField];
const CONTACT_COLUMNS: ContactColumn[] = CONTACT_FIELDS.map((f) => CONTACT_COLUMN[f]);
/** A lead as a create reads it; the caller adds the phone condition (` = ...`). */
const READ_EXISTING = `SELECT id::text AS id, created_by_job_id::text AS "createdByJob", meta, do_not_call AS "doNotCall",
       do_not_call_reason AS "doNotCallReason", do_not_call_until AS "doNotCallUntil", ${CONTACT_COLUMNS.map((c) => `"${c}"`).join(", ")}
  FROM leads WHERE phone`;

function asUnavailable(e: unknown): ViciUnavailableError {
  return e instanceof ViciUnavailableError ? e : new ViciUnavailableError(e instanceof Error ? e.message : String(e));
}

/** A new lead's row as insertLead writes it (with its push record when `push` is set). */
interface NewLeadRow {
  origin: CreateLeadOptions["origin"];
  input: ValidLeadInput;
  externalLeadId: string;
  doNotCall: "dnc" | "recently_called" | null;
  doNotCallUntil: Date | null;
  viciMeta: LeadMeta;
  jobId: string | null;
  /** Also queue its push (a PENDING PUSH_LEAD record with this payload), in the same statement. */
  push: object | null;
}

/** Creates sharing one Brain transaction at most, and such transactions open at once (of the pool's 10 connections). */
const GROUP_MEMBERS = 16;
const GROUPS_IN_FLIGHT = 3;

/** What a create's transaction decided: a result, or that its key's first request committed first. */
interface Planned {
  result: PlannedLeadResult | null;
  pushLead: boolean;
  checked: boolean;
}

/**
 * Brain-first lead creation: one path for the createLead mutation, the webhook and CSV_IMPORT.
 *
 * Answers are truthful: once the Brain transaction has committed, nothing turns the answer
 * into an error (a failed push stays queued); an error means nothing was kept. A commit whose
 * outcome Brain did not confirm (the connection died during COMMIT) is checked before answering.
 * With an Idempotency-Key, concurrent repeats wait for the first request and return exactly
 * its answer (the stored one); the same key with another request is IDEMPOTENCY_KEY_REUSED.
 */
export class LeadIntakeService {
  faults: IntakeFaults = {};
  /** Concurrent creates without an Idempotency-Key share their Brain transaction (group commit). */
  private readonly groups: CreateGroups<ExistingLead, NewLeadRow, LeadEntity, Planned>;

  constructor(
    private readonly brain: DataSource,
    private readonly config: AppConfig,
    private readonly leads: LeadService,
    private readonly viciLeads: ViciLeadService,
    private readonly facts: ViciFactsService,
    private readonly pusher: ViciPusher,
    private readonly fieldUpdates: ViciFieldUpdates,
    private readonly log: Logger,
    /** The app's "now" (createApp's clock): the recent-call rule is checked at it. */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.groups = new CreateGroups(
      brain,
      {
        lockAndRead: (m, phones) => this.lockAndRead(m, phones),
        insert: (m, rows) => this.insertLeads(m, rows),
        kept: async (p) => !!(p.result?.lead && p.result.created && (await this.wasKept(p.result.lead))),
        rolledBack: (creates, cause) =>
          this.log.info(
            { creates, err: cause instanceof Error ? cause.message : String(cause) },
            "createLead: a group's transaction was rolled back; its creates run alone",
          ),
      },
      { maxMembers: GROUP_MEMBERS, maxInFlight: GROUPS_IN_FLIGHT },
    );
  }

  /**
   * The one create path (mutation, webhook, CSV import). Typed errors (BAD_USER_INPUT,
   * INVALID_PHONE) are thrown before anything is written.
   */
  async createLead(
    raw: unknown,
    opts: CreateLeadOptions & { dryRun?: false; matchVici?: true },
  ): Promise<CreateLeadResult>;
  async createLead(raw: unknown, opts: CreateLeadOptions): Promise<PlannedLeadResult>;
  async createLead(raw: unknown, opts: CreateLeadOptions): Promise<PlannedLeadResult> {
    if (opts.manager) return this.create(raw, opts); // a job's batch: its engine handles Brain faults
    try {
      return await this.create(raw, opts);
    } catch (e) {
      // Whatever escapes is from before a commit, or from a repeat that waited for another's:
      // this request stored nothing (see commit() and pushNow()).
      if (isBrainUnreachable(e)) throw new BrainUnavailableError("nothing was stored: try again");
      throw e;
    }
  }

  private async create(raw: unknown, opts: CreateLeadOptions): Promise<PlannedLeadResult> {
    const input = validateCreateLead(raw, this.config.phone.defaultRegion);
    const key = opts.idempotencyKey?.trim() || null;
    if (key !== null && key.length > 200)
      throw new UserInputError("Idempotency-Key is longer than 200 characters", "Idempotency-Key");
    const matchVici = opts.matchVici ?? true;
    const updateExisting = opts.updateExisting ?? true;
    const dryRun = opts.dryRun ?? false;
    const jobId = opts.jobId ?? null;
    // Without the Vici checks a dry run cannot say what would happen, nor can a create that
    // must not touch a phone VICIdial has: those fail instead of queueing.
    const strict = dryRun || !matchVici;
    // Only a key's requests are compared.
    const hash = key
      ? createHash("sha256")
          .update(JSON.stringify([opts.origin, input]))
          .digest("hex")
      : "";
    const scope = opts.idempotencyScope ?? "createLead";
    if (key) {
      const earlier = await this.answerFor(scope, key, hash);
      if (earlier) return earlier;
    }

    // Vici reads come before any write; if Vici is down the checks move to the push.
    let target = null;
    let catalog = null;
    let viciDown: unknown = null;
    try {
      target = await this.facts.target(input);
      catalog = await this.viciLeads.recentStatusCatalog();
    } catch (e) {
      if (!isViciUnreachable(e)) throw e;
      if (strict) throw asUnavailable(e);
      viciDown = e;
    }

    // Group commit: concurrent creates without a key share one Brain transaction (CreateGroups).
    const grouped = !key && !dryRun && !opts.manager && matchVici && E164.test(input.phone);
    const body = async (
      m: EntityManager,
      group?: { existing: ExistingLead | undefined; insert: (row: NewLeadRow) => Promise<LeadEntity> },
    ): Promise<Planned> => {
      const existing = group ? group.existing : await lockAndReadOne(m);
      if (existing === null) return { result: null, pushLead: false, checked: true };
      return decide(m, existing, group?.insert);
    };
    const lockAndReadOne = async (m: EntityManager): Promise<ExistingLead | undefined | null> => {
      // A key's requests one at a time (the first commits its answer before the next looks), then
      // creates of one phone across every process: VICIdial's own duplicate check races.
      if (key && !dryRun)
        await m.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`idempotency:${scope}:${key}`]);
      // Without a key, the phone's lock and its lead's read go in one message (each statement
      // still reads after the lock): one round trip, with the transaction's BEGIN (TimedPgClient).
      const inline = !key && !dryRun && E164.test(input.phone);
      if (!dryRun && !inline)
        await m.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`lead-phone:${input.phone}`]);
      if (key) {
        // A key whose lead was removed since (a rollback) answers nothing: the request is new.
        await m.query(
          `DELETE FROM idempotency_keys k WHERE scope = $1 AND key = $2
              AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = (k.response->>'leadId')::bigint)`,
          [scope, key],
        );
        const [row] = await m.query("SELECT request_hash FROM idempotency_keys WHERE scope = $1 AND key = $2", [
          scope,
          key,
        ]);
        if (row && row.request_hash !== hash) throw new IdempotencyKeyReusedError();
        if (row) return null; // its first request committed first
      }
      const [existing]: ExistingLead[] = inline
        ? await m.query(
            `SELECT pg_advisory_xact_lock(hashtextextended('lead-phone:${input.phone}', 0)); ${READ_EXISTING} = '${input.phone}' FOR UPDATE`,
          )
        : await m.query(`${READ_EXISTING} = $1 ${dryRun ? "" : "FOR UPDATE"}`, [input.phone]);
      return existing;
    };
    const decide = async (
      m: EntityManager,
      existing: ExistingLead | undefined,
      insertInGroup?: (row: NewLeadRow) => Promise<LeadEntity>,
    ): Promise<Planned> => {
      const insertLead = (row: NewLeadRow) => (insertInGroup ? insertInGroup(row) : this.insertLead(m, row));
      let result: PlannedLeadResult;
      let pushLead = false;
      let checked = true;
      if (existing) {
        const reasons = ["the phone is already in Brain"];
        if (!updateExisting) {
          const lead = (await this.leads.findOne({ id: existing.id }, m))!;
          result = {
            lead,
            created: false,
            viciAction: ViciAction.ALREADY_IN_BRAIN,
            reasons,
            effect: "SKIPPED_EXISTING",
          };
        } else {
          const { lead, changed } = await this.mergeFields(m, existing, input, { dryRun, jobId });
          result = {
            lead,
            created: false,
            viciAction: ViciAction.ALREADY_IN_BRAIN,
            reasons,
            effect: changed ? "UPDATED" : "UNCHANGED",
          };
        }
      } else {
        let facts = null;
        if (!viciDown && catalog) {
          try {
            facts = await this.facts.facts(input.phone, target, catalog, this.clock());
          } catch (e) {
            if (!isViciUnreachable(e)) throw e;
            if (strict) throw asUnavailable(e);
            viciDown = e;
          }
        }
        if (!facts) {
          // Nothing known yet: store and queue; the pusher runs every check before it inserts.
          const lead = await insertLead({
            origin: opts.origin,
            input,
            externalLeadId: newExternalLeadId(),
            doNotCall: null,
            doNotCallUntil: null,
            viciMeta: {},
            jobId,
            push: {
              listId: target?.listId ?? null,
              campaignId: input.campaignId,
              source: input.source,
              deferred: input.deferred,
            },
          });
          result = {
            lead,
            created: true,
            viciAction: ViciAction.QUEUED,
            reasons: ["VICIdial is unreachable: checks and push are queued"],
            effect: "CREATED",
          };
          pushLead = true;
          checked = false;
        } else {
          // Brain leads holding one of the codes the vendor-code rule could adopt (managed rows only).
          const codes = facts.rows
            .filter((r) => r.managed)
            .map((r) => r.vendorLeadCode?.replace(/ +$/, ""))
            .filter((c): c is string => !!c?.trim());
          const taken: { code: string }[] = codes.length
            ? await m.query("SELECT lower(external_lead_id) AS code FROM leads WHERE external_lead_id = ANY($1)", [
                codes,
              ])
            : [];
          const d = decideCreate(
            { ...facts, takenExternalIds: new Set(taken.map((t) => t.code)) },
            { deferred: input.deferred },
          );
          const held = { callReasons: d.callReasons, callableAt: d.callableAt };
          const viciAction = d.action === "PUSH" ? ViciAction.QUEUED : d.action;
          const managedRows = facts.rows.filter((r) => r.managed);
          if (!matchVici && managedRows.length) {
            // Never link it, never push a phone a managed campaign has: nothing is written.
            const ids = managedRows.map((r) => r.leadId).join(", ");
            const reasons = [
              `in VICIdial as lead(s) ${ids}: left alone (matchVici: true links it; on the command line --match-vici)`,
              ...d.reasons,
            ];
            return {
              result: { lead: null, created: false, viciAction, reasons, effect: "SKIPPED_IN_VICI", ...held },
              pushLead: false,
              checked: true,
            };
          }
          if (d.action === "PUSH" && !target) {
            throw new UserInputError(
              "no VICIdial list for this lead: pass listId or campaignId, or configure VICI_DEFAULT_LIST_ID",
              "listId",
            );
          }
          const effect: LeadEffect = d.linkRows.length ? "LINKED" : "CREATED";
          if (dryRun)
            return {
              result: {
                lead: null,
                created: true,
                viciAction,
                reasons: d.reasons,
                effect,
                conflicts: d.conflicts,
                ...held,
              },
              pushLead: false,
              checked: true,
            };
          // The push's record goes in with the lead (one statement) when no other record comes first.
          const pushWithLead = d.action === "PUSH" && d.writeVendorCodeTo.length === 0;
          const pushPayload = () => ({
            listId: target!.listId,
            campaignId: target!.campaignId,
            source: input.source,
            deferred: input.deferred,
          });
          const lead = await insertLead({
            origin: opts.origin,
            input,
            externalLeadId: d.adoptExternalLeadId ?? newExternalLeadId(),
            doNotCall: d.doNotCall,
            doNotCallUntil: d.doNotCall === "recently_called" ? d.callableAt : null,
            viciMeta: {
              ...(d.primary ? linkMeta(d.primary, d.linkRows) : {}),
              ...(d.lastCallAt ? { last_call_date: d.lastCallAt.toISOString() } : {}),
            },
            jobId,
            push: pushWithLead ? pushPayload() : null,
          });
          for (const viciLeadId of d.writeVendorCodeTo) {
            await this.enqueue(m, lead.id, "SET_VENDOR_CODE", { viciLeadId, vendorLeadCode: lead.externalLeadId });
          }
          if (jobId && d.writeVendorCodeTo.length) {
            // The vendor codes the outbox writes for this job: its rollback puts the old ones back.
            const before = new Map(facts.rows.map((r) => [r.leadId, r.vendorLeadCode]));
            await m.query(
              `INSERT INTO sync_job_changes (job_id, target, key, action, before, after)
               SELECT $1, 'vici', x.lead_id, 'vendor_code', jsonb_build_object('vendor_lead_code', x.before), jsonb_build_object('vendor_lead_code', $3::text)
                 FROM jsonb_to_recordset($2::jsonb) AS x(lead_id bigint, before text)
               ON CONFLICT DO NOTHING`,
              [
                jobId,
                JSON.stringify(d.writeVendorCodeTo.map((id) => ({ lead_id: id, before: before.get(id) ?? null }))),
                lead.externalLeadId,
              ],
            );
          }
          if (d.action === "PUSH") {
            if (!pushWithLead) await this.enqueue(m, lead.id, "PUSH_LEAD", pushPayload());
            pushLead = true;
          }
          if (d.action === ViciAction.DEFERRED) {
            // The push waits for the window's end (the pusher runs every check again then).
            // A target is not needed yet: the pusher resolves one when it is due.
            await m.query(
              `INSERT INTO vici_pushes (lead_id, kind, state, payload, next_attempt_at, last_error) VALUES ($1, 'PUSH_LEAD', 'DEFERRED', $2, $3, $4)`,
              [
                lead.id,
                JSON.stringify({
                  listId: target?.listId ?? null,
                  campaignId: target?.campaignId ?? input.campaignId,
                  source: input.source,
                  deferred: true,
                }),
                d.callableAt,
                `${d.action}: ${d.reasons.join("; ")}`,
              ],
            );
          }
          result = { lead, created: true, viciAction, reasons: d.reasons, effect, conflicts: d.conflicts, ...held };
        }
      }
      // The answer is final now unless a push follows (then pushNow finalises it).
      if (key && !dryRun && result.lead)
        await this.remember(m, scope, key, hash, result as CreateLeadResult, !pushLead);
      if (!opts.manager && !dryRun) await this.faults.beforeCommit?.();
      return { result, pushLead, checked };
    };
    const outcome = opts.manager
      ? await body(opts.manager)
      : grouped
        ? await this.groups.run(
            input.phone,
            (m, existing, insert) => body(m, { existing, insert }),
            () => this.commit(body),
          )
        : await this.commit(body);

    if (!outcome.result) {
      // The key's first request committed while this one waited for it: its answer, once final.
      const first = await this.answerFor(scope, key!, hash);
      if (first) return first;
      return this.create(raw, opts); // its lead was removed since (a rollback): this request is new
    }
    let result = outcome.result;
    if (dryRun || !result.lead) return result;
    // In the caller's transaction nothing is committed yet: the caller kicks the pusher.
    if (!opts.manager) {
      if (outcome.pushLead) result = await this.pushNow(result as CreateLeadResult, scope, key, outcome.checked);
      else if (result.created || result.effect === "UPDATED") this.pusher.kick(); // vendor codes, field updates
    }
    this.log[jobId ? "debug" : "info"](
      {
        phone: maskPhone(input.phone),
        leadId: result.lead!.id,
        created: result.created,
        viciAction: result.viciAction,
        origin: opts.origin,
      },
      "createLead",
    );
    return result;
  }

  /**
   * Runs the create's transaction. When the connection dies, what was kept decides: a commit
   * Brain did not confirm is looked up (the new lead by its id and external id); if it was not
   * kept — or a merge into an existing lead may be lost — the create runs once more (it is
   * safe to repeat). An error escapes only when nothing was kept, or Brain cannot say.
   */
  private async commit(body: (m: EntityManager) => Promise<Planned>): Promise<Planned> {
    let planned: Planned | null = null;
    try {
      return await this.brain.transaction(async (m) => (planned = await body(m)));
    } catch (e) {
      if (!isBrainUnreachable(e)) throw e;
      const p = planned as Planned | null;
      if (p?.result?.lead && p.result.created && (await this.wasKept(p.result.lead))) return p;
      this.log.warn(
        { err: e instanceof Error ? e.message : String(e) },
        "createLead: Brain connection lost, trying once more",
      );
      try {
        return await this.brain.transaction(body);
      } catch (again) {
        if (isBrainUnreachable(again)) throw new BrainUnavailableError("nothing was stored: try again");
        throw again;
      }
    }
  }

  /** Did the commit of this new lead happen? Asked a few times; BRAIN_UNAVAILABLE when Brain cannot say. */
  private async wasKept(lead: LeadEntity): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await this.brain.query("SELECT 1 FROM leads WHERE id = $1 AND external_lead_id = $2", [
          lead.id,
          lead.externalLeadId,
        ]);
        return rows.length > 0;
      } catch (e) {
        if (!isBrainUnreachable(e)) throw e;
        if (attempt >= 3) {
          throw new BrainUnavailableError(
            "it did not confirm whether the lead was stored: send the request again with the same Idempotency-Key, or look the phone up",
          );
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  /**
   * Tries the push at once so the caller usually sees CREATED; otherwise it stays queued. The
   * lead is committed already: a fault here (Brain or VICIdial) leaves the push to the pusher and
   * answers what the key stored (QUEUED). The answer given is always the one a repeat gets.
   */
  private async pushNow(
    result: CreateLeadResult,
    scope: string,
    key: string | null,
    checked: boolean,
  ): Promise<CreateLeadResult> {
    let final: CreateLeadResult;
    try {
      // Checked a moment ago under the phone lock: the push need not check again.
      const linked: { lead?: LeadEntity } = {};
      const delivered = await this.pusher.deliverLead(result.lead.id, { recheck: !checked, linked });
      if (delivered === "PAUSED")
        final = { ...result, reasons: [...result.reasons, "intake is paused: the push waits for resumeIntake"] };
      else if (delivered === "DONE")
        final = {
          ...result,
          lead: linked.lead ?? (await this.leads.findOne({ id: result.lead.id }))!,
          viciAction: ViciAction.CREATED,
        };
      else if (delivered === "SKIPPED" || delivered === "FAILED") {
        const lead = (await this.leads.findOne({ id: result.lead.id }))!;
        final = { ...result, lead, reasons: [...result.reasons, `push ${delivered.toLowerCase()}: see viciSync`] };
      } else final = result;
      // Not delivered now: the pusher tries again (a paused intake waits for resumeIntake, which kicks it).
      if (delivered !== "DONE" && delivered !== "PAUSED") this.pusher.kick();
      if (key) await this.remember(this.brain.manager, scope, key, null, final, true);
    } catch (e) {
      this.log.warn(
        { leadId: result.lead.id, err: e instanceof Error ? e.message : String(e) },
        "createLead: push not confirmed; the pusher retries it",
      );
      this.pusher.kick();
      if (key) await this.settleStored(scope, key);
      return result;
    }
    return final;
  }

  /**
   * The committed answer is this request's answer: repeats need not wait for more. Tried a few
   * times (Brain was just at fault); if it never answers, repeats wait KEY_OWNER_SECONDS.
   */
  private async settleStored(scope: string, key: string): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.brain.query("UPDATE idempotency_keys SET final = true WHERE scope = $1 AND key = $2", [scope, key]);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /**
   * The answer stored for `key` (this request's repeat), once the request that stored it has
   * finished (or stopped finishing: KEY_OWNER_SECONDS); null when there is none, or its lead was
   * removed since (a rollback: the request is new).
   */
  private async answerFor(scope: string, key: string, hash: string): Promise<CreateLeadResult | null> {
    for (;;) {
      const [row] = await this.brain.query(
        `SELECT request_hash, response, final OR owner_until < now() AS settled FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      if (!row) return null;
      if (row.request_hash !== hash) throw new IdempotencyKeyReusedError();
      if (row.settled) return this.replayed(row.response as StoredResponse);
      await new Promise((r) => setTimeout(r, KEY_POLL_MS));
    }
  }

  private async replayed(stored: StoredResponse): Promise<CreateLeadResult | null> {
    const lead = await this.leads.findOne({ id: stored.leadId });
    if (!lead) return null;
    const effect =
      stored.effect ??
      (stored.created ? (stored.viciAction === ViciAction.LINKED_EXISTING ? "LINKED" : "CREATED") : "UNCHANGED");
    return {
      lead,
      created: stored.created,
      viciAction: stored.viciAction,
      reasons: stored.reasons,
      effect,
      callReasons: (stored.callReasons ?? []).map((r) => ({
        ...r,
        until: r.until === null ? null : new Date(r.until),
      })),
      callableAt: stored.callableAt ? new Date(stored.callableAt) : null,
    };
  }

  /** Stores (hash given) or replaces (hash null) the answer a key replays; `final`: no step of the create is left. */
  private async remember(
    m: EntityManager,
    scope: string,
    key: string,
    hash: string | null,
    r: CreateLeadResult,
    final: boolean,
  ): Promise<void> {
    const response: StoredResponse = {
      leadId: r.lead.id,
      created: r.created,
      viciAction: r.viciAction,
      reasons: r.reasons,
      effect: r.effect,
      callReasons: (r.callReasons ?? []).map((c) => ({ ...c, until: c.until?.toISOString() ?? null })),
      callableAt: r.callableAt?.toISOString() ?? null,
    };
    if (hash) {
      await m.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, response, final, owner_until)
         VALUES ($1, $2, $3, $4, $5, now() + ($6 || ' seconds')::interval)`,
        [scope, key, hash, JSON.stringify(response), final, KEY_OWNER_SECONDS],
      );
    } else {
      await m.query("UPDATE idempotency_keys SET response = $3, final = $4 WHERE scope = $1 AND key = $2", [
        scope,
        key,
        JSON.stringify(response),
        final,
      ]);
    }
  }

  /**
   * A group's phones locked in one statement, in the order of their lock keys (CSV jobs lock in
   * the same order: two transactions never wait on each other's phones crosswise), then their
   * leads read under the locks. Phones are validated E.164 (written into the SQL as text): with
   * no parameters the message carries the transaction's BEGIN too (TimedPgClient).
   */
  private async lockAndRead(m: EntityManager, phones: string[]): Promise<Map<string, ExistingLead>> {
    if (!phones.every((p) => E164.test(p))) throw new Error("lockAndRead: a phone is not E.164");
    const list = [...phones]
      .sort()
      .map((p) => `'${p}'`)
      .join(", ");
    // Each phone's lead by its own equality (a LATERAL): a plain `phone IN (...)` makes the planner
    // prefer the trigram index, a GIN scan tens of ms long at this table's size.
    const rows: (ExistingLead & { phone: string })[] = await m.query(
      `SELECT pg_advisory_xact_lock(s.k) FROM
         (SELECT DISTINCT hashtextextended('lead-phone:' || p, 0) AS k FROM unnest(ARRAY[${list}]::text[]) AS p ORDER BY 1) AS s;
       SELECT l.* FROM unnest(ARRAY[${list}]::text[]) AS p(phone)
         CROSS JOIN LATERAL (${READ_EXISTING.replace("SELECT ", "SELECT phone, ")} = p.phone LIMIT 1 FOR UPDATE) AS l`,
    );
    return new Map(rows.map(({ phone, ...lead }) => [phone, lead]));
  }

  /** New leads (and the push records of those that have one) in one statement, in the rows' order. */
  private async insertLeads(m: EntityManager, rows: NewLeadRow[]): Promise<LeadEntity[]> {
    const leads: LeadEntity[] = await m.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(n int, external_lead_id text, phone text, first_name text, last_name text,
           email text, address1 text, address2 text, city text, state text, postal_code text, source text, origin text,
           do_not_call boolean, do_not_call_reason text, meta jsonb, created_by_job_id bigint, do_not_call_until timestamptz, push jsonb)),
       l AS (
         INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state,
                            postal_code, source, origin, do_not_call, do_not_call_reason, meta, created_by_job_id, do_not_call_until)
         SELECT external_lead_id, phone, first_name, last_name, email, address1, address2, city, state,
                postal_code, source, origin, do_not_call, do_not_call_reason, meta, created_by_job_id, do_not_call_until
           FROM x ORDER BY n
         RETURNING ${LEAD_COLUMNS}),
       o AS (
         INSERT INTO vici_pushes (lead_id, kind, payload)
         SELECT l.id::bigint, 'PUSH_LEAD', x.push FROM l JOIN x ON x.external_lead_id = l."externalLeadId"
          WHERE x.push IS NOT NULL ORDER BY x.n)
       SELECT * FROM l`,
      [
        JSON.stringify(
          rows.map((r, n) => ({
            n,
            external_lead_id: r.externalLeadId,
            phone: r.input.phone,
            first_name: r.input.firstName,
            last_name: r.input.lastName,
            email: r.input.email,
            address1: r.input.address1,
            address2: r.input.address2,
            city: r.input.city,
            state: r.input.state,
            postal_code: r.input.postalCode,
            source: r.input.source,
            origin: r.origin,
            do_not_call: r.doNotCall !== null,
            do_not_call_reason: r.doNotCall,
            meta: r.viciMeta,
            created_by_job_id: r.jobId,
            do_not_call_until: r.doNotCallUntil,
            push: r.push,
          })),
        ),
      ],
    );
    const byId = new Map(leads.map((l) => [l.externalLeadId, l]));
    return rows.map((r) => byId.get(r.externalLeadId)!);
  }

  /** One new lead (and its push record): the group's statement with one row. */
  private async insertLead(m: EntityManager, row: NewLeadRow): Promise<LeadEntity> {
    const [lead] = await this.insertLeads(m, [row]);
    return lead;
  }

  /**
   * Existing lead: new non-empty contact fields replace the stored ones. `changed` says
   * whether any value differed (an identical merge is no update: a re-run changes nothing).
   * For a job, the before-values go to sync_job_changes (unless the job created the lead).
   * A linked lead's change is queued for its Vici rows in the same transaction.
   */
  private async mergeFields(
    m: EntityManager,
    existing: ExistingLead,
    input: ValidLeadInput,
    opts: { dryRun: boolean; jobId: string | null },
  ): Promise<{ lead: LeadEntity; changed: boolean }> {
    const before: Partial<Record<string, string | null>> = {};
    const after: Partial<Record<string, string | null>> = {};
    const fieldsBefore: Partial<Record<ContactField, string | null>> = {};
    for (const f of CONTACT_FIELDS) {
      const column = CONTACT_COLUMN[f];
      if (input[f] === null || input[f] === existing[column]) continue;
      before[column] = existing[column];
      after[column] = input[f];
      fieldsBefore[f] = existing[column];
    }
    const columns = Object.keys(after);
    let changed = columns.length > 0;
    if (changed && !opts.dryRun) {
      const params: unknown[] = [existing.id, ...columns.map((c) => after[c])];
      const sets = columns.map((c, i) => `${c} = $${i + 2}`);
      const [, n] = await m.query(
        `UPDATE leads SET ${sets.join(", ")}, updated_at = now()
          WHERE id = $1 AND (${sets.map((s) => s.replace(" = ", " IS DISTINCT FROM ")).join(" OR ")})`,
        params,
      );
      changed = n > 0;
      if (changed) await this.fieldUpdates.queue(m, existing, fieldsBefore);
      if (changed && opts.jobId && existing.createdByJob !== opts.jobId) {
        const state = {
          meta: existing.meta,
          doNotCall: existing.doNotCall,
          doNotCallReason: existing.doNotCallReason,
          doNotCallUntil: existing.doNotCallUntil,
        };
        await m.query(
          `INSERT INTO sync_job_changes (job_id, target, key, action, before, after) VALUES ($1, 'brain', $2, 'update', $3, $4)
           ON CONFLICT DO NOTHING`,
          [
            opts.jobId,
            existing.id,
            JSON.stringify({ ...state, fields: before }),
            JSON.stringify({ ...state, fields: after }),
          ],
        );
      }
    }
    return { lead: (await this.leads.findOne({ id: existing.id }, m))!, changed };
  }

  private async enqueue(
    m: EntityManager,
    leadId: string,
    kind: "PUSH_LEAD" | "SET_VENDOR_CODE",
    payload: object,
  ): Promise<void> {
    // (A DEFERRED push is inserted where it is decided, with its due time.)
    await m.query("INSERT INTO vici_pushes (lead_id, kind, payload) VALUES ($1, $2, $3)", [
      leadId,
      kind,
      JSON.stringify(payload),
    ]);
  }
}
