import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Stands in for the Inngest event API (`POST /e/:key`) that the import function sends its
 * contact/created events to. It lives in run.ts's process and only counts, so the import's
 * process (and its RSS) does no more than the app would.
 */
export async function startEventSink() {
  let events = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
        response.writeHead(404).end();
        return;
      }
      const received = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: string }[] | { id?: string };
      const batch = Array.isArray(received) ? received : [received];
      events += batch.length;
      firstAt ??= performance.now();
      lastAt = performance.now();
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ids: batch.map((event, index) => event.id ?? `evt-${events + index}`), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Events received since the last reset, and the span between the first and last batch. */
    take() {
      const taken = { events, fanOutSeconds: firstAt !== null && lastAt !== null ? (lastAt - firstAt) / 1000 : 0 };
      events = 0;
      firstAt = lastAt = null;
      return taken;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
