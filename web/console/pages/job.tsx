import { useEffect, useState } from "react";
import {
  ConsoleCancelJobDocument,
  ConsoleJobDocument,
  ConsoleJobIssuesDocument,
  ConsoleJobProgressDocument,
  ConsoleRollbackJobDocument,
  type ConsoleJobProgressSubscription,
  type ConsoleJobQuery,
  type JobIssueFragment,
} from "../../../generated/console/graphql";
import { download, request, subscribe, type GqlError } from "../api";
import { ConfirmDialog, CounterTable, Empty, ErrorBanner, Loading, ProgressBar, StateBadge } from "../components";
import { formatCount, formatTime, kindLabel } from "../format";
import { useMutation, useQuery } from "../hooks";
import { Link, navigate } from "../router";
import { useCan } from "../session";

type Job = ConsoleJobQuery["syncJob"];
type Progress = ConsoleJobProgressSubscription["syncJobProgress"];
const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** A finished job's rows/s over its whole run. */
function averageRate(job: Job): number | null {
  if (!job.startedAt || !job.finishedAt) return null;
  const seconds = (new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime()) / 1000;
  return seconds > 0 ? Math.round(job.processed / seconds) : null;
}

/** The job's live progress: the subscription's events while it runs (the current state comes first). */
function useProgress(
  id: string,
  running: boolean,
  onFinal: () => void,
): { progress: Progress | null; streamError: GqlError | null } {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [streamError, setStreamError] = useState<GqlError | null>(null);
  useEffect(() => {
    setProgress(null);
    setStreamError(null);
    if (!running) return;
    return subscribe(
      ConsoleJobProgressDocument,
      { id },
      {
        next: (d) => {
          setProgress(d.syncJobProgress);
          if (d.syncJobProgress.final) onFinal();
        },
        error: setStreamError,
        complete: () => undefined,
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, running]);
  return { progress, streamError };
}

function Options(props: { job: Job }) {
  const o = props.job.options as {
    campaigns?: string[];
    limit?: number | null;
    batchSize?: number;
    overwrite?: boolean;
    csv?: { matchVici?: boolean; updateExisting?: boolean; maxErrors?: number | null } | null;
  };
  const parts: string[] = [];
  if (props.job.kind !== "CSV_IMPORT" && props.job.kind !== "ROLLBACK")
    parts.push(`campaigns ${o.campaigns?.length ? o.campaigns.join(", ") : "(all managed)"}`);
  parts.push(`limit ${o.limit ?? "none"}`, `batch ${formatCount(o.batchSize ?? null)}`);
  if (o.overwrite) parts.push("overwrite");
  if (o.csv?.matchVici) parts.push("match Vici");
  if (o.csv?.updateExisting) parts.push("update existing");
  if (o.csv?.maxErrors !== null && o.csv?.maxErrors !== undefined) parts.push(`max errors ${o.csv.maxErrors}`);
  return <span data-testid="job-options">{parts.join(" · ")}</span>;
}

/** Rollback: a dry-run preview first, then the real one from the preview's page, confirmed. */
function RollbackPanel(props: { job: Job }) {
  const { job } = props;
  const [rollback, rb] = useMutation(ConsoleRollbackJobDocument);
  const [confirming, setConfirming] = useState(false);
  // This job is a preview (a dry-run ROLLBACK): offer the real thing for its target.
  if (job.kind === "ROLLBACK") {
    if (!job.dryRun || !job.parentJobId) return null;
    const target = job.parentJobId;
    return (
      <section className="panel" data-testid="rollback-panel">
        <h2>Rollback preview of job #{target}</h2>
        <p>
          This dry run shows what rolling back <Link to={`/jobs/${target}`}>job #{target}</Link> would do:{" "}
          <strong>{formatCount(job.updated)}</strong> leads or codes removed or restored,{" "}
          <strong>{formatCount(job.skipped)}</strong> left alone (changed since, see the issues below); VICIdial rows it
          would delete are listed as NOTICE issues. Nothing was written.
        </p>
        {job.state === "SUCCEEDED" && (
          <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="rollback-for-real">
            Roll back job #{target}…
          </button>
        )}
        <ConfirmDialog
          open={confirming}
          title={`Roll back job #${target}?`}
          confirmLabel={`Roll back job #${target}`}
          danger
          busy={rb.busy}
          errors={rb.errors}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const r = await rollback({ id: target, dryRun: false });
            if (r) {
              setConfirming(false);
              navigate(`/jobs/${r.rollbackSyncJob.id}`);
            }
          }}
        >
          <p>
            Leads job #{target} created are removed (with the VICIdial rows it pushed that are untouched since), values
            it changed restored, vendor codes it wrote restored in VICIdial, as the preview showed.
          </p>
        </ConfirmDialog>
      </section>
    );
  }
  if (job.dryRun) return null;
  if (job.rolledBackBy) {
    return (
      <section className="panel">
        <p>
          Rolled back by <Link to={`/jobs/${job.rolledBackBy}`}>job #{job.rolledBackBy}</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="panel" data-testid="rollback-panel">
      <h2>Rollback</h2>
      <p>
        Undo this job from its recorded before-values. First a dry run shows what it would do; the real rollback starts
        from there.
      </p>
      <ErrorBanner errors={rb.errors} />
      <button
        type="button"
        // Shown (disabled) while the job runs, so the page does not grow when it ends.
        disabled={rb.busy || !FINAL.has(job.state)}
        data-testid="rollback-preview"
        onClick={async () => {
          const r = await rollback({ id: job.id, dryRun: true });
          if (r) navigate(`/jobs/${r.rollbackSyncJob.id}`);
        }}
      >
        Preview rollback (dry run)
      </button>
    </section>
  );
}

function Issues(props: { job: Job }) {
  const [more, setMore] = useState<JobIssueFragment[]>([]);
  const [moreErrors, setMoreErrors] = useState<GqlError[]>([]);
  const [hasMore, setHasMore] = useState(true);
  useEffect(() => {
    setMore([]);
    setHasMore(true);
  }, [props.job.id, props.job.issues]);
  const issues = [...props.job.issues, ...more];
  const loadMore = async () => {
    const r = await request(ConsoleJobIssuesDocument, {
      id: props.job.id,
      after: issues[issues.length - 1]?.id ?? null,
    });
    setMoreErrors(r.errors);
    const page = r.data?.syncJob.issues ?? [];
    setMore((m) => [...m, ...page]);
    setHasMore(page.length === 100);
  };
  const [dlError, setDlError] = useState<GqlError | null>(null);
  return (
    <section>
      <div className="page-head">
        <h2>Issues</h2>
        <button
          type="button"
          onClick={async () => setDlError(await download(props.job.reportUrl, `job-${props.job.id}-report.csv`))}
          data-testid="download-report"
        >
          Download report (CSV)
        </button>
      </div>
      <ErrorBanner errors={[...(dlError ? [dlError] : []), ...moreErrors]} />
      {issues.length === 0 ? (
        <Empty>
          {FINAL.has(props.job.state)
            ? "The job reported nothing: no conflicts, no bad rows."
            : "Nothing reported so far."}
        </Empty>
      ) : (
        <>
          <div className="scroll">
            <table className="grid" data-testid="issues">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col" className="r">
                    CSV line
                  </th>
                  <th scope="col" className="r">
                    Vici lead
                  </th>
                  <th scope="col">Brain lead</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody className="num">
                {issues.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <StateBadge state={i.kind} />
                    </td>
                    <td className="r">{i.line ?? ""}</td>
                    <td className="r">{i.viciLeadId ?? ""}</td>
                    <td>{i.brainLeadId ? <Link to={`/leads/${i.brainLeadId}`}>{i.brainLeadId}</Link> : ""}</td>
                    <td className="wrap">{i.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {issues.length >= 100 && hasMore && (
            <button type="button" onClick={loadMore}>
              Load more issues
            </button>
          )}
        </>
      )}
    </section>
  );
}

export function JobPage(props: { id: string }) {
  const canOperate = useCan("OPERATOR");
  const [streamBroken, setStreamBroken] = useState(false);
  // Without the stream (a proxy that drops WebSockets, a restart) the job's row is read every 5 s instead.
  const jobQ = useQuery(ConsoleJobDocument, { id: props.id }, { pollMs: streamBroken ? 5000 : undefined });
  const job = jobQ.data?.syncJob ?? null;
  const running = !!job && !FINAL.has(job.state);
  const { progress, streamError } = useProgress(props.id, running, () => void jobQ.refetch());
  useEffect(() => setStreamBroken(running && streamError !== null), [running, streamError]);
  const [cancel, cancelled] = useMutation(ConsoleCancelJobDocument);

  if (!job) {
    return (
      <main>
        <p className="crumbs">
          <Link to="/jobs">Jobs</Link> /
        </p>
        <ErrorBanner errors={jobQ.errors} onRetry={() => void jobQ.refetch()} />
        {jobQ.loading && <Loading what={`job #${props.id}`} />}
      </main>
    );
  }
  // The stream is newer while it runs; the job's row once it has ended.
  const live = progress && !FINAL.has(job.state) ? progress : null;
  const counters = live ?? job;
  const state = live?.state ?? job.state;
  // Cancellable until the stream or the job's row says it ended.
  const active = !FINAL.has(state);
  return (
    <main>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> /
      </p>
      <div className="page-head">
        <h1>
          Job #{job.id} · {kindLabel(job.kind)} {job.dryRun && <span className="badge">dry run</span>}
        </h1>
        {canOperate && (
          <button
            type="button"
            className="danger"
            data-testid="cancel-job"
            disabled={!active || cancelled.busy}
            // Keeps its room when the job ends: nothing moves.
            style={{ visibility: active ? "visible" : "hidden" }}
            onClick={async () => {
              if (await cancel({ id: job.id })) void jobQ.refetch();
            }}
          >
            Cancel job
          </button>
        )}
      </div>
      <ErrorBanner errors={[...jobQ.errors, ...cancelled.errors, ...(streamError ? [streamError] : [])]} />
      <section className="panel">
        <p className="status-line">
          <StateBadge state={state} /> <span className="slot slot-phase">{live?.phase ?? job.phase ?? ""}</span>
        </p>
        <ProgressBar
          label={`Progress of job ${job.id}`}
          processed={counters.processed}
          total={counters.total ?? null}
          rowsPerSecond={live ? (live.rowsPerSecond ?? null) : averageRate(job)}
          etaSeconds={live ? (live.etaSeconds ?? null) : FINAL.has(job.state) ? 0 : null}
          final={FINAL.has(state)}
        />
        <CounterTable counters={counters} />
        {(live?.error ?? job.error) && (
          <p className="banner banner-error" role="alert">
            {live?.error ?? job.error}
          </p>
        )}
        <dl className="facts">
          <dt>Options</dt>
          <dd>
            <Options job={job} />
          </dd>
          <dt>Started by</dt>
          <dd>{job.startedBy ?? "—"}</dd>
          <dt>Created</dt>
          <dd>{formatTime(job.createdAt)}</dd>
          <dt>Started</dt>
          <dd>{formatTime(job.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(job.finishedAt)}</dd>
          {job.parentJobId && (
            <>
              <dt>Undoes</dt>
              <dd>
                <Link to={`/jobs/${job.parentJobId}`}>job #{job.parentJobId}</Link>
              </dd>
            </>
          )}
          {job.longestStatementMs !== null && job.longestStatementMs !== undefined && (
            <>
              <dt>Longest Vici statement</dt>
              <dd>{formatCount(job.longestStatementMs)} ms</dd>
            </>
          )}
        </dl>
      </section>
      {canOperate && <RollbackPanel job={job} />}
      <Issues job={job} />
    </main>
  );
}
