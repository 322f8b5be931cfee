import type { Db } from "@/db";
import type { Campaign, CampaignStatus } from "@/db/queries/campaigns";
import { transitionCampaign } from "@/db/queries/campaigns";
import { createEmailProvider } from "@/lib/providers/email/create-email-provider";
import { createSmsProvider } from "@/lib/providers/sms/create-sms-provider";
import { preflightCampaign } from "./preflight-campaign";
import { providerAccount } from "./provider-account";

/**
 * draft|scheduled → sending, in one conditional UPDATE: of two callers (the API's `send` and a
 * schedule coming due, or a double click) exactly one gets the campaign back and emits the
 * send event. Records which provider account the chunks will be throttled on.
 */
export async function startCampaign(
  db: Db,
  campaign: Pick<Campaign, "id" | "workspaceId" | "channel" | "fromAddress">,
  from: readonly CampaignStatus[] = ["draft", "scheduled"],
): Promise<Campaign | undefined> {
  const provider = campaign.channel === "email" ? createEmailProvider(db) : createSmsProvider(db);
  return transitionCampaign(db, {
    workspaceId: campaign.workspaceId,
    campaignId: campaign.id,
    from,
    to: "sending",
    bumpSchedule: true,
    set: {
      providerAccount: providerAccount(campaign.channel, provider.name, process.env, campaign.fromAddress),
      startedAt: new Date(),
      progressAt: new Date(),
      statusReason: null,
    },
  });
}

export type ScheduledStart = { started: true; campaign: Campaign } | { started: false; reason: string };

/**
 * A schedule coming due: preflight again (contacts and the audience may have changed since it
 * was scheduled), then scheduled → sending. A campaign whose template can no longer render goes
 * back to draft with the reason, and nothing is sent.
 */
export async function startScheduledCampaign(db: Db, campaign: Campaign): Promise<ScheduledStart> {
  const preflight = await preflightCampaign(db, campaign);
  if (!preflight.ok) {
    const reason = `Not sent at its scheduled time. ${preflight.message}`;
    const reverted = await transitionCampaign(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, from: ["scheduled"], to: "draft", set: { statusReason: reason } });
    return { started: false, reason: reverted ? reason : "no longer scheduled" };
  }
  const started = await startCampaign(db, campaign, ["scheduled"]);
  return started ? { started: true, campaign: started } : { started: false, reason: "no longer scheduled" };
}
