import type { Command } from "commander";
import type { AuditReport, DriftFinding } from "../services/audit.service";
import type { HealthMetric, SyncHealth } from "../services/health-metrics.service";
import type { FollowStatus } from "../services/vici-follower";
import { usageExit, withApp } from "./app-runner";
import {
  EXIT,
  formatCount,
  formatPercent,
  formatTime,
  parseCampaigns,
  parseIsoDate,
  parsePositiveInt,
  table,
  type Output,
} from "./output";

/** The strategy's "Step 1: Audit" and its "Success Metrics": `audit`, `health`. Read-only. */
export function registerReportCommands(program: Command): void {
  usageExit(program.command("audit"))
    .description(
      "the current state: rows, unique phones and vendor codes per campaign, and the drift between VICIdial and Brain",
    )
    .option(
      "--campaigns <ids>",
      "campaign ids, comma-separated (default: VICI_CAMPAIGNS, else every campaign)",
      parseCampaigns,
    )
    .option("--json", "print the audit report as JSON")
    .addHelpText("after", "\nExample:\n  vici-brain audit --campaigns=Auto2,Autodial")
    .action((opts: { campaigns?: string[]; json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const report = await app.services.drift.audit(opts.campaigns ?? []);
        out.result(report);
        printAudit(out, report);
        return EXIT.OK;
      }),
    );

  usageExit(program.command("health"))
    .description(
      "the success metrics: no number dialed twice in 30 days, every Vici lead has a vendor code, every Brain lead is linked, nothing created outside Brain since the cut-over",
    )
    .option(
      "--campaigns <ids>",
      "campaign ids, comma-separated (default: VICI_CAMPAIGNS, else every campaign)",
      parseCampaigns,
    )
    .option(
      "--cutover <iso-date>",
      "when new leads started to go through Brain (e.g. 2025-08-11 or 2025-08-11T09:00:00-04:00; default VICI_CUTOVER_AT, else the first lead the gateway pushed)",
      parseIsoDate,
    )
    .option("--days <n>", "the call-log window in days (default RECENT_CALL_DAYS, 30)", parsePositiveInt(3650))
    .option("--check", "exit 1 when a metric misses its target (for monitoring)")
    .option("--json", "print the metrics as JSON")
    .addHelpText("after", "\nExample:\n  vici-brain health --campaigns=Auto2,Autodial --cutover 2025-08-11 --check")
    .action((opts: { campaigns?: string[]; cutover?: Date; days?: number; check?: boolean; json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const health = await app.services.healthMetrics.measure({
          campaignIds: opts.campaigns ?? [],
          cutoverAt: opts.cutover ?? null,
          days: opts.days,
        });
        out.result(health);
        printHealth(out, health);
        const missed = metrics(health).filter(([, m]) => m && !m.met);
        return opts.check && missed.length ? EXIT.FAILED : EXIT.OK;
      }),
    );

  usageExit(program.command("follow-status"))
    .description(
      "follow mode: whether a gateway or worker follows VICIdial now, its lag, watermarks and what waits to reach VICIdial",
    )
    .option("--json", "print the status as JSON")
    .addHelpText("after", "\nExample:\n  vici-brain follow-status --json")
    .action((opts: { json?: boolean }) =>
      withApp({ json: opts.json, runJobs: false }, async ({ app, out }) => {
        const s = await app.services.follower.status();
        out.result(s);
        printFollowStatus(out, s);
        return EXIT.OK;
      }),
    );
}

