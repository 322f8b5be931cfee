import { getDatabase } from "@/db";
import { recordOpen } from "@/db/queries/tracking";
import { isPrefetch } from "@/lib/tracking/is-prefetch";
import { openPixelResponse } from "@/lib/tracking/open-pixel-response";
import { verifyTrackingToken } from "@/lib/tracking/tracking-token";
import { logger } from "@/lib/observability/logger";

type Params = { token: string };

/**
 * The open pixel. Always the GIF: a forged token or a database hiccup must never show a
 * broken image in someone's inbox. Only a verified token is recorded.
 */
export async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
  const target = verifyTrackingToken((await context.params).token, "o");
  if (target && !isPrefetch(request)) {
    try {
      await recordOpen((await getDatabase()).db, { messageId: target.messageId });
    } catch (error) {
      logger.error({ err: error, messageId: target.messageId }, "tracking: recording an open failed");
    }
  }
  return openPixelResponse();
}

/** Link checkers send HEAD; it is answered without counting an open. */
export function HEAD(): Response {
  return openPixelResponse("HEAD");
}
