import type { Db } from "@/db";
import { releaseHeldChunks } from "@/db/queries/campaign-ab-tests";
import { getCampaign, touchCampaignProgress } from "@/db/queries/campaigns";
import type { CampaignEvent } from "./campaign-event";
import { pendingChunkEvents } from "./pending-chunk-events";
import { settleAbWinner } from "./settle-ab-winner";

export type AbRelease =
  | { ok: true; winner: number; recordedNow: boolean; events: CampaignEvent[] }
  | { ok: false; reason: "not found" | "no test" | "not started" | "already decided" | "stopped" };

/**
 * Settles an A/B campaign's winner (settleAbWinner: recorded once) and returns the chunk events
 * for the rest of the audience: the held chunks never emitted yet and released by now. When the
 * window ended, release_at has passed; a manual pick (`decidedBy` "manual") first releases the
 * held chunks now. A paused campaign gets its winner but emits nothing (its resume does); a
 * repeated call emits nothing already emitted. The caller sends the events.
 */
export async function releaseAbWinner(
  db: Db,
  ids: { workspaceId: string; campaignId: string },
  decidedBy: "window" | "manual",
  now: Date = new Date(),
): Promise<AbRelease> {
  const campaign = await getCampaign(db, ids);
  if (!campaign) return { ok: false, reason: "not found" };
  if (!campaign.abTest) return { ok: false, reason: "no test" };
  if (campaign.chunkCount === null) return { ok: false, reason: "not started" };
  // A cancelled or failed campaign sends nobody else, so its test has nothing to decide.
  if (campaign.abWinner === null && (campaign.status === "cancelled" || campaign.status === "failed")) return { ok: false, reason: "stopped" };
  if (decidedBy === "manual" && campaign.abWinner !== null) return { ok: false, reason: "already decided" };
  const settled = (await settleAbWinner(db, campaign, decidedBy, now))!;
  if (decidedBy === "manual" && settled.recordedNow) await releaseHeldChunks(db, { campaignId: campaign.id, now });
  if (settled.campaign.status !== "sending") return { ok: true, winner: settled.winner, recordedNow: settled.recordedNow, events: [] };
  const events = await pendingChunkEvents(db, settled.campaign, undefined, { now, neverEmitted: true });
  if (events.length > 0) await touchCampaignProgress(db, ids);
  return { ok: true, winner: settled.winner, recordedNow: settled.recordedNow, events };
}
