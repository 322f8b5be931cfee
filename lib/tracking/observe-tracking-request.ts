import { randomUUID } from "node:crypto";
import { classifyEngagement } from "@/core/analytics/classify-engagement";
import type { MachineReason } from "@/core/analytics/engagement";
import { windowLimit } from "@/core/memo/window-limit";
import { metrics } from "@/lib/observability/metrics";
import { clientAddress } from "@/lib/http/client-address";

/**
 * Flood bounds for the public tracking routes, per process. An address is generous because
 * Gmail's and Yahoo's image proxies and office NATs carry many readers; a token names one
 * message's pixel or one link, which a person loads a few times at most.
 */
export const TRACKING_LIMIT_PER_IP_PER_MINUTE = 600;
export const TRACKING_LIMIT_PER_TOKEN_PER_MINUTE = 20;
/** Keys remembered per window and limit: about a megabyte at most, whatever the traffic. */
export const TRACKING_LIMIT_MAX_KEYS = 10_000;

const perAddress = windowLimit({ limit: TRACKING_LIMIT_PER_IP_PER_MINUTE, windowMs: 60_000, maxKeys: TRACKING_LIMIT_MAX_KEYS });
const perToken = windowLimit({ limit: TRACKING_LIMIT_PER_TOKEN_PER_MINUTE, windowMs: 60_000, maxKeys: TRACKING_LIMIT_MAX_KEYS });

/** What a tracking route reports (the data of `engagement/event.observed`). The address is not part of it. */
export type TrackingObservation = {
  observationId: string;
  messageId: string;
  type: "opened" | "clicked";
  source: "pixel" | "redirect";
  occurredAt: string;
  url: string | null;
  machine: MachineReason | null;
  client: string | null;
  device: string | null;
  os: string | null;
};

/**
 * Classifies a verified pixel load or link follow (user agent and address), or returns null when
 * its address or token is over the flood limit: the route still answers as usual, and the drop is
 * counted (sendline_tracking_dropped_total) rather than logged, so a flood cannot flood the logs.
 */
export function observeTrackingRequest(
  request: Request,
  params: { token: string; messageId: string; type: "opened" | "clicked"; source: "pixel" | "redirect"; url?: string; now?: Date },
): TrackingObservation | null {
  const now = params.now ?? new Date();
  const ip = clientAddress(request);
  // Both limits see every request, so a token over its limit still uses up its address's.
  const addressAllowed = ip === null || perAddress(ip, now.getTime());
  const tokenAllowed = perToken(params.token, now.getTime());
  if (!addressAllowed || !tokenAllowed) {
    metrics().trackingDropped.inc({ source: params.source, limit: addressAllowed ? "token" : "ip" });
    return null;
  }
  return {
    observationId: randomUUID(),
    messageId: params.messageId,
    type: params.type,
    source: params.source,
    occurredAt: now.toISOString(),
    url: params.url ?? null,
    ...classifyEngagement({ userAgent: request.headers.get("user-agent"), ip }),
  };
}
