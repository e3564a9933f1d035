import type { CountryCode } from "libphonenumber-js";
import { LEAD_FIELD_LIMITS } from "../entities/brain/lead.entity";
import { UserInputError } from "../errors/errors";
import { normalizePhone } from "../util/phone";

/** A new lead as a client sends it (GraphQL input or webhook JSON). */
export interface CreateLeadRequest {
  phone: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  source?: string | null;
  /** Target campaign: its list comes from VICI_CAMPAIGN_LISTS. */
  campaignId?: string | null;
  /** Target list, overriding every mapping. */
  listId?: number | null;
  /** false: a number called within RECENT_CALL_DAYS is not pushed later (SKIPPED_RECENTLY_CALLED). Default true (DEFERRED). */
  deferred?: boolean | null;
}

/** The same, validated: phone in E.164, blanks as null, every value fits VICIdial's columns. */
export interface ValidLeadInput {
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  source: string | null;
  campaignId: string | null;
  listId: number | null;
  /** A recently called number's push waits for the end of its window (true) or is skipped (false). */
  deferred: boolean;
}

export const CONTACT_FIELDS = [
  "firstName",
  "lastName",
  "email",
  "address1",
  "address2",
  "city",
  "state",
  "postalCode",
  "source",
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
/** Each contact field's column in Brain's leads table. */
export const CONTACT_COLUMN = {
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  address1: "address1",
  address2: "address2",
  city: "city",
  state: "state",
  postalCode: "postal_code",
  source: "source",
} as const satisfies Record<ContactField, string>;
const KNOWN_FIELDS = new Set<string>(["phone", ...CONTACT_FIELDS, "campaignId", "listId", "deferred"]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters never belong in a lead, and VICIdial's exports break on them.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The contact fields of a create or an update, each checked the one way (trimmed, blanks as
 * null, no control characters or U+FFFD, VICIdial's column size, email shape, 2-letter state).
 */
function validateContactFields(req: Record<string, unknown>): Record<ContactField, string | null> {
  const out = {} as Record<ContactField, string | null>;
  for (const f of CONTACT_FIELDS) {
    const v = req[f];
    if (v != null && typeof v !== "string") throw new UserInputError(`${f} must be a string`, f);
    const text = (v as string | null | undefined)?.trim() || null;
    if (text !== null) {
      if (CONTROL.test(text)) throw new UserInputError(`${f} contains control characters`, f);
      // U+FFFD stands for bytes that were not UTF-8 somewhere upstream: the text is already lost.
      if (text.includes("\uFFFD"))
        throw new UserInputError(`${f} contains U+FFFD, a character that replaced bytes that were not UTF-8`, f);
      if ([...text].length > LEAD_FIELD_LIMITS[f]) {
        throw new UserInputError(`${f} is longer than ${LEAD_FIELD_LIMITS[f]} characters (VICIdial's column size)`, f);
      }
    }
    out[f] = text;
  }
  if (out.email !== null && !EMAIL.test(out.email)) throw new UserInputError("email is not an email address", "email");
  if (out.state !== null) {
    if (!/^[A-Za-z]{2}$/.test(out.state)) throw new UserInputError("state must be a 2-letter code such as FL", "state");
    out.state = out.state.toUpperCase();
  }
  return out;
}

/**
 * Checks a create request completely before anything is written: the first problem found is
 * reported with the field it concerns (extensions.field).
 */
export function validateCreateLead(raw: unknown, region: CountryCode): ValidLeadInput {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new UserInputError("a lead must be a JSON object");
  const req = raw as Record<string, unknown>;
  const unknown = Object.keys(req).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length) throw new UserInputError(`unknown field(s): ${unknown.join(", ")}`, unknown[0]);
  if (typeof req.phone !== "string" || !req.phone.trim()) throw new UserInputError("phone is required", "phone");

  const out = { phone: normalizePhone(req.phone, region, "phone"), ...validateContactFields(req) } as ValidLeadInput;

  const campaign = req.campaignId;
  if (campaign != null && (typeof campaign !== "string" || !/^[-_0-9A-Za-z]{1,8}$/.test(campaign))) {
    throw new UserInputError("campaignId must be a VICIdial campaign id (1-8 letters, digits, - or _)", "campaignId");
  }
  out.campaignId = (campaign as string | null | undefined) ?? null;
  const list = req.listId;
  if (list != null && (typeof list !== "number" || !Number.isSafeInteger(list) || list < 100)) {
    throw new UserInputError("listId must be a VICIdial list id (a whole number of 3 or more digits)", "listId");
  }
  out.listId = (list as number | null | undefined) ?? null;
  if (req.deferred != null && typeof req.deferred !== "boolean")
    throw new UserInputError("deferred must be true or false", "deferred");
  out.deferred = req.deferred !== false;
  return out;
}

/** A change to a lead's contact fields as a client sends it (the updateLead mutation). */
export interface UpdateLeadRequest extends Partial<Record<ContactField, string | null>> {
  id: string;
  /** The lead's phone, if sent: it must be the phone the lead has (a phone is a lead's identity). */
  phone?: string | null;
}

/** The same, validated: the fields to set (omitted, null and blank fields are left as they are). */
export interface ValidLeadUpdate {
  id: string;
  phone: string | null;
  fields: Partial<Record<ContactField, string>>;
}

const UPDATE_FIELDS = new Set<string>(["id", "phone", ...CONTACT_FIELDS]);

/**
 * Checks an update completely before anything is read or written, with the create's rules for
 * every contact field. A field cannot be emptied: blank means "leave it" as in a create's merge
 * (VICIdial's Non-Agent API cannot blank a field either, so both write modes behave alike).
 */
export function validateUpdateLead(raw: unknown, region: CountryCode): ValidLeadUpdate {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new UserInputError("an update must be a JSON object");
  const req = raw as Record<string, unknown>;
  const unknown = Object.keys(req).filter((k) => !UPDATE_FIELDS.has(k));
  if (unknown.length) throw new UserInputError(`unknown field(s): ${unknown.join(", ")}`, unknown[0]);
  if (typeof req.id !== "string" || !/^[1-9][0-9]{0,17}$/.test(req.id))
    throw new UserInputError("id must be a lead id", "id");
  if (req.phone != null && typeof req.phone !== "string") throw new UserInputError("phone must be a string", "phone");
  const phone = typeof req.phone === "string" && req.phone.trim() ? normalizePhone(req.phone, region, "phone") : null;
  const all = validateContactFields(req);
  const fields: Partial<Record<ContactField, string>> = {};
  for (const f of CONTACT_FIELDS) if (all[f] !== null) fields[f] = all[f]!;
  return { id: req.id, phone, fields };
}
