import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProbe, testDatabase, until } from "./harness";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe({ probe: { cron: true }, database: testDatabase({ persistent: true }) });
});
afterAll(async () => {
  await probe?.stop();
});

describe("durability", () => {
  it("a restart mid-sleep resumes the run; a call cut off mid-flight is retried", async () => {
    await probe.send("probe/sleep", { tag: "restart", nap: "2s" });
    await probe.send("probe/hang");
    const sleeping = await probe.engine.waitForRun((r) => r.fn_id === "probe-sleeper" && r.status === "running", 5000);
    await probe.engine.waitForRun((r) => r.fn_id === "probe-hang" && r.status === "running", 5000);
    await until(() => probe.app.log.counts.get("hang") === 1);
    await probe.restart(200); // the hanging call is aborted after 200 ms; its job stays in the database
    const run = await probe.engine.waitForRun((r) => r.id === sleeping.id && r.status === "completed", 10_000);
    expect(run.output).toEqual({ before: 1, after: 1 });
    expect(probe.app.log.counts.get("sleeper-before:restart")).toBe(1);
    const hang = await probe.engine.waitForRun((r) => r.fn_id === "probe-hang" && r.status === "completed", 5000);
    expect(hang.output).toBe("finished");
    expect(probe.app.log.counts.get("hang")).toBe(2);
  });

  it("keeps a step's first result: a late duplicate execution's checkpoint cannot replace it", async () => {
    // A call cut off by a restart can keep running in the app and report its steps after the new
    // engine's own execution did (Inngest's state store also keeps the first response of a step).
    await probe.send("probe/sleep", { tag: "duplicate", nap: "30s" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-sleeper" && r.status === "running" && r.event.data.tag === "duplicate", 5000);
    const checkpoint = (data: unknown) =>
      fetch(`${probe.engine.url}/v1/checkpoint/${run.id}/async`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ run_id: run.id, fn_id: run.fn_id, steps: [{ id: "part-1", op: "StepRun", data }] }),
      });
    expect((await checkpoint({ rows: 100 })).status).toBe(200);
    expect((await checkpoint({ rows: 0 })).status).toBe(200);
    expect((await probe.engine.getRun(run.id))?.steps["part-1"]).toEqual({ data: { rows: 100 } });
  });

  it("cron fires inngest/scheduled.timer with TZ=", async () => {
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-ticker" && r.status === "completed", 5000);
    expect(run.output).toBe("inngest/scheduled.timer");
    expect(run.event.data).toEqual({ cron: "TZ=Europe/Paris * * * * * *" });
  });
});
