import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { AppConfig } from "../config/app-config";
import type { LeadEntity, LeadMeta } from "../entities/brain/lead.entity";
import { BrainUnavailableError, IdempotencyKeyReusedError, NotFoundError, UserInputError } from "../errors/errors";
import { isBrainUnreachable } from "../data-sources/brain-errors";
import { CONTACT_COLUMN, CONTACT_FIELDS, validateUpdateLead, type ContactField } from "./lead-input";
import type { LeadService } from "./lead.service";
import type { ViciPusher } from "./vici-pusher";
import { maskPhone } from "../util/phone";
import type { ViciFieldUpdates } from "./vici-field-updates";

export interface UpdateLeadResult {
  lead: LeadEntity;
  /** The contact fields whose value changed (GraphQL names); empty when the lead had them all. */
  changedFields: ContactField[];
  /** The outbox record that takes the change to VICIdial; null when nothing goes there (not linked, nothing changed). */
  viciPushId: string | null;
}

export interface UpdateLeadOptions {
  /** A repeat with the same key returns the first answer and changes nothing. */
  idempotencyKey?: string | null;
  /** Whose keys these are (`updateLead:<API key id>`): one client never replays another's answer. */
  idempotencyScope: string;
}

interface StoredUpdate {
  leadId: string;
  changedFields: ContactField[];
  viciPushId: string | null;
}

type LockedLead = Record<ContactField, string | null> & { id: string; phone: string; meta: LeadMeta };

/**
 * updateLead: a CRM changes a lead's contact fields in Brain. The change and its way to
 * VICIdial (an UPDATE_FIELDS outbox record, for a linked lead) commit in one transaction;
 * the pusher delivers it. The phone is the lead's identity (Brain's unique key, VICIdial's
 * dedupe key): it cannot be changed here.
 */
export class LeadUpdateService {
  constructor(
    private readonly brain: DataSource,
    private readonly config: AppConfig,
    private readonly leads: LeadService,
    private readonly fieldUpdates: ViciFieldUpdates,
    private readonly pusher: ViciPusher,
    private readonly log: Logger,
  ) {}

  async updateLead(raw: unknown, opts: UpdateLeadOptions): Promise<UpdateLeadResult> {
    const input = validateUpdateLead(raw, this.config.phone.defaultRegion);
    const key = opts.idempotencyKey?.trim() || null;
    if (key !== null && key.length > 200)
      throw new UserInputError("Idempotency-Key is longer than 200 characters", "Idempotency-Key");
    const hash = createHash("sha256")
      .update(JSON.stringify(["updateLead", input]))
      .digest("hex");
    let stored: StoredUpdate;
    try {
      // One transaction: nothing is half done. A repeat after a lost answer is safe with the
      // key (the first answer), and without one (the same values change nothing).
      stored = await this.brain.transaction((m) =>
        this.apply(m, input, key ? { scope: opts.idempotencyScope, key, hash } : null),
      );
    } catch (e) {
      if (isBrainUnreachable(e))
        throw new BrainUnavailableError(
          "the update may not have been stored: send it again (with the same Idempotency-Key)",
        );
      throw e;
    }
    if (stored.viciPushId) this.pusher.kick();
    const lead = await this.leads.findOne({ id: stored.leadId });
    if (!lead) throw new NotFoundError("lead", stored.leadId); // removed since (a rollback)
    this.log.info(
      { leadId: lead.id, phone: maskPhone(lead.phone), changed: stored.changedFields, viciPushId: stored.viciPushId },
      "updateLead",
    );
    return { lead, changedFields: stored.changedFields, viciPushId: stored.viciPushId };
  }

  private async apply(
    m: EntityManager,
    input: ReturnType<typeof validateUpdateLead>,
    idem: { scope: string; key: string; hash: string } | null,
  ): Promise<StoredUpdate> {
    if (idem) {
      // A key's requests one at a time: a concurrent repeat waits and then reads the answer.
      await m.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`idempotency:${idem.scope}:${idem.key}`]);
      const [row] = await m.query("SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2", [
        idem.scope,
        idem.key,
      ]);
      if (row && row.request_hash !== idem.hash) throw new IdempotencyKeyReusedError();
      if (row) return row.response as StoredUpdate;
    }
    const [lead]: LockedLead[] = await m.query(
      `SELECT id::text AS id, phone, meta, ${CONTACT_FIELDS.map((f) => `${CONTACT_COLUMN[f]} AS "${f}"`).join(", ")}
         FROM leads WHERE id = $1 FOR UPDATE`,
      [input.id],
    );
    if (!lead) throw new NotFoundError("lead", input.id);
    if (input.phone !== null && input.phone !== lead.phone) {
      throw new UserInputError(
        "phone cannot be changed: it is the lead's identity in Brain and VICIdial (create a lead with the new phone instead)",
        "phone",
      );
    }
    const before: Partial<Record<ContactField, string | null>> = {};
    for (const f of CONTACT_FIELDS) {
      const value = input.fields[f];
      if (value !== undefined && value !== lead[f]) before[f] = lead[f];
    }
    const changedFields = Object.keys(before) as ContactField[];
    let viciPushId: string | null = null;
    if (changedFields.length) {
      await m.query(
        `UPDATE leads SET ${changedFields.map((f, i) => `${CONTACT_COLUMN[f]} = $${i + 2}`).join(", ")}, updated_at = now() WHERE id = $1`,
        [lead.id, ...changedFields.map((f) => input.fields[f])],
      );
      viciPushId = await this.fieldUpdates.queue(m, lead, before);
    }
    const answer: StoredUpdate = { leadId: lead.id, changedFields, viciPushId };
    if (idem) {
      await m.query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, response, final) VALUES ($1, $2, $3, $4, true)",
        [idem.scope, idem.key, idem.hash, JSON.stringify(answer)],
      );
    }
    return answer;
  }
}
