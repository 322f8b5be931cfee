import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "../harness";

/**
 * An attribute missing from the event reads as null, never as an error (pkg/expressions:
 * "Attributes that are present within the expression but missing from the data should be treated
 * as null values; the expression must not error"): `event.data.missing != 'x'` is true,
 * `size(missing)` is 0, and `+` with an absent operand yields the other. This holds for trigger
 * `if`, waitForEvent `if`/`match`, cancelOn `if`, and key expressions.
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
const seen: string[] = [];

beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction({ id: "not-free", triggers: [{ event: "spec/signup", if: "event.data.plan != 'free'" }] }, async ({ event }) =>
          String(event.data.email),
        ),
        client.createFunction({ id: "awaits-reply", triggers: [{ event: "spec/ask" }] }, async ({ step }) => {
          const reply = await step.waitForEvent("reply", { event: "spec/reply", if: "async.data.reason != 'spam'", timeout: "3s" });
          return reply?.data ?? null;
        }),
        client.createFunction(
          { id: "stoppable", cancelOn: [{ event: "spec/stop", if: "size(async.data.keep) == 0" }], triggers: [{ event: "spec/start" }] },
          async ({ step }) => {
            await step.sleep("long", "20s");
          },
        ),
        client.createFunction(
          { id: "once-per-variant", idempotency: "event.data.order + '-' + event.data.variant", triggers: [{ event: "spec/order" }] },
          async ({ event }) => {
            seen.push(String(event.data.order));
            return event.data.order;
          },
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

describe("expressions over absent fields", () => {
  it("a trigger `if` comparing an absent field with != is true: the run starts", async () => {
    await probe.send("spec/signup", { email: "a@example.com" });
    await probe.send("spec/signup", { email: "b@example.com", plan: "free" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-not-free" && r.status === "completed", 5000);
    expect(run.output).toBe("a@example.com");
    await new Promise((r) => setTimeout(r, 300));
    expect(await probe.engine.countRuns({ fnId: "probe-not-free" })).toBe(1);
  });

  it("waitForEvent's `if` reads an absent field of the awaited event as null", async () => {
    await probe.send("spec/ask");
    await probe.engine.waitForRun((r) => r.fn_id === "probe-awaits-reply" && r.status === "running", 5000);
    await new Promise((r) => setTimeout(r, 300));
    await probe.send("spec/reply", { text: "hello" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-awaits-reply" && r.status === "completed", 5000);
    expect(run.output).toEqual({ text: "hello" });
  });

  it("cancelOn's `if` takes size() of an absent field as 0", async () => {
    await probe.send("spec/start");
    await probe.engine.waitForRun((r) => r.fn_id === "probe-stoppable" && r.status === "running", 5000);
    await probe.send("spec/stop", {});
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-stoppable" && r.status !== "running", 5000);
    expect(run.status).toBe("cancelled");
  });

  it("a key expression adding an absent field keeps the rest of the key", async () => {
    // "a-" and "b-": two keys, two runs (an expression error used to key both as "").
    await probe.send("spec/order", { order: "a" });
    await probe.send("spec/order", { order: "b" });
    await probe.send("spec/order", { order: "a" });
    await probe.engine.waitForRuns((r) => r.status === "completed", 2, 5000, { fnId: "probe-once-per-variant" });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.sort()).toEqual(["a", "b"]);
  });
});
