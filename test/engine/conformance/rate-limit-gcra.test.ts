import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitAllows } from "@/engine/flow/rate-limit";
import type { FnConfig } from "@/engine/types";
import { startProbe } from "../harness";
import { memoryFlows } from "../memory-flows";

/**
 * rateLimit is GCRA (pkg/execution/ratelimit/lua/ratelimit.lua): one admission per emission
 * interval `period / limit`, with a burst of ⌊limit / 10⌋ extra admissions when idle
 * (ratelimit_lua.go). Events over the limit are skipped: they start no run.
 */
const HOUR = 3_600_000;
const limited = (limit: number, period: string) => ({ id: "f", triggers: [], steps: {}, rateLimit: { limit, period } }) as FnConfig;

/** Which of the attempts at the given times (ms) are admitted. */
async function admitted(cfg: FnConfig, times: number[]): Promise<boolean[]> {
  const store = memoryFlows();
  const out: boolean[] = [];
  for (const t of times) out.push(await rateLimitAllows(store, cfg, "k", t));
  return out;
}

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction(
          { id: "limited", rateLimit: { limit: 3, period: "3s" }, triggers: [{ event: "spec/limited" }] },
          async ({ event }) => event.data.n,
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

describe("rateLimit (GCRA)", () => {
  it("{ limit: 3, period: 24h } admits one now and the next only 8 h later", async () => {
    expect(await admitted(limited(3, "24h"), [0, 1, 2 * HOUR, 8 * HOUR - 1, 8 * HOUR, 8 * HOUR + 1, 16 * HOUR])).toEqual([
      true, false, false, false, true, false, true,
    ]);
  });

  it("admits 1 + ⌊limit/10⌋ at once when idle, then one per period/limit", async () => {
    // limit 20 per 20 s: emission 1 s, burst 2 — three at once, the fourth a second later.
    expect(await admitted(limited(20, "20s"), [0, 0, 0, 0, 999, 1000, 1000])).toEqual([true, true, true, false, false, true, false]);
  });

  it("skips events over the limit end to end: they start no run", async () => {
    await probe.send("spec/limited", { n: 1 });
    await probe.send("spec/limited", { n: 2 });
    await probe.send("spec/limited", { n: 3 });
    await probe.engine.waitForRun((r) => r.fn_id === "probe-limited" && r.status === "completed");
    // One emission interval (1 s) later the next event is admitted.
    await new Promise((r) => setTimeout(r, 1100));
    await probe.send("spec/limited", { n: 4 });
    await probe.engine.waitForRuns((r) => r.status === "completed", 2, 5000, { fnId: "probe-limited" });
    await new Promise((r) => setTimeout(r, 300));
    const runs = await probe.engine.listRuns({ fnId: "probe-limited" });
    expect(runs.map((r) => r.output).sort()).toEqual([1, 4]);
  });
});
