import { envValue } from "@/core/config/env";
import { type WindowLimiter, windowLimiter } from "@/core/limits/window-limiter";
import { apiError } from "@/lib/api/responses";
import { clientAddress } from "@/lib/http/client-address";
import { metrics } from "@/lib/observability/metrics";

/** Distinct client addresses remembered at once (about 100 bytes each): a bounded few megabytes. */
export const WEBHOOK_LIMIT_MAX_CLIENTS = 10_000;
/** The one key requests without a proxy-reported address share, so a limit still holds for them. */
const ANONYMOUS_CLIENT = "unknown";

let limiter: { perSecond: number; limiter: WindowLimiter } | null = null;

/**
 * Bounds a webhook flood per client address before anything is read or verified: past
 * WEBHOOK_REQUESTS_PER_SECOND_PER_IP in a second the request is answered 429 with Retry-After
 * (providers redeliver on 429). In-process: each app instance keeps its own count. Null when
 * the request may go on.
 */
export function limitWebhookRequest(request: Request, provider: string, nowMs = Date.now()): Response | null {
  const perSecond = envValue("WEBHOOK_REQUESTS_PER_SECOND_PER_IP");
  if (limiter?.perSecond !== perSecond) limiter = { perSecond, limiter: windowLimiter({ limit: perSecond, windowMs: 1_000, maxKeys: WEBHOOK_LIMIT_MAX_CLIENTS }) };
  const taken = limiter.limiter.take(clientAddress(request) ?? ANONYMOUS_CLIENT, nowMs);
  if (taken.allowed) return null;
  metrics().webhookEvents.inc({ provider, outcome: "rate_limited" });
  const response = apiError(429, "rate_limited", `Too many webhook requests from this address; retry after ${taken.retryAfterSeconds} s`);
  response.headers.set("Retry-After", String(taken.retryAfterSeconds));
  return response;
}
