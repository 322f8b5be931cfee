import { NextResponse } from "next/server";
import { z } from "zod";
import { countSegmentContacts } from "@/db/queries/segments";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

/** Previews a segment's size now; membership is never stored, so this is always current. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Segment");
  const count = await countSegmentContacts(db, { workspaceId: principal.workspaceId, segmentId: params.id });
  return count === undefined ? notFound("Segment") : NextResponse.json({ segmentId: params.id, count });
});
