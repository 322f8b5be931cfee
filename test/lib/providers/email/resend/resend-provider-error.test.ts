import { describe, expect, it } from "vitest";
import {
  RESEND_DAILY_QUOTA_RETRY_AFTER_MS,
  RESEND_DEFAULT_RETRY_AFTER_MS,
  resendProviderError,
} from "@/lib/providers/email/resend/resend-provider-error";

describe("resendProviderError", () => {
  it.each([
    ["429 with retry-after", 429, "rate_limit_exceeded", { "retry-after": "3" }, "rate-limited", 3_000],
    ["429 without retry-after falls back to a second", 429, "rate_limit_exceeded", {}, "rate-limited", RESEND_DEFAULT_RETRY_AFTER_MS],
    ["daily quota waits an hour unless told otherwise", 429, "daily_quota_exceeded", {}, "rate-limited", RESEND_DAILY_QUOTA_RETRY_AFTER_MS],
    ["monthly quota cannot be retried away", 429, "monthly_quota_exceeded", {}, "permanent", undefined],
    ["422 validation", 422, "validation_error", {}, "permanent", undefined],
    ["422 missing field", 422, "missing_required_field", {}, "permanent", undefined],
    ["400 bad idempotency key", 400, "invalid_idempotency_key", {}, "permanent", undefined],
    ["401 missing key", 401, "missing_api_key", {}, "permanent", undefined],
    ["403 invalid key", 403, "invalid_api_key", {}, "permanent", undefined],
    ["409 changed payload under the same key", 409, "invalid_idempotent_request", {}, "permanent", undefined],
    ["409 same key still in flight", 409, "concurrent_idempotent_requests", {}, "transient", undefined],
    ["500", 500, "internal_server_error", {}, "transient", undefined],
    ["503", 503, "application_error", {}, "transient", undefined],
    ["no response at all (network)", null, "application_error", null, "transient", undefined],
  ] as const)("%s → %s", (_name, statusCode, name, headers, kind, retryAfterMs) => {
    const error = resendProviderError({ statusCode, name, message: "m" }, headers);
    expect(error.kind).toBe(kind);
    expect(error.details.retryAfterMs).toBe(retryAfterMs);
    expect(error.details).toMatchObject({ provider: "resend", code: name });
  });

  it("calls an aborted request a timeout, whatever the SDK said", () => {
    const error = resendProviderError({ statusCode: null, name: "application_error", message: "m" }, null, { timedOut: true });
    expect(error).toMatchObject({ kind: "transient", details: { code: "timeout" } });
  });
});
