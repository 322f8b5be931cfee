import { NextResponse } from "next/server";
import { z } from "zod";
import { resendRecoveryEmail } from "@/app/_lib/erasures";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { erasureView } from "@/lib/lifecycle/erasure-view";

export const POST = apiRoute<{ id: string }>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Erasure");
  const outcome = await resendRecoveryEmail(db, { workspaceId: principal.workspaceId, erasureId: params.id });
  if (!outcome.ok) {
    return outcome.reason === "not_found" ? notFound("Erasure") : apiError(409, "conflict", "Only a contact's erasure inside its recovery window has a recovery email");
  }
  if (!outcome.queued) return apiError(503, "queue_unavailable", "The recovery email could not be queued; retry");
  return NextResponse.json(erasureView(outcome.erasure), { status: 202 });
});
