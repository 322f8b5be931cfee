import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";

/** Twilio's REST error body. */
export type TwilioApiError = { code?: number; message?: string; more_info?: string; status?: number };

/** Twilio rarely sends Retry-After on 429; one second matches its per-sender pacing. */
export const TWILIO_DEFAULT_RETRY_AFTER_MS = 1_000;
/** "Too Many Requests": Twilio's concurrency limit, sometimes surfaced without a 429 status. */
const TWILIO_RATE_LIMIT_CODE = 20429;

export function twilioProviderError(status: number, body: TwilioApiError | null, retryAfter: string | null): ProviderError {
  const code = body?.code !== undefined ? String(body.code) : undefined;
  const details = { provider: "twilio", status, code };
  const message = `twilio: ${body?.message ?? `HTTP ${status}`}`;
  if (status === 429 || body?.code === TWILIO_RATE_LIMIT_CODE) {
    const retryAfterMs = parseRetryAfterMs(retryAfter) ?? TWILIO_DEFAULT_RETRY_AFTER_MS;
    return new ProviderError(message, "rate-limited", { ...details, retryAfterMs });
  }
  if (status >= 500 || status === 408) return new ProviderError(message, "transient", details);
  return new ProviderError(message, "permanent", details);
}
