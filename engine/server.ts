import http from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import { checkpointBody, eventsBody, eventsQuery, firstProblem, registerBody, replayFailedBody, runsQuery, syncBody } from "./api-schemas";
import type { EngineContext } from "./context";
import { allowedHosts, guardRequest } from "./request-guard";
import { bearerMatches } from "./signing";
import { RegistrationError } from "./sync";
import type { RunFilter } from "./store/store";
import type { EngineEvent, FnConfig, RunRow } from "./types";
import { eventsPage, functionsPage, runPage, runsPage } from "./ui/pages";

type Reply = { status: number; type?: string; body: string; headers?: Record<string, string> };

const json = (status: number, body: unknown): Reply => ({ status, type: "application/json", body: JSON.stringify(body) });
const html = (body: string, status = 200): Reply => ({ status, type: "text/html; charset=utf-8", body });
const redirect = (to: string): Reply => ({ status: 303, body: "", headers: { location: to } });

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Bad input: answered with its status and message, never as a 500. */
class BadRequest extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, `bodies are limited to ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The body as JSON of `schema`'s shape (an empty body reads as `{}`), or a 400 naming the first problem. */
async function readJson<S extends z.ZodType>(req: http.IncomingMessage, schema: S): Promise<z.output<S>> {
  const text = await readBody(req);
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new BadRequest(400, "the body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(400, firstProblem(parsed.error));
  return parsed.data;
}

function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new BadRequest(400, firstProblem(parsed.error));
  return parsed.data;
}

/**
 * What the routes need of the engine. Declared here, so the server depends on no engine module
 * and engine.ts, which creates the server, is the only one that knows both.
 */
export interface ServedEngine {
  readonly ctx: EngineContext;
  readonly host: string;
  readonly eventKey: string | undefined;
  send(events: EngineEvent[], seed?: string): Promise<string[]>;
  registerFromSdk(url: string, appId: string, fns: FnConfig[], info: unknown): Promise<void>;
  checkpoint(runId: string, body: { steps?: never[] }): Promise<number>;
  sync(appUrl?: string): Promise<void>;
  listRuns(filter?: RunFilter): Promise<RunRow[]>;
  getRun(id: string): Promise<RunRow | undefined>;
  history(runId: string): Promise<unknown[]>;
  cancel(runId: string): Promise<boolean>;
  replay(runId: string): Promise<string | undefined>;
  replayFailed(fnId: string, from?: number, to?: number): Promise<string[]>;
}

/** Routes for the SDK (sync, events, checkpoints), the operator JSON API and the HTML UI. */
export function createServer(engine: ServedEngine): http.Server {
  const server = http.createServer((req, res) => {
    const self = { port: (server.address() as AddressInfo).port, hosts: allowedHosts(engine.host) };
    const refused = guardRequest(req, self);
    const reply = refused
      ? Promise.resolve(json(refused.status, { error: refused.error }))
      : route(engine, req).catch((err: Error) => {
          if (err instanceof BadRequest) return json(err.status, { error: err.message });
          if (err instanceof RegistrationError) return json(400, { error: err.message });
          engine.ctx.log.error(`${req.method} ${req.url} failed`, err);
          return json(500, { error: "internal error (see the engine's log)" });
        });
    void reply.then((r) => {
      // A refused request's body is never read: close the connection rather than drain it.
      res.writeHead(r.status, { ...(r.type ? { "content-type": r.type } : {}), ...(refused ? { connection: "close" } : {}), ...r.headers });
      res.end(r.body);
    });
  });
  return server;
}

function segments(pathname: string): string[] {
  try {
    return pathname.split("/").map(decodeURIComponent);
  } catch {
    throw new BadRequest(400, "the path is not valid percent-encoding");
  }
}

async function route(engine: ServedEngine, req: http.IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://engine");
  const p = url.pathname.replace(/\/+$/, "") || "/";
  const m = req.method ?? "GET";
  const seg = segments(p);
  const ctx = engine.ctx;

  // ---- SDK-facing
  if (m === "POST" && seg[1] === "e" && seg.length === 3) {
    if (engine.eventKey !== undefined && seg[2] !== engine.eventKey) return json(401, { error: "unknown event key", status: 401 });
    const body = await readJson(req, eventsBody);
    const seed = req.headers["x-inngest-event-id-seed"];
    const ids = await engine.send((Array.isArray(body) ? body : [body]) as never, typeof seed === "string" ? seed : undefined);
    return json(200, { ids, status: 200 });
  }
  const sdkApi = (m === "POST" && p === "/fn/register") || seg[1] === "v1" || seg[1] === "v0";
  if (sdkApi && ctx.signingKey) {
    const keys = [ctx.signingKey, ...(ctx.signingKeyFallback ? [ctx.signingKeyFallback] : [])];
    if (!bearerMatches(req.headers.authorization, keys)) return json(401, { error: "unauthorized" });
  }
  if (m === "POST" && p === "/fn/register") {
    const body = await readJson(req, registerBody);
    await engine.registerFromSdk(body.url, body.appName ?? "app", body.functions as FnConfig[], body);
    return json(200, { ok: true, modified: true });
  }
  if (m === "POST" && seg[1] === "v1" && seg[2] === "checkpoint" && seg.length === 5 && seg[3]) {
    const body = (await readJson(req, checkpointBody)) as { steps: never[] };
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
      const q = readQuery(url, runsQuery);
      return json(200, await engine.listRuns({ fnId: q.fn || undefined, status: q.status, from: toMs(q.from), to: toMs(q.to), limit: q.limit ?? 200 }));
    }
    if (m === "GET" && seg[2] === "runs" && seg[3] && seg.length === 4) {
      const run = await engine.getRun(seg[3]);
      return run ? json(200, { ...run, history: await engine.history(seg[3]) }) : json(404, { error: "run not found" });
    }
    if (m === "POST" && seg[2] === "runs" && seg[3] && seg[4] === "cancel" && seg.length === 5) {
      if (!(await engine.getRun(seg[3]))) return json(404, { error: "run not found" });
      return json(200, { cancelled: await engine.cancel(seg[3]) });
    }
    if (m === "POST" && seg[2] === "runs" && seg[3] && seg[4] === "replay" && seg.length === 5) {
      const id = await engine.replay(seg[3]);
      return id ? json(200, { runId: id }) : json(404, { error: "run or function not found" });
    }
    if (m === "POST" && seg[2] === "functions" && seg[3] && seg[4] === "replay-failed" && seg.length === 5) {
      const body = await readJson(req, replayFailedBody);
      if (!(await ctx.store.getFunction(seg[3]))) return json(404, { error: "function not found" });
      return json(200, { runIds: await engine.replayFailed(seg[3], toMs(body.from), toMs(body.to)) });
    }
    if (m === "GET" && p === "/api/events") {
      const q = readQuery(url, eventsQuery);
      return json(200, await ctx.store.listEvents(q.limit ?? 100, q.name || undefined));
    }
    if (m === "GET" && p === "/api/functions") return json(200, await ctx.store.listFunctions());
    if (m === "GET" && p === "/api/apps") {
      // With each app's function count: `npm run dev` waits for a sync that registered functions.
      const [apps, fns] = await Promise.all([ctx.store.listApps(), ctx.store.listFunctions()]);
      return json(200, apps.map((app) => ({ ...app, functions: fns.filter((f) => f.app_url === app.url).length })));
    }
    if (m === "POST" && p === "/api/sync") {
      const body = await readJson(req, syncBody);
      try {
        await engine.sync(body.url);
      } catch (error) {
        if (error instanceof RegistrationError) throw error;
        return json(502, { error: (error as Error).message, apps: await ctx.store.listApps() });
      }
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
