import { once } from "node:events";
import express, { type Request, type Response, type Router } from "express";
import type { CountryCode } from "libphonenumber-js";
import type { SyncJobRepository } from "../jobs/sync-job.repository";
import { canSeePii, type Principal } from "../auth/principal";
import { maskPhonesInText } from "../util/phone";

const PAGE = 1000;
const COLUMNS = ["id", "kind", "line", "vici_lead_id", "brain_lead_id", "reason"] as const;

interface IssueRow {
  id: string;
  kind: string;
  line: number | null;
  viciLeadId: number | null;
  brainLeadId: string | null;
  reason: string;
}

/** One CSV cell: quoted when it must be; text a spreadsheet would run as a formula is defused. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * GET /sync-jobs/:id/report.csv — what a job reported (bad CSV rows with their line,
 * conflicts, skipped rows), as a CSV download streamed from sync_job_issues in id order, one
 * page at a time (a report of any size in constant memory). The GraphQL SyncJob.reportUrl.
 * Reasons are masked as SyncJobIssue.reason is (phone numbers, unless the key has the pii scope).
 */
export function jobReportRouter(repo: SyncJobRepository, region: CountryCode): Router {
  const router = express.Router();
  router.get("/sync-jobs/:id/report.csv", async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!/^[1-9][0-9]{0,17}$/.test(id))
      return fail(res, 400, "BAD_USER_INPUT", `"${id.slice(0, 40)}" is not a sync job id`);
    let started = false;
    try {
      const job = await repo.get(id);
      if (!job) return fail(res, 404, "NOT_FOUND", `sync job ${id} not found`);
      res.status(200);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="sync-job-${id}-report.csv"`);
      res.setHeader("Cache-Control", "no-store");
      started = true;
      res.write(COLUMNS.join(",") + "\r\n");
      const reasonOf = canSeePii(res.locals.principal as Principal)
        ? (r: string) => r
        : (r: string) => maskPhonesInText(r, region);
      let after: string | null = null;
      for (;;) {
        const page: IssueRow[] = await repo.issues(id, { first: PAGE, afterId: after });
        if (page.length === 0) break;
        const text = page
          .map(
            (i) =>
              [i.id, i.kind, i.line, i.viciLeadId, i.brainLeadId, reasonOf(i.reason)].map(csvCell).join(",") + "\r\n",
          )
          .join("");
        if (res.destroyed) return;
        if (!res.write(text)) await Promise.race([once(res, "drain"), once(res, "close")]);
        if (page.length < PAGE) break;
        after = page[page.length - 1].id;
      }
      res.end();
    } catch (e) {
      if (!started) return fail(res, 500, "INTERNAL_SERVER_ERROR", "the report could not be read");
      res.destroy(e instanceof Error ? e : new Error(String(e))); // a truncated download must not look complete
    }
  });
  return router;
}
