import { getDatabase } from "@/db";
import { recordClick } from "@/db/queries/tracking";
import { isPrefetch } from "@/lib/tracking/is-prefetch";
import { invalidLinkPage, TRACKING_RESPONSE_HEADERS } from "@/lib/tracking/tracking-page";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";
import { logger } from "@/lib/observability/logger";

type Params = { token: string };

function redirectTo(url: string): Response {
  // URL#href percent-encodes what a header cannot carry; it is where a browser would go anyway.
  return new Response(null, { status: 302, headers: { ...TRACKING_RESPONSE_HEADERS, Location: new URL(url).href } });
}

/**
 * A tracked link: 302 to the URL signed into the token, and nowhere else, so a forged or
 * altered token can never turn this into an open redirect. The reader is sent on even when
 * recording fails: a broken link costs more than a missed click.
 */
export async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "c");
  if (!target) return invalidLinkPage();
  if (!isPrefetch(request)) {
    try {
      await recordClick((await getDatabase()).db, { messageId: target.messageId });
    } catch (error) {
      logger.error({ err: error, messageId: target.messageId }, "tracking: recording a click failed");
    }
  }
  return redirectTo(target.url);
}

/** Link checkers send HEAD; they get the same redirect without counting a click. */
export async function HEAD(_request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "c");
  return target ? redirectTo(target.url) : new Response(null, { status: 404, headers: TRACKING_RESPONSE_HEADERS });
}
