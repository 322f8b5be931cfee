import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

describe("fair queuing across concurrency keys", () => {
  it("a workspace that queues a few runs after another queued many is served in turns, not after the backlog", async () => {
    await probe.app.client.send(Array.from({ length: 20 }, (_, i) => ({ name: "probe/fair", data: { ws: "big", i } })));
    await probe.app.client.send(Array.from({ length: 5 }, (_, i) => ({ name: "probe/fair", data: { ws: "small", i } })));
    await probe.engine.waitForRuns((r) => r.status === "completed", 25, 30_000, { fnId: "probe-fair-shared" });
    const order = probe.app.log.starts.filter((s) => s.fn === "fair").map((s) => s.key);
    expect(order).toHaveLength(25);
    // The function runs one at a time, so FIFO would start all 20 "big" runs first. Taking turns,
    // "small" is done after about as many "big" runs as it has, plus those started before it queued.
    const lastSmall = order.lastIndexOf("small");
    expect(order.slice(0, lastSmall).filter((k) => k === "big").length).toBeLessThanOrEqual(10);
    // Within a workspace the queue stays FIFO.
    const spans = probe.app.log.starts.filter((s) => s.fn === "fair");
    expect(spans.filter((s) => s.key === "big").map((s) => s.at)).toEqual(
      spans.filter((s) => s.key === "big").map((s) => s.at).sort((a, b) => a - b),
    );
  });

  it("runs sharing a throttle key take turns across workspaces at the throttle's pace", async () => {
    const send = (ws: string, n: number) =>
      probe.app.client.send(Array.from({ length: n }, (_, i) => ({ name: "probe/fair-throttled", data: { ws, account: "acct-1", i } })));
    await send("big", 6);
    await send("small", 2);
    const runs = await probe.engine.waitForRuns((r) => r.status === "completed", 8, 30_000, { fnId: "probe-fair-throttled" });
    const admitted = [...runs].sort((a, b) => a.started_at! - b.started_at! || a.id.localeCompare(b.id));
    const order = admitted.map((r) => r.event.data.ws);
    // FIFO would admit all six "big" runs first; taking turns, "small" is through after two or three.
    expect(order.slice(0, order.lastIndexOf("small")).filter((k) => k === "big").length).toBeLessThanOrEqual(3);
    // One start per second for the account, whoever's run it is (early by at most the 100 ms latency credit).
    for (let i = 1; i < admitted.length; i++)
      expect(admitted[i]!.started_at! - admitted[0]!.started_at!).toBeGreaterThanOrEqual(i * 1000 - 100);
  });
});

describe("throttle pacing", () => {
  it("a queue throttled to 1 per second never starts runs faster than one per second", async () => {
    const n = 6;
    await probe.app.client.send(Array.from({ length: n }, (_, i) => ({ name: "probe/paced", data: { i } })));
    const runs = await probe.engine.waitForRuns((r) => r.status === "completed", n, 30_000, { fnId: "probe-paced" });
    const t = runs.map((r) => r.started_at!).sort((a, b) => a - b);
    // Never faster than the rate (beyond the ≤ 100 ms latency credit). That late starts do not
    // push the schedule back is a property of the gate alone, shown with a simulated clock in
    // flow/throttle.test.ts: wall-clock bounds here would measure the machine's load instead.
    for (let i = 1; i < n; i++) expect(t[i]! - t[0]!).toBeGreaterThanOrEqual(i * 1000 - 100);
  });
});
