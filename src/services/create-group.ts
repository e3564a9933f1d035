import { AsyncResource } from "node:async_hooks";
import type { DataSource, EntityManager } from "typeorm";
import { isBrainUnreachable } from "../data-sources/brain-errors";
import { currentRequest, runInRequest } from "../util/request-scope";

/**
 * One create in a group: its phone, its transaction's work once the group holds the phone's
 * lock and has read its lead (`insert` puts its new lead into the group's one INSERT), and
 * the same create alone (its own transaction), for when the group cannot answer for it.
 */
interface Member<E, I, L, R> {
  phone: string;
  work: (m: EntityManager, existing: E | undefined, insert: (row: I) => Promise<L>) => Promise<R>;
  alone: () => Promise<R>;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export interface CreateGroupHooks<E, I, L, R> {
  /** Takes the phones' advisory locks (one statement, a fixed order) and reads their leads under them. */
  lockAndRead(m: EntityManager, phones: string[]): Promise<Map<string, E>>;
  /** The new leads of the group (and their push records) in one statement, in the rows' order. */
  insert(m: EntityManager, rows: I[]): Promise<L[]>;
  /** After a COMMIT Brain did not confirm: was this member's work kept? (false: it runs alone). */
  kept(r: R): Promise<boolean>;
  /** The group was rolled back (`cause`: the first member's error, or Brain's): its creates run alone. */
  rolledBack?(creates: number, cause: unknown): void;
}

/** Thrown inside a group's transaction to roll it back when any member failed. */
const MEMBER_FAILED = new Error("a create of the group failed: the group is rolled back, each create runs alone");

/**
 * Group commit for creates: the creates ready in one turn of the event loop (and while
 * `maxInFlight` groups are out, those that arrive meanwhile) share one Brain transaction —
 * one statement for their phones' locks and leads, one INSERT for their new leads and push
 * records, one COMMIT — instead of a transaction each.
 *
 * Each member keeps the answer it would get alone: its work reads Vici after the group holds
 * its phone's lock, and makes its own decisions. When any member fails (a bad input found under
 * the lock, a refused statement, a guard), the whole group is rolled back — nothing of it is
 * kept — and every member runs alone, in its own transaction, so the failing one gets its own
 * error and the others their answers. (A SAVEPOINT per member would have to serialise the
 * members' statements on the connection, which is what the group is there to avoid; a failure
 * costs a re-run instead, and failures under the lock are rare.) Two creates of one phone never
 * share a group: the second runs alone and waits for the first's lock.
 */
export class CreateGroups<E, I, L, R> {
  /** Groups being filled, by statement limit (ms, 0: none): callers of different limits never share one. */
  private readonly pending = new Map<number, Member<E, I, L, R>[]>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly brain: DataSource,
    private readonly hooks: CreateGroupHooks<E, I, L, R>,
    private readonly opts: { maxMembers: number; maxInFlight: number },
  ) {}

