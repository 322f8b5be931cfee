import type { Db } from "@/db";
import { campaignProgress, campaignZoneSchedule } from "@/db/queries/campaign-recipients";
import type { Campaign } from "@/db/queries/campaigns";
import { campaignEngagement } from "@/db/queries/campaign-stats";
import { getCampaignArchive } from "@/db/queries/campaign-archives";
import { campaignArchiveState } from "@/lib/archives/archive-view";
import { abTestView } from "./ab-test-view";

/** A campaign as the API shows it in lists. */
export function campaignView(campaign: Campaign) {
  return {
    id: campaign.id,
    name: campaign.name,
    channel: campaign.channel,
    templateId: campaign.templateId,
    audience: campaign.audience,
    category: campaign.category,
    from: campaign.fromAddress,
    replyTo: campaign.replyTo,
    sendAt: campaign.sendAt?.toISOString() ?? null,
    localSendTime: campaign.localSendTime,
    status: campaign.status,
    statusReason: campaign.statusReason,
    audienceCount: campaign.audienceCount,
    startedAt: campaign.startedAt?.toISOString() ?? null,
    finishedAt: campaign.finishedAt?.toISOString() ?? null,
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

/** One campaign with its live counters: progress through the audience (its recipients) and engagement (the rollups the analytics read). */
export async function campaignDetailView(db: Db, campaign: Campaign) {
  const [progress, engagement, archive, zones, abTest] = await Promise.all([
    campaignProgress(db, { campaignId: campaign.id }),
    campaignEngagement(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id }),
    getCampaignArchive(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id }),
    campaign.localSendTime ? campaignZoneSchedule(db, { campaignId: campaign.id }) : [],
    abTestView(db, campaign),
  ]);
  const settled = progress.sent + progress.suppressed + progress.failed;
  return {
    ...campaignView(campaign),
    stats: {
      audience: progress.audience,
      sent: progress.sent,
      suppressed: progress.suppressed,
      failed: progress.failed,
      pending: progress.pending,
      ...engagement,
    },
    progress: {
      chunks: progress.chunks,
      chunksDone: progress.chunksDone,
      percent: progress.audience === 0 ? (campaign.status === "sent" ? 100 : 0) : Math.floor((settled * 100) / progress.audience),
    },
    archive: campaignArchiveState(archive),
    zones: zones.map((zone) => ({ ...zone, releaseAt: zone.releaseAt.toISOString() })),
    abTest,
  };
}
