import { SingleBar } from "cli-progress";
import type { SyncJobProgressEvent } from "../jobs/progress";
import { formatCount, formatDuration } from "./output";

/** Renders a job's progress events while the CLI follows it. */
export interface ProgressView {
  update(e: SyncJobProgressEvent): void;
  /** A message for the operator (e.g. "cancelling..."), shown without breaking the display. */
  note(text: string): void;
  /** The last event: closes the display. */
  finish(e: SyncJobProgressEvent): void;
  /** Closes the display as it is (an error, a forced exit): the terminal gets its cursor back. */
  close(): void;
}

export type ProgressMode = "bar" | "lines" | "none";

/**
 * A bar on a terminal, plain lines when stderr is not a TTY (CI, pipes, files) or TERM=dumb,
 * no progress with --json. Progress goes to stderr: stdout carries only the result.
 */
export function progressModeFor(
  json: boolean,
  stream: NodeJS.WriteStream = process.stderr,
  env = process.env,
): ProgressMode {
  if (json) return "none";
  return stream.isTTY && env.TERM !== "dumb" ? "bar" : "lines";
}

export function createProgressView(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (mode === "bar") return new BarView(stream);
  if (mode === "lines") return new LineView(stream);
  // --json: no progress, but operator notes (Ctrl-C, JOBS_RUN=false) still go to stderr.
  return { update() {}, note: (text) => void stream.write(`${text}\n`), finish() {}, close() {} };
}

/** What to show for an event: rows of the current stage against its total, rate, ETA. */
interface Shown {
  phase: string;
  value: number;
  total: number | null;
  rate: number | null;
  eta: number | null;
}

/** The job's rows against its total (a FULL job's counts both phases), rate, ETA. A value past the total shows no total. */
function shown(e: SyncJobProgressEvent): Shown {
  const total = e.total !== null && e.processed <= e.total ? e.total : null;
  const rate = e.rowsPerSecond;
  const eta = e.final ? 0 : total !== null && rate ? (total - e.processed) / rate : null;
  return { phase: e.phase ?? e.state.toLowerCase(), value: e.processed, total, rate, eta };
}

const counters = (e: SyncJobProgressEvent) =>
  `created ${formatCount(e.created)} updated ${formatCount(e.updated)} linked ${formatCount(e.linked)} ` +
  `skipped ${formatCount(e.skipped)} unchanged ${formatCount(e.unchanged)} conflicts ${formatCount(e.conflicts)} errors ${formatCount(e.errors)}`;

/** One line per event, at most every `intervalMs` (the first and the final always). */
export class LineView implements ProgressView {
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs = 2000,
    private readonly now = () => Date.now(),
  ) {}

  update(e: SyncJobProgressEvent): void {
    const s = shown(e);
    if (this.last !== 0 && this.now() - this.last < this.intervalMs) return;
    this.last = this.now();
    this.write(e, s);
  }

  note(text: string): void {
    this.stream.write(`${text}\n`);
  }

  finish(e: SyncJobProgressEvent): void {
    this.write(e, shown(e));
  }

  close(): void {}

  private write(e: SyncJobProgressEvent, s: Shown): void {
    const of =
      s.total !== null
        ? `/${formatCount(s.total)}${s.total > 0 ? ` (${((s.value / s.total) * 100).toFixed(1)}%)` : ""}`
        : "";
    const rate = s.rate !== null ? ` | ${formatCount(s.rate)} rows/s` : "";
    const eta = !e.final && s.eta !== null ? ` | ETA ${formatDuration(s.eta)}` : "";
    this.stream.write(
      `job ${e.jobId} ${e.kind} ${e.state} ${s.phase}: ${formatCount(s.value)}${of}${rate}${eta} | ${counters(e)}\n`,
    );
  }
}

/** cli-progress on a terminal: processed/total, rows/s, ETA and the counters. */
export class BarView implements ProgressView {
  private bar: SingleBar | null = null;
  private extra = "";

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(e: SyncJobProgressEvent): void {
    const s = shown(e);
    const payload = this.payload(e, s);
    if (!this.bar) {
      this.bar = new SingleBar({
        stream: this.stream,
        format: (_opts, params, p) => this.format(params.value, p as Payload),
        fps: 5,
        hideCursor: true,
        gracefulExit: false,
        linewrap: false,
        clearOnComplete: false,
        stopOnComplete: false,
      });
      this.bar.start(Math.max(1, s.total ?? 1), s.value, payload);
    } else {
      this.bar.setTotal(Math.max(1, s.total ?? 1));
      this.bar.update(s.value, payload);
    }
  }

  note(text: string): void {
    // Shown inside the bar's line: writing below it would be overdrawn.
    this.extra = text;
    this.bar?.update({ extra: text });
    if (!this.bar) this.stream.write(`${text}\n`);
  }

  finish(e: SyncJobProgressEvent): void {
    this.update(e);
    this.close();
  }

  close(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private payload(e: SyncJobProgressEvent, s: Shown): Payload {
    return { e, s, extra: this.extra };
  }

  private format(value: number, p: Payload): string {
    const { e, s } = p;
    const width = 24;
    const ratio = s.total ? Math.min(1, value / s.total) : 0;
    const filled = Math.round(ratio * width);
    const bar = s.total !== null ? "█".repeat(filled) + "░".repeat(width - filled) : "░".repeat(width);
    const of =
      s.total !== null
        ? `${formatCount(value)}/${formatCount(s.total)} ${String(Math.floor(ratio * 100)).padStart(3)}%`
        : formatCount(value);
    const rate = s.rate !== null ? `${formatCount(s.rate)} rows/s` : "- rows/s";
    const eta = e.final ? formatDuration(0) : formatDuration(s.eta);
    const line = `${e.kind} ${e.jobId} ${s.phase} ${bar} ${of} | ${rate} | ETA ${eta} | ${counters(e)}`;
    return p.extra ? `${line} | ${p.extra}` : line;
  }
}

interface Payload {
  e: SyncJobProgressEvent;
  s: Shown;
  extra: string;
}
