import { NextResponse } from "next/server";
import { startWorkspaceErasure } from "@/app/_lib/erasures";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { erasureView } from "@/lib/lifecycle/erasure-view";

/** Starts the erasure of the caller's workspace: its keys are refused from the next request on. */
export const DELETE = apiRoute(async ({ db, principal }) => {
  const started = await startWorkspaceErasure(db, { workspaceId: principal.workspaceId, requestedBy: `api_key:${principal.apiKeyId}` });
  if (!started) return notFound("Workspace");
  if (started.created) await recordApiAction(db, principal, { action: "workspace.erasure_requested", targetType: "workspace", targetId: principal.workspaceId, details: { erasureId: started.erasure.id } });
  if (!started.queued) return apiError(503, "queue_unavailable", "The erasure is recorded but could not be queued; undo it from the dashboard, or retry");
  return NextResponse.json(erasureView(started.erasure), { status: 202 });
});
