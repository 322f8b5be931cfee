import { describe, expect, it } from "vitest";
import { throttleCheck } from "@/engine/flow/throttle";
import type { FnConfig } from "@/engine/types";
import { memoryFlows } from "../memory-flows";

const perSecond = { id: "paced", name: "paced", triggers: [], throttle: { limit: 1, period: "1s" } } as unknown as FnConfig;

/**
 * Drives a FIFO queue through the gate the way the scheduler does: a refused run sleeps until the
 * time the gate names and is then admitted `latency(i)` ms late. Returns each start time.
 */
async function startTimes(cfg: FnConfig, n: number, latency: (i: number) => number): Promise<number[]> {
  const store = memoryFlows();
  const starts: number[] = [];
  let dueAt = 0;
  for (let i = 0; i < n; i++) {
    let now = dueAt + latency(i);
    for (;;) {
      const reopensAt = await throttleCheck(store, cfg, "k", now, dueAt);
      if (reopensAt === 0) break;
      dueAt = reopensAt;
      now = reopensAt + latency(i);
    }
    starts.push(now);
  }
  return starts;
}

describe("throttleCheck", () => {
  it("admits one start per period when every admission is a little late, without drifting", async () => {
    const starts = await startTimes(perSecond, 11, () => 80);
    // Each start lands 80 ms after its slot; the tenth is still one slot-latency late, not ten.
    expect(starts.map((t, i) => t - i * 1000)).toEqual(Array(11).fill(80));
  });

  it("never admits faster than the rate, however the latency varies", async () => {
    const jitter = [0, 90, 10, 60, 0, 95, 5, 70, 30, 0];
    const starts = await startTimes(perSecond, jitter.length, (i) => jitter[i]!);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(900);
    expect(starts.at(-1)! - starts[0]!).toBeLessThanOrEqual((starts.length - 1) * 1000 + 100);
  });

  it("reclaims at most a tenth of the interval: a long stall moves the schedule instead of bursting after it", async () => {
    const starts = await startTimes(perSecond, 4, (i) => (i === 1 ? 3000 : 0));
    // The stalled second start books itself 100 ms back; the ones after it keep one per second.
    expect(starts[2]! - starts[1]!).toBe(900);
    expect(starts[3]! - starts[2]!).toBe(1000);
  });

  it("lets limit + burst start back to back when idle, then refills one per emission interval", async () => {
    const cfg = { ...perSecond, throttle: { limit: 2, period: "1s", burst: 1 } } as FnConfig;
    const starts = await startTimes(cfg, 5, () => 0);
    expect(starts).toEqual([0, 0, 0, 500, 1000]);
  });
});
