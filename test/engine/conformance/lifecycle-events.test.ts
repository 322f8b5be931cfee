import { NonRetriableError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "@/engine";
import { startProbe } from "../harness";

/**
 * A run that ends cancelled (by cancelOn, a timeout or the API) emits `inngest/function.cancelled`;
 * one that fails after its retries emits `inngest/function.failed` (pkg/execution/executor/finalize.go).
 * Both carry data { function_id, run_id, error, event, events } and the run's id as their event
 * id, so emitting twice for one run never starts a handler twice.
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
const heard: Array<{ name: string; id: string; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction(
          { id: "stoppable", cancelOn: [{ event: "spec/stop", match: "data.id" }], triggers: [{ event: "spec/start" }] },
          async ({ step }) => {
            await step.sleep("long", "20s");
          },
        ),
        client.createFunction({ id: "too-slow", timeouts: { finish: "1s" }, triggers: [{ event: "spec/slow" }] }, async ({ step }) => {
          await step.sleep("long", "20s");
        }),
        client.createFunction({ id: "broken", retries: 0, triggers: [{ event: "spec/break" }] }, async ({ step }) => {
          await step.run("explode", () => {
            throw new NonRetriableError("beyond repair");
          });
        }),
        client.createFunction(
          { id: "listener", triggers: [{ event: "inngest/function.cancelled" }, { event: "inngest/function.failed" }] },
          async ({ event }) => {
            heard.push({ name: event.name, id: String(event.id), data: event.data as Record<string, unknown> });
          },
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

const heardFor = (runId: string, name: string) => heard.filter((h) => h.name === name && h.data.run_id === runId);
const eventually = async (check: () => boolean) => {
  const deadline = Date.now() + 8000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe("lifecycle events", () => {
  it("cancelOn emits inngest/function.cancelled with the run's ids, its event and error, under the run's id", async () => {
    await probe.send("spec/start", { id: "c1" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-stoppable" && r.status === "running", 5000);
    await probe.send("spec/stop", { id: "c1" });
    await eventually(() => heardFor(run.id, "inngest/function.cancelled").length > 0);
    const [ev] = heardFor(run.id, "inngest/function.cancelled");
    expect(ev).toBeDefined();
    expect(ev!.id).toBe(run.id);
    expect(ev!.data).toMatchObject({ function_id: "probe-stoppable", run_id: run.id, event: { name: "spec/start", data: { id: "c1" } } });
    expect((ev!.data.events as EngineEvent[]).map((e) => e.name)).toEqual(["spec/start"]);
    expect(ev!.data.error).toEqual({ name: "Error", message: "function cancelled" });
  });

  it("a timeout and a cancel through the API emit it too", async () => {
    await probe.send("spec/slow");
    await probe.send("spec/start", { id: "c2" });
    const slow = await probe.engine.waitForRun((r) => r.fn_id === "probe-too-slow", 5000);
    const manual = await probe.engine.waitForRun((r) => r.fn_id === "probe-stoppable" && r.event.data.id === "c2" && r.status === "running", 5000);
    expect(await probe.engine.cancel(manual.id)).toBe(true);
    await eventually(() => heardFor(slow.id, "inngest/function.cancelled").length > 0 && heardFor(manual.id, "inngest/function.cancelled").length > 0);
    expect(heardFor(slow.id, "inngest/function.cancelled")).toHaveLength(1);
    expect(heardFor(manual.id, "inngest/function.cancelled")).toHaveLength(1);
  });

  it("a failed run emits inngest/function.failed once, under the run's id, and no cancelled event", async () => {
    await probe.send("spec/break");
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-broken" && r.status === "failed", 5000);
    await eventually(() => heardFor(run.id, "inngest/function.failed").length > 0);
    const [ev] = heardFor(run.id, "inngest/function.failed");
    expect(ev!.id).toBe(run.id);
    expect(ev!.data).toMatchObject({ function_id: "probe-broken", run_id: run.id, event: { name: "spec/break" } });
    expect(JSON.stringify(ev!.data.error)).toContain("beyond repair");
    expect(heardFor(run.id, "inngest/function.cancelled")).toHaveLength(0);
  });
});
