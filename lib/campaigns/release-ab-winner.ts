import type { Db } from "@/db";
import { moveHeldChunks } from "@/db/queries/campaign-ab-tests";
import { getCampaign, touchCampaignProgress } from "@/db/queries/campaigns";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { abRestSendAt, abSendDelayMs, abVariantSendAt } from "@/core/campaigns/ab-test";
import { type CampaignEvent, chunkReleaseEvent } from "./campaign-event";
import { pendingChunkEvents } from "./pending-chunk-events";
import { settleAbWinner } from "./settle-ab-winner";

export type AbRelease =
  /** `restAt`: when the rest of a send-time test's audience goes (null: as soon as released). */
  | { ok: true; winner: number; recordedNow: boolean; events: CampaignEvent[]; restAt: Date | null }
  | { ok: false; reason: "not found" | "no test" | "not started" | "already decided" | "stopped" | "variants still to send" };

/**
 * Settles an A/B campaign's winner (settleAbWinner: recorded once) and returns the events for the
 * rest of the audience: the held chunks never emitted yet and released by now. When the window
 * ended, release_at has passed; a manual pick (`decidedBy` "manual") first releases the held
 * chunks now. In a send-time test the rest go at the winner's time of day instead (abRestSendAt,
 * in the workspace's zone, from the recorded decision — so a repeat moves them to the same
 * instant), and the events hold the release run for that instant. A paused campaign gets its
 * winner but emits no chunk (its resume does); a repeated call emits nothing already emitted. The
 * caller sends the events.
 */
export async function releaseAbWinner(
  db: Db,
  ids: { workspaceId: string; campaignId: string },
  decidedBy: "window" | "manual",
  now: Date = new Date(),
): Promise<AbRelease> {
  const campaign = await getCampaign(db, ids);
  if (!campaign) return { ok: false, reason: "not found" };
  const test = campaign.abTest;
  if (!test) return { ok: false, reason: "no test" };
  if (campaign.chunkCount === null || !campaign.startedAt) return { ok: false, reason: "not started" };
  // A cancelled or failed campaign sends nobody else, so its test has nothing to decide.
  if (campaign.abWinner === null && (campaign.status === "cancelled" || campaign.status === "failed")) return { ok: false, reason: "stopped" };
  if (decidedBy === "manual" && campaign.abWinner !== null) return { ok: false, reason: "already decided" };
  // A send time not yet come round has nothing to compare: its variant has not been sent.
  if (decidedBy === "manual" && test.variants.some((_, v) => abSendDelayMs(test, v) > 0 && abVariantSendAt(campaign.startedAt!, test, v) > now)) {
    return { ok: false, reason: "variants still to send" };
  }
  const settled = (await settleAbWinner(db, campaign, decidedBy, now))!;
  const startedAt = campaign.startedAt;
  const { timezone } = await getDeliverySettings(db, { workspaceId: campaign.workspaceId });
  const restAt = abRestSendAt(test, { startedAt, winner: settled.winner, decidedAt: settled.campaign.abDecidedAt ?? now, timeZone: timezone });
  if (restAt) await moveHeldChunks(db, { campaignId: campaign.id, now, to: restAt });
  else if (decidedBy === "manual" && settled.recordedNow) await moveHeldChunks(db, { campaignId: campaign.id, now, to: now });
  // Asked for even while paused: the run finds the campaign paused then and leaves the rest to the resume.
  const later = restAt && restAt > now ? [chunkReleaseEvent(ids, startedAt, restAt)] : [];
  if (settled.campaign.status !== "sending") return { ok: true, winner: settled.winner, recordedNow: settled.recordedNow, events: later, restAt };
  const events: CampaignEvent[] = await pendingChunkEvents(db, settled.campaign, undefined, { now, neverEmitted: true });
  if (events.length > 0) await touchCampaignProgress(db, ids);
  events.push(...later);
  return { ok: true, winner: settled.winner, recordedNow: settled.recordedNow, events, restAt };
}
