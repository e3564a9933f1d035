import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { LeadEntity, LeadMeta } from "../entities/brain/lead.entity";
import { IdempotencyKeyReusedError, UserInputError } from "../errors/errors";
import { decideCreate, ViciAction, type ViciMatch } from "./call-guard";
import { isViciUnreachable } from "./errors-vici";
import { newExternalLeadId } from "./external-lead-id";
import type { IntakeSwitchService } from "./intake-switch.service";
import { CONTACT_FIELDS, validateCreateLead, type ValidLeadInput } from "./lead-input";
import { LEAD_COLUMNS, type LeadService } from "./lead.service";
import type { OutboxPusher } from "./outbox-pusher";
import { maskPhone } from "./phone";
import type { ViciFactsService } from "./vici-facts.service";
import type { ViciLeadService } from "./vici-lead.service";

export interface CreateLeadResult {
  lead: LeadEntity;
  created: boolean;
  viciAction: ViciAction;
  reasons: string[];
}

export interface CreateLeadOptions {
  /** How the lead arrived: "api" (GraphQL) or "webhook". */
  origin: "api" | "webhook";
  /** A repeat with the same key returns the first result. */
  idempotencyKey?: string | null;
}

interface StoredResponse {
  leadId: string;
  created: boolean;
  viciAction: ViciAction;
  reasons: string[];
}

/** Brain-first lead creation: one path for the createLead mutation and the webhook. */
export class LeadIntakeService {
  constructor(
    private readonly brain: DataSource,
    private readonly config: AppConfig,
    private readonly leads: LeadService,
    private readonly viciLeads: ViciLeadService,
    private readonly facts: ViciFactsService,
    private readonly intake: IntakeSwitchService,
    private readonly pusher: OutboxPusher,
    private readonly log: Logger,
  ) {}

