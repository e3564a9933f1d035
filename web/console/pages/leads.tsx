import { useEffect, useState } from "react";
import {
  ConsoleLeadDocument,
  ConsoleLeadSearchDocument,
  ConsoleLeadViciRowsDocument,
} from "../../../generated/console/graphql";
import { Empty, ErrorBanner, Loading, StateBadge } from "../components";
import { formatCount, formatShortTime, formatTime } from "../format";
import { useQuery } from "../hooks";
import { Link, setQuery, usePlace } from "../router";
import { useViewer } from "../session";

const PAGE = 25;

/** doNotCall holds now (the gateway says so); a recency flag shows when it lifts. */
function DoNotCall(props: { doNotCall: boolean; reason: string | null | undefined; until?: string | null }) {
  if (!props.doNotCall) return <span className="muted">may be called</span>;
  return (
    <span className="badge state-failed" title="do not call" data-testid="do-not-call">
      do not call{props.reason ? `: ${props.reason}` : ""}
      {props.until ? ` until ${formatTime(props.until)}` : ""}
    </span>
  );
}

function MaskNote() {
  const v = useViewer();
  if (!v || v.scopes.includes("PII")) return null;
  return <p className="hint">Phone numbers are masked: this key has no pii scope.</p>;
}

export function LeadsPage() {
  const { query } = usePlace();
  const q = query.get("q") ?? "";
  const [draft, setDraft] = useState(q);
  const [after, setAfter] = useState<string | null>(null);
  useEffect(() => {
    setDraft(q);
    setAfter(null);
  }, [q]);
  const search = useQuery(ConsoleLeadSearchDocument, { search: q, first: PAGE, after }, { skip: q.trim() === "" });
  const r = search.data?.leads;
  // Without VICIdial a lead's Vici fields are unknown, not empty.
  const viciDown = search.errors.some((e) => e.code === "VICI_UNAVAILABLE");
  return (
    <main>
      <h1>Leads</h1>
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: draft.trim() }, { push: true });
        }}
      >
        <label htmlFor="lead-search">Phone or name</label>
        <input
          id="lead-search"
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="(727) 555-0101, Smith"
        />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <MaskNote />
      <ErrorBanner errors={search.errors} />
      {q.trim() === "" ? (
        <Empty>Type a phone number (any format, or its last digits) or a name.</Empty>
      ) : !r ? (
        search.loading && <Loading what="leads" />
      ) : r.edges.length === 0 ? (
        <Empty>No lead matches “{q}”.</Empty>
      ) : (
        <>
          <p className="muted num">{formatCount(r.totalCount)} lead(s)</p>
          <div className="scroll">
            <table className="grid" data-testid="leads">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Phone</th>
                  <th scope="col">External id</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Vici</th>
                  <th scope="col">Do not call</th>
                  <th scope="col">Last call</th>
                </tr>
              </thead>
              <tbody className="num">
                {r.edges.map(({ node: l }) => (
                  <tr key={l.id}>
                    <td>
                      <Link to={`/leads/${l.id}`}>
                        {[l.firstName, l.lastName].filter(Boolean).join(" ") || "(no name)"}
                      </Link>
                    </td>
                    <td>{l.phone}</td>
                    <td>{l.externalLeadId}</td>
                    <td>{l.origin}</td>
                    <td>
                      {l.vici ? (
                        `${l.vici.campaignId ?? "?"} · ${l.vici.status.code} (${l.vici.status.category})`
                      ) : (
                        <span className="muted">{viciDown ? "unknown" : "not linked"}</span>
                      )}
                    </td>
                    <td>
                      <DoNotCall doNotCall={l.doNotCall} reason={l.doNotCallReason} until={l.doNotCallUntil} />
                    </td>
                    <td title={formatTime(l.lastCallAt)}>{formatShortTime(l.lastCallAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(r.pageInfo.endCursor ?? null)}>
              Next {PAGE}
            </button>
          )}
        </>
      )}
    </main>
  );
}

