import pino, { type Logger } from "pino";
import { maskPhone } from "./services/phone";

/** JSON logs. Passwords and URLs with credentials are redacted; phones go through maskPhone. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "vici-brain-gateway" },
      redact: {
        paths: ["password", "*.password", "pass", "*.pass", "headers.authorization", "*.headers.authorization", "req.headers.cookie"],
        censor: "[redacted]",
      },
      serializers: { phone: (p: unknown) => (typeof p === "string" ? maskPhone(p) : p) },
    },
    destination,
  );
}

/** A database URL safe to log: the password is replaced. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "[unparseable url]";
  }
}
