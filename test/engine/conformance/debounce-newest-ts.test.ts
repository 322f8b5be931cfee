import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "../harness";

/**
 * Debounce keeps the event with the newest `ts`, not the last to arrive: an event older than the
 * one held is out of order and changes nothing — neither the event nor the timer
 * (pkg/execution/state/redis_state/lua/debounce/updateDebounce.lua returns -2, and
 * pkg/execution/debounce/debounce.go "The event is out-of-order … Do nothing").
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe({
    probe: {
      functions: (client) => [
        client.createFunction({ id: "debounced", debounce: { period: "1s", key: "event.data.key" }, triggers: [{ event: "spec/debounce" }] }, async ({ event }) =>
          event.data.n,
        ),
      ],
    },
  });
});
afterAll(async () => {
  await probe?.stop();
});

describe("debounce", () => {
  it("runs with the newest event by ts; a late-arriving older event neither replaces it nor extends the wait", async () => {
    const sentAt = Date.now();
    await probe.send("spec/debounce", { key: "k", n: "newest" }, { ts: sentAt });
    const arrived = Date.now();
    await new Promise((r) => setTimeout(r, 900));
    await probe.send("spec/debounce", { key: "k", n: "older" }, { ts: sentAt - 60_000 });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-debounced" && r.status === "completed", 5000);
    expect(run.output).toBe("newest");
    // Due a period (1 s) after the newest event; had the stale one extended it, ≥ 1.9 s.
    expect(run.created_at - arrived).toBeLessThan(1700);
  });

  it("a newer event arriving later replaces the held one and pushes the run back", async () => {
    const sentAt = Date.now();
    await probe.send("spec/debounce", { key: "j", n: 1 }, { ts: sentAt });
    await new Promise((r) => setTimeout(r, 500));
    await probe.send("spec/debounce", { key: "j", n: 2 }, { ts: sentAt + 500 });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-debounced" && r.event.data.key === "j" && r.status === "completed", 5000);
    expect(run.output).toBe(2);
    expect(run.created_at - sentAt).toBeGreaterThanOrEqual(1450);
  });
});
