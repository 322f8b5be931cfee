import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "../harness";

/**
 * An event id set by the sender is a per-function de-duplication key, not a reason to drop the
 * event: Inngest stores every event it receives (it shows in the events list) and keys each
 * function's run by the event id (pkg/execution/executor/executor.go `idempotencyKey`: "use the
 * incoming event ID", prefixed by the function ID), so a function that already ran for an id runs
 * no second time within 24 h, while debounce and batching, which key their runs by the debounce
 * or batch, still take the repeated event in.
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction({ id: "record-order", triggers: [{ event: "spec/order" }] }, async ({ event }) => event.data.n),
        client.createFunction({ id: "bill-order", triggers: [{ event: "spec/order" }] }, async ({ event }) => event.data.n),
        client.createFunction({ id: "settle", debounce: { period: "1s" }, triggers: [{ event: "spec/update" }] }, async ({ event }) => event.data.n),
        client.createFunction({ id: "collect", batchEvents: { maxSize: 2, timeout: "5s" }, triggers: [{ event: "spec/item" }] }, async ({ events }) =>
          events.map((e: { data: Record<string, unknown> }) => e.data.n),
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

const outputs = async (fnId: string) => (await probe.engine.listRuns({ fnId: `probe-${fnId}` })).map((r) => r.output);

describe("repeated event ids", () => {
  it("stores the repeat, and each function runs once for the id", async () => {
    await probe.send("spec/order", { n: 1 }, { id: "order-1" });
    await probe.send("spec/order", { n: 2 }, { id: "order-1" });
    await probe.engine.waitForRuns((r) => r.status === "completed", 1, 5000, { fnId: "probe-record-order" });
    await probe.engine.waitForRuns((r) => r.status === "completed", 1, 5000, { fnId: "probe-bill-order" });
    await new Promise((r) => setTimeout(r, 300));
    expect(await outputs("record-order")).toEqual([1]);
    expect(await outputs("bill-order")).toEqual([1]);
    const stored = (await probe.engine.listEvents(100, "spec/order")).filter((e) => e.payload.id === "order-1");
    expect(stored.map((e) => e.payload.data.n).sort()).toEqual([1, 2]);
  });

  it("debounce still sees the repeat (the run gets the newer event)", async () => {
    await probe.send("spec/update", { n: 1 }, { id: "update-1" });
    await probe.send("spec/update", { n: 2 }, { id: "update-1" });
    await probe.engine.waitForRuns((r) => r.status === "completed", 1, 5000, { fnId: "probe-settle" });
    expect(await outputs("settle")).toEqual([2]);
  });

  it("batching still sees the repeat (it fills the batch)", async () => {
    await probe.send("spec/item", { n: 1 }, { id: "item-1" });
    await probe.send("spec/item", { n: 2 }, { id: "item-1" });
    // Full at two events: runs at once, long before the 5 s timeout.
    await probe.engine.waitForRuns((r) => r.status === "completed", 1, 3000, { fnId: "probe-collect" });
    expect(await outputs("collect")).toEqual([[1, 2]]);
  });
});
