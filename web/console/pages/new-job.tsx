import { useState, type FormEvent } from "react";
import {
  ConsoleCampaignsDocument,
  ConsoleStartSyncDocument,
  type StartSyncInput,
  type SyncJobKind,
} from "../../../generated/console/graphql";
import { GqlError } from "../api";
import { ConfirmDialog, Empty, ErrorBanner, Loading } from "../components";
import { kindLabel } from "../format";
import { useMutation, useQuery } from "../hooks";
import { Link, navigate, setQuery, usePlace } from "../router";
import { useCan, useViewer } from "../session";

const KINDS: { kind: SyncJobKind; what: string }[] = [
  { kind: "VICI_IMPORT", what: "Phase 1: the campaigns' VICIdial leads into Brain." },
  { kind: "VENDOR_CODES", what: "Phase 2: Brain's external ids into VICIdial's empty vendor_lead_code." },
  { kind: "FULL", what: "Phase 1 then phase 2, one job." },
  { kind: "CSV_IMPORT", what: "A CSV file of leads, each row through the createLead path." },
];

const WRITES: Record<string, string> = {
  VICI_IMPORT: "writes to Brain",
  VENDOR_CODES: "writes vendor codes into VICIdial",
  FULL: "writes to Brain, then vendor codes into VICIdial",
  CSV_IMPORT: "creates leads in Brain and pushes new ones to VICIdial",
};

const ENCODINGS = [
  { value: "utf-8", label: "UTF-8" },
  { value: "windows-1252", label: "Windows-1252 / Latin-1" },
];

/** "Header=field" lines as csv.mapping. */
export function parseMapping(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.lastIndexOf("=");
    if (eq <= 0 || eq === line.length - 1)
      throw new GqlError(`"${line}" is not Header=field`, "BAD_USER_INPUT", 0, "csv.mapping");
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return Object.keys(out).length ? out : null;
}

/** The file's text, decoded strictly: bytes that are not text in the chosen encoding are refused, never replaced. */
async function readCsv(file: File, encoding: string): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new GqlError(
      `${file.name} is not ${encoding === "utf-8" ? "UTF-8" : encoding} text: choose its encoding`,
      "BAD_USER_INPUT",
      0,
      "csv.encoding",
    );
  }
}

