import { ReadBatcher } from "../../src/vici/db/read-batcher";
import { currentRequest, runInRequest } from "../../src/util/request-scope";

/** A statement stand-in that records each batch and answers when told to. */
function recorder(answer: (key: number) => string | undefined = (k) => `v${k}`) {
  const batches: { keys: number[]; limit: number; release: () => void; fail: (e: Error) => void }[] = [];
  const run = (keys: number[]) =>
    new Promise<Map<number, string>>((resolve, reject) => {
      const found = new Map<number, string>();
      for (const k of keys) {
        const v = answer(k);
        if (v !== undefined) found.set(k, v);
      }
      batches.push({
        keys,
        limit: currentRequest()?.statementTimeoutMs ?? -1,
        release: () => resolve(found),
        fail: reject,
      });
    });
  return { run, batches };
}

const turn = () => new Promise((r) => setImmediate(r));

describe("ReadBatcher", () => {
  it("sends the keys asked in one turn of the event loop as one batch, each caller its own answer", async () => {
    const { run, batches } = recorder((k) => (k === 3 ? undefined : `v${k}`));
    const b = new ReadBatcher(run, { maxKeys: 10, maxInFlight: 1 });
    const answers = Promise.all([b.load(1), b.load(2), b.load(3), b.load(1)]);
    await turn();
    expect(batches.map((x) => x.keys)).toEqual([[1, 2, 3]]);
    batches[0].release();
    expect(await answers).toEqual(["v1", "v2", undefined, "v1"]);
  });

  it("holds keys while maxInFlight batches are out, then sends them together", async () => {
    const { run, batches } = recorder();
    const b = new ReadBatcher(run, { maxKeys: 10, maxInFlight: 1 });
    const first = b.load(1);
    await turn();
    const later = [b.load(2), b.load(3)];
    await turn();
    await turn();
    expect(batches.map((x) => x.keys)).toEqual([[1]]); // 2 and 3 wait: one batch is out
    batches[0].release();
    expect(await first).toBe("v1");
    await turn();
    expect(batches.map((x) => x.keys)).toEqual([[1], [2, 3]]);
    batches[1].release();
    expect(await Promise.all(later)).toEqual(["v2", "v3"]);
  });

  it("sends a full batch at once", async () => {
    const { run, batches } = recorder();
    const b = new ReadBatcher(run, { maxKeys: 2, maxInFlight: 1 });
    const all = [1, 2, 3].map((k) => b.load(k));
    expect(batches.map((x) => x.keys)).toEqual([[1, 2]]);
    await turn();
    batches[0].release();
    await all[0];
    await turn();
    expect(batches.map((x) => x.keys)).toEqual([[1, 2], [3]]);
    batches[1].release();
    expect(await Promise.all(all)).toEqual(["v1", "v2", "v3"]);
  });

  it("fails every caller of a failed batch with its error, and goes on with the next", async () => {
    const { run, batches } = recorder();
    const b = new ReadBatcher(run, { maxKeys: 10, maxInFlight: 1 });
    const failing = [b.load(1), b.load(2)];
    await turn();
    batches[0].fail(new Error("gone"));
    for (const p of failing) await expect(p).rejects.toThrow("gone");
    const next = b.load(4);
    await turn();
    batches[1].release();
    expect(await next).toBe("v4");
  });

  it("never puts callers of different statement limits in one batch, and runs each under its callers' limit", async () => {
    const { run, batches } = recorder();
    const b = new ReadBatcher(run, { maxKeys: 10, maxInFlight: 2 });
    const api = runInRequest({ statementTimeoutMs: 5000 }, () => b.load(1));
    const background = b.load(2);
    await turn();
    expect(batches.map((x) => [x.keys, x.limit])).toEqual([
      [[1], 5000],
      [[2], 0],
    ]);
    for (const x of batches) x.release();
    expect(await Promise.all([api, background])).toEqual(["v1", "v2"]);
  });
});
