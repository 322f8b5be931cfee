import { NextResponse } from "next/server";
import { listRecommendations } from "@/db/queries/ai-recommendations";
import { page } from "@/core/pagination/cursor";
import { inngest } from "@/inngest/client";
import { recommendationRequestedEvent } from "@/inngest/recommendation-event";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { requestRecommendation } from "@/lib/ai/request-recommendation";
import { recommendationView } from "@/lib/ai/recommendation-view";
import { recommendationsApi } from "@/lib/api/contracts/recommendations";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, recommendationsApi.create.body);
  if (!body.ok) return body.response;
  const requested = await requestRecommendation(db, principal.workspaceId, body.data, createRecommendationModel());
  if (!requested.ok) return requested.status === 404 ? notFound(requested.what) : apiError(409, "conflict", requested.message);
  if (requested.cached) return NextResponse.json(recommendationView(requested.recommendation), { status: 200 });
  const ids = { workspaceId: principal.workspaceId, recommendationId: requested.recommendation.id };
  try {
    await inngest.send(recommendationRequestedEvent(ids));
  } catch (error) {
    logger.error({ err: error, ...ids }, "recommendations: could not send the request event");
    return apiError(503, "queue_unavailable", "The recommendation could not be queued; retry");
  }
  return NextResponse.json(recommendationView(requested.recommendation), { status: 202 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, recommendationsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listRecommendations(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor, kind: query.data.kind, targetId: query.data.targetId });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(recommendationView), nextCursor });
});
