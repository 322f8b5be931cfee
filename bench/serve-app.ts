import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

type Method = "GET" | "POST" | "PUT";
/** app/api/inngest/route.ts's exports; Next types the request as a NextRequest, serve() reads it as a web Request. */
type ServeRoute = Record<Method, (request: never, context: never) => Promise<Response>>;

/**
 * The app's serve() route (app/api/inngest/route.ts) on a plain node:http server. The import and
 * campaign benchmarks measure the process that hosts the app route, as a Vercel function
 * would see it, without starting Next: this adapter turns each node request into the web
 * `Request` Next hands route handlers and writes the web `Response` back. Nothing else.
 */
export async function serveApp(route: ServeRoute, options: { path: string }): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    handle(route, options.path, req, res).catch((error: unknown) => {
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
    url: `http://127.0.0.1:${port}${options.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(route: ServeRoute, routePath: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = req.method as Method;
  if (url.pathname !== routePath || !(method === "GET" || method === "POST" || method === "PUT")) {
    res.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = method === "GET" ? undefined : Buffer.concat(chunks);
  // Next hands route handlers (request, context); serve() only reads the request.
  const response = await route[method](new Request(url, { method, headers, body }) as never, undefined as never);
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
