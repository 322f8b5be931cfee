import { describe, expect, it } from "vitest";
import { TWILIO_DEFAULT_RETRY_AFTER_MS, twilioProviderError } from "@/lib/providers/sms/twilio/twilio-provider-error";

describe("twilioProviderError", () => {
  it.each([
    ["429 / 20429 without Retry-After", 429, 20429, null, "rate-limited", TWILIO_DEFAULT_RETRY_AFTER_MS],
    ["429 with Retry-After", 429, 20429, "4", "rate-limited", 4_000],
    ["20429 under another status is still a rate limit", 503, 20429, null, "rate-limited", TWILIO_DEFAULT_RETRY_AFTER_MS],
    ["400 / 21211 invalid To", 400, 21211, null, "permanent", undefined],
    ["400 / 21610 recipient replied STOP", 400, 21610, null, "permanent", undefined],
    ["401 / 20003 bad credentials", 401, 20003, null, "permanent", undefined],
    ["500 / 20500", 500, 20500, null, "transient", undefined],
    ["503 without a body", 503, undefined, null, "transient", undefined],
  ] as const)("%s → %s", (_name, status, code, retryAfter, kind, retryAfterMs) => {
    const error = twilioProviderError(status, code === undefined ? null : { code, message: "m", status }, retryAfter);
    expect(error.kind).toBe(kind);
    expect(error.details).toMatchObject({ provider: "twilio", status, code: code === undefined ? undefined : String(code) });
    expect(error.details.retryAfterMs).toBe(retryAfterMs);
  });
});
