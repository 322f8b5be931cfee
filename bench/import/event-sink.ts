import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Stands in for the Inngest event API (`POST /e/:key`) that the import function sends its
 * completion event to. It lives in run.ts's process and only counts events by name, so the
 * import's process (and its RSS) does no more than the app would.
 */
export async function startEventSink() {
  let events: Record<string, number> = {};
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
        response.writeHead(404).end();
        return;
      }
      const received = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: string; name: string }[] | { id?: string; name: string };
      const batch = Array.isArray(received) ? received : [received];
      for (const event of batch) events[event.name] = (events[event.name] ?? 0) + 1;
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ids: batch.map((event, index) => event.id ?? `evt-${index}`), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Events received since the last reset, counted by name. */
    take() {
      const taken = { events };
      events = {};
      return taken;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
