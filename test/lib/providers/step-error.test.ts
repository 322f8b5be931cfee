import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/core/config/env";
import { ProviderError } from "@/lib/providers/errors";
import { stepError } from "@/lib/providers/step-error";

describe("stepError", () => {
  it("makes a provider's rate limit a retry after the delay it asked for", () => {
    const before = Date.now();
    const error = stepError(new ProviderError("slow down", "rate-limited", { provider: "resend", retryAfterMs: 30_000 }));
    expect(error).toBeInstanceOf(RetryAfterError);
    const at = new Date((error as RetryAfterError).retryAfter).getTime();
    expect(at).toBeGreaterThanOrEqual(before + 30_000);
  });

  it("stops the run on a setting no retry can fix, and on what the caller names final", () => {
    expect(stepError(new ConfigError("RESEND_API_KEY is not set", "RESEND_API_KEY"))).toBeInstanceOf(NonRetriableError);
    class Undeliverable extends Error {}
    expect(stepError(new Undeliverable("no address"), (error) => error instanceof Undeliverable)).toBeInstanceOf(NonRetriableError);
  });

  it("leaves every other failure as it is, to be retried", () => {
    const transient = new ProviderError("bad gateway", "transient", { provider: "resend", status: 502 });
    expect(stepError(transient)).toBe(transient);
    const permanent = new ProviderError("rejected", "permanent", { provider: "twilio" });
    expect(stepError(permanent)).toBe(permanent);
  });
});
