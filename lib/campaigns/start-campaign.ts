import type { Db } from "@/db";
import type { Campaign, CampaignStatus } from "@/db/queries/campaigns";
import { transitionCampaign } from "@/db/queries/campaigns";
import { createEmailProvider } from "@/lib/providers/email/create-email-provider";
import { createSmsProvider } from "@/lib/providers/sms/create-sms-provider";
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
