import { useState } from "react";
import {
  ConsoleOutboxDocument,
  ConsolePauseIntakeDocument,
  ConsoleResumeIntakeDocument,
  ConsoleRetryFailedPushesDocument,
  ConsoleRetryPushDocument,
  type ConsoleOutboxQuery,
  type ViciSyncState,
} from "../../../generated/console/graphql";
import { ConfirmDialog, Empty, ErrorBanner, Loading, StateBadge } from "../components";
import { formatCount, formatRelative, formatShortTime, formatTime } from "../format";
import { useMutation, useQuery } from "../hooks";
import { Link, setQuery, usePlace } from "../router";
import { useCan } from "../session";

const TABS: { state: ViciSyncState | "ALL"; label: string }[] = [
  { state: "PENDING", label: "Pending" },
  { state: "DEFERRED", label: "Deferred" },
  { state: "FAILED", label: "Failed" },
  { state: "CONFLICT", label: "Conflicts" },
  { state: "SKIPPED", label: "Skipped" },
  { state: "DONE", label: "Done" },
  { state: "ALL", label: "All" },
];

const KIND_LABEL: Record<string, string> = {
  PUSH_LEAD: "push",
  SET_VENDOR_CODE: "vendor code",
  UPDATE_FIELDS: "fields",
};

/** A field update's conflicts: who won, both values, and when each side changed. */
function FieldConflicts(props: { conflicts: ConsoleOutboxQuery["viciPushes"][number]["fieldConflicts"] }) {
  if (props.conflicts.length === 0) return null;
  return (
    <ul className="conflicts" data-testid="field-conflicts">
      {props.conflicts.map((c) => (
        <li key={`${c.viciLeadId}:${c.field}`}>
          {c.field} on Vici lead {c.viciLeadId}: {c.winner === "VICI" ? "VICIdial's newer" : "Brain's newer"} value{" "}
          <q>{c.winner === "VICI" ? c.viciValue : c.brainValue}</q> kept,{" "}
          <q>{c.winner === "VICI" ? c.brainValue : c.viciValue}</q> lost (VICIdial {formatShortTime(c.viciModifiedAt)},
          Brain {formatShortTime(c.brainChangedAt)})
        </li>
      ))}
    </ul>
  );
}

