import { NextResponse } from "next/server";
import { z } from "zod";
import { listCampaignFailures } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { getCampaignArchive } from "@/db/queries/campaign-archives";
import { ARCHIVED_ROWS_NOTE, rowsInArchive } from "@/lib/archives/archive-view";
import { encodeIdCursor } from "@/core/pagination/cursor";
import { notFound } from "@/lib/api/responses";
import { apiRoute, readQuery } from "@/lib/api/route";
import { campaignsApi } from "@/lib/api/contracts/campaigns";

/** A campaign's failed recipients with the error each got, in pages (`?limit=&cursor=`). */
export const GET = apiRoute<{ id: string }>(async ({ db, principal, params, request }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Campaign");
  const query = readQuery(request, campaignsApi.failures.query);
  if (!query.ok) return query.response;
  const campaign = await getCampaign(db, { workspaceId: principal.workspaceId, campaignId: params.id });
  if (!campaign) return notFound("Campaign");
  const { limit, cursor } = query.data;
  const archive = await getCampaignArchive(db, { workspaceId: principal.workspaceId, campaignId: campaign.id });
  const rows = await listCampaignFailures(db, { workspaceId: principal.workspaceId, campaignId: campaign.id, channel: campaign.channel, afterContactId: cursor, limit: limit + 1 });
  const items = rows.slice(0, limit);
  return NextResponse.json({
    data: items.map((row) => ({ ...row, failedAt: row.failedAt?.toISOString() ?? null })),
    nextCursor: rows.length > limit ? encodeIdCursor(items.at(-1)!.contactId) : null,
    archived: rowsInArchive(archive) ? ARCHIVED_ROWS_NOTE : null,
  });
});
