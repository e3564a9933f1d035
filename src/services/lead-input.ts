import type { CountryCode } from "libphonenumber-js";
import { LEAD_FIELD_LIMITS } from "../entities/brain/lead.entity";
import { UserInputError } from "../errors/errors";
import { normalizePhone } from "./phone";

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
}

export const CONTACT_FIELDS = ["firstName", "lastName", "email", "address1", "address2", "city", "state", "postalCode", "source"] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
const KNOWN_FIELDS = new Set<string>(["phone", ...CONTACT_FIELDS, "campaignId", "listId"]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters never belong in a lead, and VICIdial's exports break on them.
const CONTROL = /[\u0000-\u001f\u007f]/;

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

  const out = { phone: normalizePhone(req.phone, region, "phone") } as ValidLeadInput;
  for (const f of CONTACT_FIELDS) {
    const v = req[f];
    if (v != null && typeof v !== "string") throw new UserInputError(`${f} must be a string`, f);
    const text = (v as string | null | undefined)?.trim() || null;
    if (text !== null) {
      if (CONTROL.test(text)) throw new UserInputError(`${f} contains control characters`, f);
      // U+FFFD stands for bytes that were not UTF-8 somewhere upstream: the text is already lost.
      if (text.includes("\uFFFD")) throw new UserInputError(`${f} contains U+FFFD, a character that replaced bytes that were not UTF-8`, f);
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
  return out;
}
