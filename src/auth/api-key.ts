import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The shape of an API key: `vbg_<id>_<secret>`.
 * - `vbg_` makes a leaked key recognisable (secret scanners, logs);
 * - `<id>`: 12 hex characters, public, the row to look up (shown by `keys list`);
 * - `<secret>`: 32 random bytes, base64url (43 characters).
 * Brain stores only sha256(secret): the secret has 256 bits of entropy, so a fast hash is
 * enough (a slow password hash protects guessable secrets, which these are not).
 */
export const API_KEY_PREFIX = "vbg_";
const KEY_PATTERN = /^vbg_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  id: string;
  secret: string;
}

export interface NewApiKey {
  id: string;
  /** The whole key, given to its owner once and never stored. */
  key: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const id = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { id, key: `${API_KEY_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed key; null for anything else. */
export function parseApiKey(text: string): ParsedApiKey | null {
  const m = KEY_PATTERN.exec(text.trim());
  return m ? { id: m[1], secret: m[2] } : null;
}

export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant time: how much of a hash matched never shows in the response time. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const h = hashSecret(secret);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}

/**
 * The key a request carries: `Authorization: Bearer <key>` or `x-api-key: <key>`. Also reads
 * graphql-ws connectionParams (`{ authorization: "Bearer <key>" }` or `{ apiKey }`).
 * Returns null when none was sent.
 */
export function keyFromHeaders(headers: Record<string, unknown> | null | undefined): string | null {
  if (!headers) return null;
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const auth = first(headers["authorization"] ?? headers["Authorization"]);
  if (typeof auth === "string" && auth.trim() !== "") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth.trim());
    return m ? m[1] : auth.trim();
  }
  const key = first(headers["x-api-key"] ?? headers["apiKey"]);
  return typeof key === "string" && key.trim() !== "" ? key.trim() : null;
}
