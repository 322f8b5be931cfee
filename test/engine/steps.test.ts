import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe, until } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

const done = (fn: string, pred: (r: { event: { data: Record<string, unknown> } }) => boolean = () => true, ms = 8000) =>
  probe.engine.waitForRun((r) => r.fn_id === `probe-${fn}` && ["completed", "failed", "cancelled"].includes(r.status) && pred(r), ms);

describe("step protocol", () => {
  it("sleep and sleepUntil park the run and resume it", async () => {
    const t0 = Date.now();
    await probe.send("probe/sleep", { tag: "s1", nap: "1s" });
    const run = await done("sleeper", (r) => r.event.data.tag === "s1");
    expect(run.status).toBe("completed");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    const types = (await probe.engine.history(run.id)).map((h) => h.type);
    expect(types.filter((t) => t === "step.sleeping")).toHaveLength(2);
  });

  it("waitForEvent resumes on a matching event (match and CEL if) and times out to null", async () => {
    await probe.send("probe/wait", { id: "w1" });
    await probe.engine.waitForRun((r) => r.fn_id === "probe-waiter" && r.status === "running", 5000);
    await new Promise((r) => setTimeout(r, 300));
    await probe.send("probe/reply", { id: "other" }); // does not match data.id
    await probe.send("probe/reply", { id: "w1", ok: true });
    await new Promise((r) => setTimeout(r, 300));
    await probe.send("probe/reply2", { n: 1 }); // fails `async.data.n > 2`
    const run = await done("waiter");
    expect(run.output).toEqual({ reply: { id: "w1", ok: true }, cel: null });
  });

  it("sendEvent emits events that trigger other functions", async () => {
    await probe.send("probe/send", { tag: "t" });
    const run = await done("hello", (r) => r.event.data.tag === "from-sender-t");
    expect(run.status).toBe("completed");
  });

  it("invoke returns the child's result, and times out with an error", async () => {
    await probe.send("probe/invoke", { x: 21 });
    const run = await done("invoker");
    expect(run.output).toEqual({ ok: { doubled: 42 }, timedOut: expect.stringMatching(/timed out/i) });
  });

  it("parallel steps all run and memoize", async () => {
    await probe.send("probe/parallel");
    const run = await done("parallel");
    expect(run.output).toBe(60);
    expect(run.parallel).toBe(true);
  });

  it("retries a failing step with backoff, honouring Retry-After", async () => {
    const t0 = Date.now();
    await probe.send("probe/flaky", { tag: "f" });
    const run = await done("flaky");
    expect(run.output).toEqual({ attempts: 3 });
    expect(probe.app.log.counts.get("flaky:f")).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // Retry-After: 1s on the first failure
  });

  it("NonRetriableError fails at once and runs the failure handler", async () => {
    await probe.send("probe/doomed");
    const run = await done("doomed");
    expect(run.status).toBe("failed");
    expect(probe.app.log.counts.get("doomed")).toBe(1);
    await done("doomed-failure");
    expect(probe.app.log.failures).toEqual([{ functionId: "probe-doomed", runId: run.id, message: "no point retrying" }]);
  });

  it("cancelOn stops a sleeping run", async () => {
    await probe.send("probe/long", { id: "c1" });
    await probe.engine.waitForRun((r) => r.fn_id === "probe-cancellable" && r.status === "running", 5000);
    await new Promise((r) => setTimeout(r, 300));
    await probe.send("probe/stop", { id: "c1" });
    const run = await done("cancellable");
    expect(run.status).toBe("cancelled");
    expect(probe.app.log.counts.get("cancellable-after")).toBeUndefined();
  });

  it("replay reruns a completed run from the start with its event", async () => {
    await probe.send("probe/hello", { tag: "replay" });
    const first = await done("hello", (r) => r.event.data.tag === "replay");
    const res = await fetch(`${probe.engine.url}/api/runs/${first.id}/replay`, { method: "POST", headers: { "content-type": "application/json" } });
    const { runId } = (await res.json()) as { runId: string };
    const second = await probe.engine.waitForRun((r) => r.id === runId && r.status === "completed", 5000);
    expect(second.replay_of).toBe(first.id);
    expect(second.output).toEqual(first.output);
    expect(probe.app.log.counts.get("hello-first:replay")).toBe(2);
  });

  it("bulk-replays the failed runs of a function in a window", async () => {
    const from = Date.now() - 60_000;
    const res = await fetch(`${probe.engine.url}/api/functions/probe-doomed/replay-failed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from, to: Date.now() }),
    });
    const { runIds } = (await res.json()) as { runIds: string[] };
    expect(runIds.length).toBe(1);
    await probe.engine.waitForRun((r) => r.id === runIds[0] && r.status === "failed", 5000);
    expect(probe.app.log.counts.get("doomed")).toBe(2);
  });

  it("serves the operator UI with escaped content", async () => {
    await probe.send("probe/hello", { tag: "<script>x</script>" });
    const run = await done("hello", (r) => r.event.data.tag === "<script>x</script>");
    const page = await (await fetch(`${probe.engine.url}/runs/${run.id}`)).text();
    expect(page).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(page).not.toContain("<script>x</script>");
    expect(page).toContain("step.completed");
    const list = await (await fetch(`${probe.engine.url}/?fn=probe-hello&status=completed`)).text();
    expect(list).toContain(run.id);
    const events = await (await fetch(`${probe.engine.url}/api/events?name=probe/hello`)).json();
    expect(Array.isArray(events)).toBe(true);
  });
  it("timeouts.start cancels a run stuck in the queue; timeouts.finish cancels a run that takes too long", async () => {
    await probe.send("probe/late-start", { n: 1, ms: 2000 }); // holds the only slot for 2 s
    await until(() => probe.app.log.counts.get("late-start:1") === 1);
    await probe.send("probe/late-start", { n: 2 });
    await probe.send("probe/slow-finish");
    const stuck = await done("late-start", (r) => r.event.data.n === 2);
    expect(stuck.status).toBe("cancelled");
    expect(stuck.started_at).toBeNull();
    expect((await done("late-start", (r) => r.event.data.n === 1)).status).toBe("completed");
    expect(probe.app.log.counts.get("late-start:2")).toBeUndefined();
    const slow = await done("slow-finish");
    expect(slow.status).toBe("cancelled");
    expect(slow.ended_at! - slow.started_at!).toBeLessThan(2500); // cancelled at ~1 s, not after the 3 s sleep
    expect(probe.app.log.counts.get("slow-finish-before")).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(probe.app.log.counts.get("slow-finish-after")).toBeUndefined();
  });

  it("a run that exhausts its retries fails and its failure handler gets inngest/function.failed", async () => {
    await probe.send("probe/exhausted");
    const run = await done("exhausted");
    expect(run.status).toBe("failed");
    expect(probe.app.log.counts.get("exhausted")).toBe(2); // retries: 1 → two attempts
    await done("exhausted-failure");
    expect(probe.app.log.failures).toContainEqual({ functionId: "probe-exhausted", runId: run.id, message: "always broken" });
  });

  it("one step.sendEvent of 500 events starts 500 runs", async () => {
    await probe.send("probe/fanout", { n: 500 });
    // Generous limits: this measures that every event starts a run, not how fast (2 shared cores in CI).
    const parent = await done("fanout", () => true, 90_000);
    expect(parent.output).toBe(500);
    const runs = await probe.engine.waitForRuns((r) => r.status === "completed", 500, 120_000, { fnId: "probe-fan-item", limit: 1000 });
    expect(new Set(runs.map((r) => r.output)).size).toBe(500);
  }, 240_000);
});
