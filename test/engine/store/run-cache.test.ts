import { describe, expect, it } from "vitest";
import { memoize } from "@/engine/runs";
import { RunCache } from "@/engine/store/run-cache";
import type { RunRow } from "@/engine/types";

const event = { name: "shop/order.placed", data: { total: 12 }, id: "evt", ts: 1 };
const run = (): RunRow => ({
  id: "run-1",
  fn_id: "app-fn",
  status: "running",
  event,
  events: [event],
  steps: {},
  stack: [],
  step_attempts: {},
  attempt: 0,
  parallel: false,
  output: null,
  error: null,
  meta: { names: {}, pending: ["a"], concurrency: [{ key: "k", limit: 1 }], parent: { runId: "p", stepId: "s" } },
  created_at: 1,
  started_at: 1,
  ended_at: null,
  replay_of: null,
  prio: 1,
});

/** The engine changes the runs it reads before it decides to save them: an unsaved change must never reach the next read. */
describe("RunCache", () => {
  it("hands out copies: changing a run read from it leaves the cached run as committed", () => {
    const cache = new RunCache();
    cache.set(run());
    const read = cache.get("run-1")!;
    memoize(read, "a", { data: 1 });
    read.step_attempts.b = 2;
    read.attempt = 3;
    read.meta.names!.a = "charge";
    read.meta.concurrency![0]!.limit = 9;
    read.meta.parent!.stepId = "changed";
    expect(cache.get("run-1")).toEqual(run());
  });

  it("keeps a copy of what it is given: the caller's later changes do not leak in", () => {
    const cache = new RunCache();
    const given = run();
    cache.set(given);
    memoize(given, "a", { data: 1 });
    given.meta.pending!.push("b");
    expect(cache.get("run-1")).toEqual(run());
  });

  it("applies a committed partial update to a cached run and forgets the least recently used past its size", () => {
    const cache = new RunCache();
    cache.set(run());
    cache.patch("run-1", { status: "completed", ended_at: 5 });
    expect(cache.get("run-1")).toMatchObject({ status: "completed", ended_at: 5 });
    for (let i = 0; i < 5_000; i++) cache.set({ ...run(), id: `other-${i}` });
    expect(cache.get("run-1")).toBeUndefined();
  });
});
