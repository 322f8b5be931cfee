import { emitEngagementObserved } from "@/app/_lib/emit-engagement-observed";
import { isPrefetch } from "@/lib/tracking/is-prefetch";
import { observeTrackingRequest } from "@/lib/tracking/observe-tracking-request";
import { openPixelResponse } from "@/lib/tracking/open-pixel-response";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";

type Params = { token: string };

/**
 * The open pixel. Always the GIF: a forged token or an unreachable Inngest server must never
 * show a broken image in someone's inbox. A verified token is classified here (person, Apple's
 * proxy, a scanner, a bot) and reported as one event; the batch writer stores it. Nothing is
 * written to the database on this path, so a flood of loads costs no connections.
 */
export async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const { token } = await context.params;
  const target = verifyTrackingToken(token, "o");
  if (target && !isPrefetch(request)) {
    const observation = observeTrackingRequest(request, { token, messageId: target.messageId, type: "opened", source: "pixel" });
    if (observation) await emitEngagementObserved(observation);
  }
  return openPixelResponse();
}

/** Link checkers send HEAD; it is answered without counting an open. */
export function HEAD(): Response {
  return openPixelResponse("HEAD");
}
