import { NextResponse } from "next/server";
import { z } from "zod";
import { countDigestItems } from "@/db/queries/digests";
import { inngest } from "@/inngest/client";
import { digestFlushEvents } from "@/inngest/digest-event";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { flushDigestNow } from "@/lib/delivery/digest-commands";
import { digestView } from "@/lib/delivery/delivery-views";
import { logger } from "@/lib/observability/logger";

/** Sends a pending digest now (lib/delivery/digest-commands.ts, inngest/digest-event.ts). */
export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Digest");
  const ids = { workspaceId: principal.workspaceId, digestId: params.id };
  const outcome = await flushDigestNow(db, ids);
  if (!outcome.ok) return outcome.status === 404 ? notFound("Digest") : apiError(409, "conflict", outcome.message);
  try {
    await inngest.send(digestFlushEvents(ids));
  } catch (error) {
    logger.error({ err: error, ...ids }, "digests: could not send the flush event");
    return apiError(503, "queue_unavailable", "The digest could not be flushed now; retry");
  }
  return NextResponse.json(digestView(outcome.digest, await countDigestItems(db, { digestId: outcome.digest.id })), { status: 202 });
});
