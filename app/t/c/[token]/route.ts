import { emitEngagementObserved } from "@/app/_lib/emit-engagement-observed";
import { isPrefetch } from "@/lib/tracking/is-prefetch";
import { observeTrackingRequest } from "@/lib/tracking/observe-tracking-request";
import { invalidLinkPage, TRACKING_RESPONSE_HEADERS } from "@/lib/tracking/tracking-page";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";

type Params = { token: string };

function redirectTo(url: string): Response {
  // URL#href percent-encodes what a header cannot carry; it is where a browser would go anyway.
  return new Response(null, { status: 302, headers: { ...TRACKING_RESPONSE_HEADERS, Location: new URL(url).href } });
}

/**
 * A tracked link: 302 to the URL signed into the token, and nowhere else, so a forged or
 * altered token can never turn this into an open redirect. The click is classified here and
 * reported as one event for the batch writer; the reader is sent on even when that fails (a
 * broken link costs more than a missed click) or the flood limit drops it.
 */
export async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const { token } = await context.params;
  const target = verifyTrackingToken(token, "c");
  if (!target) return invalidLinkPage();
  if (!isPrefetch(request)) {
    const observation = observeTrackingRequest(request, { token, messageId: target.messageId, type: "clicked", source: "redirect", url: target.url });
    if (observation) await emitEngagementObserved(observation);
  }
  return redirectTo(target.url);
}

/** Link checkers send HEAD; they get the same redirect without counting a click. */
export async function HEAD(_request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "c");
  return target ? redirectTo(target.url) : new Response(null, { status: 404, headers: TRACKING_RESPONSE_HEADERS });
}
