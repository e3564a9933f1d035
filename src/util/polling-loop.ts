import { outsideRequests } from "./request-scope";

/**
 * A background pass run every `intervalMs` and on kick(), never two at once in a process: a
 * kick during a pass runs one more pass after it. The outbox pusher and the job runner use it.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A kick from an API request starts background work: it runs without the request's limits.
    this.running = outsideRequests(() => this.pass())
      .then(() => undefined, this.onError)
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the pass in flight, if any, and the one a kick during it queued. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
