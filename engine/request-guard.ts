import type http from "node:http";

/** Why a request is refused before routing: a status and a plain reason. */
export type Refusal = { status: 400 | 403 | 415; error: string };

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

function hostAndPort(value: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(`http://${value}`);
    if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return undefined;
    return { host: url.hostname.toLowerCase(), port: Number(url.port || 80) };
  } catch {
    return undefined;
  }
}

/** What the engine answers to: loopback names, plus its bind address when that is a specific one. */
export function allowedHosts(bindHost: string): Set<string> {
  const hosts = new Set(LOOPBACK_NAMES);
  const bound = bindHost.includes(":") && !bindHost.startsWith("[") ? `[${bindHost}]` : bindHost.toLowerCase();
  if (bound !== "0.0.0.0" && bound !== "[::]") hosts.add(bound);
  return hosts;
}

/** Form posts of the engine's own UI: the only POSTs that are not JSON. */
const isUiPost = (path: string) => path.startsWith("/ui/");
/** OpenTelemetry exports from the SDK (protobuf or JSON): acknowledged and dropped, they change nothing. */
const isTraceExport = (path: string) => path.startsWith("/v1/traces");

/**
 * The engine drives code on the developer's machine, and any web page the developer visits can
 * send requests to 127.0.0.1. So, before any route runs:
 *  - the Host must be a loopback name (or the bind address) with the engine's port: a page on a
 *    DNS-rebound name (evil.example → 127.0.0.1) sends its own name and is refused;
 *  - a request that changes something must come from the engine's own origin: browsers label
 *    cross-origin requests with Origin and Sec-Fetch-Site, which pages cannot forge;
 *  - JSON routes take only `application/json`, which a page cannot send cross-origin without a
 *    CORS preflight this server never approves (a `text/plain` form post replayed runs).
 * Tools outside a browser (the SDK, curl) send no Origin and pass with a JSON body.
 */
export function guardRequest(req: http.IncomingMessage, self: { port: number; hosts: Set<string> }): Refusal | undefined {
  const host = hostAndPort(req.headers.host ?? "");
  if (!host || !self.hosts.has(host.host) || host.port !== self.port) {
    return { status: 403, error: `the engine answers only at a loopback address with port ${self.port} (Host: ${req.headers.host ?? "missing"})` };
  }
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return undefined;

  const path = (req.url ?? "/").split("?")[0] ?? "/";
  const ownOrigin = `http://${req.headers.host!.toLowerCase()}`;
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  if ((origin !== undefined && origin.toLowerCase() !== ownOrigin) || (site !== undefined && site !== "same-origin" && site !== "none")) {
    return { status: 403, error: "cross-origin requests to the engine are refused" };
  }
  if (isUiPost(path)) {
    // A browser always labels a form post; one without either label did not come from our page.
    return origin === undefined && site === undefined ? { status: 403, error: "UI actions are posted by the engine's own pages" } : undefined;
  }
  if (isTraceExport(path)) return undefined;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    return { status: 415, error: `${method} ${path} takes Content-Type: application/json${type ? `, not ${type}` : ""}` };
  }
  return undefined;
}
