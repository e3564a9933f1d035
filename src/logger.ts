import pino, { type Logger } from "pino";
import { maskPhone } from "./util/phone";

/** Keys whose value is a secret wherever they appear (one level deep, as pino's redact allows). */
const SECRET_KEYS = ["password", "pass", "secret", "token", "apiKey", "authorization", "cookie"];
const SECRET_HEADERS = ["authorization", "cookie", "x-api-key", "x-signature"];

/**
 * JSON logs. Secrets are redacted by key; every string that looks like a phone number (in
 * the message, the fields and errors: a database error can quote a value) is masked.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "vici-brain-gateway" },
      redact: {
        paths: [
          ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
          ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]),
        ],
        censor: "[redacted]",
      },
      formatters: { log: (obj) => maskLogValue(obj, 0) as Record<string, unknown> },
      serializers: {
        msg: (m: unknown) => (typeof m === "string" ? maskPhonesInLogText(m) : m),
        // Callers often mask already (and the formatter runs first): masking twice would hide the last four digits.
        phone: (p: unknown) => (typeof p === "string" && !p.includes("*") ? maskPhone(p) : p),
        err: serializeError,
        error: serializeError,
      },
    },
    destination,
  );
}

/**
 * Masks what could be a phone number in free text: digits with at most two separators
 * between them ("+1 727-555-0101", "(727) 555-0101", "7275550101") adding up to 10+ digits,
 * or "+" and 8+ digits. Unlike the CLI's maskPhonesInText, a digit run glued to letters or a
 * "-" (a UUID's last group, a hex id) is left alone, so request ids stay readable.
 */
export function maskPhonesInLogText(text: string): string {
  return text.replace(/(?<![\w-])\+?\(?\d(?:[ ().-]{0,2}\d)+(?![\w-])/g, (m) => {
    const digits = m.replace(/\D/g, "").length;
    return digits >= 10 || (m.startsWith("+") && digits >= 8) ? maskPhone(m) : m;
  });
}

/** Strings masked, containers walked; errors are left to their serializer (they run after). */
function maskLogValue(v: unknown, depth: number): unknown {
  if (typeof v === "string") return maskPhonesInLogText(v);
  if (depth > 6 || v === null || typeof v !== "object" || v instanceof Error || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map((x) => maskLogValue(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskLogValue(x, depth + 1)]));
}

/** pino's error shape, minus bound query parameters (phones, names) and with phones masked. */
function serializeError(e: unknown): unknown {
  if (!(e instanceof Error)) return maskLogValue(e, 0);
  const out = pino.stdSerializers.err(e) as unknown as Record<string, unknown>;
  delete out.parameters;
  const driver = out.driverError as Record<string, unknown> | undefined;
  if (driver && typeof driver === "object") out.driverError = { ...driver, parameters: undefined };
  let plain: unknown;
  try {
    plain = JSON.parse(JSON.stringify(out)); // a plain object, so maskLogValue walks all of it
  } catch {
    plain = { type: out.type, message: out.message, stack: out.stack };
  }
  return maskLogValue(plain, 0);
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
