import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe, until } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

const finished = (fn: string, n: number, ms = 10_000) =>
  probe.engine.waitForRuns((r) => r.status === "completed", n, ms, { fnId: `probe-${fn}` });

describe("flow control", () => {
  it("throttle 2/s queues 10 runs FIFO over ~4 s (GCRA) without dropping one", async () => {
    await probe.app.client.send(Array.from({ length: 10 }, (_, i) => ({ name: "probe/throttle", data: { i } })));
    const runs = await finished("throttled", 10, 15_000);
    expect(runs).toHaveLength(10);
    const starts = probe.app.log.starts.filter((s) => s.fn === "throttled");
    expect(starts).toHaveLength(10);
    // started_at is when the throttle gate admitted the run; step times would add call jitter.
    const times = runs.map((r) => r.started_at!).sort((a, b) => a - b);
    // GCRA as Inngest's queue: `limit` starts at once, then one every period/limit (500 ms).
    for (let i = 2; i < 10; i++) expect(times[i]! - times[0]!).toBeGreaterThanOrEqual((i - 1) * 500 - 50);
    expect(times[9]! - times[0]!).toBeLessThan(8000);
    // FIFO: the gate admits runs in the order their events arrived.
    const admitted = [...runs].sort((a, b) => a.started_at! - b.started_at! || a.id.localeCompare(b.id));
    expect(admitted.map((r) => r.event.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a concurrency key of 1 serialises per key while other keys run in parallel", async () => {
    await probe.app.client.send([
      ...[1, 2, 3].map((n) => ({ name: "probe/keyed", data: { key: "a", n } })),
      ...[1, 2, 3].map((n) => ({ name: "probe/keyed", data: { key: "b", n } })),
    ]);
    await finished("keyed", 6);
    const spans = probe.app.log.starts.filter((s) => s.fn === "keyed");
    for (const key of ["a", "b"]) {
      const mine = spans.filter((s) => s.key === key).sort((x, y) => x.at - y.at);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.at).toBeGreaterThanOrEqual(mine[i - 1]!.end!);
    }
    const a0 = spans.find((s) => s.key === "a")!;
    expect(spans.some((s) => s.key === "b" && s.at < a0.end! && s.end! > a0.at)).toBe(true);
  });

  it("debounce runs once per key with the last event", async () => {
    for (const n of [1, 2, 3]) {
      await probe.send("probe/debounce", { key: "k", n });
      await new Promise((r) => setTimeout(r, 200));
    }
    await probe.send("probe/debounce", { key: "other", n: 9 });
    const runs = await finished("debounced", 2);
    await new Promise((r) => setTimeout(r, 1200));
    const all = await probe.engine.listRuns({ fnId: "probe-debounced" });
    expect(all).toHaveLength(2);
    expect(runs.map((r) => r.output).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { n: 3, key: "k" },
      { n: 9, key: "other" },
    ]);
  });

  it("batchEvents groups by key, flushes full batches at once and partial ones on timeout", async () => {
    await probe.app.client.send([
      { name: "probe/batch", data: { key: "x", n: 1 } },
      { name: "probe/batch", data: { key: "y", n: 2 } },
      { name: "probe/batch", data: { key: "x", n: 3 } },
      { name: "probe/batch", data: { key: "x", n: 4 } },
    ]);
    const runs = await finished("batched", 2);
    const outputs = runs.map((r) => r.output as { keys: string[]; ns: number[] });
    expect(outputs).toContainEqual({ keys: ["x", "x", "x"], ns: [1, 3, 4] });
    expect(outputs).toContainEqual({ keys: ["y"], ns: [2] });
  });

  it("rateLimit drops events over the limit", async () => {
    await probe.send("probe/limited", { n: 1 });
    await probe.send("probe/limited", { n: 2 });
    await probe.send("probe/limited", { n: 3 });
    await finished("limited", 1);
    await new Promise((r) => setTimeout(r, 500));
    const all = await probe.engine.listRuns({ fnId: "probe-limited" });
    expect(all.map((r) => r.output)).toEqual([1]);
  });

  it("idempotency keeps one run per key for 24 h", async () => {
    await probe.send("probe/idem", { key: "same", n: 1 });
    await probe.send("probe/idem", { key: "same", n: 2 });
    await probe.send("probe/idem", { key: "diff", n: 3 });
    await finished("idempotent", 2);
    await new Promise((r) => setTimeout(r, 300));
    const all = await probe.engine.listRuns({ fnId: "probe-idempotent" });
    expect(all.map((r) => r.output).sort()).toEqual([1, 3]);
  });

  it("triggers: CEL if filters events and wildcard names match", async () => {
    await probe.send("probe/filter", { n: 1 });
    await probe.send("probe/filter", { n: 5 });
    await probe.send("probe/wild.card", {});
    await finished("filtered", 2);
    await new Promise((r) => setTimeout(r, 300));
    const all = await probe.engine.listRuns({ fnId: "probe-filtered" });
    expect(all.map((r) => r.output).sort()).toEqual(["probe/filter", "probe/wild.card"]);
  });
  it("priority.run: higher-priority queued runs start first; the offset is clamped to ±600 s", async () => {
    const spans = () => probe.app.log.starts.filter((s) => s.fn === "prioritized");
    await probe.send("probe/prio", { name: "blocker", p: 0 });
    await until(() => spans().length === 1); // the blocker holds the only slot while the others queue
    await probe.app.client.send([
      ...["a", "b", "c"].map((name) => ({ name: "probe/prio", data: { name, p: 0 } })),
      { name: "probe/prio", data: { name: "urgent", p: 120 } },
    ]);
    await finished("prioritized", 5);
    expect(spans().map((s) => s.key)).toEqual(["blocker", "urgent", "a", "b", "c"]);
    // A negative factor delays the run by that many seconds, at most 600.
    await probe.send("probe/prio", { name: "late", p: -100_000 });
    const late = await probe.engine.waitForRun((r) => r.fn_id === "probe-prioritized" && r.event.data.name === "late", 5000);
    expect(late.prio! - late.created_at).toBe(600_000);
    const [job] = await probe.engine.ctx.store.runJobs(late.id);
    expect(job!.run_at).toBe(late.prio);
    await probe.engine.cancel(late.id);
  });

  it("singleton skip drops a new run while one is active for the key; cancel replaces the active run", async () => {
    await probe.send("probe/single-skip", { k: "a", n: 1 });
    await probe.send("probe/single-cancel", { k: "a", n: 1 });
    await probe.engine.waitForRuns((r) => r.fn_id.startsWith("probe-single-") && r.status === "running", 2, 5000);
    await probe.app.client.send([
      { name: "probe/single-skip", data: { k: "a", n: 2 } }, // skipped: n=1 is active for key a
      { name: "probe/single-skip", data: { k: "b", n: 3 } }, // another key runs
      { name: "probe/single-cancel", data: { k: "a", n: 2 } }, // cancels n=1
    ]);
    await finished("single-skip", 2);
    const skip = await probe.engine.listRuns({ fnId: "probe-single-skip" });
    expect(skip.map((r) => [r.event.data.n, r.status]).sort()).toEqual([
      [1, "completed"],
      [3, "completed"],
    ]);
    await finished("single-cancel", 1);
    const cancel = await probe.engine.listRuns({ fnId: "probe-single-cancel" });
    expect(cancel.map((r) => [r.event.data.n, r.status]).sort()).toEqual([
      [1, "cancelled"],
      [2, "completed"],
    ]);
  });

  it("an env-scoped key is shared across functions; two constraints apply at once", async () => {
    await probe.app.client.send([
      ...[1, 2].map((n) => ({ name: "probe/env", data: { n } })), // each event starts env-a and env-b
      ...["x", "x", "x", "y", "z"].map((k) => ({ name: "probe/dual", data: { k } })),
    ]);
    await finished("env-a", 2);
    await finished("env-b", 2);
    await finished("dual", 5);
    const overlap = (a: { at: number; end?: number }, b: { at: number; end?: number }) => a.at < b.end! && b.at < a.end!;
    const env = probe.app.log.starts.filter((s) => s.fn === "env");
    expect(env).toHaveLength(4);
    for (const a of env) for (const b of env) if (a !== b) expect(overlap(a, b)).toBe(false);
    const dual = probe.app.log.starts.filter((s) => s.fn === "dual");
    // At any span's start, at most two spans are executing (itself included): account limit 2.
    for (const a of dual) expect(dual.filter((b) => b.at <= a.at && a.at < b.end!).length).toBeLessThanOrEqual(2);
    const xs = dual.filter((s) => s.key === "x");
    for (const a of xs) for (const b of xs) if (a !== b) expect(overlap(a, b)).toBe(false); // key limit 1
    expect(dual.some((a) => dual.some((b) => a !== b && overlap(a, b)))).toBe(true);
  });

  it("throttle burst: limit + burst start at once, then one per period/limit", async () => {
    await probe.app.client.send(Array.from({ length: 5 }, (_, i) => ({ name: "probe/bursty", data: { i } })));
    const runs = await finished("bursty", 5, 15_000);
    const t = runs.map((r) => r.started_at!).sort((a, b) => a - b);
    expect(t[2]! - t[0]!).toBeLessThan(800); // limit 1 + burst 2
    expect(t[3]! - t[0]!).toBeGreaterThanOrEqual(950);
    expect(t[4]! - t[0]!).toBeGreaterThanOrEqual(1950);
    const order = [...runs].sort((a, b) => a.started_at! - b.started_at! || a.id.localeCompare(b.id));
    expect(order.map((r) => r.output)).toEqual([0, 1, 2, 3, 4]);
  });

  it("debounce timeout runs by the max wait even while events keep coming", async () => {
    const t0 = Date.now();
    let n = 0;
    let first: Awaited<ReturnType<typeof finished>> = [];
    // An event every 0.5 s would postpone a 1 s debounce forever; timeout 2 s caps the wait.
    while (Date.now() - t0 < 6000) {
      await probe.send("probe/debounce-max", { n: ++n });
      first = (await probe.engine.listRuns({ fnId: "probe-debounce-max" })).filter((r) => r.status === "completed");
      if (first.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(first).toHaveLength(1);
    expect(first[0]!.created_at - t0).toBeLessThan(3500);
    expect(first[0]!.output).toBeGreaterThan(1); // the last event so far, not the first
    expect(first[0]!.output).toBeLessThan(n + 1);
  });

  it("batchEvents.if: events failing the condition are not batched and run alone at once", async () => {
    await probe.app.client.send([
      { name: "probe/cond-batch", data: { n: 1, vip: true } },
      { name: "probe/cond-batch", data: { n: 2, vip: false } },
      { name: "probe/cond-batch", data: { n: 3 } }, // no field: the expression errors → not batched
      { name: "probe/cond-batch", data: { n: 4, vip: true } },
    ]);
    const runs = await finished("cond-batch", 3);
    expect(runs.map((r) => r.output)).toEqual(expect.arrayContaining([[1, 4], [2], [3]]));
  });
});
