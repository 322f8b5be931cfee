import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "../harness";

/**
 * A rate-limit key that evaluates to `false` exempts the event from the limit
 * (pkg/execution/ratelimit/ratelimit.go, RateLimitKey: a false result is ErrNotRateLimited, and
 * the executor then runs the function as usual). Inngest's idempotency key is a rate limit of one
 * per 24 h keyed by that expression (pkg/sdk/function.go), so a false idempotency key exempts too.
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction(
          { id: "limited", rateLimit: { limit: 1, period: "1h", key: "event.data.limitBy" }, triggers: [{ event: "spec/limited" }] },
          async ({ event }) => event.data.n,
        ),
        client.createFunction(
          { id: "once", idempotency: "event.data.onceBy", triggers: [{ event: "spec/once" }] },
          async ({ event }) => event.data.n,
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

async function outputs(fnId: string, expected: number): Promise<unknown[]> {
  await probe.engine.waitForRuns((r) => r.status === "completed", expected, 10_000, { fnId });
  // Long enough for a run that should not exist to have shown up.
  await new Promise((r) => setTimeout(r, 300));
  return (await probe.engine.listRuns({ fnId })).map((r) => r.output).sort();
}

describe("a flow-control key that evaluates to false", () => {
  it("exempts the event from rateLimit, while a real key is still limited", async () => {
    for (const [n, limitBy] of [[1, false], [2, false], [3, false], [4, "ann"], [5, "ann"]] as const) await probe.send("spec/limited", { n, limitBy });
    expect(await outputs("probe-limited", 4)).toEqual([1, 2, 3, 4]);
  });

  it("exempts the event from idempotency, while a real key still runs once", async () => {
    for (const [n, onceBy] of [[1, false], [2, false], [3, "order-1"], [4, "order-1"]] as const) await probe.send("spec/once", { n, onceBy });
    expect(await outputs("probe-once", 3)).toEqual([1, 2, 3]);
  });
});