export function NewJobPage() {
  const { query } = usePlace();
  const kind = (query.get("kind") as SyncJobKind | null) ?? "VICI_IMPORT";
  const canOperate = useCan("OPERATOR");
  const known = useViewer() !== null;
  const campaigns = useQuery(ConsoleCampaignsDocument, {}, { skip: kind === "CSV_IMPORT" });
  const [start, started] = useMutation(ConsoleStartSyncDocument);
  const [chosen, setChosen] = useState<string[]>([]);
  const [dryRun, setDryRun] = useState(true);
  const [limit, setLimit] = useState("");
  const [batchSize, setBatchSize] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState("utf-8");
  const [mapping, setMapping] = useState("");
  const [matchVici, setMatchVici] = useState(false);
  const [updateExisting, setUpdateExisting] = useState(false);
  const [maxErrors, setMaxErrors] = useState("");
  const [formErrors, setFormErrors] = useState<GqlError[]>([]);
  /** A job that writes waits for a confirmation; a dry run starts at once. */
  const [pending, setPending] = useState<StartSyncInput | null>(null);

  if (!canOperate) {
    return (
      <main>
        <h1>Start a job</h1>
        {known ? <Empty>Starting jobs needs an operator key.</Empty> : <Loading what="the key's role" />}
      </main>
    );
  }

  const num = (v: string) => (v.trim() === "" ? null : Number(v));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormErrors([]);
    const input: StartSyncInput = { kind, dryRun, limit: num(limit), batchSize: num(batchSize) };
    try {
      if (kind === "CSV_IMPORT") {
        if (!file) throw new GqlError("choose a CSV file", "BAD_USER_INPUT", 0, "csv.content");
        input.csv = {
          content: await readCsv(file, encoding),
          mapping: parseMapping(mapping),
          matchVici,
          updateExisting,
          maxErrors: num(maxErrors),
        };
      } else {
        input.campaigns = chosen;
        if (kind !== "VICI_IMPORT") input.overwrite = overwrite;
      }
    } catch (err) {
      setFormErrors([err as GqlError]);
      return;
    }
    if (dryRun) await go(input);
    else setPending(input);
  };
  const go = async (input: StartSyncInput) => {
    const r = await start({ input });
    if (r) navigate(`/jobs/${r.startSync.id}`);
  };

  return (
    <main>
      <p className="crumbs">
        <Link to="/jobs">Jobs</Link> /
      </p>
      <h1>Start a job</h1>
      <form className="form" onSubmit={submit} data-testid="start-form">
        <fieldset>
          <legend>Kind</legend>
          {KINDS.map((k) => (
            <label key={k.kind} className="choice">
              <input
                type="radio"
                name="kind"
                value={k.kind}
                checked={kind === k.kind}
                onChange={() => setQuery({ kind: k.kind })}
              />
              <strong>{kindLabel(k.kind)}</strong> <span className="muted">{k.what}</span>
            </label>
          ))}
        </fieldset>

        {kind !== "CSV_IMPORT" && (
          <fieldset>
            <legend>Campaigns</legend>
            <ErrorBanner errors={campaigns.errors} />
            {campaigns.data?.campaigns.filter((c) => c.managed).length === 0 && (
              <Empty>The gateway manages no VICIdial campaign.</Empty>
            )}
            <div className="checks">
              {campaigns.data?.campaigns
                .filter((c) => c.managed)
                .map((c) => (
                  <label key={c.campaignId} className="choice">
                    <input
                      type="checkbox"
                      name="campaign"
                      value={c.campaignId}
                      checked={chosen.includes(c.campaignId)}
                      onChange={(e) =>
                        setChosen(
                          e.target.checked ? [...chosen, c.campaignId] : chosen.filter((x) => x !== c.campaignId),
                        )
                      }
                    />
                    {c.campaignId} <span className="muted">{c.name}</span>
                    {!c.active && <span className="badge">inactive</span>}
                  </label>
                ))}
            </div>
            <p className="hint">None chosen: every campaign the gateway manages.</p>
          </fieldset>
        )}

        {kind === "CSV_IMPORT" && (
          <fieldset>
            <legend>CSV file</legend>
            <label>
              File{" "}
              <input
                type="file"
                name="csv"
                accept=".csv,text/csv,text/plain"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </label>
            <label>
              Encoding{" "}
              <select value={encoding} onChange={(e) => setEncoding(e.target.value)}>
                {ENCODINGS.map((x) => (
                  <option key={x.value} value={x.value}>
                    {x.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="block">
              Column mapping <span className="muted">(one Header=field a line; common headers map by themselves)</span>
              <textarea
                rows={3}
                value={mapping}
                onChange={(e) => setMapping(e.target.value)}
                placeholder="Phone Number=phone"
              />
            </label>
            <label className="choice">
              <input type="checkbox" checked={matchVici} onChange={(e) => setMatchVici(e.target.checked)} /> Link rows
              whose phone VICIdial already has
            </label>
            <label className="choice">
              <input type="checkbox" checked={updateExisting} onChange={(e) => setUpdateExisting(e.target.checked)} />{" "}
              Update leads Brain already has
            </label>
            <label>
              Fail after more than{" "}
              <input
                type="number"
                min={0}
                className="short"
                value={maxErrors}
                onChange={(e) => setMaxErrors(e.target.value)}
              />{" "}
              bad rows
            </label>
          </fieldset>
        )}

        <fieldset>
          <legend>Run</legend>
          <label className="choice">
            <input type="checkbox" name="dryRun" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Dry
            run: compute and report everything, write nothing
          </label>
          <label>
            Limit{" "}
            <input
              type="number"
              name="limit"
              min={1}
              className="short"
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
              placeholder="all"
            />{" "}
            rows
            <span className="muted"> (test with 100 first)</span>
          </label>
          <label>
            Batch size{" "}
            <input
              type="number"
              name="batchSize"
              min={1}
              className="short"
              value={batchSize}
              onChange={(e) => setBatchSize(e.target.value)}
              placeholder="5000"
            />
          </label>
          {(kind === "VENDOR_CODES" || kind === "FULL") && (
            <label className="choice">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Overwrite
              vendor codes that hold something else (their before-values are kept)
            </label>
          )}
        </fieldset>
        <ErrorBanner errors={pending ? formErrors : [...formErrors, ...started.errors]} />
        <div className="actions">
          <button type="submit" className="primary" disabled={started.busy}>
            {started.busy ? "Starting…" : `Start ${dryRun ? "dry run" : kindLabel(kind).toLowerCase()}`}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={pending !== null}
        title={`Start a ${kindLabel(kind).toLowerCase()} for real?`}
        confirmLabel="Start, writing"
        danger
        busy={started.busy}
        errors={started.errors}
        onConfirm={() => pending && void go(pending)}
        onCancel={() => setPending(null)}
      >
        <p>
          This is not a dry run: it {WRITES[kind]}, {limit ? `at most ${limit} rows` : "every row"}. A finished job can
          be rolled back.
        </p>
      </ConfirmDialog>
    </main>
  );
}
