import { NextResponse } from "next/server";
import { insertCampaign, listCampaigns } from "@/db/queries/campaigns";
import { page } from "@/core/pagination/cursor";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError } from "@/lib/api/responses";
import { apiRoute, readJson, readQuery } from "@/lib/api/route";
import { applyCampaignAction } from "@/lib/campaigns/campaign-actions";
import { campaignReferenceErrors } from "@/lib/campaigns/campaign-reference-errors";
import { campaignsApi } from "@/lib/api/contracts/campaigns";
import { campaignDetailView, campaignView } from "@/lib/campaigns/campaign-view";
import { preflightCampaign, preflightFields } from "@/lib/campaigns/preflight-campaign";
import { sendCampaignEvents } from "@/app/_lib/send-campaign-events";
import { abVariantLabel } from "@/core/ab-tests/ab-test";

/**
 * Creates a draft campaign; with `sendAt` it is scheduled at once. A template that cannot render
 * for the audience (preflightCampaign) is a 400 naming the variable and where, before anything is saved.
 */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const body = await readJson(request, campaignsApi.create.body);
  if (!body.ok) return body.response;
  const { workspaceId } = principal;
  const fields = await campaignReferenceErrors(db, workspaceId, body.data);
  if (fields) return apiError(400, "invalid_request", "The request has invalid fields", fields);
  const preflight = await preflightCampaign(db, { workspaceId, ...body.data });
  if (!preflight.ok) return apiError(400, "invalid_request", preflight.message, preflightFields(preflight.problems));
  // An A/B variant's own template is checked the same way, under its field.
  for (const [index, variant] of (body.data.abTest?.variants ?? []).entries()) {
    if (!variant.templateId) continue;
    const checked = await preflightCampaign(db, { workspaceId, ...body.data, templateId: variant.templateId });
    if (!checked.ok) {
      const field = `abTest.variants.${index}.templateId`;
      return apiError(400, "invalid_request", `Variant ${abVariantLabel(index)}: ${checked.message}`, { [field]: checked.problems.map((problem) => problem.message) });
    }
  }
  const { name, channel, templateId, audience, from, replyTo, sendAt, category, localSendTime, abTest } = body.data;
  let campaign = await insertCampaign(db, {
    workspaceId,
    name,
    channel,
    templateId,
    audience,
    category: category ?? null,
    fromAddress: from ?? null,
    replyTo: replyTo ?? null,
    localSendTime: localSendTime ?? null,
    abTest: abTest ?? null,
  });
  await recordApiAction(db, principal, { action: "campaign.created", targetType: "campaign", targetId: campaign.id });
  if (sendAt) {
    const outcome = await applyCampaignAction(db, campaign, "schedule", { sendAt });
    if (outcome.ok) {
      campaign = outcome.campaign;
      const failed = await sendCampaignEvents(outcome.events);
      if (failed) return failed;
    }
  }
  return NextResponse.json(await campaignDetailView(db, campaign), { status: 201 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, campaignsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listCampaigns(db, { workspaceId: principal.workspaceId, status: query.data.status, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(campaignView), nextCursor });
});
