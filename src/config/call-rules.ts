import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CallCapRule, CallRules, StateWindowRule, Weekday } from "../vici/rules/call-verdict/types";
import { ConfigError } from "./app-config";

/**
 * The rule file (CALL_RULES_FILE): our own calling rules on top of VICIdial's — state calling
 * windows and per-number call caps — each with its citation. JSON, validated here with zod
 * when it is loaded; a bad file stops the process with every problem listed. Without a file
 * only the built-in legal floor applies (08:00–21:00, 47 CFR 64.1200(c)(1)), which no rule can
 * widen. config/call-rules.example.json ships examples; they are not legal advice.
 */

/** A configuration error (the CLI exits 2, the gateway does not start) naming the file and every problem. */
export class CallRulesError extends ConfigError {
  constructor(
    readonly path: string,
    problems: string[],
  ) {
    super(problems);
    this.message = `Invalid call rules file ${path}:\n  - ${problems.join("\n  - ")}`;
    this.name = "CallRulesError";
  }
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** "HH:MM" → minutes after midnight; "24:00" allowed as an end. */
const clock = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "must be HH:MM (00:00 to 24:00)")
  .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3)))
  .refine((m) => m <= 1440, "must not be after 24:00");

const state = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be a two-letter state code")
  .transform((s) => s.toUpperCase());

const citation = z.string().trim().min(3, "every rule needs its citation (the law or policy it follows)");

const HoursSchema = z
  .object({ days: z.array(z.enum(WEEKDAYS)).min(1), start: clock, end: clock })
  .strict()
  .refine((w) => w.start < w.end, { message: "start must be before end", path: ["end"] });

const StateWindowSchema = z
  .object({
    id: z.string().min(1),
    states: z.array(state).min(1),
    hours: z.array(HoursSchema).min(1),
    citation,
    note: z.string().optional(),
  })
  .strict();

const CallCapSchema = z
  .object({
    id: z.string().min(1),
    states: z.array(state).default([]),
    maxCalls: z.number().int().min(1),
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366),
    citation,
    note: z.string().optional(),
  })
  .strict();

export const CallRulesFileSchema = z
  .object({
    about: z.string().optional(),
    stateWindows: z.array(StateWindowSchema).default([]),
    callCaps: z.array(CallCapSchema).default([]),
  })
  .strict()
  .superRefine((f, ctx) => {
    const ids = [...f.stateWindows, ...f.callCaps].map((r) => r.id);
    for (const [i, id] of ids.entries()) {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: "custom", message: `rule id "${id}" is used twice`, path: [] });
    }
  });

export interface CallRulesFile {
  stateWindows: StateWindowRule[];
  callCaps: CallCapRule[];
}

/** No file: no state windows, no caps (the legal floor is built into the engine). */
export const NO_CALL_RULES: CallRulesFile = { stateWindows: [], callCaps: [] };

/** Validates a parsed rule file; throws CallRulesError naming every problem. */
export function parseCallRules(value: unknown, path = "(call rules)"): CallRulesFile {
  const parsed = CallRulesFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new CallRulesError(
      path,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "file"}: ${i.message}`),
    );
  }
  return {
    stateWindows: parsed.data.stateWindows.map((w) => ({
      id: w.id,
      states: w.states,
      hours: w.hours.map((h) => ({ days: [...h.days] as Weekday[], start: h.start, end: h.end })),
      citation: w.citation,
    })),
    callCaps: parsed.data.callCaps.map((c) => ({
      id: c.id,
      states: c.states,
      maxCalls: c.maxCalls,
      hours: c.hours,
      citation: c.citation,
    })),
  };
}

/** Reads and validates the rule file at `path` (null: no rules of our own). */
export function loadCallRulesFile(path: string | null): CallRulesFile {
  if (path === null) return NO_CALL_RULES;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CallRulesError(path, [`cannot be read: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CallRulesError(path, [`is not JSON: ${(e as Error).message}`]);
  }
  return parseCallRules(json, path);
}

/** The rules callVerdict takes: RECENT_CALL_DAYS from the configuration and the rule file. */
export function callRules(recentCallDays: number, file: CallRulesFile): CallRules {
  return { recentCallDays, stateWindows: file.stateWindows, callCaps: file.callCaps };
}
