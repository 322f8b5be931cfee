import { describe, expect, it } from "vitest";
import { metrics, stepLabel } from "@/lib/observability/metrics";

describe("metrics", () => {
  it("is one registry per process, however often it is asked for", () => {
    expect(metrics()).toBe(metrics());
    expect(metrics().registry).toBe(metrics().registry);
  });

  it("names every Sendline series with its unit and exposes the process's own", async () => {
    const text = await metrics().registry.metrics();
    for (const name of [
      "sendline_messages_total",
      "sendline_provider_request_duration_seconds",
      "sendline_provider_errors_total",
      "sendline_provider_rate_limits_total",
      "sendline_webhook_events_total",
      "sendline_engagement_events_total",
      "sendline_tracking_dropped_total",
      "sendline_function_runs_total",
      "sendline_function_step_duration_seconds",
      "sendline_function_retries_total",
      "sendline_function_queue_lag_seconds",
      "sendline_campaigns",
      "sendline_campaign_recipients",
      "sendline_imports",
      "sendline_import_rows",
      "process_cpu_seconds_total",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it.each([
    ["send-message", "send-message"],
    ["send-part-12", "send-part-N"],
    ["chunk-3-of-40", "chunk-N-of-N"],
  ])("labels step %s as %s, so numbered steps share a series", (id, label) => {
    expect(stepLabel(id)).toBe(label);
  });
});
