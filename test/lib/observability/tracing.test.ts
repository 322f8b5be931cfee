import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { otlpTracesUrl, startTracing } from "@/lib/observability/tracing";
import { createProviders } from "@/lib/providers/create-providers";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startOtlpReceiver } from "@/test/support/otlp-receiver";

let database: Database;
let workspaceId: string;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Traced" }));
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.stop();
  await database.close();
});

describe("tracing", () => {
  it("is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: nothing starts and spans record nothing", async () => {
    expect(await startTracing({})).toBeNull();
    const span = trace.getTracer("sendline").startSpan("unconfigured");
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it.each([
    ["http://collector:4318", "http://collector:4318/v1/traces"],
    ["http://collector:4318/", "http://collector:4318/v1/traces"],
    ["https://otlp.example.com/otlp", "https://otlp.example.com/otlp/v1/traces"],
  ])("sends spans for endpoint %s to %s", (endpoint, url) => {
    expect(otlpTracesUrl(endpoint)).toBe(url);
  });

  it("when configured, exports spans by OTLP: a provider call inside a step is the step's child, under the service's name", async () => {
    const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "sendline-test" });
    expect(tracing).not.toBeNull();
    const providers = createProviders(database.db, {});
    await trace.getTracer("test").startActiveSpan("step send-message", async (step) => {
      await providers.email.send(
        { workspaceId, messageId: randomUUID(), from: "a@example.com", to: "b@example.com", subject: "s", html: "<p>h</p>", text: "h" },
        { idempotencyKey: "traced-1" },
      );
      step.end();
    });
    // Shutting down flushes what the batch processor holds.
    await tracing!.shutdown();

    const step = receiver.spans.find((span) => span.name === "step send-message");
    const call = receiver.spans.find((span) => span.name === "outbox send");
    expect(step).toBeDefined();
    expect(call).toMatchObject({ traceId: step!.traceId, parentSpanId: step!.spanId, service: "sendline-test", attributes: { "sendline.channel": "email", "sendline.provider": "outbox" } });
    // Traces only: metrics and logs are not exported by OTLP.
    expect(receiver.otherPaths).toEqual([]);
  });
});
