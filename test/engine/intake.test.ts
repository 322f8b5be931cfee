import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

const runsOf = async (fn: string) => probe.engine.listRuns({ fnId: `probe-${fn}`, limit: 10_000 });
const seedHeader = (fill: number) => `${Date.now()},${Buffer.alloc(10, fill).toString("base64")}`;
const post = async (events: unknown[], seed?: string) => {
  const res = await fetch(`${probe.engine.url}/e/key`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(seed ? { "x-inngest-event-id-seed": seed } : {}) },
    body: JSON.stringify(events),
  });
  return ((await res.json()) as { ids: string[] }).ids;
};

describe("bulk event intake", () => {
  it("costs the same few statements for 5 events as for 500", async () => {
    const sql = probe.engine.ctx.store.sql;
    const query = sql.query.bind(sql);
    // Intake statements only: the scheduler runs meanwhile and issues its own.
    const intake = /^(SELECT id FROM events|WITH stored AS|SELECT w\.\*, r\.event|WITH new_runs)/;
    const counted = async (n: number) => {
      let statements = 0;
      sql.query = (text, params) => {
        if (intake.test(text)) statements++;
        return query(text, params);
      };
      try {
        await probe.engine.send(Array.from({ length: n }, (_, i) => ({ name: "probe/fan.item", data: { i, n } })));
      } finally {
        sql.query = query;
      }
      return statements;
    };
    const five = await counted(5);
    expect(await counted(500)).toBe(five);
    expect(five).toBe(2); // the INSERT of the events, which also reads their waits, and the INSERT of the runs
    await probe.engine.waitForRuns((r) => r.event.data.n === 500 && r.status === "completed", 500, 60_000, { fnId: "probe-fan-item", limit: 10_000 });
  });

  it("creates runs in event order, each queued no earlier than the one before", async () => {
    await post(Array.from({ length: 20 }, (_, i) => ({ name: "probe/fan.item", data: { i, order: true } })));
    const runs = (await runsOf("fan-item")).filter((r) => r.event.data.order).sort((a, b) => a.id.localeCompare(b.id));
    expect(runs.map((r) => r.event.data.i)).toEqual([...Array(20).keys()]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.prio!).toBeGreaterThanOrEqual(runs[i - 1]!.prio!);
  });

  it("stores a user id repeated inside a batch, or seen in an earlier one, and starts no second run for it", async () => {
    const first = await post([
      { name: "probe/fan.item", id: "dup-a", data: { i: 1, dup: true } },
      { name: "probe/fan.item", id: "dup-b", data: { i: 2, dup: true } },
      { name: "probe/fan.item", id: "dup-a", data: { i: 3, dup: true } },
    ]);
    expect(new Set(first).size).toBe(3);
    const second = await post([
      { name: "probe/fan.item", id: "dup-b", data: { i: 4, dup: true } },
      { name: "probe/fan.item", id: "dup-c", data: { i: 5, dup: true } },
    ]);
    expect(first).not.toContain(second[0]);
    await probe.engine.waitForRuns((r) => r.event.data.dup === true && r.status === "completed", 3, 10_000, { fnId: "probe-fan-item" });
    const runs = (await runsOf("fan-item")).filter((r) => r.event.data.dup);
    expect(runs.map((r) => r.event.data.i).sort()).toEqual([1, 2, 5]);
    expect((await probe.engine.listEvents(1000)).filter((e) => e.payload.data.dup)).toHaveLength(5);
  });

  it("a send retried with the same id seed returns the same ids and stores and starts nothing new", async () => {
    const seed = seedHeader(9);
    const events = [1, 2, 3].map((i) => ({ name: "probe/fan.item", data: { i, seeded: true } }));
    const ids = await post(events, seed);
    expect(await post(events, seed)).toEqual(ids);
    await probe.engine.waitForRuns((r) => r.event.data.seeded === true && r.status === "completed", 3, 10_000, { fnId: "probe-fan-item" });
    expect((await runsOf("fan-item")).filter((r) => r.event.data.seeded)).toHaveLength(3);
    expect((await probe.engine.listEvents(1000)).filter((e) => e.payload.data.seeded).map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it("an event in a batch resumes a waiting run; the first matching event wins", async () => {
    await probe.send("probe/wait", { id: "bulk-w" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-waiter" && r.event.data.id === "bulk-w", 5000);
    await probe.engine.waitForRun((r) => r.id === run.id && (r.meta.pending ?? []).length > 0, 5000); // parked on the wait
    await post([
      { name: "probe/reply", data: { id: "someone-else", n: 0 } },
      { name: "probe/reply", data: { id: "bulk-w", n: 1 } },
      { name: "probe/reply", data: { id: "bulk-w", n: 2 } },
    ]);
    const done = await probe.engine.waitForRun((r) => r.id === run.id && r.status === "completed", 10_000);
    expect((done.output as { reply: unknown }).reply).toEqual({ id: "bulk-w", n: 1 });
  });

  it("cancelOn in a batch cancels matching runs, including a run created earlier in the same batch", async () => {
    await probe.app.client.send([1, 2].map((n) => ({ name: "probe/long", data: { id: `bulk-c${n}` } })));
    await probe.engine.waitForRuns((r) => r.fn_id === "probe-cancellable" && r.status === "running", 2, 5000);
    await post([
      { name: "probe/stop", data: { id: "bulk-c1" } },
      { name: "probe/long", data: { id: "bulk-c3" } },
      { name: "probe/stop", data: { id: "bulk-c3" } },
    ]);
    const runs = await runsOf("cancellable");
    const status = Object.fromEntries(runs.map((r) => [r.event.data.id, r.status]));
    expect(status["bulk-c1"]).toBe("cancelled");
    expect(status["bulk-c3"]).toBe("cancelled");
    expect(status["bulk-c2"]).not.toBe("cancelled");
    await probe.engine.cancel(runs.find((r) => r.event.data.id === "bulk-c2")!.id);
  });
});
