import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";

/** The Graph API's error body: `{ error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id } }`. */
export type GraphApiError = {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; error_data?: { details?: string }; fbtrace_id?: string };
};

/** Meta sends no Retry-After; its throughput limits refill per second, its pair limit within a minute. */
export const GRAPH_DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Codes that mean "slow down", whatever the HTTP status: 4 (app call limit), 80007 (WABA rate
 * limit), 130429 (the number's throughput), 131048 (spam rate limit), 131056 (too many messages
 * to one user).
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
/** Meta's own outages and "try again" answers: 1 and 2 (service), 131000 (something went wrong), 131016 (service unavailable). */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

/**
 * One Graph error as a ProviderError whose message is Meta's reason, the code included: template
 * errors (132000 wrong parameter count, 132001 unknown template or translation, 132012 a
 * parameter in the wrong format, 132015/132016 paused or disabled), 131047 (more than 24 hours
 * since the customer's last message), 131026 (undeliverable) and every other 4xx are permanent,
 * since sending the same request again gets the same answer.
 */
export function graphProviderError(status: number, body: GraphApiError | null, retryAfter: string | null = null): ProviderError {
  const error = body?.error;
  const code = error?.code;
  const reason = [error?.message ?? `HTTP ${status}`, error?.error_data?.details].filter(Boolean).join(": ");
  const message = `whatsapp: ${reason}${code !== undefined ? ` (code ${code})` : ""}`;
  const details = { provider: "meta", status, code: code !== undefined ? String(code) : undefined, notAccepted: true };
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return new ProviderError(message, "rate-limited", { ...details, retryAfterMs: parseRetryAfterMs(retryAfter) ?? GRAPH_DEFAULT_RETRY_AFTER_MS });
  }
  if (status >= 500 || status === 408 || (code !== undefined && TRANSIENT_CODES.has(code))) return new ProviderError(message, "transient", details);
  return new ProviderError(message, "permanent", details);
}
