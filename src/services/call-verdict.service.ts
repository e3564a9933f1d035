import type { DataSource } from "typeorm";
import type { AppConfig } from "../config/app-config";
import { callRules, loadCallRulesFile } from "../config/call-rules";
import { UserInputError } from "../errors/errors";
import { CallFactsReader, MAX_NUMBERS } from "../vici/db/call-facts.reader";
import { callVerdict, type CallRules, type CallVerdict } from "../vici/rules/call-verdict";
import { checkCampaignId } from "../vici/db/campaigns.reader";
import { normalizePhone } from "../util/phone";
import { doNotCallHolds, type DoNotCallFlag } from "./do-not-call";

/** At most this many numbers per callVerdicts request (one read of the facts). */
export const MAX_VERDICT_NUMBERS = MAX_NUMBERS;
/** `at` may be at most this far ahead: the facts are today's, and openings are looked for within 400 days. */
const AT_AHEAD_MS = 366 * 86_400_000;
const AT_EARLIEST = Date.UTC(2000, 0, 1);

/** What Brain says about a number: do-not-call, and why (null: not in Brain, or callable as far as Brain knows). */
export interface BrainDoNotCall extends DoNotCallFlag {
  doNotCallReason: string | null;
}

export interface BrainDoNotCallLookup {
  /** Brain's do-not-call of the numbers Brain holds (E.164 → its flag). */
  doNotCallByPhones(phones: readonly string[]): Promise<Map<string, BrainDoNotCall>>;
}

/**
 * "May this number be called now in this campaign, and if not, why and from when?" — between
 * the API (and the CLI) and the engine: checks the request, reads the facts (VICIdial through
 * CallFactsReader, Brain's do-not-call) in batches of up to 1,000 numbers, and applies
 * callVerdict with our rules. The rule file is read and validated once, when the service is
 * built (the gateway does not start with a bad one).
 */
export class CallVerdictService {
  readonly rules: CallRules;
  private readonly reader: CallFactsReader;
  /** How far back our caps count calls (the longest cap window). */
  private readonly recentCallHours: number;

  constructor(
    vici: DataSource,
    private readonly brain: BrainDoNotCallLookup,
    private readonly config: AppConfig,
  ) {
    this.rules = callRules(config.recentCallDays, loadCallRulesFile(config.callRules.file));
    this.recentCallHours = Math.max(0, ...this.rules.callCaps.map((c) => c.hours));
    this.reader = new CallFactsReader(vici, {
      timeZone: config.vici.timeZone,
      defaultRegion: config.phone.defaultRegion,
    });
  }

  /** The campaign id and instant of a request, checked; `at` defaults to `now`. */
  request(
    campaignId: string,
    at: Date | null | undefined,
    now: Date,
    field = "campaignId",
  ): { campaignId: string; at: Date } {
    checkCampaignId(campaignId, field);
    const when = at ?? now;
    const t = when.getTime();
    if (Number.isNaN(t) || t < AT_EARLIEST || t > now.getTime() + AT_AHEAD_MS) {
      throw new UserInputError(
        "at must be from 2000 to 366 days from now (the verdict applies today's facts to that instant)",
        "at",
      );
    }
    return { campaignId, at: when };
  }

  /** One phone as a caller wrote it → E.164 (INVALID_PHONE otherwise). */
  parsePhone(input: string, field = "phone"): string {
    return normalizePhone(input, this.config.phone.defaultRegion, field);
  }

  /** Phones as a caller wrote them → E.164, in order; a bad one is INVALID_PHONE naming its place. */
  parsePhones(inputs: readonly string[], field = "phones"): string[] {
    if (inputs.length > MAX_VERDICT_NUMBERS) {
      throw new UserInputError(`at most ${MAX_VERDICT_NUMBERS} numbers at once (got ${inputs.length})`, field);
    }
    return inputs.map((input, i) => normalizePhone(input, this.config.phone.defaultRegion, `${field}[${i}]`));
  }

  /**
   * Verdicts of E.164 numbers (at most MAX_VERDICT_NUMBERS distinct ones) in one campaign at one
   * instant. `brain`: Brain's do-not-call where the caller has it (a page of leads); the other
   * numbers are looked up in Brain, in one statement.
   */
  async verdicts(
    phones: readonly string[],
    campaignId: string,
    at: Date,
    brain: ReadonlyMap<string, BrainDoNotCall | null> = new Map(),
  ): Promise<Map<string, CallVerdict>> {
    const unique = [...new Set(phones)];
    const unknown = unique.filter((p) => !brain.has(p));
    const looked = unknown.length ? await this.brain.doNotCallByPhones(unknown) : new Map<string, BrainDoNotCall>();
    const brainDoNotCall = new Map<string, string>();
    for (const p of unique) {
      const reason = heldByBrain(brain.has(p) ? brain.get(p)! : (looked.get(p) ?? null), at);
      if (reason !== null) brainDoNotCall.set(p, reason);
    }
    const batch = await this.reader.read({
      phones: unique,
      campaignId,
      at,
      recentCallHours: this.recentCallHours,
      brainDoNotCall,
    });
    return new Map(unique.map((p) => [p, callVerdict(CallFactsReader.factsOf(batch, p), this.rules, at)]));
  }
}

/**
 * Brain's do-not-call as a verdict fact, while it holds at `at`: every reason but
 * `recently_called`, which the engine recomputes from VICIdial's calls themselves (a call Brain
 * has not seen yet counts there too).
 */
export function heldByBrain(b: BrainDoNotCall | null, at: Date): string | null {
  if (!b || !doNotCallHolds(b, at)) return null;
  if (b.doNotCallReason === "recently_called") return null;
  return b.doNotCallReason ?? "no reason given";
}
