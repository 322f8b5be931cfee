import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "@/engine";
import type { TransportRequest } from "@/engine/transport";
import { dropDatabase, quietLogger, startProbe, testDatabase } from "./harness";
import { PROBE_URL } from "./probe-app";

let probe: Awaited<ReturnType<typeof startProbe>>;
beforeAll(async () => {
  probe = await startProbe();
});
afterAll(async () => {
  await probe?.stop();
});

describe("sync, events and execution", () => {
  it("syncs every probe function in-band", async () => {
    const fns = await probe.engine.ctx.store.listFunctions();
    expect(fns.map((f) => f.id)).toContain("probe-hello");
    expect(fns.find((f) => f.id === "probe-doomed-failure")?.config.triggers[0]).toMatchObject({ event: "inngest/function.failed" });
  });

  it("runs step.run functions with checkpointing, never falling back", async () => {
    await probe.send("probe/hello", { tag: "x" });
    const run = await probe.engine.waitForRun((r) => r.fn_id === "probe-hello" && r.status === "completed", 5000);
    expect(run.output).toEqual({ a: { tag: "x" }, b: "x!" });
    // Checkpointing: both steps ran inside one call; a failed checkpoint would have made the SDK
    // fall back to one call per step (after ≈1.7 s of checkpoint retries each).
    expect(probe.calls.filter((c) => c.runId === run.id)).toEqual([{ runId: run.id, stepId: "step" }]);
    const hist = await probe.engine.history(run.id);
    expect(hist.filter((h) => h.type === "step.completed").map((h) => h.name)).toEqual(["first", "second"]);
  });

  it("derives stable ids from the seed, and runs a function once per user-set id for 24 h", async () => {
    const res = await fetch(`${probe.engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-event-id-seed": `${Date.now()},${Buffer.alloc(10, 7).toString("base64")}` },
      body: JSON.stringify([{ name: "probe/other", data: {} }]),
    });
    const first = (await res.json()) as { ids: string[]; status: number };
    const again = await fetch(`${probe.engine.url}/e/key`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-event-id-seed": res.headers.get("x") ?? "" },
      body: "[]",
    });
    expect(again.status).toBe(200);
    expect(first.status).toBe(200);
    expect(first.ids[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const a = await probe.send("probe/hello", { tag: "dup" }, { id: "user-id-1" });
    const b = await probe.send("probe/hello", { tag: "dup" }, { id: "user-id-1" });
    // Both events are stored (Inngest keeps repeats); the function runs once for the id.
    expect(a.ids).not.toEqual(b.ids);
    await probe.engine.waitForRun((r) => r.fn_id === "probe-hello" && r.event.data.tag === "dup" && r.status === "completed", 5000);
    await new Promise((r) => setTimeout(r, 200));
    const runs = await probe.engine.listRuns({ fnId: "probe-hello" });
    expect(runs.filter((r) => r.event.data.tag === "dup")).toHaveLength(1);
  });
  it("syncs out-of-band: a PUT the SDK answers by POSTing /fn/register", async () => {
    const store = probe.engine.ctx.store;
    await store.replaceFunctions(PROBE_URL, "probe", []);
    expect(await store.listFunctions()).toHaveLength(0);
    // The SDK declines in-band sync when told to, and registers through the engine's API instead.
    const prev = process.env.INNGEST_ALLOW_IN_BAND_SYNC;
    process.env.INNGEST_ALLOW_IN_BAND_SYNC = "0";
    try {
      await probe.engine.sync();
    } finally {
      if (prev === undefined) delete process.env.INNGEST_ALLOW_IN_BAND_SYNC;
      else process.env.INNGEST_ALLOW_IN_BAND_SYNC = prev;
    }
    const fns = await store.listFunctions();
    expect(fns.map((f) => f.id)).toContain("probe-hello");
    expect(new Set(fns.map((f) => f.app_url))).toEqual(new Set([PROBE_URL]));
    const apps = await store.listApps();
    expect(apps.find((a) => a.url === PROBE_URL)).toMatchObject({ app_id: "probe", error: null });
    await probe.send("probe/hello", { tag: "oob" });
    const run = await probe.engine.waitForRun((r) => r.event.data.tag === "oob" && r.status === "completed", 5000);
    expect(run.output).toEqual({ a: { tag: "oob" }, b: "oob!" });
  });

  it("refuses a non-loopback app URL without connecting, unless allowed", async () => {
    const remote = "http://10.0.0.1/api/inngest";
    const seen: TransportRequest[] = [];
    // Never real traffic: this transport records the request and answers like an SDK syncing in-band.
    const transport = async (req: TransportRequest) => {
      seen.push(req);
      const body = { app_id: "remote", framework: "test", functions: [{ id: "remote-fn", name: "fn", triggers: [{ event: "remote/x" }], steps: {} }] };
      return { status: 200, headers: new Headers({ "x-inngest-sync-kind": "in_band" }), text: JSON.stringify(body) };
    };
    const database = testDatabase();
    const engine = createEngine({ port: 0, database, appUrl: remote, transport, logger: quietLogger });
    await engine.start();
    const prev = process.env.ENGINE_ALLOW_NON_LOOPBACK;
    try {
      await expect(engine.sync()).rejects.toThrow(/refusing app URL http:\/\/10.0.0.1/);
      expect(seen).toHaveLength(0);
      const reg = await fetch(`${engine.url}/fn/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: remote, appName: "remote", functions: [] }),
      });
      expect(reg.status).toBe(400);
      expect(await engine.ctx.store.listApps()).toHaveLength(0);
      // Allowed (the option or ENGINE_ALLOW_NON_LOOPBACK=1, read per call): the sync goes through.
      process.env.ENGINE_ALLOW_NON_LOOPBACK = "1";
      await engine.sync();
      expect(seen.map((r) => r.url)).toEqual([remote]);
      expect((await engine.ctx.store.listFunctions()).map((f) => f.id)).toEqual(["remote-fn"]);
    } finally {
      if (prev === undefined) delete process.env.ENGINE_ALLOW_NON_LOOPBACK;
      else process.env.ENGINE_ALLOW_NON_LOOPBACK = prev;
      await engine.stop();
    }
    await dropDatabase(database);
  });
});
