import { type Env, envValue } from "@/core/config/env";

export type Tracing = { shutdown(): Promise<void> };

/** The OTLP/HTTP traces URL for a collector base URL, as the OpenTelemetry spec builds it. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/**
 * Starts OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, and does nothing (loads
 * nothing) otherwise: the SDK is imported only here, lazily, so an unconfigured server pays for
 * none of it. Spans: incoming and outgoing HTTP (API routes, Inngest's calls to /api/inngest,
 * provider APIs over fetch), and the function runs, steps and provider calls the app marks
 * itself (inngest/observability-middleware.ts, lib/observability/instrument-providers.ts).
 * Traces only: metrics are Prometheus' (/api/metrics) and logs are stdout's.
 */
export async function startTracing(env: Env = process.env): Promise<Tracing | null> {
  const endpoint = envValue("OTEL_EXPORTER_OTLP_ENDPOINT", env);
  if (!endpoint) return null;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { UndiciInstrumentation }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-undici"),
  ]);
  const sdk = new NodeSDK({
    serviceName: envValue("OTEL_SERVICE_NAME", env) ?? "sendline",
    traceExporter: new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) }),
    instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
    // Only traces leave by OTLP; the SDK would otherwise also export metrics and logs by default.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
