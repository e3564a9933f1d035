import type { Logger } from "pino";
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
  /** Who is asking (recorded on jobs they start); access control comes with API keys. */
  principal: string | null;
  /** The request's Idempotency-Key header, if any. */
  idempotencyKey: string | null;
}
