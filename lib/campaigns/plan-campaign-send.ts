import type { Db } from "@/db";
import {
  campaignProgress,
  campaignZoneSchedule,
  createCampaignChunks,
  discardAudienceSnapshot,
  listPendingChunks,
  listUnemittedChunks,
  markChunksEmitted,
} from "@/db/queries/campaign-recipients";
import { type Campaign, getCampaign, recordCampaignPlan, transitionCampaign } from "@/db/queries/campaigns";
import { reserveCredits } from "@/db/queries/credits";
import type { CampaignEvent } from "./campaign-event";
import type { CampaignSettings } from "./campaign-settings";
import { cutCampaignChunksByZone } from "./cut-chunks-by-zone";
import { cutAbTestChunks } from "./cut-ab-test-chunks";

/** A release of chunks due later than now (a local-time zone, an A/B send-time variant): one run each (release-campaign-chunks). */
export type ChunkRelease = Extract<CampaignEvent, { kind: "release-scheduled" }>;

/** An A/B campaign's winner, due at the end of its window (pick-campaign-ab-winner). */
export type AbWinnerDue = Extract<CampaignEvent, { kind: "ab-winner-due" }>;

export type SendPlan =
  | { ok: true; chunks: number[]; audience: number; laterReleases: ChunkRelease[]; abWinnerDue: AbWinnerDue | null }
  | { ok: false; reason: string };

/**
 * After the snapshot: reserve one credit per recipient, cut the chunks and mark them emitted
 * (the caller emits them next; the watchdog re-emits any that never ran). Without enough
 * credits the campaign goes back to draft with the reason, its snapshot discarded, so it can be
 * sent again once the workspace has credits. Repeatable: a second call finds the reservation
 * and chunks already made and returns the chunks still pending.
 *
 * A local-time campaign's chunks are cut zone by zone, each with its zone's instant: only those
 * already due are returned (and marked emitted); the zones still ahead come back as
 * `laterReleases`, for one release run each. An A/B campaign's chunks are cut into the test sample
 * (due now; a send-time test's later variants come back as `laterReleases` too) and the rest
 * (held until the window ends, when `abWinnerDue` picks the winner and releases them). `now` is the app's clock.
 */
export async function planCampaignSend(db: Db, settings: CampaignSettings, campaign: Campaign, now: Date = new Date()): Promise<SendPlan> {
  const { audience } = await campaignProgress(db, { campaignId: campaign.id });
  const expiresAt = new Date(Date.now() + settings.creditReservationHours * 3_600_000);
  const reservation = await reserveCredits(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, amount: audience, expiresAt });
  if (!reservation.ok) {
    const reason = `Not enough credits: the audience is ${audience.toLocaleString("en-US")} recipients and the balance is ${reservation.balance.toLocaleString("en-US")}.`;
    await db.transaction(async (tx) => {
      const reverted = await transitionCampaign(tx, {
        workspaceId: campaign.workspaceId,
        campaignId: campaign.id,
        from: ["sending"],
        to: "draft",
        set: { statusReason: reason, startedAt: null, audienceCount: null, chunkCount: null },
      });
      if (reverted) await discardAudienceSnapshot(tx, { campaignId: campaign.id });
    });
    return { ok: false, reason };
  }
  if (campaign.localSendTime) await cutCampaignChunksByZone(db, campaign, settings.chunkSize, now);
  const abCut = campaign.abTest ? await cutAbTestChunks(db, campaign, { audience, chunkSize: settings.chunkSize, now }) : null;
  const chunkCount = await createCampaignChunks(db, { campaignId: campaign.id });
  await recordCampaignPlan(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, audienceCount: audience, chunkCount });
  const pending = await listPendingChunks(db, { campaignId: campaign.id, releasedBy: now });
  await markChunksEmitted(db, { campaignId: campaign.id, chunks: await listUnemittedChunks(db, { campaignId: campaign.id, releasedBy: now }), at: now });
  const laterReleases = campaign.localSendTime
    ? (await campaignZoneSchedule(db, { campaignId: campaign.id }))
        .filter((zone) => zone.releaseAt.getTime() > now.getTime())
        .map((zone): ChunkRelease => ({
          kind: "release-scheduled",
          // One per zone and start: a campaign sent again after going back to draft releases anew.
          id: `campaign-zone-${campaign.id}-${campaign.startedAt?.getTime() ?? 0}-${zone.zone}`,
          data: { workspaceId: campaign.workspaceId, campaignId: campaign.id, zone: zone.zone, releaseAt: zone.releaseAt.toISOString() },
        }))
    : (abCut?.releases ?? []).filter((release) => Date.parse(release.data.releaseAt) > now.getTime());
  return { ok: true, chunks: pending, audience, laterReleases, abWinnerDue: abCut?.winnerDue ?? null };
}

/** The campaign if it is sending (its own run may continue), else undefined. */
export async function sendingCampaign(db: Db, ids: { workspaceId: string; campaignId: string }): Promise<Campaign | undefined> {
  const campaign = await getCampaign(db, ids);
  return campaign?.status === "sending" ? campaign : undefined;
}
