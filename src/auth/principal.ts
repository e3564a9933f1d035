import { Role, Scope } from "./roles";

/** Who is asking: the API key a request authenticated with. */
export interface Principal {
  /** The key's public id (never its secret). */
  keyId: string;
  name: string;
  role: Role;
  scopes: readonly Scope[];
}

/**
 * Requests without a key when API_KEYS_REQUIRED=false (local development only): full rights,
 * so a fresh checkout works without creating a key first.
 */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  keyId: "local",
  name: "no key (API_KEYS_REQUIRED=false)",
  role: Role.ADMIN,
  scopes: Object.freeze([Scope.PII]),
});

/** Phone numbers are shown in full only to keys with the pii scope. */
export function canSeePii(principal: Principal | null): boolean {
  return !!principal && principal.scopes.includes(Scope.PII);
}

/** How a principal is recorded on what it starts (sync_jobs.started_by, 100 characters). */
export function principalLabel(principal: Principal | null): string | null {
  return principal ? `key:${principal.keyId} ${principal.name}`.slice(0, 100) : null;
}