export function LeadPage(props: { id: string }) {
  const q = useQuery(ConsoleLeadDocument, { id: props.id });
  const l = q.data?.lead;
  return (
    <main>
      <p className="crumbs">
        <Link to="/leads">Leads</Link> /
      </p>
      <ErrorBanner errors={q.errors} onRetry={() => void q.refetch()} />
      {!q.data ? (
        q.loading && <Loading what={`lead ${props.id}`} />
      ) : !l ? (
        q.errors.length === 0 && <Empty>There is no lead {props.id}.</Empty>
      ) : (
        <>
          <h1>{[l.firstName, l.lastName].filter(Boolean).join(" ") || "(no name)"}</h1>
          <MaskNote />
          <section className="panel">
            <dl className="facts" data-testid="lead-facts">
              <dt>Phone</dt>
              <dd className="num">{l.phone}</dd>
              <dt>External id</dt>
              <dd>{l.externalLeadId}</dd>
              <dt>Do not call</dt>
              <dd data-testid="lead-dnc">
                <DoNotCall doNotCall={l.doNotCall} reason={l.doNotCallReason} until={l.doNotCallUntil} />
              </dd>
              <dt>Last call</dt>
              <dd>{formatTime(l.lastCallAt)}</dd>
              <dt>Origin / source</dt>
              <dd>
                {l.origin}
                {l.source ? ` / ${l.source}` : ""}
              </dd>
              <dt>Email</dt>
              <dd>{l.email ?? "—"}</dd>
              <dt>Address</dt>
              <dd>{[l.address1, l.address2, l.city, l.state, l.postalCode].filter(Boolean).join(", ") || "—"}</dd>
              <dt>Push to VICIdial</dt>
              <dd>
                {l.viciSync ? (
                  <>
                    <StateBadge state={l.viciSync.state} /> {l.viciSync.attempts} attempt(s)
                    {l.viciSync.callableAt ? ` · tried ${formatTime(l.viciSync.callableAt)}` : ""}
                    {l.viciSync.lastError ? ` · ${l.viciSync.lastError}` : ""}
                  </>
                ) : (
                  <span className="muted">none needed</span>
                )}
              </dd>
              <dt>In Brain since</dt>
              <dd>{formatTime(l.createdAt)}</dd>
            </dl>
          </section>
          <ViciRows id={l.id} />
          <details>
            <summary>Brain's notes (meta)</summary>
            <pre className="json">{JSON.stringify(l.meta, null, 2)}</pre>
          </details>
        </>
      )}
    </main>
  );
}

/** VICIdial's rows of the lead's phone, in a query of their own: Brain's facts show even when VICIdial is down. */
function ViciRows(props: { id: string }) {
  const q = useQuery(ConsoleLeadViciRowsDocument, { id: props.id });
  const rows = q.data?.lead?.viciLeads ?? null;
  return (
    <section>
      <h2>VICIdial rows with this phone</h2>
      <ErrorBanner errors={q.errors} />
      {!rows ? (
        q.loading && <Loading what="VICIdial's rows" />
      ) : rows.length === 0 ? (
        <Empty>VICIdial has no row with this phone.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid num" data-testid="vici-rows">
            <thead>
              <tr>
                <th scope="col" className="r">
                  Lead id
                </th>
                <th scope="col" className="r">
                  List
                </th>
                <th scope="col">Campaign</th>
                <th scope="col">Status</th>
                <th scope="col">Category</th>
                <th scope="col">Vendor code</th>
                <th scope="col" className="r">
                  Calls
                </th>
                <th scope="col">Last call</th>
                <th scope="col">Entered</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={v.leadId}>
                  <td className="r">{v.leadId}</td>
                  <td className="r">{v.listId}</td>
                  <td>{v.campaignId ?? "—"}</td>
                  <td>
                    {v.status.code} <span className="muted">{v.status.name}</span>
                  </td>
                  <td>{v.status.category}</td>
                  <td>{v.vendorLeadCode ?? ""}</td>
                  <td className="r">{v.calledCount}</td>
                  <td title={formatTime(v.lastCallAt)}>{formatShortTime(v.lastCallAt)}</td>
                  <td title={formatTime(v.entryDate)}>{formatShortTime(v.entryDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
