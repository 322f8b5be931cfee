import { NextResponse } from "next/server";
import { inngest } from "@/inngest/client";
import { channelPlanRequested } from "@/inngest/events";
import { channelPlansApi } from "@/lib/api/contracts/delivery";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { channelPlanView } from "@/lib/delivery/delivery-views";
import { requestChannelPlan } from "@/lib/delivery/request-channel-plan";
import { logger } from "@/lib/observability/logger";

export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, channelPlansApi.create.body);
  if (!body.ok) return body.response;
  const outcome = await requestChannelPlan(db, principal.workspaceId, body.data);
  if (!outcome.ok) {
    return outcome.status === 404
      ? apiError(404, "not_found", outcome.message)
      : apiError(400, "invalid_request", "The request has invalid fields", { [outcome.field]: [outcome.message] });
  }
  const { plan } = outcome;
  // Sent on every request: a lost first send is made up by the retry, and the id keeps it one run.
  try {
    await inngest.send(channelPlanRequested.create({ workspaceId: plan.workspaceId, planId: plan.id }, { id: `channel-plan-${plan.id}` }));
  } catch (error) {
    logger.error({ err: error, workspaceId: plan.workspaceId, planId: plan.id }, "channel plans: could not send the event");
    return apiError(503, "queue_unavailable", "The plan is recorded but could not be queued; retry the same request");
  }
  return NextResponse.json(channelPlanView(plan), { status: 202 });
});
