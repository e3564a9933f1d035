/**
 * The vicidial_list column of each Brain contact field (Brain's `source` is VICIdial's
 * `source_id`). Keyed by Brain's ContactField (lead-input.ts): services index it with one, so
 * a field without its column does not compile.
 */
export const VICI_CONTACT_COLUMN = {
  firstName: "first_name",
  lastName: "last_name",
  email: "email",
  address1: "address1",
  address2: "address2",
  city: "city",
  state: "state",
  postalCode: "postal_code",
  source: "source_id",
} as const;
export type ViciContactColumn = (typeof VICI_CONTACT_COLUMN)[keyof typeof VICI_CONTACT_COLUMN];
