import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/engine";
import { dropDatabase, quietLogger, testDatabase } from "./harness";
import { createProbeApp } from "./probe-app";

const SIGNING_KEY = "signkey-test-" + "ab".repeat(32);

const database = testDatabase();
let engine: Engine;
let server: http.Server;
let appUrl = "";
let app: ReturnType<typeof createProbeApp>;

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  let handler: http.RequestListener = (_req, res) => res.end();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  engine = createEngine({ port: 0, database, appUrl, signingKey: SIGNING_KEY, logger: quietLogger, backoff: () => 200 });
  await engine.start();
  app = createProbeApp(engine.url, { signingKey: SIGNING_KEY });
  handler = serve({ client: app.client, functions: app.functions });
  await engine.sync();
});
afterAll(async () => {
  await engine?.stop();
  await dropDatabase(database);
  await new Promise((r) => server?.close(r));
});

describe("cloud mode over HTTP", () => {
  it("signs its calls so the SDK verifies them, and accepts the SDK's bearer auth", async () => {
    expect((await engine.ctx.store.listFunctions()).length).toBeGreaterThan(5);
    await app.client.send({ name: "probe/hello", data: { tag: "cloud" } });
    const run = await engine.waitForRun((r) => r.fn_id === "probe-hello" && r.status === "completed", 8000);
    expect(run.output).toEqual({ a: { tag: "cloud" }, b: "cloud!" });
    // Checkpoints (bearer-authenticated) were accepted: both steps memoized without a fallback call per step.
    expect((await engine.history(run.id)).filter((h) => h.type === "step.completed")).toHaveLength(2);
  });

  it("the app rejects an unsigned call, and the engine rejects unauthenticated SDK API calls", async () => {
    const unsigned = await fetch(`${appUrl}?fnId=probe-hello&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: { name: "probe/hello", data: {} }, events: [], steps: {}, ctx: { run_id: "x", attempt: 0 } }),
    });
    expect(unsigned.status).toBe(401);
    const anon = await fetch(`${engine.url}/v1/checkpoint/x/async`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anon.status).toBe(401);
  });
});
