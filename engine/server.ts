import http from "node:http";
import type { Engine } from "./engine";
import { bearerMatches } from "./signing";
import { eventsPage, functionsPage, runPage, runsPage } from "./ui/pages";
import type { RunStatus } from "./types";

type Reply = { status: number; type?: string; body: string; headers?: Record<string, string> };

const json = (status: number, body: unknown): Reply => ({ status, type: "application/json", body: JSON.stringify(body) });
const html = (body: string, status = 200): Reply => ({ status, type: "text/html; charset=utf-8", body });
const redirect = (to: string): Reply => ({ status: 303, body: "", headers: { location: to } });

const MAX_BODY_BYTES = 32 * 1024 * 1024;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return undefined;
  }
}

/** Routes for the SDK (sync, events, checkpoints), the operator JSON API and the HTML UI. */
export function createServer(engine: Engine): http.Server {
  return http.createServer((req, res) => {
    route(engine, req)
      .catch((err: Error) => json(500, { error: err.message }))
      .then((r) => {
        res.writeHead(r.status, { ...(r.type ? { "content-type": r.type } : {}), ...r.headers });
        res.end(r.body);
      });
  });
}

async function route(engine: Engine, req: http.IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://engine");
  const p = url.pathname.replace(/\/+$/, "") || "/";
  const m = req.method ?? "GET";
  const seg = p.split("/").map(decodeURIComponent);
  const ctx = engine.ctx;

  // ---- SDK-facing
  if (m === "POST" && seg[1] === "e" && seg.length === 3) {
    const body = parseJson(await readBody(req));
    const list = Array.isArray(body) ? body : body && typeof body === "object" ? [body] : undefined;
    if (!list || list.some((e) => !e || typeof e !== "object" || typeof (e as { name?: unknown }).name !== "string"))
      return json(400, { error: "expected an event or an array of events with a name", status: 400 });
    const seed = req.headers["x-inngest-event-id-seed"];
    const ids = await engine.send(list as never, typeof seed === "string" ? seed : undefined);
    return json(200, { ids, status: 200 });
  }
  const sdkApi = (m === "POST" && p === "/fn/register") || seg[1] === "v1" || seg[1] === "v0";
  if (sdkApi && ctx.signingKey) {
    const keys = [ctx.signingKey, ...(ctx.signingKeyFallback ? [ctx.signingKeyFallback] : [])];
    if (!bearerMatches(req.headers.authorization, keys)) return json(401, { error: "unauthorized" });
  }
  if (m === "POST" && p === "/fn/register") {
    const body = parseJson(await readBody(req)) as { url?: string; appName?: string; functions?: unknown[] } | undefined;
    if (!body?.url || !Array.isArray(body.functions)) return json(400, { error: "invalid register body" });
    if (!engine.allowsAppUrl(body.url)) return json(400, { error: `refusing non-loopback app URL ${body.url}` });
    await engine.registerFromSdk(body.url, body.appName ?? "app", body.functions as never, body);
    return json(200, { ok: true, modified: true });
  }
  if (m === "POST" && seg[1] === "v1" && seg[2] === "checkpoint" && seg.length === 5 && seg[3]) {
    const body = (parseJson(await readBody(req)) ?? {}) as { steps?: never[] };
    if (seg[4] === "async") {
      const status = await engine.checkpoint(seg[3], body);
      return json(status, status === 200 ? { ok: true } : { error: status === 409 ? "run is not active" : "run not found" });
    }
    // Sync-mode checkpoints belong to durable endpoints, which this engine does not host; ack so nothing stalls.
    return json(200, { ok: true });
  }
  if (m === "GET" && seg[1] === "v0" && seg[2] === "runs" && seg[3]) {
    const run = await engine.getRun(seg[3]);
    if (!run) return json(404, { error: "run not found", status: 404 });
    if (seg[4] === "actions") return json(200, run.steps);
    if (seg[4] === "batch") return json(200, run.events);
  }
  if (m === "POST" && seg[1] === "v1" && (seg[2] === "traces" || (seg[2] === "runs" && seg[4] === "metadata"))) {
    await readBody(req);
    return json(200, { ok: true });
  }
  if (m === "GET" && p === "/dev") {
    const fns = await ctx.store.listFunctions();
    return json(200, { version: "sendline-engine", functions: fns.map((f) => f.config), handlers: [] });
  }

  // ---- operator JSON API
  if (seg[1] === "api") {
    if (m === "GET" && p === "/api/runs") {
      const status = url.searchParams.get("status") || undefined;
      const from = url.searchParams.get("from");
      const to = url.searchParams.get("to");
      return json(
        200,
        await engine.listRuns({
          fnId: url.searchParams.get("fn") || undefined,
          status: status ? (status.split(",") as RunStatus[]) : undefined,
          from: from ? Number(from) || Date.parse(from) : undefined,
          to: to ? Number(to) || Date.parse(to) : undefined,
          limit: Number(url.searchParams.get("limit")) || 200,
        }),
      );
    }
    if (m === "GET" && seg[2] === "runs" && seg[3] && seg.length === 4) {
      const run = await engine.getRun(seg[3]);
      return run ? json(200, { ...run, history: await engine.history(seg[3]) }) : json(404, { error: "run not found" });
    }
    if (m === "POST" && seg[2] === "runs" && seg[3] && seg[4] === "cancel") return json(200, { cancelled: await engine.cancel(seg[3]) });
    if (m === "POST" && seg[2] === "runs" && seg[3] && seg[4] === "replay") {
      const id = await engine.replay(seg[3]);
      return id ? json(200, { runId: id }) : json(404, { error: "run or function not found" });
    }
    if (m === "POST" && seg[2] === "functions" && seg[3] && seg[4] === "replay-failed") {
      const body = (parseJson(await readBody(req)) ?? {}) as { from?: string | number; to?: string | number };
      return json(200, { runIds: await engine.replayFailed(seg[3], toMs(body.from), toMs(body.to)) });
    }
    if (m === "GET" && p === "/api/events") return json(200, await ctx.store.listEvents(Number(url.searchParams.get("limit")) || 100, url.searchParams.get("name") || undefined));
    if (m === "GET" && p === "/api/functions") return json(200, await ctx.store.listFunctions());
    if (m === "GET" && p === "/api/apps") return json(200, await ctx.store.listApps());
    if (m === "POST" && p === "/api/sync") {
      const body = (parseJson(await readBody(req)) ?? {}) as { url?: string };
      await engine.sync(body.url);
      return json(200, { ok: true, apps: await ctx.store.listApps() });
    }
    return json(404, { error: "not found" });
  }

  // ---- HTML UI
  if (m === "GET" && p === "/") return html(await runsPage(ctx.store, url.searchParams));
  if (m === "GET" && seg[1] === "runs" && seg[2]) {
    const page = await runPage(ctx.store, seg[2]);
    return page ? html(page) : html("run not found", 404);
  }
  if (m === "GET" && p === "/events") return html(await eventsPage(ctx.store));
  if (m === "GET" && p === "/functions") return html(await functionsPage(ctx.store));
  if (m === "POST" && seg[1] === "ui") {
    const form = new URLSearchParams(await readBody(req));
    if (p === "/ui/sync") {
      await engine.sync().catch(() => undefined); // errors are recorded per app and shown on /functions
      return redirect("/functions");
    }
    if (seg[2] === "runs" && seg[3] && seg[4] === "cancel") {
      await engine.cancel(seg[3]);
      return redirect(`/runs/${encodeURIComponent(seg[3])}`);
    }
    if (seg[2] === "runs" && seg[3] && seg[4] === "replay") {
      const id = await engine.replay(seg[3]);
      return redirect(`/runs/${encodeURIComponent(id ?? seg[3])}`);
    }
    if (seg[2] === "functions" && seg[3] && seg[4] === "replay-failed") {
      await engine.replayFailed(seg[3], toMs(form.get("from") ?? undefined), toMs(form.get("to") ?? undefined));
      return redirect(`/?fn=${encodeURIComponent(seg[3])}`);
    }
  }
  return json(404, { error: "not found" });
}

function toMs(v: string | number | undefined | null): number | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") return v;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
