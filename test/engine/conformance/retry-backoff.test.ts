import { RetryAfterError } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INNGEST_BACKOFF_MS, inngestBackoff } from "@/engine/backoff";
import { startProbe } from "../harness";

/**
 * Retries wait by Inngest's backoff table plus up to 30 s of jitter (pkg/backoff/backoff.go,
 * TableBackoff, called with the attempt that just failed, 0-based), unless the function says
 * when with RetryAfterError. Engines take `backoff: (attempt) => ms`; tests pass a fast one.
 */
const attemptsAsked: number[] = [];
const FAST = [150, 450];

let probe: Awaited<ReturnType<typeof startProbe>>;
const tries = new Map<string, number[]>();
const mark = (k: string) => tries.set(k, [...(tries.get(k) ?? []), Date.now()]);

beforeAll(async () => {
  probe = await startProbe({
    engine: {
      backoff: (attempt) => {
        attemptsAsked.push(attempt);
        return FAST[attempt] ?? 1000;
      },
    },
    probe: {
      functions: (client) => [
        client.createFunction({ id: "always-fails", retries: 2, triggers: [{ event: "spec/fail" }] }, async ({ step }) =>
          step.run("break", () => {
            mark("fail");
            throw new Error("broken");
          }),
        ),
        client.createFunction({ id: "asks-later", retries: 1, triggers: [{ event: "spec/later" }] }, async ({ step }) =>
          step.run("wait", () => {
            mark("later");
            if ((tries.get("later") ?? []).length === 1) throw new RetryAfterError("not yet", "1s");
            return "done";
          }),
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

describe("retry backoff", () => {
  it("by default follows Inngest's table, 15 s to 2 h, with up to 30 s of jitter", () => {
    expect(INNGEST_BACKOFF_MS.map((ms) => ms / 1000)).toEqual([15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200]);
    for (let attempt = 0; attempt < 14; attempt++) {
      const base = INNGEST_BACKOFF_MS[Math.min(attempt, INNGEST_BACKOFF_MS.length - 1)]!;
      expect(inngestBackoff(attempt, () => 0)).toBe(base);
      expect(inngestBackoff(attempt, () => 0.999_999)).toBeLessThan(base + 30_000);
      expect(inngestBackoff(attempt, () => 0.999_999)).toBeGreaterThan(base + 29_000);
    }
  });

  it("waits backoff(attempt) after each failed attempt, the attempt counted from 0", async () => {
    await probe.send("spec/fail");
    await probe.engine.waitForRun((r) => r.fn_id === "probe-always-fails" && r.status === "failed", 10_000);
    const at = tries.get("fail")!;
    expect(at).toHaveLength(3);
    expect(attemptsAsked.slice(0, 2)).toEqual([0, 1]);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(FAST[0]! - 20);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(FAST[1]! - 20);
  });

  it("lets RetryAfterError choose the time instead", async () => {
    await probe.send("spec/later");
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-asks-later" && r.status === "completed", 10_000);
    expect(run.output).toBe("done");
    const [first, second] = tries.get("later")!;
    expect(second! - first!).toBeGreaterThanOrEqual(950);
  });
});
