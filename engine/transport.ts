export interface TransportRequest {
  url: string;
  method: "GET" | "POST" | "PUT";
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** How the engine reaches an app: HTTP by default, or a serve() handler called in-process in tests. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export const httpTransport: Transport = async (req) => {
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: req.signal });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

/** Wraps a web-standard handler, e.g. `serve()` from `inngest/edge`, so calls skip the network. */
export function inProcessTransport(handler: (req: Request) => Promise<Response>): Transport {
  return async (req) => {
    // serve() adapters resolve the URL against the Host header, which a hand-made Request lacks.
    const headers = { host: new URL(req.url).host, ...req.headers };
    const call = handler(new Request(req.url, { method: req.method, headers, body: req.body, signal: req.signal }));
    // A handler ignores the abort signal, so race it: on shutdown the call counts as cut off.
    const aborted = new Promise<never>((_, reject) => {
      if (req.signal?.aborted) reject(new Error("aborted"));
      req.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
    });
    const res = await Promise.race([call, aborted]);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
}

/** An http(s) URL on this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
    host = parsed.hostname;
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
