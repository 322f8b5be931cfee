import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import type { Campaign } from "@/db/queries/campaigns";
import { insertMessage } from "@/db/queries/messages";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { plannedCampaign } from "./planned-campaign";

/** A started campaign with one sent message per recipient, its engagement recorded through the one writer. */
export async function engagedCampaign(db: Db, params: { workspaceId: string; prefix: string; size?: number }): Promise<{ campaign: Campaign; messageIds: string[] }> {
  const size = params.size ?? 3;
  const campaign = await plannedCampaign(db, campaignSettings(), { workspaceId: params.workspaceId, size, prefix: params.prefix });
  const messageIds: string[] = [];
  for (let index = 0; index < size; index++) {
    const { row } = await insertMessage(db, {
      workspaceId: params.workspaceId,
      idempotencyKey: randomUUID(),
      kind: "campaign",
      campaignId: campaign.id,
      channel: "email",
      recipient: `${params.prefix}${index + 1}@example.com`,
      status: "sent",
      sentAt: new Date("2026-12-01T10:00:00Z"),
    });
    messageIds.push(row.id);
  }
  await recordEngagement(
    db,
    messageIds.map((messageId) => ({ messageId, type: "sent", source: "send", occurredAt: new Date("2026-12-01T10:00:00Z"), dedupeKey: randomUUID() })),
  );
  await engage(db, messageIds[0]!, "opened");
  return { campaign, messageIds };
}

export async function engage(db: Db, messageId: string, type: EngagementFact["type"], extra: Partial<EngagementFact> = {}): Promise<void> {
  await recordEngagement(db, [
    { messageId, type, source: type === "clicked" ? "redirect" : "pixel", occurredAt: new Date("2026-12-01T11:00:00Z"), dedupeKey: randomUUID(), ...extra },
  ]);
}
