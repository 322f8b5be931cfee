import http from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedEvent = { id?: string; name: string; data: Record<string, unknown>; ts?: number };

/**
 * A loopback stand-in for an Inngest server's event API (`POST /e/:key`), for tests of code
 * that only sends events. It answers like the real API and keeps what it received, so a test
 * can hand those events to the function under test.
 */
export async function startEventRecorder(): Promise<{ url: string; events: RecordedEvent[]; failNext(count: number): void; stop(): Promise<void> }> {
  const events: RecordedEvent[] = [];
  let failures = 0;
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
        response.writeHead(404).end();
        return;
      }
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "injected failure" }));
        return;
      }
      const received = JSON.parse(body) as RecordedEvent | RecordedEvent[];
      const batch = Array.isArray(received) ? received : [received];
      events.push(...batch);
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ids: batch.map((event, index) => event.id ?? `evt-${events.length + index}`), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    failNext: (count) => (failures = count),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
