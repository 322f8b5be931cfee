import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

type Method = "GET" | "POST" | "PUT";
/** app/api/inngest/route.ts's exports; Next types the request as a NextRequest, serve() reads it as a web Request. */
type ServeRoute = Record<Method, (request: never, context: never) => Promise<Response>>;
/** Any route module's handlers (a webhook route has only POST). */
type RouteHandlers = Partial<ServeRoute>;

/**
 * The app's serve() route (app/api/inngest/route.ts) on a plain node:http server. The import and
 * campaign benchmarks measure the process that hosts the app route, as a Vercel function
 * would see it, without starting Next: this adapter turns each node request into the web
 * `Request` Next hands route handlers and writes the web `Response` back. Nothing else.
 */
export async function serveApp(route: ServeRoute, options: { path: string }): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const served = await serveRoutes({ [options.path]: route });
  return { ...served, url: `${served.origin}${options.path}` };
}

/** Several route modules on one server, by path (the webhook bench: serve(), the webhook route and its bare baseline). */
export async function serveRoutes(routes: Record<string, RouteHandlers>): Promise<{ port: number; origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    handle(routes, req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(routes: Record<string, RouteHandlers>, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = req.method as Method;
  const handler = routes[url.pathname]?.[method];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  // As Next's own server does, so per-address rules (the webhook limit) see the client.
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = method === "GET" ? undefined : Buffer.concat(chunks);
  // Next hands route handlers (request, context); serve() only reads the request.
  const response = await handler(new Request(url, { method, headers, body }) as never, undefined as never);
  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => (outHeaders[name] = value));
  const cookies = response.headers.getSetCookie();
  if (cookies.length) outHeaders["set-cookie"] = cookies;
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>)
      .on("error", reject)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}
