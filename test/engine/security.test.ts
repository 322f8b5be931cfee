import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "@/engine";
import { layout } from "@/engine/ui/html";
import { dropDatabase, quietLogger, startProbe, testDatabase } from "./harness";

/**
 * The engine's HTTP surface as a hostile web page (or a confused client) meets it: any page the
 * developer visits can send requests to 127.0.0.1, so the engine must tell its own pages, the
 * SDK and tools apart from everything else, and answer bad input with 4xx.
 */
let probe: Awaited<ReturnType<typeof startProbe>>;
let port: number;
let completedRunId: string;

beforeAll(async () => {
  probe = await startProbe({ database: testDatabase({ persistent: true }) });
  port = Number(new URL(probe.engine.url).port);
  await probe.send("probe/hello", { tag: "security" });
  completedRunId = (await probe.engine.waitForRun((r) => r.fn_id === "probe-hello" && r.status === "completed", 10_000)).id;
}, 60_000);
afterAll(async () => {
  await probe?.stop();
});

/** A raw HTTP request: fetch would not let a test set Host or Sec-Fetch-Site. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string; port?: number }): Promise<{ status: number; body: string }> {
  const to = options.port ?? port;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: to, method: options.method ?? "GET", path: options.path, setHost: false, headers: { host: `127.0.0.1:${to}`, ...options.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };
const replays = async () => (await probe.engine.listRuns({ fnId: "probe-hello" })).filter((r) => r.replay_of === completedRunId);

describe("Host (DNS rebinding)", () => {
  it.each([
    ["a rebound name", 403, "evil.example:PORT"],
    ["a loopback name on another port", 403, "127.0.0.1:1"],
    ["no Host at all", 403, ""],
    ["127.0.0.1", 200, "127.0.0.1:PORT"],
    ["localhost", 200, "localhost:PORT"],
    ["[::1]", 200, "[::1]:PORT"],
  ])("%s → %i, on every route", async (_name, status, host) => {
    const headers = { host: host.replace("PORT", String(port)) };
    expect((await raw({ path: "/api/runs", headers })).status).toBe(status);
    expect((await raw({ path: "/", headers })).status).toBe(status);
  });
});

describe("cross-origin and non-JSON requests", () => {
  it("a page's cross-origin text/plain POST does not replay a run (it did)", async () => {
    const body = "{}";
    const fromPage = await raw({
      method: "POST",
      path: `/api/runs/${completedRunId}/replay`,
      headers: { "content-type": "text/plain;charset=UTF-8", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body,
    });
    expect(fromPage.status).toBe(403);
    // Even without the browser's labels, a text/plain body is not JSON.
    const plain = await raw({ method: "POST", path: `/api/runs/${completedRunId}/replay`, headers: { "content-type": "text/plain" }, body });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error).toMatch(/takes Content-Type: application\/json, not text\/plain/);
    expect(await replays()).toEqual([]);
  });

  it.each([
    ["an Origin of another site", { origin: "http://localhost:3000" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["a null Origin (sandboxed page)", { origin: "null" }],
  ])("refuses JSON from %s", async (_name, headers) => {
    const res = await raw({ method: "POST", path: `/api/runs/${completedRunId}/replay`, headers: { ...JSON_TYPE, ...headers } });
    expect(res.status).toBe(403);
    expect(await replays()).toEqual([]);
  });

  it("refuses a form posted to an SDK route, such as the event API", async () => {
    const res = await raw({ method: "POST", path: "/e/key", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=probe/hello" });
    expect(res.status).toBe(415);
  });

  it("accepts the same request from a tool (JSON, no Origin) and from the engine's own origin", async () => {
    const tool = await raw({ method: "POST", path: `/api/runs/${completedRunId}/replay`, headers: JSON_TYPE });
    expect(tool.status).toBe(200);
    const own = await raw({ method: "POST", path: `/api/runs/${completedRunId}/replay`, headers: { ...JSON_TYPE, origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" } });
    expect(own.status).toBe(200);
    expect(await replays()).toHaveLength(2);
  });

  it("the UI's own form posts work; the same post from elsewhere, or unlabelled, does not", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const own = await raw({ method: "POST", path: "/ui/sync", headers: { ...form, origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" } });
    expect(own.status).toBe(303);
    const ownByName = await raw({ method: "POST", path: "/ui/sync", headers: { ...form, host: `localhost:${port}`, origin: `http://localhost:${port}` } });
    expect(ownByName.status).toBe(303);
    expect((await raw({ method: "POST", path: "/ui/sync", headers: { ...form, origin: "https://evil.example" } })).status).toBe(403);
    expect((await raw({ method: "POST", path: "/ui/sync", headers: form })).status).toBe(403);
  });
});

describe("registrations", () => {
  // An engine that calls its apps over HTTP (the probe's in-process calls never leave the process, so it may store any URL).
  const APP_URL = "http://127.0.0.1:3999/api/inngest";
  const database = testDatabase({ persistent: true });
  const make = () => createEngine({ port: 0, database, logger: quietLogger });
  let engine = make();
  beforeAll(async () => {
    await engine.start();
  });
  afterAll(async () => {
    await engine.stop();
    await dropDatabase(database);
  });
  const enginePort = () => Number(new URL(engine.url).port);
  const fn = (runtimeUrl: string, id = "planted") => ({ id, name: id, triggers: [{ event: "planted/x" }], steps: { step: { id: "step", name: "step", runtime: { type: "http", url: runtimeUrl } } } });
  const register = (body: unknown) => raw({ method: "POST", path: "/fn/register", headers: JSON_TYPE, body: JSON.stringify(body), port: enginePort() });

  it("stores a loopback app's registration", async () => {
    expect((await register({ url: APP_URL, appName: "local", functions: [fn(APP_URL, "local-fn")] })).status).toBe(200);
    expect((await engine.ctx.store.listFunctions()).map((f) => f.id)).toEqual(["local-fn"]);
  });

  it.each([
    ["a remote app URL", { url: "https://evil.example/api/inngest", functions: [] }],
    ["a loopback app whose step runs at a remote URL", { url: APP_URL, appName: "local", functions: [fn("https://evil.example/api/inngest")] }],
    ["a non-http scheme on localhost", { url: "file://localhost/etc/passwd", functions: [] }],
  ])("refuses %s with 400 and stores nothing", async (_name, body) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/only loopback http\(s\) URLs are allowed/);
    expect((await engine.ctx.store.listApps()).map((a) => a.url)).toEqual([APP_URL]);
    expect((await engine.ctx.store.listFunctions()).map((f) => f.id)).toEqual(["local-fn"]);
  });

  it("POST /api/sync refuses a remote URL with 400", async () => {
    const res = await raw({ method: "POST", path: "/api/sync", headers: JSON_TYPE, body: JSON.stringify({ url: "http://10.0.0.1/api/inngest" }), port: enginePort() });
    expect(res.status).toBe(400);
  });

  it("forgets, at the next start, registrations stored under other rules", async () => {
    // As an engine without these checks (or with ENGINE_ALLOW_NON_LOOPBACK=1) left them.
    const store = engine.ctx.store;
    await store.upsertApp("https://evil.example/api/inngest", "evil", null, null);
    await store.replaceFunctions("https://evil.example/api/inngest", "evil", [fn("https://evil.example/api/inngest", "evil-fn") as never]);
    await store.replaceFunctions(APP_URL, "local", [fn(APP_URL, "local-fn"), fn("https://evil.example/x", "sneaky-fn")] as never);
    await engine.stop();
    engine = make();
    await engine.start();
    expect((await engine.ctx.store.listApps()).map((a) => a.url)).toEqual([APP_URL]);
    expect((await engine.ctx.store.listFunctions()).map((f) => f.id)).toEqual(["local-fn"]);
  });
});

describe("bad input answers 4xx, never 500", () => {
  it.each([
    ["malformed JSON to the event API", 400, "POST", "/e/key", "{not json"],
    ["an event without a name", 400, "POST", "/e/key", JSON.stringify([{ data: {} }])],
    ["event data that is not an object", 400, "POST", "/e/key", JSON.stringify({ name: "x", data: "text" })],
    ["malformed JSON to /fn/register", 400, "POST", "/fn/register", "{"],
    ["functions that are not function configs", 400, "POST", "/fn/register", JSON.stringify({ url: "http://127.0.0.1:3999/api/inngest", functions: [1, 2] })],
    ["a checkpoint whose steps are not steps", 400, "POST", "/v1/checkpoint/01ABC/async", JSON.stringify({ steps: "all" })],
    ["a checkpoint for an unknown run", 404, "POST", "/v1/checkpoint/01ABC/async", JSON.stringify({ steps: [] })],
    ["cancelling an unknown run", 404, "POST", "/api/runs/nope/cancel", ""],
    ["replaying an unknown run", 404, "POST", "/api/runs/nope/replay", ""],
    ["replaying failed runs of an unknown function", 404, "POST", "/api/functions/nope/replay-failed", "{}"],
    ["a replay window that is not a time", 400, "POST", "/api/functions/probe-hello/replay-failed", JSON.stringify({ from: "yesterday-ish" })],
    ["a sync body of the wrong shape", 400, "POST", "/api/sync", JSON.stringify({ url: 42 })],
    ["a negative limit", 400, "GET", "/api/runs?limit=-5", undefined],
    ["an unknown status", 400, "GET", "/api/runs?status=exploded", undefined],
    ["a limit that is not a number", 400, "GET", "/api/events?limit=lots", undefined],
    ["a path that is not valid percent-encoding", 400, "GET", "/api/runs/%E0%A4%A", undefined],
    ["an unknown run", 404, "GET", "/api/runs/nope", undefined],
  ])("%s → %i", async (_name, status, method, path, body) => {
    const res = await raw({ method, path, headers: method === "POST" ? JSON_TYPE : {}, body });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).error).toEqual(expect.any(String));
  });
});

describe("the event key", () => {
  it("is checked on /e/:key when one is configured, and any key is accepted when none is", async () => {
    const database = testDatabase();
    const engine = createEngine({ port: 0, database, eventKey: "dev-event-key", logger: quietLogger });
    await engine.start();
    try {
      const send = (key: string) =>
        fetch(`${engine.url}/e/${key}`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify({ name: "k/test", data: {} }) });
      expect((await send("wrong")).status).toBe(401);
      expect((await send("dev-event-key")).status).toBe(200);
      expect((await engine.listEvents()).map((e) => e.name)).toEqual(["k/test"]);
    } finally {
      await engine.stop();
      await dropDatabase(database);
    }
    expect((await raw({ method: "POST", path: "/e/anything", headers: JSON_TYPE, body: JSON.stringify({ name: "k/any" }) })).status).toBe(200);
  });
});

describe("UI layout", () => {
  it("wraps long ids and stack traces instead of widening the page", () => {
    const css = /<style>([\s\S]*?)<\/style>/.exec(layout("x", ""))![1]!;
    expect(css).toMatch(/pre\{[^}]*white-space:pre-wrap/);
    expect(css).toMatch(/pre\{[^}]*overflow-wrap:anywhere/);
    expect(css).toMatch(/td,th\{[^}]*overflow-wrap:anywhere/);
  });
});
