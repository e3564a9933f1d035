import type { Logger } from "pino";
import type { Principal } from "./auth/principal";
import type { AppConfig } from "./config/app-config";
import type { Loaders } from "./loaders/loaders";
import type { Services } from "./services";

/** What every resolver receives: one per HTTP request or graphql-ws operation. */
export interface RequestContext {
  requestId: string;
  config: AppConfig;
  services: Services;
  loaders: Loaders;
  log: Logger;
  /** The API key asking (its role, its scopes); null only before authentication. */
  principal: Principal | null;
  /** The request's Idempotency-Key header, if any. */
  idempotencyKey: string | null;
}
