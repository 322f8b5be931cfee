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

  it("cron fires inngest/scheduled.timer with TZ=", async () => {
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-ticker" && r.status === "completed", 5000);
    expect(run.output).toBe("inngest/scheduled.timer");
    expect(run.event.data).toEqual({ cron: "TZ=Europe/Paris * * * * * *" });
  });
});
