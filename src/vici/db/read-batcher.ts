import { currentRequest, runInRequest } from "../../util/request-scope";
import { patiently } from "./vici-query";

interface Waiter<V> {
  resolve: (v: V | undefined) => void;
  reject: (e: unknown) => void;
}

type Batch<K, V> = Map<K, Waiter<V>[]>;

/**
 * Lets concurrent callers share one VICIdial statement: the keys asked during one turn of the
 * event loop go out together (setImmediate), and while `maxInFlight` batches are out, the keys
 * asked meanwhile wait for one to answer and then go together. A lone caller waits no more than
 * the rest of the loop's turn: batches grow only with the load.
 *
 * A batch's statement is sent after each of its callers asked: a caller never reads older data
 * than it would have alone (a create reads its number's rows after taking the phone's lock).
 * Callers of different statement limits (API requests vs background work) never share a batch;
 * the batch runs under its callers' limit, and each caller yields its own operation-gate slot
 * while it waits (VICI_PATIENCE_MS). A failed statement fails each of its callers with the same
 * error, as each one's own statement would have.
 */
export class ReadBatcher<K, V> {
  /** Batches being filled, by statement limit (ms, 0: none). */
  private readonly pending = new Map<number, Batch<K, V>>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** One statement (or a few sent side by side) for the keys; a key missing from the answer reads as undefined. */
    private readonly run: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly opts: { maxKeys: number; maxInFlight: number },
  ) {}

  load(key: K): Promise<V | undefined> {
    const limit = currentRequest()?.statementTimeoutMs || 0;
    let batch = this.pending.get(limit);
    if (batch && batch.size >= this.opts.maxKeys) {
      this.send(limit, batch); // full: it goes now
      batch = undefined;
    }
    if (!batch) this.pending.set(limit, (batch = new Map()));
    const wait = new Promise<V | undefined>((resolve, reject) => {
      const waiters = batch.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
    });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return patiently(() => wait);
  }

  /** Sends the pending batches (each one statement) while fewer than maxInFlight are out. */
  private flush(): void {
    for (const [limit, batch] of this.pending) {
      if (this.inFlight >= this.opts.maxInFlight) return;
      this.send(limit, batch);
    }
  }

  private send(limit: number, batch: Batch<K, V>): void {
    if (this.pending.get(limit) === batch) this.pending.delete(limit);
    this.inFlight++;
    // The batch's statement runs under its callers' limit, outside any one caller's gate slot.
    runInRequest({ statementTimeoutMs: limit }, async () => this.run([...batch.keys()]))
      .then(
        (found) => {
          for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
        },
        (e) => {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.flush();
      });
  }
}
