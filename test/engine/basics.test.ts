import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

describe("sync, events and execution", () => {
  it("syncs every probe function in-band", async () => {
    const fns = await probe.engine.ctx.store.listFunctions();
    expect(fns.map((f) => f.id)).toContain("probe-hello");
    expect(fns.find((f) => f.id === "probe-doomed-failure")?.config.triggers[0]).toMatchObject({ event: "inngest/function.failed" });
  });

  it("runs step.run functions with checkpointing, never falling back", async () => {
    await probe.send("probe/hello", { tag: "x" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-hello" && r.status === "completed", 5000);
    expect(run.output).toEqual({ a: { tag: "x" }, b: "x!" });
    // Checkpointing: both steps ran inside one call; a failed checkpoint would have made the SDK
    // fall back to one call per step (after ≈1.7 s of checkpoint retries each).
    expect(probe.calls.filter((c) => c.runId === run.id)).toEqual([{ runId: run.id, stepId: "step" }]);
    const hist = await probe.engine.history(run.id);
    expect(hist.filter((h) => h.type === "step.completed").map((h) => h.name)).toEqual(["first", "second"]);
  });

  it("derives stable ids from the seed and dedupes user-set ids for 24 h", async () => {
    const res = await fetch(`${probe.engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-event-id-seed": `${Date.now()},${Buffer.alloc(10, 7).toString("base64")}` },
      body: JSON.stringify([{ name: "probe/other", data: {} }]),
    });
    const first = (await res.json()) as { ids: string[]; status: number };
    const again = await fetch(`${probe.engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-event-id-seed": res.headers.get("x") ?? "" },
      body: "[]",
    });
    expect(again.status).toBe(200);
    expect(first.status).toBe(200);
    expect(first.ids[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const a = await probe.send("probe/hello", { tag: "dup" }, { id: "user-id-1" });
    const b = await probe.send("probe/hello", { tag: "dup" }, { id: "user-id-1" });
    expect(a.ids).toEqual(b.ids);
    await probe.engine.waitForRun((r) => r.fn_id === "probe-hello" && r.event.data.tag === "dup" && r.status === "completed", 5000);
    await new Promise((r) => setTimeout(r, 200));
    const runs = await probe.engine.listRuns({ fnId: "probe-hello" });
    expect(runs.filter((r) => r.event.data.tag === "dup")).toHaveLength(1);
  });
});
