import { NextResponse } from "next/server";
import { z } from "zod";
import { countSegmentContacts } from "@/db/queries/segments";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

/** Previews a segment's size now; membership is never stored, so this is always current. */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Segment");
  const count = await countSegmentContacts(db, { workspaceId: principal.workspaceId, segmentId: params.id });
  if (count === undefined) return notFound("Segment");
  if (typeof count === "object") return apiError(409, "invalid_segment", `This segment cannot be counted: ${count.invalid}. Save a corrected filter with PATCH.`);
  return NextResponse.json({ segmentId: params.id, count });
});