function printFollowStatus(out: Output, s: FollowStatus): void {
  const w = s.watermarks;
  const counts = (c: { leads: number; calls: number; dnc: number; reconciled: number }) =>
    `leads ${formatCount(c.leads)}, calls ${formatCount(c.calls)}, DNC ${formatCount(c.dnc)}, reconciled ${formatCount(c.reconciled)}`;
  out.line(
    `Follow mode: ${s.following ? `following (${s.owner})` : w.leadIdAfter === null ? "never ran" : "nobody follows now"}`,
  );
  out.line(
    `  lag          ${s.lagSeconds === null ? "-" : `${Math.round(s.lagSeconds)} s`} (caught up at ${formatTime(s.caughtUpAt)})`,
  );
  out.line(
    `  last cycle   ${formatTime(s.lastCycleAt)}${s.lastCycle ? `: ${counts(s.lastCycle)}; ${formatCount(s.lastCycle.ms)} ms` : ""}`,
  );
  out.line(
    `  watermarks   new rows after lead_id ${w.leadIdAfter ?? "-"}; calls since ${formatTime(w.callsSince)}; DNC since ${formatTime(w.dncSince)}`,
  );
  out.line(
    `  reconcile    ${w.reconcileAfterLeadId !== null ? `running, at lead_id ${w.reconcileAfterLeadId} (started ${formatTime(w.reconcileStartedAt)})` : `last done ${formatTime(w.reconcileDoneAt)}`}`,
  );
  out.line(`  pending      ${formatCount(s.pendingUpdates)} outbox record(s) not yet in VICIdial`);
  out.line(`  totals       ${counts(s.totals)}`);
}

const sample = (ids: (number | string)[], what: string) =>
  ids.length ? `  e.g. ${what} ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", ..." : ""}` : "";

function printAudit(out: Output, r: AuditReport): void {
  out.line(
    `Audit of ${r.campaigns.length ? r.campaigns.map((c) => c.campaignId).join(", ") : "no campaigns"} at ${formatTime(r.generatedAt)}`,
  );
  const share = (n: number, of: number) => `${formatCount(n)} (${formatPercent(of === 0 ? 1 : n / of)})`;
  const rows = r.campaigns.map((c) => [
    c.campaignId,
    c.lists.map((l) => `${l.listId}${l.active ? "" : "*"}`).join(",") || "-",
    formatCount(c.rows),
    formatCount(c.uniquePhones),
    share(c.rowsWithVendorCode, c.rows),
  ]);
  rows.push([
    "total",
    "",
    formatCount(r.totals.rows),
    formatCount(r.totals.uniquePhones),
    share(r.totals.rowsWithVendorCode, r.totals.rows),
  ]);
  for (const l of table(["campaign", "lists (* inactive)", "rows", "unique phones", "with vendor code"], rows))
    out.line(`  ${l}`);
  out.line("Drift");
  const drift = (label: string, d: DriftFinding, what = "lead ids") =>
    out.line(
      `  ${label.padEnd(40)} ${formatCount(d.count).padStart(8)}${sample(d.sampleLeadIds, `Vici ${what}`)}${sample(d.sampleBrainLeadIds, "Brain lead ids")}`,
    );
  drift("Vici rows whose phone Brain lacks", r.viciNotInBrain);
  drift("Brain leads linked to gone Vici rows", r.brainNotInVici);
  drift("conflicting links / shared vendor codes", r.conflictingLinks);
  drift("phones on several dialable rows", r.phonesOnSeveralDialableRows);
}

function metrics(h: SyncHealth): [string, HealthMetric | null][] {
  return [
    [`numbers dialed twice in ${h.windowDays} days`, h.dialedTwiceIn30Days],
    ["Vici rows with a vendor code", h.vendorCodeShare],
    ["Brain leads linked to Vici", h.brainLinkedShare],
    ["Vici rows created outside Brain since the cut-over", h.createdOutsideBrain],
  ];
}

function printHealth(out: Output, h: SyncHealth): void {
  out.line(
    `Sync health of ${h.campaigns.join(", ") || "no campaigns"} at ${formatTime(h.measuredAt)}` +
      ` (calls since ${formatTime(h.windowStart)}${h.cutoverAt ? `, cut-over ${formatTime(h.cutoverAt)}` : ""})`,
  );
  const rows = metrics(h).map(([label, m]) => {
    if (!m) return ["-", label, "(no cut-over: give --cutover or VICI_CUTOVER_AT)", "zero", ""];
    const value =
      m.target === "100%"
        ? `${formatPercent(m.value)} (${formatCount(m.count)}/${formatCount(m.total)})`
        : formatCount(m.count);
    return [
      m.met ? "OK" : "MISSED",
      label,
      value,
      m.target,
      m.sampleLeadIds.length ? `e.g. Vici lead ids ${m.sampleLeadIds.slice(0, 10).join(", ")}` : "",
    ];
  });
  for (const l of table(["", "metric", "value", "target", ""], rows)) out.line(`  ${l}`);
}
