import type { DataSource } from "typeorm";
import { ApiKeyService } from "../auth/api-key.service";
import { Role, Scope } from "../auth/roles";

export const DEMO_KEY_NAME = "demo";
/** api_keys.created_by of demo keys: also how a Brain the demo filled is recognised (withDemoSettings). */
export const DEMO_KEY_CREATOR = "demo";

/**
 * A fresh admin key with the pii scope for a demo run, printed at start (a key's secret
 * cannot be shown again, so each demo start replaces the previous demo key: it is revoked).
 */
export async function issueDemoKey(brain: DataSource): Promise<string> {
  const keys = new ApiKeyService(brain, { required: true });
  for (const k of await keys.list()) {
    if (k.name === DEMO_KEY_NAME && !k.revokedAt) await keys.revoke(k.id);
  }
  return (
    await keys.create({ name: DEMO_KEY_NAME, role: Role.ADMIN, scopes: [Scope.PII], createdBy: DEMO_KEY_CREATOR })
  ).key;
}
