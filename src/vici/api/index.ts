/**
 * VICIdial's Non-Agent API: the client (client.ts), its result lines (lines.ts), its
 * refusals (errors.ts; "unavailable" is vici/errors.ts's ViciUnavailableError) and its
 * parameters with the local checks (fields.ts).
 */
export * from "./client";
export * from "./lines";
export * from "./errors";
export * from "./fields";
