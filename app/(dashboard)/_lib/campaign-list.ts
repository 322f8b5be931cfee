import type { Db } from "@/db";
import { archivesOfCampaigns } from "@/db/queries/campaign-archives";
import { type CampaignProgress, campaignProgress } from "@/db/queries/campaign-recipients";
import type { Campaign } from "@/db/queries/campaigns";
import { getList } from "@/db/queries/lists";
import { getSegment } from "@/db/queries/segments";
import type { CampaignAudience } from "@/db/schema";

export type CampaignListRow = { campaign: Campaign; progress: CampaignProgress; audienceName: string | null; archiveStatus: string | null };

/** The list or segment id a campaign's audience names. */
export function audienceId(audience: CampaignAudience): string {
  return "listId" in audience ? audience.listId : audience.segmentId;
}

/**
 * Names of the lists and segments these campaigns go to, by id, looked up once per distinct
 * audience (a page of campaigns mostly shares a few). A deleted one is simply absent.
 */
export async function campaignAudienceNames(db: Db, workspaceId: string, audiences: readonly CampaignAudience[]): Promise<Map<string, string>> {
  const distinct = new Map(audiences.map((audience) => [audienceId(audience), audience]));
  const named = await Promise.all(
    [...distinct.values()].map(async (audience) => {
      const row = "listId" in audience ? await getList(db, { workspaceId, listId: audience.listId }) : await getSegment(db, { workspaceId, segmentId: audience.segmentId });
      return row ? ([audienceId(audience), row.name] as const) : null;
    }),
  );
  return new Map(named.filter((entry) => entry !== null));
}

/**
 * A page of campaigns with their counters and audience names. The counters are counted from
 * the recipients, as the API's detail view counts them, so list and detail always agree.
 */
export async function campaignListRows(db: Db, workspaceId: string, campaigns: readonly Campaign[]): Promise<CampaignListRow[]> {
  const [progress, names, archives] = await Promise.all([
    Promise.all(campaigns.map((campaign) => campaignProgress(db, { campaignId: campaign.id }))),
    campaignAudienceNames(
      db,
      workspaceId,
      campaigns.map((campaign) => campaign.audience),
    ),
    archivesOfCampaigns(db, { workspaceId, campaignIds: campaigns.map((campaign) => campaign.id) }),
  ]);
  const archiveStatus = new Map(archives.map((archive) => [archive.campaignId, archive.status]));
  return campaigns.map((campaign, index) => ({
    campaign,
    progress: progress[index]!,
    audienceName: names.get(audienceId(campaign.audience)) ?? null,
    archiveStatus: archiveStatus.get(campaign.id) ?? null,
  }));
}
