import { useEffect, useState } from "react";
import { ConsoleJobsDocument, type SyncJobKind, type SyncJobState } from "../../../generated/console/graphql";
import { Empty, ErrorBanner, Loading, StateBadge } from "../components";
import { formatCount, formatShortTime, formatTime, kindLabel, KIND_LABELS } from "../format";
import { useQuery } from "../hooks";
import { Link, setQuery, usePlace } from "../router";
import { useCan } from "../session";

const STATES: SyncJobState[] = ["QUEUED", "RUNNING", "WAITING", "SUCCEEDED", "FAILED", "CANCELLED"];
const ACTIVE = new Set<string>(["QUEUED", "RUNNING", "WAITING"]);

export function JobsPage() {
  const { query } = usePlace();
  const state = query.get("state") as SyncJobState | null;
  const kind = query.get("kind") as SyncJobKind | null;
  const canOperate = useCan("OPERATOR");
  // The list follows running jobs by polling; each job's page streams its progress.
  const [busy, setBusy] = useState(true);
  const jobs = useQuery(
    ConsoleJobsDocument,
    { states: state ? [state] : null, kinds: kind ? [kind] : null, first: 50 },
    { pollMs: busy ? 2000 : 10_000 },
  );
  const list = jobs.data?.syncJobs ?? [];
  // Often while a job is queued or running, seldom when all is quiet.
  const anyActive = list.some((j) => ACTIVE.has(j.state));
  useEffect(() => setBusy(anyActive), [anyActive]);

  return (
    <main>
      <div className="page-head">
        <h1>Jobs</h1>
        {canOperate && (
          <Link to="/jobs/new" className="button primary" data-testid="start-job">
            Start a job
          </Link>
        )}
      </div>
      <div className="filters" role="group" aria-label="Filters">
        <label>
          State{" "}
          <select value={state ?? ""} onChange={(e) => setQuery({ state: e.target.value })}>
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Kind{" "}
          <select value={kind ?? ""} onChange={(e) => setQuery({ kind: e.target.value })}>
            <option value="">any</option>
            {Object.keys(KIND_LABELS).map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner errors={jobs.errors} />
      {jobs.loading && !jobs.data ? (
        <Loading what="jobs" />
      ) : list.length === 0 ? (
        <Empty>
          {state || kind
            ? "No job matches these filters."
            : canOperate
              ? "No job yet: start one (test with a dry run of 100 rows first)."
              : "No job yet."}
        </Empty>
      ) : (
        <div className="scroll">
          <table className="grid num" data-testid="jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col" className="r">
                  Processed
                </th>
                <th scope="col" className="r">
                  Total
                </th>
                <th scope="col" className="r">
                  Created
                </th>
                <th scope="col" className="r">
                  Updated
                </th>
                <th scope="col" className="r">
                  Linked
                </th>
                <th scope="col" className="r">
                  Conflicts
                </th>
                <th scope="col" className="r">
                  Errors
                </th>
                <th scope="col">Created at</th>
              </tr>
            </thead>
            <tbody>
              {list.map((j) => (
                <tr key={j.id} data-job={j.id} className={ACTIVE.has(j.state) ? "active" : undefined}>
                  <td>
                    <Link to={`/jobs/${j.id}`}>#{j.id}</Link>
                  </td>
                  <td>
                    {kindLabel(j.kind)}
                    {j.dryRun && <span className="badge">dry run</span>}
                    {j.parentJobId && <span className="muted"> of #{j.parentJobId}</span>}
                    {j.rolledBackBy && <span className="muted"> rolled back by #{j.rolledBackBy}</span>}
                  </td>
                  <td>
                    <StateBadge state={j.state} />
                  </td>
                  <td className="r">{formatCount(j.processed)}</td>
                  <td className="r">{formatCount(j.total)}</td>
                  <td className="r">{formatCount(j.created)}</td>
                  <td className="r">{formatCount(j.updated)}</td>
                  <td className="r">{formatCount(j.linked)}</td>
                  <td className="r">{formatCount(j.conflicts)}</td>
                  <td className="r">{formatCount(j.errors)}</td>
                  <td title={formatTime(j.createdAt)}>{formatShortTime(j.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
