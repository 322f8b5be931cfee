import { describe, expect, it } from "vitest";
import { metrics } from "@/lib/observability/metrics";
import { operationsSnapshot } from "@/lib/observability/operations-snapshot";

describe("operationsSnapshot", () => {
  it("sums this process's runs, retries, step attempts and provider errors per function and per provider", async () => {
    const m = metrics();
    m.functionRuns.inc({ function: "snapshot-fn", outcome: "completed" }, 3);
    m.functionRuns.inc({ function: "snapshot-fn", outcome: "failed" });
    m.functionRetries.inc({ function: "snapshot-fn", step: "send-part-N" }, 2);
    m.functionStepDuration.observe({ function: "snapshot-fn", step: "load", outcome: "ok" }, 0.01);
    m.functionStepDuration.observe({ function: "snapshot-fn", step: "send-part-N", outcome: "error" }, 0.2);
    for (let i = 0; i < 8; i++) m.providerRequestDuration.observe({ channel: "email", provider: "snapshot", operation: "send", outcome: i < 6 ? "ok" : "rate_limited" }, 0.05);
    m.providerErrors.inc({ channel: "email", provider: "snapshot", kind: "rate_limited" }, 2);
    m.providerRateLimits.inc({ channel: "email", provider: "snapshot" }, 2);

    const snapshot = await operationsSnapshot();
    expect(snapshot.functions.find((fn) => fn.function === "snapshot-fn")).toEqual({ function: "snapshot-fn", completed: 3, failed: 1, retries: 2, stepAttempts: 2, stepErrors: 1 });
    expect(snapshot.providers.find((p) => p.provider === "snapshot")).toEqual({ channel: "email", provider: "snapshot", calls: 8, errors: 2, rateLimited: 2, errorRate: 0.25, byKind: { rate_limited: 2 } });
  });
});
