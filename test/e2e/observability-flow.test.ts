import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { captureLogs } from "@/lib/observability/logger";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { type ReceivedSpan, startOtlpReceiver } from "@/test/support/otlp-receiver";
import { sampleSum } from "@/test/support/prometheus-text";
import { startTracing, type Tracing } from "@/lib/observability/tracing";

/**
 * What an operator sees of a notification sent through the engine: the metrics route's
 * counters, histograms and the function's step metrics move, every log line the run writes
 * is JSON carrying its run id, and (with tracing configured) its spans reach a collector.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let notifications: typeof import("@/app/api/v1/notifications/route");
let notificationDetail: typeof import("@/app/api/v1/notifications/[id]/route");
let metricsRoute: typeof import("@/app/api/metrics/route");
let database: Database;
let apiKey: string;
let workspaceId: string;
let lines: string[] = [];
let restoreLogs: () => void;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let tracing: Tracing | null;
let sentRunId: string;

const SEND_FN = "sendline-send-notification";

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Observed" }));
  app = await startAppEngine();
  notifications = await import("@/app/api/v1/notifications/route");
  notificationDetail = await import("@/app/api/v1/notifications/[id]/route");
  metricsRoute = await import("@/app/api/metrics/route");
  restoreLogs = captureLogs({ write: (line: string) => void lines.push(line) });
  receiver = await startOtlpReceiver();
  tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
});
afterAll(async () => {
  restoreLogs?.();
  await tracing?.shutdown();
  await receiver?.stop();
  await app?.stop();
  await database?.close();
});

const scrape = async () => {
  const response = await callRoute(metricsRoute.GET, { path: "/api/metrics" });
  expect(response.status).toBe(200);
  expect(response.response.headers.get("content-type")).toContain("text/plain");
  return response.body as string;
};
const post = (body: Record<string, unknown>) => callRoute(notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const statusOf = (id: string) => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id } });
const runOf = async (messageId: string) =>
  waitFor(
    async () => (await app.engine.listRuns({ fnId: SEND_FN })).find((run) => (run.event as { data?: { messageId?: string } })?.data?.messageId === messageId),
    (run) => run?.status === "completed" || run?.status === "failed",
  );

function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): string[] {
  const names: string[] = [];
  for (let parent = spans.find((s) => s.spanId === span.parentSpanId); parent; parent = spans.find((s) => s.spanId === parent!.parentSpanId)) names.push(parent.name);
  return names;
}

describe("observability of a notification sent through the engine", () => {
  it("moves the message counter, the provider latency histogram and the function's run and step metrics", async () => {
    const before = await scrape();
    lines = [];
    const queued = await post({ messageId: "observed-1", channel: "email", to: "ann@example.com", subject: "Hi", body: "<p>secret words</p>" });
    expect(queued.status).toBe(202);
    await waitFor(() => statusOf(queued.body.id), (response) => response.body.status === "sent");
    const run = await runOf(queued.body.id);
    expect(run!.status).toBe("completed");
    sentRunId = run!.id;
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(moved("sendline_messages_total", { channel: "email", provider: "outbox", status: "sent" })).toBe(1);
    expect(moved("sendline_provider_request_duration_seconds_count", { channel: "email", provider: "outbox", operation: "send_batch", outcome: "ok" })).toBe(1);
    expect(moved("sendline_function_step_duration_seconds_count", { function: "send-notification", step: "send-messages-N", outcome: "ok" })).toBe(1);
    expect(moved("sendline_function_runs_total", { function: "send-notification", outcome: "completed" })).toBe(1);
    expect(moved("sendline_function_queue_lag_seconds_count", { function: "send-notification" })).toBe(1);
    // The process's own series are there too, for the usual dashboards.
    expect(after).toContain("process_cpu_seconds_total");

    // Every line is JSON with a run id; the flow's own lines carry its run's (a cron such as
    // watch-imports may log its own run meanwhile).
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of logged) expect(line).toMatchObject({ runId: expect.any(String), function: expect.any(String) });
    const ofFlow = logged.filter((line) => line.function === "send-notification");
    expect(ofFlow.length).toBeGreaterThan(0);
    for (const line of ofFlow) expect(line).toMatchObject({ runId: run!.id, workspaceId });
    expect(ofFlow).toContainEqual(expect.objectContaining({ level: "info", msg: "function run completed", eventId: expect.any(String) }));
    expect(lines.join("\n")).not.toContain("secret words");
  });

  it("counts a failed run and logs its error as JSON lines of that run (and of its failure handler's run)", async () => {
    const before = await scrape();
    lines = [];
    // A channel chosen but not configured: no retry can fix it, so the run fails at once.
    process.env.EMAIL_PROVIDER = "resend";
    let run;
    try {
      const queued = await post({ messageId: "observed-bad", channel: "email", to: "bo@example.com", subject: "s", body: "b" });
      run = await runOf(queued.body.id);
    } finally {
      delete process.env.EMAIL_PROVIDER;
    }
    expect(run!.status).toBe("failed");
    await waitFor(async () => lines.map((line) => JSON.parse(line) as { msg?: string }), (logged) => logged.some((line) => line.msg === "function run failed"));
    const after = await scrape();

    expect(sampleSum(after, "sendline_function_runs_total", { function: "send-notification", outcome: "failed" }) - sampleSum(before, "sendline_function_runs_total", { function: "send-notification", outcome: "failed" })).toBe(1);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of logged) {
      expect(line).toMatchObject({ runId: expect.any(String), function: expect.any(String) });
      // The onFailure handler runs as a run of its own, with its own id, after this one.
      if (line.function === "send-notification-failure") expect(line).toMatchObject({ workspaceId, eventId: expect.any(String) });
      if (line.function === "send-notification") expect(line).toMatchObject({ runId: run!.id, workspaceId, eventId: expect.any(String) });
    }
    expect(logged).toContainEqual(expect.objectContaining({ level: "warn", msg: "function run failed", err: expect.objectContaining({ message: expect.stringContaining("RESEND_API_KEY") }) }));
  });

  it("counts a provider outage's retries per step and its errors by kind, then the delivery", async () => {
    const resend = await startFakeResend({ rateLimit: false });
    Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
    try {
      const before = await scrape();
      resend.failNext(2, { status: 503 });
      const queued = await post({ messageId: "observed-outage", channel: "email", to: "cy@example.com", subject: "s", body: "b" });
      await waitFor(() => statusOf(queued.body.id), (response) => response.body.status === "sent", 30_000);
      await runOf(queued.body.id);
      const after = await scrape();
      const moved = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
      expect(moved("sendline_function_retries_total", { function: "send-notification", step: "send-messages-N" })).toBe(2);
      expect(moved("sendline_function_step_duration_seconds_count", { function: "send-notification", step: "send-messages-N", outcome: "error" })).toBe(2);
      expect(moved("sendline_provider_errors_total", { channel: "email", provider: "resend", kind: "transient" })).toBe(2);
      expect(moved("sendline_messages_total", { channel: "email", provider: "resend", status: "sent" })).toBe(1);
    } finally {
      delete process.env.RESEND_API_KEY;
      delete process.env.RESEND_BASE_URL;
      await resend.stop();
    }
  });

  it("traces the run: the call into the app, the step and the provider call are one trace, each the child of the one before", async () => {
    // Shutting down flushes the spans the batch processor holds.
    await tracing!.shutdown();
    tracing = null;
    const request = receiver.spans.find((span) => span.name === "inngest send-notification" && span.attributes["inngest.run_id"] === sentRunId);
    expect(request).toBeDefined();
    const step = receiver.spans.find((span) => span.name === "step send-messages-0" && span.traceId === request!.traceId);
    const call = receiver.spans.find((span) => span.name === "outbox send_batch" && span.traceId === request!.traceId);
    expect(step).toMatchObject({ attributes: { "inngest.function": "send-notification", "inngest.attempt": 0 } });
    // The SDK's own span (inngest.execution) sits between the call and the step.
    expect(ancestorsOf(step!, receiver.spans)).toContain("inngest send-notification");
    expect(call).toMatchObject({ parentSpanId: step!.spanId, service: "sendline" });
  });
});
