import { describe, expect, it } from "vitest";
import { addToBatch, closeBatch, readBatch } from "@/engine/flow/batch";
import type { Store } from "@/engine/store/store";
import type { EngineEvent, FnConfig } from "@/engine/types";
import { memoryFlows } from "../memory-flows";

const cfg = { id: "batched", name: "batched", triggers: [], batchEvents: { maxSize: 3, timeout: "1s" } } as unknown as FnConfig;
const event = (n: number): EngineEvent => ({ id: `e${n}`, name: "probe/batch", data: { n }, ts: n });

/** The flow state of memoryFlows plus the job calls batching makes. */
function batchStore() {
  const flows = memoryFlows();
  const jobs = new Set<string>();
  let next = 0;
  const store = {
    ...flows,
    async deleteFlow(kind: string, key: string) {
      await flows.setFlow(kind, key, undefined, 0);
    },
    async insertJob() {
      const id = `job-${++next}`;
      jobs.add(id);
      return id;
    },
    async deleteJob(id: string) {
      jobs.delete(id);
    },
  };
  return { store: store as unknown as Store, jobs };
}

describe("batchEvents state", () => {
  it("keeps a full batch stored, under the run id its timer carries, until its run exists and it is closed", async () => {
    const { store, jobs } = batchStore();
    expect(await addToBatch(store, "fn", cfg, "k", event(1), 1)).toBeUndefined();
    expect(await addToBatch(store, "fn", cfg, "k", event(2), 2)).toBeUndefined();
    const ready = await addToBatch(store, "fn", cfg, "k", event(3), 3);
    expect(ready).toEqual({ events: [event(1), event(2), event(3)], runId: "job-1" });
    // A crash now (the run not yet created) loses nothing: the batch and its timer are still there,
    // and the timer names the same run id, so creating the run twice is one run.
    expect(await readBatch(store, "fn:k")).toEqual({ events: [event(1), event(2)], runId: "job-1" });
    expect(jobs.has("job-1")).toBe(true);
    await closeBatch(store, "fn:k", ready!.runId);
    expect(await readBatch(store, "fn:k")).toBeUndefined();
    expect(jobs.size).toBe(0);
  });

  it("starts the next batch with a timer (and run id) of its own", async () => {
    const { store } = batchStore();
    for (const n of [1, 2, 3]) await addToBatch(store, "fn", cfg, "k", event(n), n);
    await closeBatch(store, "fn:k", "job-1");
    await addToBatch(store, "fn", cfg, "k", event(4), 4);
    expect(await readBatch(store, "fn:k")).toEqual({ events: [event(4)], runId: "job-2" });
  });
});
