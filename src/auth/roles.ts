/**
 * Who may do what. Roles are ordered: each includes everything the previous one may do.
 * - reader:   queries and subscriptions
 * - writer:   + createLead
 * - operator: + sync jobs (start, cancel, rollback), the intake switch, push retries
 * - admin:    + API key management
 */
export enum Role {
  READER = "reader",
  WRITER = "writer",
  OPERATOR = "operator",
  ADMIN = "admin",
}

export const ROLES: readonly Role[] = [Role.READER, Role.WRITER, Role.OPERATOR, Role.ADMIN];

/** Extra rights a key may carry on top of its role. `pii`: phone numbers unmasked. */
export enum Scope {
  PII = "pii",
}

export const SCOPES: readonly Scope[] = [Scope.PII];

/** Does a key with role `have` include the rights of role `need`? */
export function roleIncludes(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

export function isScope(v: unknown): v is Scope {
  return typeof v === "string" && (SCOPES as readonly string[]).includes(v);
}
