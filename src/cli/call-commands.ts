import { InvalidArgumentError, type Command } from "commander";
import { ConfigError } from "../config/app-config";
import { GatewayError } from "../errors/errors";
import { CAMPAIGN_ID } from "../vici/db/campaigns.reader";
import { maskPhone } from "../util/phone";
import { CALL_REASON_TEXT, type CallVerdict } from "../vici/rules/call-verdict";
import { usageExit, withApp } from "./app-runner";
import { EXIT, formatDuration, formatTime, maskPhonesInText, parseIsoDate, UsageError, type Output } from "./output";

/** `can-call`: the call verdict of one number, for people and for scripts (exit code). Read-only. */
export function registerCallCommands(program: Command): void {
  usageExit(program.command("can-call"))
    .description("may this number be called now in this campaign — and if not, why, and when each reason lifts")
    .argument("<phone>", "the number, any common format (read with PHONE_DEFAULT_REGION)")
    .requiredOption("--campaign <id>", "the VICIdial campaign whose dialer and rules apply", parseCampaignId)
    .option(
      "--at <iso>",
      "ask about this instant instead of now (today's facts: what holds if nothing changes)",
      parseIsoDate,
    )
    .option("--json", "print the verdict as JSON")
    .addHelpText(
      "after",
      "\nExit codes: 0 callable, 1 not callable, 2 bad arguments or configuration (not a phone number, a bad --at," +
        " an invalid CALL_RULES_FILE), 4 no answer (a database could not be read).\n\nExample:\n  vici-brain can-call '(727) 555-0101' --campaign Auto2 --at 2025-08-11T09:00:00-04:00",
    )
    .action((phone: string, opts: { campaign: string; at?: Date; json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false, errorExit: canCallErrorExit }, async ({ app, out }) => {
        const s = app.services.callVerdicts;
        const { campaignId, at } = s.request(opts.campaign, opts.at, new Date(), "--campaign");
        const e164 = s.parsePhone(phone, "PHONE");
        const verdict = (await s.verdicts([e164], campaignId, at)).get(e164)!;
        out.result(verdictJson(e164, campaignId, verdict));
        printVerdict(out, e164, campaignId, verdict);
        return verdict.callable ? EXIT.OK : EXIT.NOT_CALLABLE;
      }),
    );
}

function parseCampaignId(raw: string): string {
  const id = raw.trim();
  if (!CAMPAIGN_ID.test(id)) throw new InvalidArgumentError("not a VICIdial campaign id (1 to 8 of A-Z a-z 0-9 - _)");
  return id;
}

/** Bad input or configuration: 2; anything else kept the question unanswered: 4 (never 0 or 1). */
export function canCallErrorExit(e: unknown): number {
  if (e instanceof UsageError || e instanceof ConfigError) return EXIT.USAGE;
  if (e instanceof GatewayError && (e.code === "BAD_USER_INPUT" || e.code === "INVALID_PHONE")) return EXIT.USAGE;
  return EXIT.NO_ANSWER;
}

/** The verdict as --json prints it: the API's fields, the phone masked as everywhere in the CLI. */
function verdictJson(phone: string, campaignId: string, v: CallVerdict) {
  return {
    phone: maskPhone(phone),
    campaignId,
    at: v.at.toISOString(),
    callable: v.callable,
    compliant: v.compliant,
    callableAt: v.callableAt?.toISOString() ?? null,
    compliantAt: v.compliantAt?.toISOString() ?? null,
    viciLeadId: v.leadId,
    reasons: v.reasons.map((r) => ({
      code: r.code,
      kind: r.kind,
      origin: CALL_REASON_TEXT[r.code].origin,
      detail: maskPhonesInText(r.detail),
      source: r.source,
      until: r.until?.toISOString() ?? null,
      viciLeadId: r.leadId,
    })),
    notes: v.notes.map((n) => ({ code: n.code, detail: maskPhonesInText(n.detail) })),
  };
}

const ORIGIN = { VICIDIAL: "VICIdial", LAW: "the law", OURS: "ours" } as const;

function printVerdict(out: Output, phone: string, campaignId: string, v: CallVerdict): void {
  const at = v.at.getTime();
  const when = (d: Date | null) =>
    d === null
      ? "never (as far as the facts tell)"
      : d.getTime() <= at
        ? "now"
        : `${formatTime(d)} (in ${formatDuration((d.getTime() - at) / 1000)})`;
  out.line(
    `${maskPhone(phone)} in campaign ${campaignId} at ${formatTime(v.at)}: ${v.callable ? "CALLABLE" : "NOT CALLABLE"}`,
  );
  if (!v.callable) {
    out.line(`  callable: ${when(v.callableAt)}`);
    out.line(`  compliant: ${when(v.compliantAt)}`);
  }
  if (v.leadId !== null)
    out.line(
      `  Vici lead ${v.leadId}${v.callable ? " would be dialed" : " is the campaign's row that is callable first"}`,
    );
  if (v.reasons.length) {
    out.line("Reasons:");
    for (const r of v.reasons) {
      out.line(`  ${r.code} (${r.kind}, ${ORIGIN[CALL_REASON_TEXT[r.code].origin]}): ${maskPhonesInText(r.detail)}`);
      out.line(`      lifts: ${when(r.until)}`);
      out.line(`      source: ${r.source}`);
    }
  }
  if (v.notes.length) {
    out.line("Notes:");
    for (const n of v.notes) out.line(`  ${n.code}: ${maskPhonesInText(n.detail)}`);
  }
}
