import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";

/** The SDK's error shape (`ErrorResponse` in resend, not exported by name). */
export type ResendApiError = { name: string; message: string; statusCode: number | null };

/** Resend's documented default is 2 requests/second, so one second is the natural fallback. */
export const RESEND_DEFAULT_RETRY_AFTER_MS = 1_000;
/** A daily quota frees up within the day; retrying sooner than an hour only burns attempts. */
export const RESEND_DAILY_QUOTA_RETRY_AFTER_MS = 60 * 60 * 1_000;

/**
 * Maps a failed SDK call onto what the caller should do. The SDK never throws for HTTP or
 * network failures: it returns `{ error, headers }`, with `statusCode: null` when no response
 * arrived (network error, or our abort signal firing — hence `timedOut`). Neither says whether
 * Resend took the message (the SDK keeps no cause), so only an HTTP answer is `notAccepted`.
 */
export function resendProviderError(
  error: ResendApiError,
  headers: Record<string, string> | null,
  context: { timedOut?: boolean } = {},
): ProviderError {
  const status = error.statusCode ?? undefined;
  const details = { provider: "resend", status, code: error.name };
  const message = `resend: ${error.message}`;

  if (context.timedOut) return new ProviderError("resend: request timed out", "transient", { ...details, code: "timeout" });
  if (status === undefined) return new ProviderError(message, "transient", details);

  // An error answer says Resend did not take the message (another provider may), except a 409:
  // that key's first request may still be in flight, or may already have sent it.
  const refused = { ...details, notAccepted: status !== 409 };
  if (status === 429) {
    // Quotas share the 429 status with the per-second limit but not its time scale.
    if (error.name === "monthly_quota_exceeded") return new ProviderError(message, "permanent", refused);
    const fallback = error.name === "daily_quota_exceeded" ? RESEND_DAILY_QUOTA_RETRY_AFTER_MS : RESEND_DEFAULT_RETRY_AFTER_MS;
    const retryAfterMs = parseRetryAfterMs(headers?.["retry-after"]) ?? fallback;
    return new ProviderError(message, "rate-limited", { ...refused, retryAfterMs });
  }
  // Another request with this key is still in flight: its outcome will be replayed to a later retry.
  if (error.name === "concurrent_idempotent_requests") return new ProviderError(message, "transient", { ...details, notAccepted: false });
  if (status >= 500 || status === 408) return new ProviderError(message, "transient", refused);
  return new ProviderError(message, "permanent", refused);
}
