import { NextResponse } from "next/server";
import { z } from "zod";
import { undoErasure } from "@/app/_lib/erasures";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { erasureView } from "@/lib/lifecycle/erasure-view";

export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Erasure");
  const outcome = await undoErasure(db, { workspaceId: principal.workspaceId, erasureId: params.id, restoredBy: `api_key:${principal.apiKeyId}` });
  if (!outcome.ok) {
    if (outcome.reason === "not_found") return notFound("Erasure");
    return apiError(409, outcome.reason, outcome.reason === "already_restored" ? "This erasure was already undone" : "The recovery window has passed: the erasure can no longer be undone");
  }
  await recordApiAction(db, principal, { action: "erasure.restored", targetType: "erasure", targetId: params.id });
  return NextResponse.json(erasureView(outcome.erasure));
});
