import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "./harness";

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
  it("throttle 2/s queues 10 runs FIFO over ~4-5 s without dropping one", async () => {
    await probe.app.client.send(Array.from({ length: 10 }, (_, i) => ({ name: "probe/throttle", data: { i } })));
    const runs = await finished("throttled", 10, 15_000);
    expect(runs).toHaveLength(10);
    const starts = probe.app.log.starts.filter((s) => s.fn === "throttled");
    expect(starts).toHaveLength(10);
    // started_at is when the throttle gate admitted the run; step times would add call jitter.
    const times = runs.map((r) => r.started_at!).sort((a, b) => a - b);
    expect(times[9]! - times[0]!).toBeGreaterThanOrEqual(3500);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(2);
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
});
