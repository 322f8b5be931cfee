import { NextResponse } from "next/server";
import { z } from "zod";
import { getCampaign } from "@/db/queries/campaigns";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, notFound } from "@/lib/api/responses";
import { apiRoute, readJson } from "@/lib/api/route";
import { ACTION_FROM, applyCampaignAction, CAMPAIGN_ACTIONS, type CampaignAction } from "@/lib/campaigns/campaign-actions";
import { campaignsApi } from "@/lib/api/contracts/campaigns";
import { campaignDetailView } from "@/lib/campaigns/campaign-view";
import { preflightFields } from "@/lib/campaigns/preflight-campaign";
import { sendCampaignEvents } from "@/app/_lib/send-campaign-events";

type Params = { id: string; action: string };

/**
 * POST /api/v1/campaigns/:id/{schedule|send|pause|resume|cancel}; `schedule` takes `{sendAt}`.
 * 409 `invalid_state` from the wrong state; 409 `preflight_failed` (naming the variable and
 * where) when `send` or `schedule` finds the template cannot render for the audience.
 */
export const POST = apiRoute<Params>(async ({ db, principal, params, request }) => {
  if (!(CAMPAIGN_ACTIONS as readonly string[]).includes(params.action) || !z.uuid().safeParse(params.id).success) return notFound("Campaign action");
  const action = params.action as CampaignAction;
  let sendAt: Date | undefined;
  let localSendTime: string | null | undefined;
  if (action === "schedule") {
    const body = await readJson(request, campaignsApi.schedule.body);
    if (!body.ok) return body.response;
    ({ sendAt, localSendTime } = body.data);
  }
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  if (campaign.abTest && localSendTime) return apiError(400, "invalid_request", "The request has invalid fields", { localSendTime: ["cannot be combined with an A/B test"] });
  const outcome = await applyCampaignAction(db, campaign, action, { sendAt, localSendTime });
  if (!outcome.ok && outcome.refused === "preflight") {
    return apiError(409, "preflight_failed", outcome.preflight.message, preflightFields(outcome.preflight.problems));
  }
  if (!outcome.ok) {
    return apiError(409, "invalid_state", `Cannot ${action} a campaign that is ${outcome.status}; ${action} applies to ${ACTION_FROM[action].join(", ")} campaigns`);
  }
  await recordApiAction(db, principal, { action: `campaign.${action}`, targetType: "campaign", targetId: campaign.id, details: sendAt ? { sendAt: sendAt.toISOString(), ...(localSendTime !== undefined ? { localSendTime } : {}) } : {} });
  const failed = await sendCampaignEvents(outcome.events);
  if (failed) return failed;
  return NextResponse.json(await campaignDetailView(db, outcome.campaign), { status: action === "send" ? 202 : 200 });
});
