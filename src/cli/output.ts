import { InvalidArgumentError } from "commander";
import { ConfigError } from "../config/app-config";
import { CampaignNotManagedError, GatewayError } from "../errors/errors";
import { maskDeep, maskPhonesInText } from "../util/phone";
import { CAMPAIGN_ID } from "../vici/db/campaigns.reader";
import { FINAL_STATES, SyncJobKind, SyncJobState } from "../jobs/sync-job.types";

/** The CLI's exit codes. */
export const EXIT = {
  OK: 0,
  /** A job ended FAILED or CANCELLED, or any error (unknown campaign, database down, ...). */
  FAILED: 1,
  /** Bad arguments or configuration. */
  USAGE: 2,
  /** can-call: the number may not be called now (the same code as FAILED: anything but 0 means "do not dial"). */
  NOT_CALLABLE: 1,
  /** can-call: no answer (a database unreachable, a statement that failed): neither yes nor no. */
  NO_ANSWER: 4,
  /** The job SUCCEEDED, but some rows were rejected as bad (its `errors`, each an ERROR issue). */
  ROWS_REJECTED: 3,
  /** Ctrl-C: the job was cancelled (or the wait for it was). */
  INTERRUPTED: 130,
  /** SIGTERM: the job was left resumable. */
  TERMINATED: 143,
} as const;

/**
 * A closed pipe (EPIPE: `vici-brain jobs | head -1`) ends the process at once with the usual
 * code, without a stack trace: there is no one left to write to.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? EXIT.OK);
    throw e;
  });
}

/** A problem with the command line itself (exit 2), found after commander parsed it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Where a command writes: JSON (one object on stdout) or text for people. */
export class Output {
  constructor(readonly json: boolean) {}

  /**
   * Human text on stdout (nothing in --json mode). Text from outside (error messages, issue
   * reasons) goes through maskPhonesInText before it gets here.
   */
  line(text = ""): void {
    if (!this.json) process.stdout.write(text + "\n");
  }

  /** Notes for people on stderr (both modes: stdout stays clean for --json). */
  note(text: string): void {
    process.stderr.write(text + "\n");
  }

  /** The one JSON object of a --json run. */
  result(value: unknown): void {
    if (this.json) process.stdout.write(JSON.stringify(value, null, 2) + "\n");
  }

  /** Reports an error and returns the exit code it deserves. */
  error(e: unknown): number {
    const code = exitCodeOf(e);
    const message = maskPhonesInText(errorMessage(e));
    process.stderr.write(`error: ${message}\n`);
    if (this.json) {
      const kind =
        e instanceof GatewayError
          ? e.code
          : e instanceof ConfigError
            ? "BAD_CONFIGURATION"
            : e instanceof UsageError
              ? "BAD_ARGUMENTS"
              : "ERROR";
      process.stdout.write(JSON.stringify({ error: { code: kind, message } }, null, 2) + "\n");
    }
    return code;
  }
}

export function exitCodeOf(e: unknown): number {
  // A campaign outside VICI_CAMPAIGNS: bad arguments for this configuration.
  return e instanceof UsageError || e instanceof ConfigError || e instanceof CampaignNotManagedError
    ? EXIT.USAGE
    : EXIT.FAILED;
}

export function errorMessage(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

// The maskers moved to util/phone (the GraphQL layer masks with them too).
export { maskDeep, maskPhonesInText };

// ---- argument parsers (commander: a thrown InvalidArgumentError → exit 2 with the option named)

export function parsePositiveInt(max?: number) {
  const message = max === undefined ? "must be a positive whole number" : `must be a whole number from 1 to ${max}`;
  return (raw: string): number => {
    const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || (max !== undefined && n > max)) throw new InvalidArgumentError(message);
    return n;
  };
}

/** A whole number, 0 or more (e.g. --max-errors 0: fail at the first bad row). */
export function parseCount(raw: string): number {
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("must be a whole number, 0 or more");
  return n;
}

/** "Auto2,Autodial" (repeatable: lists add up). */
export function parseCampaigns(raw: string, previous: string[] = []): string[] {
  const ids = raw
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError("name at least one campaign, e.g. --campaigns=Auto2,Autodial");
  const bad = ids.filter((c) => !CAMPAIGN_ID.test(c));
  if (bad.length)
    throw new InvalidArgumentError(`not a VICIdial campaign id (1 to 8 of A-Z a-z 0-9 - _): ${bad.join(", ")}`);
  return [...new Set([...previous, ...ids])];
}

export function parseJobId(raw: string): string {
  const id = raw.trim();
  if (!/^[1-9][0-9]{0,17}$/.test(id))
    throw new InvalidArgumentError(`"${raw}" is not a job id (a positive whole number)`);
  return id;
}

export function parseStates(raw: string, previous: SyncJobState[] = []): SyncJobState[] {
  const all = Object.values(SyncJobState) as string[];
  const states = raw
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = states.filter((s) => !all.includes(s));
  if (bad.length || states.length === 0) throw new InvalidArgumentError(`must be one or more of ${all.join(", ")}`);
  return [...new Set([...previous, ...(states as SyncJobState[])])];
}

export function parseKinds(raw: string, previous: SyncJobKind[] = []): SyncJobKind[] {
  const all = Object.values(SyncJobKind) as string[];
  const kinds = raw
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = kinds.filter((s) => !all.includes(s));
  if (bad.length || kinds.length === 0) throw new InvalidArgumentError(`must be one or more of ${all.join(", ")}`);
  return [...new Set([...previous, ...(kinds as SyncJobKind[])])];
}

/** An ISO 8601 date or date-time ("2025-08-11", "2025-08-11T09:00:00-04:00"). */
export function parseIsoDate(raw: string): Date {
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    throw new InvalidArgumentError("must be an ISO date or date-time, e.g. 2025-08-11 or 2025-08-11T09:00:00-04:00");
  }
  const d = new Date(text.replace(" ", "T"));
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError("is not a real date");
  return d;
}

/** --map "Phone Number=phone" (repeatable); "Notes=" ignores a column. */
export function parseMapping(raw: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = raw.indexOf("=");
  const header = i > 0 ? raw.slice(0, i).trim() : "";
  if (!header)
    throw new InvalidArgumentError(
      `"${raw}" is not HEADER=field (e.g. "Phone Number=phone"; "Notes=" ignores a column)`,
    );
  return { ...previous, [header]: raw.slice(i + 1).trim() };
}

// ---- formatting

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "?" : Math.round(n).toLocaleString("en-US");
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Rounded down: 100,000 of 100,001 is 99.9%, not a misleading 100.0%. */
export function formatPercent(share: number): string {
  return `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}

export function formatTime(d: Date | string | null | undefined): string {
  if (!d) return "-";
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A plain text table: columns padded, numbers right-aligned. */
export function table(head: string[], rows: (string | number)[][]): string[] {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const numeric = head.map(
    (_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number" || /^[0-9,.%?-]+$/.test(String(r[c]))),
  );
  const widths = head.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  return cells.map((r) =>
    r
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd(),
  );
}

export const isFinal = (state: SyncJobState) => FINAL_STATES.has(state);
