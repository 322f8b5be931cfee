import http from "node:http";
import type { AddressInfo } from "node:net";

export type LoopbackServer = { url: string; port: number; stop(): Promise<void> };

/** Fakes read whole bodies; this cap only stops a runaway test from eating the machine. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * An HTTP server bound to 127.0.0.1 only: fakes of provider APIs must never be reachable from
 * elsewhere. `stop()` also drops requests a fake is deliberately leaving unanswered.
 */
export async function startLoopbackServer(
  /** `body` as text for JSON and form APIs; `raw` as sent, for binary ones (the S3 fake). */
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string, raw: Buffer) => void | Promise<void>,
  port = 0,
): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      Promise.resolve(handler(req, res, raw.toString("utf8"), raw)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
