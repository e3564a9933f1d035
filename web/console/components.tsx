import { useEffect, useRef, useState, type ReactNode } from "react";
import type { GqlError } from "./api";
import { formatCount, formatDuration } from "./format";

/** What went wrong, in words an operator can act on; the code as the API names it. */
export function explain(e: GqlError): string {
  switch (e.code) {
    case "VICI_UNAVAILABLE":
      return "VICIdial's database cannot be reached. Brain's data still shows; VICIdial's fields stay empty until it answers again.";
    case "FORBIDDEN":
      return `This key may not do that: ${e.message}`;
    case "RATE_LIMITED":
      return "Too many requests with this key: wait a moment.";
    case "NETWORK":
      return e.message;
    default:
      return e.message;
  }
}

export function ErrorBanner(props: { errors: readonly GqlError[]; onRetry?: () => void }) {
  if (!props.errors.length) return null;
  // One banner per code: a page of 50 leads with Vici down says it once.
  const byCode = new Map(props.errors.map((e) => [e.code, e]));
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      {[...byCode.values()].map((e) => (
        <p key={e.code}>
          <code className="code">{e.code}</code> {explain(e)}
        </p>
      ))}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty(props: { children: ReactNode }) {
  return (
    <p className="empty" data-testid="empty">
      {props.children}
    </p>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p className="loading" aria-live="polite">
      Loading {props.what}…
    </p>
  );
}

/** A job or push state as a coloured word. */
export function StateBadge(props: { state: string }) {
  return <span className={`badge state-${props.state.toLowerCase()}`}>{props.state}</span>;
}

/**
 * A bar whose geometry never changes while it fills: fixed height, a reserved line for its
 * figures, tabular digits in fixed-width slots.
 */
export function ProgressBar(props: {
  processed: number;
  total: number | null;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  final: boolean;
  label: string;
}) {
  const { processed, total } = props;
  const pct = total ? Math.min(100, Math.floor((processed / total) * 100)) : props.final ? 100 : 0;
  return (
    <div className="progress" data-testid="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={
          total === null
            ? `${formatCount(processed)} rows`
            : `${pct}% (${formatCount(processed)} of ${formatCount(total)} rows)`
        }
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      {/* Each figure is one text node, left-aligned in its slot: a new digit never moves anything. */}
      <div className="progress-figures num">
        <span className="slot slot-pct" data-testid="progress-percent">
          {`${pct}%`}
        </span>
        <span className="slot slot-rows" data-testid="progress-rows">
          {total === null ? `${formatCount(processed)} rows` : `${formatCount(processed)} / ${formatCount(total)} rows`}
        </span>
        <span className="slot slot-rate">{`${props.rowsPerSecond === null ? "—" : formatCount(props.rowsPerSecond)} rows/s`}</span>
        <span className="slot slot-eta">{`ETA ${formatDuration(props.etaSeconds)}`}</span>
      </div>
    </div>
  );
}

export const COUNTERS = ["created", "updated", "linked", "skipped", "unchanged", "conflicts", "errors"] as const;
export type Counters = Record<(typeof COUNTERS)[number] | "processed", number>;

export function CounterTable(props: { counters: Counters }) {
  return (
    <table className="counters num" data-testid="counters">
      <thead>
        <tr>
          <th scope="col">processed</th>
          {COUNTERS.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          <td data-counter="processed">{formatCount(props.counters.processed)}</td>
          {COUNTERS.map((c) => (
            <td key={c} data-counter={c}>
              {formatCount(props.counters[c])}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

/**
 * Asks before something that changes the dialer's world: a native modal dialog (focus kept
 * inside, Escape cancels). `children` may hold inputs; `confirm` runs on the confirm button.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  canConfirm?: boolean;
  errors?: readonly GqlError[];
  onConfirm(): void;
  onCancel(): void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) {
      d.showModal();
      // The first field to fill, else Cancel: Enter on a dangerous question never confirms by accident.
      (
        d.querySelector<HTMLElement>("input, textarea, select") ?? d.querySelector<HTMLElement>("button[type=button]")
      )?.focus();
    }
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      onCancel={(e) => (e.preventDefault(), props.onCancel())}
      aria-labelledby="dialog-title"
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (props.canConfirm !== false && !props.busy) props.onConfirm();
        }}
      >
        <h2 id="dialog-title">{props.title}</h2>
        {props.children}
        <ErrorBanner errors={props.errors ?? []} />
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={props.danger ? "danger" : "primary"}
            disabled={props.busy || props.canConfirm === false}
          >
            {props.busy ? "Working…" : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A dialog's open state with the thing it is about. */
export function useDialog<T>(): { subject: T | null; open(subject: T): void; close(): void } {
  const [subject, setSubject] = useState<T | null>(null);
  return { subject, open: setSubject, close: () => setSubject(null) };
}