  run(phone: string, work: Member<E, I, L, R>["work"], alone: () => Promise<R>): Promise<R> {
    const limit = currentRequest()?.statementTimeoutMs || 0;
    let group = this.pending.get(limit);
    if (group?.some((g) => g.phone === phone)) return alone();
    if (group && group.length >= this.opts.maxMembers) {
      this.send(limit, group);
      group = undefined;
    }
    if (!group) this.pending.set(limit, (group = []));
    const members = group;
    const done = new Promise<R>((resolve, reject) =>
      // The member's work runs in its own request's context (its gate, its limits), not the group's.
      members.push({ phone, work: AsyncResource.bind(work), alone: AsyncResource.bind(alone), resolve, reject }),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return done;
  }

  private flush(): void {
    for (const [limit, group] of this.pending) {
      if (this.inFlight >= this.opts.maxInFlight) return;
      this.send(limit, group);
    }
  }

  private send(limit: number, group: Member<E, I, L, R>[]): void {
    if (this.pending.get(limit) === group) this.pending.delete(limit);
    this.inFlight++;
    runInRequest({ statementTimeoutMs: limit }, () => this.commit(group)).finally(() => {
      this.inFlight--;
      this.flush();
    });
  }

  private async commit(members: Member<E, I, L, R>[]): Promise<void> {
    if (members.length === 1) {
      // Nothing to share: the create's own transaction, as without groups.
      await members[0].alone().then(members[0].resolve, members[0].reject);
      return;
    }
    let settled: PromiseSettledResult<R>[] | null = null;
    try {
      await this.brain.transaction(async (tx) => {
        const m = oneAtATime(tx);
        const existing = await this.hooks.lockAndRead(
          m,
          members.map((x) => x.phone),
        );
        const inserts = new InsertBarrier<I, L>(members.length, (rows) => this.hooks.insert(m, rows));
        settled = await Promise.allSettled(
          members.map(async (x, i) => {
            try {
              return await x.work(m, existing.get(x.phone), (row) => inserts.add(i, row));
            } catch (e) {
              inserts.fail(e); // the group is lost: nobody waits for the others' rows
              throw e;
            } finally {
              inserts.leave(i);
            }
          }),
        );
        if (settled.some((s) => s.status === "rejected")) throw MEMBER_FAILED;
      });
    } catch (e) {
      const results = settled as PromiseSettledResult<R>[] | null;
      const first = results?.find((r): r is PromiseRejectedResult => r.status === "rejected");
      this.hooks.rolledBack?.(members.length, e === MEMBER_FAILED && first ? first.reason : e);
      await Promise.all(
        members.map(async (x, i) => {
          // A COMMIT Brain did not confirm: a member whose work was kept has its answer.
          const r = results?.[i];
          if (e !== MEMBER_FAILED && isBrainUnreachable(e) && r?.status === "fulfilled") {
            try {
              if (await this.hooks.kept(r.value)) return x.resolve(r.value);
            } catch (unknown) {
              return x.reject(unknown);
            }
          }
          await x.alone().then(x.resolve, x.reject);
        }),
      );
      return;
    }
    for (const [i, s] of (settled as PromiseSettledResult<R>[] | null)!.entries())
      if (s.status === "fulfilled") members[i].resolve(s.value);
  }
}

/**
 * Holds each member's new lead until every member still at work has either given its row or
 * finished without one, then sends them all as one statement.
 */
class InsertBarrier<I, L> {
  private readonly waiting = new Map<number, { row: I; resolve: (l: L) => void; reject: (e: unknown) => void }>();
  private readonly out = new Set<number>();
  private failure: unknown = null;

  constructor(
    private open: number,
    private readonly send: (rows: I[]) => Promise<L[]>,
  ) {}

  add(member: number, row: I): Promise<L> {
    if (this.failure) return Promise.reject(this.failure);
    const p = new Promise<L>((resolve, reject) => this.waiting.set(member, { row, resolve, reject }));
    this.leave(member);
    return p;
  }

  /** The member gave its row or finished: it holds the others up no longer. */
  leave(member: number): void {
    if (this.out.has(member)) return;
    this.out.add(member);
    this.open--;
    if (this.open === 0 && this.waiting.size) this.go();
  }

  fail(e: unknown): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  private go(): void {
    const batch = [...this.waiting.values()];
    this.waiting.clear();
    this.send(batch.map((w) => w.row)).then(
      (leads) => batch.forEach((w, i) => w.resolve(leads[i])),
      (e) => batch.forEach((w) => w.reject(e)),
    );
  }
}

/**
 * The transaction's manager for members working side by side: their statements go to the one
 * connection in the order asked, each after the previous one answered (pg queues them anyway,
 * but no longer wants to be asked while busy).
 */
function oneAtATime(m: EntityManager): EntityManager {
  let last: Promise<unknown> = Promise.resolve();
  const query = (...args: Parameters<EntityManager["query"]>) => {
    const p = last.then(() => m.query(...args));
    last = p.catch(() => {});
    return p;
  };
  return new Proxy(m, { get: (t, prop, r) => (prop === "query" ? query : Reflect.get(t, prop, r)) });
}
