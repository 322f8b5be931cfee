import { NextResponse } from "next/server";
import { z } from "zod";
import { getErasure } from "@/db/queries/erasures";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { erasureView } from "@/lib/lifecycle/erasure-view";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Erasure");
  const erasure = await getErasure(db, { workspaceId: principal.workspaceId, erasureId: params.id });
  return erasure ? NextResponse.json(erasureView(erasure)) : notFound("Erasure");
});
