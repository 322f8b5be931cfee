import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";
import { pushSubscriptionExpired } from "../push-provider";

/** FCM's v1 error body: a google.rpc.Status with FcmError and BadRequest details. */
export type FcmErrorBody = {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { "@type"?: string; errorCode?: string; fieldViolations?: { field?: string; description?: string }[] }[];
  };
};

/** FCM asks for exponential back-off from at least a minute on QUOTA_EXCEEDED without Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/**
 * What an FCM v1 answer means, after Firebase's documented error codes: UNREGISTERED (the app was
 * uninstalled or the token expired), SENDER_ID_MISMATCH (a token of another project) and an
 * INVALID_ARGUMENT naming `message.token` mean the token will never work, so its subscription is
 * removed; QUOTA_EXCEEDED is a rate limit; UNAVAILABLE and INTERNAL are retried.
 */
export function fcmProviderError(status: number, body: FcmErrorBody | null, retryAfter: string | null): ProviderError {
  const provider = "fcm";
  const error = body?.error;
  const code = error?.details?.find((detail) => detail.errorCode)?.errorCode ?? error?.status;
  const reason = `${code ?? `HTTP ${status}`}${error?.message ? `: ${error.message}` : ""}`;
  const tokenField = error?.details?.some((detail) => detail.fieldViolations?.some((violation) => violation.field === "message.token")) ?? false;
  if (code === "UNREGISTERED" || code === "SENDER_ID_MISMATCH" || (code === "INVALID_ARGUMENT" && tokenField)) {
    return pushSubscriptionExpired(provider, status, reason);
  }
  const details = { provider, status, code, notAccepted: true };
  if (status === 429 || code === "QUOTA_EXCEEDED") {
    return new ProviderError(`fcm: rate limited (${reason})`, "rate-limited", { ...details, retryAfterMs: parseRetryAfterMs(retryAfter) ?? DEFAULT_RETRY_AFTER_MS });
  }
  if (status >= 500 || code === "UNAVAILABLE" || code === "INTERNAL") return new ProviderError(`fcm: ${reason}`, "transient", details);
  return new ProviderError(`fcm: the message was refused (${reason})`, "permanent", details);
}
