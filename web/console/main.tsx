/**
 * The operations console: the page an operator keeps open during the switch-over. Served by
 * the gateway at /console, bundled at build time (nothing loaded from elsewhere), talking only
 * to this gateway's GraphQL API with the user's key, which the page never carries: it is pasted
 * here or taken from the demo link's #key= fragment, and kept in this browser's storage.
 */
import { StrictMode, useCallback, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { ConsoleViewerDocument, type ConsoleViewerQuery } from "../../generated/console/graphql";
import { forgetKey, keyId, saveKey, storedKey } from "../shared/api-key";
import { onKeyRefused, request, setApiKey, type GqlError, type GqlResult } from "./api";
import { ErrorBanner } from "./components";
import { Link, navigate, usePlace } from "./router";
import { roleIncludes, ViewerContext, type Viewer } from "./session";
import { HealthPage } from "./pages/health";
import { JobPage } from "./pages/job";
import { JobsPage } from "./pages/jobs";
import { KeysPage } from "./pages/keys";
import { LeadPage, LeadsPage } from "./pages/leads";
import { NewJobPage } from "./pages/new-job";
import { OutboxPage } from "./pages/outbox";
import "./console.css";

/** With a key the pages load at once; `viewer` comes when the gateway has checked the key (null until then). */
type Session =
  | { state: "no-key"; refused: string | null }
  | { state: "open"; key: string; viewer: Viewer | null; errors: GqlError[] };

// The key's check starts before React mounts, side by side with the page's own first queries.
const startKey = storedKey();
setApiKey(startKey);
const firstCheck = startKey ? request(ConsoleViewerDocument) : null;

function KeyPrompt(props: { refused: string | null; onKey(key: string): void }) {
  const [draft, setDraft] = useState("");
  return (
    <main className="key-prompt">
      <h1>vici-brain console</h1>
      {props.refused && (
        <div className="banner banner-error" role="alert" data-testid="key-refused">
          <p>
            <code className="code">UNAUTHENTICATED</code> The gateway refused the key: {props.refused}. Paste another
            one.
          </p>
        </div>
      )}
      <form
        data-testid="key-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) props.onKey(draft.trim());
        }}
      >
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          autoFocus
          placeholder="vbg_..."
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="primary">
          Use key
        </button>
        <p className="hint">
          Create one with <code>npx vici-brain keys create --name me --role operator</code>. It stays in this browser
          only (Forget key removes it).
        </p>
      </form>
    </main>
  );
}

const PAGES: { path: string; label: string; need?: Viewer["role"] }[] = [
  { path: "/jobs", label: "Jobs" },
  { path: "/health", label: "Health" },
  { path: "/outbox", label: "Outbox" },
  { path: "/leads", label: "Leads" },
  { path: "/keys", label: "Keys", need: "ADMIN" },
];

function Header(props: { viewer: Viewer | null; keyId: string; onForget(): void; section: string }) {
  const v = props.viewer;
  return (
    <header className="top">
      <span className="brand">vici-brain</span>
      <nav aria-label="Pages">
        {PAGES.filter((p) => !p.need || (v && roleIncludes(v.role, p.need))).map((p) => (
          <Link key={p.path} to={p.path} aria-current={props.section === p.path ? "page" : undefined}>
            {p.label}
          </Link>
        ))}
      </nav>
      {v ? (
        <span className="who" data-testid="viewer">
          <span title={`key ${v.keyId}`}>{v.name}</span> <span className="badge role">{v.role.toLowerCase()}</span>
          {v.scopes.includes("PII") && <span className="badge">pii</span>}
        </span>
      ) : (
        <span className="who">checking key {props.keyId}…</span>
      )}
      <button type="button" onClick={props.onForget}>
        Forget key
      </button>
    </header>
  );
}

function Routes() {
  const { path } = usePlace();
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "jobs" && parts[1] === "new") return <NewJobPage />;
  if (parts[0] === "jobs" && parts[1]) return <JobPage key={parts[1]} id={parts[1]} />;
  if (parts[0] === "jobs") return <JobsPage />;
  if (parts[0] === "health") return <HealthPage />;
  if (parts[0] === "outbox") return <OutboxPage />;
  if (parts[0] === "leads" && parts[1]) return <LeadPage key={parts[1]} id={parts[1]} />;
  if (parts[0] === "leads") return <LeadsPage />;
  if (parts[0] === "keys") return <KeysPage />;
  return (
    <main>
      <h1>Not found</h1>
      <p>
        There is no page {path}. <Link to="/jobs">Go to Jobs</Link>.
      </p>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session>(() =>
    startKey ? { state: "open", key: startKey, viewer: null, errors: [] } : { state: "no-key", refused: null },
  );
  const { path } = usePlace();

  const refused = useCallback((message: string) => {
    forgetKey();
    setApiKey("");
    setSession({ state: "no-key", refused: message });
  }, []);

  const check = useCallback(
    async (key: string, pending?: Promise<GqlResult<ConsoleViewerQuery>> | null) => {
      setApiKey(key);
      setSession({ state: "open", key, viewer: null, errors: [] });
      const r = await (pending ?? request(ConsoleViewerDocument));
      const denied = r.errors.find((e) => e.code === "UNAUTHENTICATED");
      if (denied) refused(denied.message);
      else setSession({ state: "open", key, viewer: r.data?.viewer ?? null, errors: r.errors });
    },
    [refused],
  );

  useEffect(() => {
    // Any refusal of the key, on any page (a 401, a socket closed with 4401): back to the prompt.
    onKeyRefused(refused);
    if (startKey) void check(startKey, firstCheck);
  }, [check, refused]);

  useEffect(() => {
    if (path === "/") navigate("/jobs", { replace: true });
  }, [path]);

  if (session.state === "no-key") {
    return (
      <KeyPrompt
        refused={session.refused}
        onKey={(key) => {
          saveKey(key);
          void check(key);
        }}
      />
    );
  }
  const section = "/" + (path.split("/")[1] ?? "");
  return (
    <ViewerContext.Provider value={session.viewer}>
      <Header
        viewer={session.viewer}
        keyId={keyId(session.key) ?? ""}
        section={section}
        onForget={() => {
          forgetKey();
          setApiKey("");
          setSession({ state: "no-key", refused: null });
        }}
      />
      {session.errors.length > 0 && (
        <div className="top-banner">
          <ErrorBanner errors={session.errors} onRetry={() => void check(session.key)} />
        </div>
      )}
      <Routes />
    </ViewerContext.Provider>
  );
}

createRoot(document.getElementById("console")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
