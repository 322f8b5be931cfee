import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown>; service?: string };

/**
 * A loopback OpenTelemetry collector for OTLP/HTTP JSON: it keeps the spans posted to
 * /v1/traces, flattened, and anything else it is sent under `otherPaths`.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const otherPaths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url !== "/v1/traces") otherPaths.push(req.url ?? "");
      else {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpTraces;
        for (const resource of body.resourceSpans ?? []) {
          const service = resource.resource?.attributes?.find((a) => a.key === "service.name")?.value?.stringValue;
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                name: span.name,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, Object.values(a.value ?? {})[0]])),
                service,
              });
            }
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    otherPaths,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type OtlpAttribute = { key: string; value?: Record<string, unknown> & { stringValue?: string } };
type OtlpTraces = {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
};
