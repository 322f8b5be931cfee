import type { Db } from "@/db";
import { cutChunksByZone, listRecipientTimezones } from "@/db/queries/campaign-recipients";
import type { Campaign } from "@/db/queries/campaigns";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { localSendInstant, recipientZone } from "@/core/campaigns/local-send-time";

/**
 * For a local-time campaign, after the snapshot: every recipient's zone (its contact's, else the
 * workspace's delivery-settings zone), each zone's instant (the local send time on `sendAt`'s local
 * date there, or the next day), and the chunks cut zone by zone with those instants
 * (cutChunksByZone). `now` is the app's clock, used when the campaign was started without a
 * `sendAt`. Repeatable: once the chunks exist it changes nothing.
 */
export async function cutCampaignChunksByZone(
  db: Db,
  campaign: Pick<Campaign, "id" | "workspaceId" | "sendAt" | "startedAt" | "localSendTime">,
  chunkSize: number,
  now: Date = new Date(),
): Promise<number> {
  if (!campaign.localSendTime) throw new Error("not a local-time campaign");
  const { timezone: defaultZone } = await getDeliverySettings(db, { workspaceId: campaign.workspaceId });
  const zoneOf: Record<string, string> = {};
  for (const raw of await listRecipientTimezones(db, { campaignId: campaign.id })) if (raw !== null) zoneOf[raw] = recipientZone(raw, defaultZone);
  const base = campaign.sendAt ?? campaign.startedAt ?? now;
  const releaseAt: Record<string, string> = {};
  for (const zone of new Set([defaultZone, ...Object.values(zoneOf)])) releaseAt[zone] = localSendInstant(base, campaign.localSendTime, zone).toISOString();
  return cutChunksByZone(db, { campaignId: campaign.id, chunkSize, zoneOf, defaultZone, releaseAt });
}
