import { useEffect, useState } from "react";
import {
  ConsoleAuditDocument,
  ConsoleCampaignsDocument,
  ConsoleDriftHistoryDocument,
  ConsoleHealthDocument,
  ConsoleSyncStatusDocument,
  type ConsoleSyncStatusQuery,
  type ConsoleDriftHistoryQuery,
  type MetricFragment,
} from "../../../generated/console/graphql";
import { request, type GqlError } from "../api";
import { Empty, ErrorBanner, Loading } from "../components";
import { formatCount, formatDuration, formatPercent, formatTime } from "../format";
import { useQuery } from "../hooks";
import { setQuery, usePlace } from "../router";

type Snapshot = ConsoleDriftHistoryQuery["driftHistory"][number];

const DRIFT: { key: keyof Omit<Snapshot, "day" | "takenAt" | "viciRows">; label: string; color: string }[] = [
  { key: "viciNotInBrain", label: "Vici rows whose phone Brain lacks", color: "#1f6feb" },
  { key: "brainNotInVici", label: "Brain leads linked to gone Vici rows", color: "#d1242f" },
  { key: "conflictingLinks", label: "Conflicting links / shared vendor codes", color: "#9a6700" },
  { key: "phonesOnSeveralDialableRows", label: "Phones on several dialable rows", color: "#8250df" },
];

function MetricCard(props: { title: string; metric: MetricFragment | null; hint?: string; testId: string }) {
  const m = props.metric;
  const share = m?.target === "100%";
  return (
    <div className={`card ${m ? (m.met ? "met" : "missed") : ""}`} data-testid={props.testId}>
      <h3>{props.title}</h3>
      <p className="big num">{!m ? "—" : share ? formatPercent(m.value) : formatCount(m.count)}</p>
      <p className="muted num">
        {!m
          ? props.hint
          : `${share ? `${formatCount(m.count)} of ${formatCount(m.total)} · ` : ""}target ${m.target} · `}
        {m && <strong>{m.met ? "met" : "missed"}</strong>}
      </p>
      {m && !m.met && m.sampleLeadIds.length > 0 && (
        <p className="muted small">e.g. Vici leads {m.sampleLeadIds.slice(0, 8).join(", ")}</p>
      )}
    </div>
  );
}

