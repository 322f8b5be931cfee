import { NextResponse } from "next/server";
import { z } from "zod";
import { getRecommendation } from "@/db/queries/ai-recommendations";
import { recommendationView } from "@/lib/ai/recommendation-view";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Recommendation");
  const row = await getRecommendation(db, { workspaceId: principal.workspaceId, recommendationId: params.id });
  return row ? NextResponse.json(recommendationView(row)) : notFound("Recommendation");
});
