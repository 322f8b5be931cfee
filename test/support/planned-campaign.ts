import type { Db } from "@/db";
import { snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { type Campaign, getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { audienceCondition } from "@/db/queries/audience-condition";
import type { CampaignSettings } from "@/lib/campaigns/campaign-settings";
import { planCampaignSend } from "@/lib/campaigns/plan-campaign-send";
import { seedCampaignAudience } from "./campaign-audience";

export const OUTBOX_ACCOUNT = "email:outbox";

/**
 * A campaign as send-campaign leaves it: `sending`, its audience snapshotted, credits reserved
 * and chunks cut — ready for deliverChunk. Preflight is not asked, so a test can plan a template
 * that fails at send time (contacts can change between the check and the send).
 */
export async function plannedCampaign(
  db: Db,
  settings: CampaignSettings,
  params: { workspaceId: string; size: number; prefix: string; template?: { subject: string; body: string } },
): Promise<Campaign> {
  const { listId, templateId } = await seedCampaignAudience(db, params);
  const inserted = await insertCampaign(db, {
    workspaceId: params.workspaceId,
    name: params.prefix,
    channel: "email",
    templateId,
    audience: { listId },
    status: "sending",
    providerAccount: OUTBOX_ACCOUNT,
    startedAt: new Date(),
  });
  const audience = await audienceCondition(db, inserted);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(db, { campaignId: inserted.id, audience, pageSize: settings.snapshotPageSize, chunkSize: settings.chunkSize });
  const plan = await planCampaignSend(db, settings, inserted);
  if (!plan.ok) throw new Error(plan.reason);
  return (await getCampaign(db, { workspaceId: params.workspaceId, campaignId: inserted.id }))!;
}