/** Follow mode's lag (syncStatus): whoever follows VICIdial, read from Brain every 10 s. */
function FollowLag() {
  const [state, setState] = useState<{ status?: ConsoleSyncStatusQuery["syncStatus"]; errors?: GqlError[] }>({});
  useEffect(() => {
    let live = true;
    const load = async () => {
      const r = await request(ConsoleSyncStatusDocument, {});
      if (!live) return;
      setState(r.data ? { status: r.data.syncStatus } : { errors: r.errors });
    };
    void load();
    const t = setInterval(load, 10_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  const s = state.status;
  return (
    <div className="card" data-testid="follow-lag">
      <h3>Follow mode</h3>
      <ErrorBanner errors={state.errors ?? []} />
      <p className="big num">{!s ? "—" : s.following ? `${formatDuration(s.lagSeconds)} behind` : "off"}</p>
      <p className="muted num">
        last cycle {formatTime(s?.lastCycleAt)} · {formatCount(s?.pendingUpdates ?? null)} updates pending
      </p>
    </div>
  );
}

/** Drift over the days as lines (SVG: no chart library for four series), and as a table for screen readers. */
function DriftChart(props: { history: Snapshot[] }) {
  const h = props.history;
  if (h.length === 0)
    return <Empty>No snapshot yet: every audit records the day's drift, and the gateway audits once a day.</Empty>;
  const W = 720;
  const H = 200;
  const pad = { l: 48, r: 12, t: 10, b: 24 };
  const max = Math.max(1, ...h.flatMap((s) => DRIFT.map((d) => s[d.key])));
  const x = (i: number) =>
    pad.l + (h.length === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (h.length - 1));
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  return (
    <figure className="chart" data-testid="drift-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Drift over ${h.length} day(s)`}>
        <line x1={pad.l} x2={W - pad.r} y1={y(0)} y2={y(0)} className="axis" />
        <line x1={pad.l} x2={W - pad.r} y1={y(max)} y2={y(max)} className="grid-line" />
        <text x={pad.l - 6} y={y(0)} className="tick" textAnchor="end" dominantBaseline="middle">
          0
        </text>
        <text x={pad.l - 6} y={y(max)} className="tick" textAnchor="end" dominantBaseline="middle">
          {formatCount(max)}
        </text>
        <text x={x(0)} y={H - 6} className="tick" textAnchor={h.length === 1 ? "middle" : "start"}>
          {h[0].day}
        </text>
        {h.length > 1 && (
          <text x={x(h.length - 1)} y={H - 6} className="tick" textAnchor="end">
            {h[h.length - 1].day}
          </text>
        )}
        {DRIFT.map((d) => (
          <g key={d.key} stroke={d.color} fill={d.color}>
            <polyline fill="none" strokeWidth={2} points={h.map((s, i) => `${x(i)},${y(s[d.key])}`).join(" ")} />
            {h.map((s, i) => (
              <circle key={s.day} cx={x(i)} cy={y(s[d.key])} r={3}>
                <title>{`${s.day}: ${d.label} ${formatCount(s[d.key])}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {DRIFT.map((d) => (
          <span key={d.key}>
            <i style={{ background: d.color }} /> {d.label}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>The numbers</summary>
        <div className="scroll">
          <table className="grid num">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="r">
                  Vici rows
                </th>
                {DRIFT.map((d) => (
                  <th scope="col" className="r" key={d.key}>
                    {d.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {h.map((s) => (
                <tr key={s.day}>
                  <td>{s.day}</td>
                  <td className="r">{formatCount(s.viciRows)}</td>
                  {DRIFT.map((d) => (
                    <td className="r" key={d.key}>
                      {formatCount(s[d.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Audit(props: { campaigns: string[] | null; onAudited(): void }) {
  const audit = useQuery(ConsoleAuditDocument, { campaigns: props.campaigns });
  const r = audit.data?.audit;
  useEffect(() => {
    if (r) props.onAudited();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r]);
  return (
    <section>
      <div className="page-head">
        <h2>Audit</h2>
        <span className="muted">{r ? `at ${formatTime(r.generatedAt)}` : ""}</span>
        <button type="button" onClick={() => void audit.refetch()} disabled={audit.loading}>
          Audit again
        </button>
      </div>
      <ErrorBanner errors={audit.errors} />
      {!r ? (
        audit.loading && <Loading what="the audit (it reads every row of the campaigns)" />
      ) : (
        <>
          <div className="cards" data-testid="drift-now">
            {DRIFT.map((d) => (
              <div className="card" key={d.key} data-drift={d.key}>
                <h3>{d.label}</h3>
                <p className="big num">{formatCount(r[d.key].count)}</p>
                <p className="muted small">
                  {r[d.key].sampleLeadIds.length
                    ? `e.g. Vici leads ${r[d.key].sampleLeadIds.slice(0, 6).join(", ")}`
                    : "\u00a0"}
                </p>
              </div>
            ))}
          </div>
          <div className="scroll">
            <table className="grid num" data-testid="audit-campaigns">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Lists (* inactive)</th>
                  <th scope="col" className="r">
                    Rows
                  </th>
                  <th scope="col" className="r">
                    Unique phones
                  </th>
                  <th scope="col" className="r">
                    With vendor code
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.campaigns.map((c) => (
                  <tr key={c.campaignId}>
                    <td>
                      {c.campaignId} <span className="muted">{c.name}</span>
                    </td>
                    <td>{c.lists.map((l) => `${l.listId}${l.active ? "" : "*"}`).join(", ")}</td>
                    <td className="r">{formatCount(c.rows)}</td>
                    <td className="r">{formatCount(c.uniquePhones)}</td>
                    <td className="r">
                      {formatCount(c.rowsWithVendorCode)} ({formatPercent(c.rows ? c.rowsWithVendorCode / c.rows : 1)})
                    </td>
                  </tr>
                ))}
                <tr className="total">
                  <td>Total</td>
                  <td />
                  <td className="r">{formatCount(r.totals.rows)}</td>
                  <td className="r">{formatCount(r.totals.uniquePhones)}</td>
                  <td className="r">
                    {formatCount(r.totals.rowsWithVendorCode)} (
                    {formatPercent(r.totals.rows ? r.totals.rowsWithVendorCode / r.totals.rows : 1)})
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function HealthPage() {
  const { query } = usePlace();
  const campaigns = query.get("campaigns")?.split(",").filter(Boolean) ?? [];
  const cutover = query.get("cutover") ?? "";
  const days = Number(query.get("days") ?? 30) || 30;
  const scope = campaigns.length ? campaigns : null;
  const known = useQuery(ConsoleCampaignsDocument, {});
  const health = useQuery(ConsoleHealthDocument, {
    campaigns: scope,
    cutoverAt: cutover ? new Date(`${cutover}T00:00:00`).toISOString() : null,
  });
  const history = useQuery(ConsoleDriftHistoryDocument, { campaigns: scope, days });
  const h = health.data?.syncHealth;

  return (
    <main>
      <div className="page-head">
        <h1>Health</h1>
        <span className="muted">{h ? `measured ${formatTime(h.measuredAt)}` : ""}</span>
        <button type="button" onClick={() => void health.refetch()} disabled={health.loading}>
          Measure again
        </button>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Scope">
        <fieldset className="inline">
          <legend>Campaigns</legend>
          {known.data?.campaigns
            .filter((c) => c.managed)
            .map((c) => (
              <label key={c.campaignId} className="choice">
                <input
                  type="checkbox"
                  checked={campaigns.includes(c.campaignId)}
                  onChange={(e) =>
                    setQuery({
                      campaigns: (e.target.checked
                        ? [...campaigns, c.campaignId]
                        : campaigns.filter((x) => x !== c.campaignId)
                      ).join(","),
                    })
                  }
                />
                {c.campaignId}
              </label>
            ))}
          <span className="muted">{campaigns.length ? "" : "(none chosen: all the gateway manages)"}</span>
        </fieldset>
        <label>
          Cut-over <input type="date" value={cutover} onChange={(e) => setQuery({ cutover: e.target.value })} />
        </label>
        <label>
          Chart{" "}
          <select value={days} onChange={(e) => setQuery({ days: e.target.value === "30" ? null : e.target.value })}>
            {[7, 30, 90, 365].map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBanner errors={[...known.errors, ...health.errors]} />
      <section>
        <h2>Success metrics</h2>
        <div className="cards" data-testid="metrics">
          <MetricCard
            testId="metric-dialed-twice"
            title={`Numbers dialed twice in ${h?.windowDays ?? 30} days`}
            metric={h?.dialedTwiceIn30Days ?? null}
          />
          <MetricCard
            testId="metric-vendor-codes"
            title="Vici rows with a vendor code"
            metric={h?.vendorCodeShare ?? null}
          />
          <MetricCard testId="metric-linked" title="Brain leads linked to Vici" metric={h?.brainLinkedShare ?? null} />
          <MetricCard
            testId="metric-outside-brain"
            title={`Vici rows created outside Brain since the cut-over${h?.cutoverAt && !cutover ? ` (${new Date(h.cutoverAt).toLocaleDateString()})` : ""}`}
            metric={h?.createdOutsideBrain ?? null}
            hint={h ? "no cut-over yet: give the date (or set VICI_CUTOVER_AT)" : ""}
          />
          <FollowLag />
        </div>
      </section>
      <Audit campaigns={scope} onAudited={() => void history.refetch()} />
      <section>
        <h2>Drift over time</h2>
        <ErrorBanner errors={history.errors} />
        {history.data ? (
          <DriftChart history={history.data.driftHistory} />
        ) : (
          history.loading && <Loading what="the drift history" />
        )}
      </section>
    </main>
  );
}
