import { NextResponse } from "next/server";
import { z } from "zod";
import { countDigestItems, getDigest } from "@/db/queries/digests";
import { inngest } from "@/inngest/client";
import { digestCancelEvent } from "@/inngest/digest-event";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { cancelDigest } from "@/lib/delivery/digest-commands";
import { digestView } from "@/lib/delivery/delivery-views";
import { logger } from "@/lib/observability/logger";

type Params = { id: string };
const isId = (id: string) => z.uuid().safeParse(id).success;

export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Digest");
  const digest = await getDigest(db, { workspaceId: principal.workspaceId, digestId: params.id });
  return digest ? NextResponse.json(digestView(digest, await countDigestItems(db, { digestId: digest.id }))) : notFound("Digest");
});

/** Cancels a pending digest (lib/delivery/digest-commands.ts). */
export const DELETE = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!isId(params.id)) return notFound("Digest");
  const ids = { workspaceId: principal.workspaceId, digestId: params.id };
  const outcome = await cancelDigest(db, ids);
  if (!outcome.ok) return outcome.status === 404 ? notFound("Digest") : apiError(409, "conflict", outcome.message);
  try {
    await inngest.send(digestCancelEvent(ids));
  } catch (error) {
    logger.warn({ err: error, ...ids }, "digests: could not send the cancel event; the run will find the digest cancelled");
  }
  return NextResponse.json(digestView(outcome.digest, await countDigestItems(db, { digestId: outcome.digest.id })));
});
