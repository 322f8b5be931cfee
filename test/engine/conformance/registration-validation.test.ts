import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "@/engine";
import { dropDatabase, quietLogger, testDatabase } from "../harness";

/**
 * A sync is refused, with the reason in the sync response, for what Inngest's function validation
 * refuses (pkg/inngest/function.go `Validate`, pkg/inngest/batch.go `IsValid`): batchEvents
 * together with cancelOn, debounce, singleton or priority.run; a batch maxSize below 2; a batch
 * timeout under 1 s. batchEvents with rateLimit or idempotency is accepted: the Go source does
 * not refuse those.
 */
const database = testDatabase();
let engine: Engine;
let server: http.Server;
let appUrl = "";
let handler: http.RequestListener = (_req, res) => res.end();

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  engine = createEngine({ port: 0, database, logger: quietLogger });
  await engine.start();
});
afterAll(async () => {
  await engine?.stop();
  await dropDatabase(database);
  await new Promise((r) => server?.close(r));
});

/** Serves one function with `config` and asks the engine to sync it, as `POST /api/sync` does. */
async function sync(config: Record<string, unknown>) {
  const client = new Inngest({ id: "spec", baseUrl: engine.url, isDev: true });
  const fn = client.createFunction({ id: "batched", triggers: [{ event: "spec/item" }], ...config } as never, async () => "ok") as InngestFunction.Any;
  handler = serve({ client, functions: [fn] });
  const res = await fetch(`${engine.url}/api/sync`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: appUrl }) });
  const body = (await res.json()) as { error?: string };
  const stored = (await engine.ctx.store.listFunctions()).some((f) => f.id === "spec-batched");
  return { status: res.status, error: body.error ?? "", stored };
}

const batch = { batchEvents: { maxSize: 10, timeout: "5s" } };

describe("registration validation", () => {
  it.each([
    ["cancelOn", { ...batch, cancelOn: [{ event: "spec/stop" }] }, "Batching and cancellation are mutually exclusive"],
    ["debounce", { ...batch, debounce: { period: "5s" } }, "Batching and debouncing are mutually exclusive"],
    ["singleton", { ...batch, singleton: { mode: "skip" } }, "Batching and singletons are mutually exclusive"],
    ["priority.run", { ...batch, priority: { run: "event.data.p" } }, "cannot specify Priority.Run and Batch together"],
    ["maxSize 1", { batchEvents: { maxSize: 1, timeout: "5s" } }, "batch size cannot be smaller than 2"],
    ["a timeout under 1 s", { batchEvents: { maxSize: 10, timeout: "500ms" } }, "batch timeout should be more than 1s"],
  ])("refuses batchEvents with %s, naming the function and the reason", async (_name, config, reason) => {
    const r = await sync(config);
    expect(r.status).toBe(400);
    expect(r.error).toContain("spec-batched");
    expect(r.error).toContain(reason);
    expect(r.stored).toBe(false);
  });

  it("accepts batchEvents with rateLimit and idempotency (the Go source does not refuse them)", async () => {
    const r = await sync({ ...batch, rateLimit: { limit: 10, period: "1m" }, idempotency: "event.data.id" });
    expect(r).toMatchObject({ status: 200, stored: true });
  });
});