function IntakeSwitch(props: {
  paused: boolean;
  reason: string | null;
  since: string | null;
  pending: number;
  onChanged(): void;
}) {
  const canOperate = useCan("OPERATOR");
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [pause, paused] = useMutation(ConsolePauseIntakeDocument);
  const [resume, resumed] = useMutation(ConsoleResumeIntakeDocument);
  const busy = paused.busy || resumed.busy;
  return (
    <section className={`panel intake ${props.paused ? "paused" : ""}`} data-testid="intake">
      <h2>Intake to VICIdial</h2>
      <p className="big" data-testid="intake-state">
        {props.paused ? "Paused" : "Pushing"}
      </p>
      <p>
        {props.paused ? (
          <>
            Since {formatTime(props.since)}. Reason: <q data-testid="intake-reason">{props.reason ?? "none given"}</q>.
            New leads are stored in Brain and queued, not pushed.
          </>
        ) : (
          <>New leads go to VICIdial as they come{props.since ? ` (resumed ${formatTime(props.since)})` : ""}.</>
        )}{" "}
        <span className="num">{formatCount(props.pending)}</span> pushes waiting.
      </p>
      {canOperate && (
        <button
          type="button"
          className={props.paused ? "primary" : "danger"}
          onClick={() => setAsking(true)}
          data-testid="intake-toggle"
        >
          {props.paused ? "Resume intake…" : "Pause intake…"}
        </button>
      )}
      <ConfirmDialog
        open={asking}
        title={props.paused ? "Resume intake?" : "Pause intake?"}
        confirmLabel={props.paused ? "Resume intake" : "Pause intake"}
        danger={!props.paused}
        busy={busy}
        canConfirm={props.paused || reason.trim().length > 0}
        errors={[...paused.errors, ...resumed.errors]}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          const ok = props.paused ? await resume({}) : await pause({ reason: reason.trim() });
          if (ok) {
            setAsking(false);
            setReason("");
            props.onChanged();
          }
        }}
      >
        {props.paused ? (
          <p>
            Every lead queued while paused is pushed to VICIdial now, each checked again for DNC and recent calls first.
          </p>
        ) : (
          <>
            <p>
              The emergency stop: leads keep coming into Brain and wait in the outbox; nothing reaches VICIdial until
              intake resumes.
            </p>
            <label className="block">
              Reason (shown to everyone)
              <input
                type="text"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={500}
                required
                data-testid="pause-reason"
              />
            </label>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}

export function OutboxPage() {
  const { query } = usePlace();
  const tab = (query.get("state") as ViciSyncState | "ALL" | null) ?? "PENDING";
  const canOperate = useCan("OPERATOR");
  const outbox = useQuery(
    ConsoleOutboxDocument,
    { states: tab === "ALL" ? null : [tab], first: 50, after: null },
    { pollMs: 3000 },
  );
  const [retry, retried] = useMutation(ConsoleRetryPushDocument);
  const [retryAll, retriedAll] = useMutation(ConsoleRetryFailedPushesDocument);
  const [confirmAll, setConfirmAll] = useState(false);
  const d = outbox.data;

  return (
    <main>
      <h1>Outbox</h1>
      <ErrorBanner errors={[...outbox.errors, ...retried.errors]} />
      {!d ? (
        outbox.loading && <Loading what="the outbox" />
      ) : (
        <>
          <IntakeSwitch
            paused={d.intakeStatus.paused}
            reason={d.intakeStatus.reason ?? null}
            since={d.intakeStatus.since ?? null}
            pending={d.intakeStatus.pendingPushes}
            onChanged={() => void outbox.refetch()}
          />
          <section>
            <div className="page-head">
              <h2>Pushes</h2>
              <span className="num muted" data-testid="outbox-counts">
                {formatCount(d.viciOutbox.pending)} pending
                {d.viciOutbox.oldestPendingAt
                  ? ` (oldest queued ${formatRelative(d.viciOutbox.oldestPendingAt)})`
                  : ""}{" "}
                · {formatCount(d.viciOutbox.deferred)} deferred · {formatCount(d.viciOutbox.failed)} failed ·{" "}
                {formatCount(d.viciOutbox.conflicts)} in conflict
              </span>
              {canOperate && d.viciOutbox.failed > 0 && (
                <button type="button" onClick={() => setConfirmAll(true)} data-testid="retry-all">
                  Retry all failed ({formatCount(d.viciOutbox.failed)})…
                </button>
              )}
            </div>
            <div className="tabs" role="tablist" aria-label="State">
              {TABS.map((t) => (
                <button
                  key={t.state}
                  type="button"
                  role="tab"
                  aria-selected={tab === t.state}
                  onClick={() => setQuery({ state: t.state === "PENDING" ? null : t.state })}
                >
                  {t.label}
                </button>
              ))}
            </div>
            {d.viciPushes.length === 0 ? (
              <Empty>
                {tab === "PENDING"
                  ? "Nothing waits: every lead is in VICIdial."
                  : tab === "FAILED"
                    ? "No push failed."
                    : tab === "CONFLICT"
                      ? "No field update met a newer VICIdial edit."
                      : "None."}
              </Empty>
            ) : (
              <div className="scroll">
                <table className="grid" data-testid="pushes">
                  <thead>
                    <tr>
                      <th scope="col">Lead</th>
                      <th scope="col">Phone</th>
                      <th scope="col">Kind</th>
                      <th scope="col">State</th>
                      <th scope="col" className="r">
                        Attempts
                      </th>
                      <th scope="col">Last error / conflicts</th>
                      <th scope="col">Next try / updated</th>
                      <th scope="col" className="r">
                        Vici lead
                      </th>
                      {canOperate && <th scope="col" />}
                    </tr>
                  </thead>
                  <tbody className="num">
                    {d.viciPushes.map((p) => (
                      <tr key={p.id} data-lead={p.lead.externalLeadId}>
                        <td>
                          <Link to={`/leads/${p.lead.id}`}>
                            {[p.lead.firstName, p.lead.lastName].filter(Boolean).join(" ") || p.lead.externalLeadId}
                          </Link>
                        </td>
                        <td>{p.lead.phone}</td>
                        <td>{KIND_LABEL[p.kind] ?? p.kind}</td>
                        <td>
                          <StateBadge state={p.state} />
                        </td>
                        <td className="r">{p.attempts}</td>
                        <td className="wrap">
                          {p.lastError ?? ""}
                          <FieldConflicts conflicts={p.fieldConflicts} />
                        </td>
                        <td>
                          {p.state === "DEFERRED" ? (
                            <span data-testid="callable-at">recently called: tried {formatTime(p.callableAt)}</span>
                          ) : p.state === "PENDING" ? (
                            formatRelative(p.nextAttemptAt)
                          ) : (
                            formatShortTime(p.updatedAt)
                          )}
                        </td>
                        <td className="r">{p.viciLeadId ?? ""}</td>
                        {canOperate && (
                          <td>
                            {p.state === "FAILED" && p.kind === "PUSH_LEAD" && (
                              <button
                                type="button"
                                disabled={retried.busy}
                                onClick={async () => {
                                  if (await retry({ leadId: p.lead.id })) void outbox.refetch();
                                }}
                              >
                                Retry
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      <ConfirmDialog
        open={confirmAll}
        title="Retry every failed push?"
        confirmLabel="Retry all"
        busy={retriedAll.busy}
        errors={retriedAll.errors}
        onCancel={() => setConfirmAll(false)}
        onConfirm={async () => {
          if ((await retryAll({})) !== null) {
            setConfirmAll(false);
            void outbox.refetch();
          }
        }}
      >
        <p>
          Each goes back in the queue and is checked again for DNC and recent calls before it is pushed. Fix what made
          them fail first (e.g. VICI_API_PASS).
        </p>
      </ConfirmDialog>
    </main>
  );
}