  async createLead(raw: unknown, opts: CreateLeadOptions): Promise<CreateLeadResult> {
    const input = validateCreateLead(raw, this.config.phone.defaultRegion);
    const key = opts.idempotencyKey?.trim() || null;
    if (key !== null && key.length > 200) throw new UserInputError("Idempotency-Key is longer than 200 characters", "Idempotency-Key");
    const hash = createHash("sha256").update(JSON.stringify([opts.origin, input])).digest("hex");
    if (key) {
      const replay = await this.replay(this.brain.manager, key, hash);
      if (replay) return replay;
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
      viciDown = e;
    }

    const outcome = await this.brain.transaction(async (m) => {
      // Serialise creates of one phone across every process: VICIdial's own duplicate check races.
      await m.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`lead-phone:${input.phone}`]);
      if (key) {
        const replay = await this.replay(m, key, hash);
        if (replay) return { result: replay, pushLead: false, checked: true };
      }
      const [existing]: LeadEntity[] = await m.query(`SELECT id::text AS id FROM leads WHERE phone = $1 FOR UPDATE`, [input.phone]);
      let result: CreateLeadResult;
      let pushLead = false;
      let checked = true;
      if (existing) {
        const lead = await this.mergeFields(m, existing.id, input);
        result = { lead, created: false, viciAction: ViciAction.ALREADY_IN_BRAIN, reasons: ["the phone is already in Brain"] };
      } else {
        let facts = null;
        if (!viciDown && catalog) {
          try {
            facts = await this.facts.facts(input.phone, target, catalog, new Date());
          } catch (e) {
            if (!isViciUnreachable(e)) throw e;
            viciDown = e;
          }
        }
        if (!facts) {
          // Nothing known yet: store and queue; the pusher runs every check before it inserts.
          const lead = await this.insertLead(m, opts.origin, input, newExternalLeadId(), null, {});
          await this.enqueue(m, lead.id, "PUSH_LEAD", { listId: target?.listId ?? null, campaignId: input.campaignId, source: input.source });
          result = { lead, created: true, viciAction: ViciAction.QUEUED, reasons: ["VICIdial is unreachable: checks and push are queued"] };
          pushLead = true;
          checked = false;
        } else {
          const codes = facts.rows.map((r) => r.vendorLeadCode?.trim()).filter((c): c is string => !!c);
          const taken: { code: string }[] = codes.length
            ? await m.query("SELECT lower(external_lead_id) AS code FROM leads WHERE external_lead_id = ANY($1)", [codes])
            : [];
          const d = decideCreate({ ...facts, takenExternalIds: new Set(taken.map((t) => t.code)) });
          if (d.action === "PUSH" && !target) {
            throw new UserInputError(
              "no VICIdial list for this lead: pass listId or campaignId, or configure VICI_DEFAULT_LIST_ID",
              "listId",
            );
          }
          const lead = await this.insertLead(m, opts.origin, input, d.adoptExternalLeadId ?? newExternalLeadId(), d.doNotCall, {
            ...(d.primary ? linkMeta(d.primary, facts.rows) : {}),
            ...(d.lastCallAt ? { last_call_date: d.lastCallAt.toISOString() } : {}),
          });
          for (const viciLeadId of d.writeVendorCodeTo) {
            await this.enqueue(m, lead.id, "SET_VENDOR_CODE", { viciLeadId, vendorLeadCode: lead.externalLeadId });
          }
          if (d.action === "PUSH") {
            await this.enqueue(m, lead.id, "PUSH_LEAD", { listId: target!.listId, campaignId: target!.campaignId, source: input.source });
            pushLead = true;
          }
          result = { lead, created: true, viciAction: d.action === "PUSH" ? ViciAction.QUEUED : d.action, reasons: d.reasons };
        }
      }
      if (key) await this.remember(m, key, hash, result);
      return { result, pushLead, checked };
    });

    let { result } = outcome;
    if (outcome.pushLead) result = await this.pushNow(result, key, outcome.checked);
    else if (result.created) this.pusher.kick();
    this.log.info(
      { phone: maskPhone(input.phone), leadId: result.lead.id, created: result.created, viciAction: result.viciAction, origin: opts.origin },
      "createLead",
    );
    return result;
  }

  /** Tries the push at once so the caller usually sees CREATED; otherwise it stays queued. */
  private async pushNow(result: CreateLeadResult, key: string | null, checked: boolean): Promise<CreateLeadResult> {
    // Checked a moment ago under the phone lock: the push need not check again.
    const delivered = await this.pusher.deliverLead(result.lead.id, { recheck: !checked });
    if (delivered === "PAUSED") return { ...result, reasons: [...result.reasons, "intake is paused: the push waits for resumeIntake"] };
    if (delivered !== "DONE") {
      this.pusher.kick();
      if (delivered === "SKIPPED" || delivered === "FAILED") {
        const lead = (await this.leads.findOne({ id: result.lead.id }))!;
        return { ...result, lead, reasons: [...result.reasons, `push ${delivered.toLowerCase()}: see viciSync`] };
      }
      return result;
    }
    const lead = (await this.leads.findOne({ id: result.lead.id }))!;
    const final = { ...result, lead, viciAction: ViciAction.CREATED };
    if (key) await this.remember(this.brain.manager, key, null, final);
    return final;
  }

  private async replay(m: EntityManager, key: string, hash: string): Promise<CreateLeadResult | null> {
    const [row] = await m.query("SELECT request_hash, response FROM idempotency_keys WHERE scope = 'createLead' AND key = $1", [key]);
    if (!row) return null;
    if (row.request_hash !== hash) throw new IdempotencyKeyReusedError();
    const stored = row.response as StoredResponse;
    const lead = await this.leads.findOne({ id: stored.leadId });
    if (!lead) return null; // the lead was removed (rollback): treat the request as new
    return { lead, created: stored.created, viciAction: stored.viciAction, reasons: stored.reasons };
  }

  /** Stores (hash given) or updates (hash null) the response a key replays. */
  private async remember(m: EntityManager, key: string, hash: string | null, r: CreateLeadResult): Promise<void> {
    const response: StoredResponse = { leadId: r.lead.id, created: r.created, viciAction: r.viciAction, reasons: r.reasons };
    if (hash) {
      await m.query("INSERT INTO idempotency_keys (scope, key, request_hash, response) VALUES ('createLead', $1, $2, $3)", [
        key,
        hash,
        JSON.stringify(response),
      ]);
    } else {
      await m.query("UPDATE idempotency_keys SET response = $2 WHERE scope = 'createLead' AND key = $1", [key, JSON.stringify(response)]);
    }
  }

  private async insertLead(
    m: EntityManager,
    origin: CreateLeadOptions["origin"],
    input: ValidLeadInput,
    externalLeadId: string,
    doNotCall: "dnc" | "recently_called" | null,
    viciMeta: LeadMeta,
  ): Promise<LeadEntity> {
    const [lead] = await m.query(
      `INSERT INTO leads (external_lead_id, phone, first_name, last_name, email, address1, address2, city, state,
                          postal_code, source, origin, do_not_call, do_not_call_reason, meta)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING ${LEAD_COLUMNS}`,
      [
        externalLeadId,
        input.phone,
        input.firstName,
        input.lastName,
        input.email,
        input.address1,
        input.address2,
        input.city,
        input.state,
        input.postalCode,
        input.source,
        origin,
        doNotCall !== null,
        doNotCall,
        JSON.stringify(viciMeta),
      ],
    );
    return lead;
  }

  /** Existing lead: new non-empty contact fields replace the stored ones. */
  private async mergeFields(m: EntityManager, id: string, input: ValidLeadInput): Promise<LeadEntity> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const columns: Record<(typeof CONTACT_FIELDS)[number], string> = {
      firstName: "first_name",
      lastName: "last_name",
      email: "email",
      address1: "address1",
      address2: "address2",
      city: "city",
      state: "state",
      postalCode: "postal_code",
      source: "source",
    };
    for (const f of CONTACT_FIELDS) {
      if (input[f] === null) continue;
      params.push(input[f]);
      sets.push(`${columns[f]} = $${params.length}`);
    }
    if (sets.length) {
      await m.query(
        `UPDATE leads SET ${sets.join(", ")}, updated_at = now()
          WHERE id = $1 AND (${sets.map((s) => s.replace(" = ", " IS DISTINCT FROM ")).join(" OR ")})`,
        params,
      );
    }
    return (await this.leads.findOne({ id }, m))!;
  }

  private async enqueue(m: EntityManager, leadId: string, kind: "PUSH_LEAD" | "SET_VENDOR_CODE", payload: object): Promise<void> {
    await m.query("INSERT INTO vici_outbox (lead_id, kind, payload) VALUES ($1, $2, $3)", [leadId, kind, JSON.stringify(payload)]);
  }
}

/** Brain's meta for a lead linked to Vici rows (seed keys). */
export function linkMeta(primary: ViciMatch, rows: ViciMatch[]): LeadMeta {
  return {
    vici_lead_id: primary.leadId,
    vici_lead_ids: rows.map((r) => r.leadId).sort((a, b) => a - b),
    vici_list_id: primary.listId,
    vici_campaign_id: primary.campaignId,
    vici_status: primary.statusCode ?? undefined,
    synced_at: new Date().toISOString(),
  };
}
