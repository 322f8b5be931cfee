import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { campaignProgress } from "@/db/queries/campaign-recipients";
import { listStalledCampaigns, touchCampaignProgress } from "@/db/queries/campaigns";
import { countInFlightMessages } from "@/db/queries/chunk-recipients";
import { listReleasableReservations, releaseCredits } from "@/db/queries/credits";
import { type CampaignEvent, campaignFinishedEvent } from "./campaign-event";
import type { CampaignSettings } from "./campaign-settings";
import { endCampaignIfDone } from "./end-campaign-if-done";
import { pendingChunkEvents } from "./pending-chunk-events";

export type RescueSummary = { restarted: number; reemittedChunks: number; finalized: number; releasedReservations: number };

const ACTOR = "function:watch-campaigns";

/**
 * One watchdog pass. For each campaign sending with no progress for `stuckSendingMinutes`:
 * a campaign whose start never got past the snapshot gets its send event again; otherwise the
 * chunks still pending (and not emitted since the stall began) are emitted again under their
 * next emission number; a campaign with nothing pending is finalized. Then credits still
 * reserved by ended or expired campaigns are released. `send` gets the events as data (the caller
 * builds and sends them) and must accept up to a few thousand
 * events (Inngest's limit is 5,000 per call).
 */
export async function rescueStalledCampaigns(
  db: Db,
  settings: CampaignSettings,
  send: (events: CampaignEvent[]) => Promise<void>,
  now = new Date(),
): Promise<RescueSummary> {
  const summary: RescueSummary = { restarted: 0, reemittedChunks: 0, finalized: 0, releasedReservations: 0 };
  const stalledBefore = new Date(now.getTime() - settings.stuckSendingMinutes * 60_000);
  for (const campaign of await listStalledCampaigns(db, { stalledBefore, limit: 100 })) {
    const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
    const audit = (action: string, details: Record<string, unknown>) =>
      insertAuditEntry(db, { workspaceId: campaign.workspaceId, actor: ACTOR, action, targetType: "campaign", targetId: campaign.id, details });
    if (campaign.chunkCount === null) {
      // The run that snapshots and plans was lost; a new one continues the snapshot where it stopped.
      const window = Math.floor(now.getTime() / (settings.stuckSendingMinutes * 60_000));
      await send([{ kind: "send-requested", data: ids, id: `campaign-send-${campaign.id}-rescue-${window}` }]);
      await touchCampaignProgress(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id });
      await audit("campaign.send_restarted", { stalledSince: campaign.progressAt });
      summary.restarted++;
      continue;
    }
    const events = await pendingChunkEvents(db, campaign, stalledBefore, { now });
    if (events.length === 0) {
      const result = await endCampaignIfDone(db, ids);
      if (result.status) await send([campaignFinishedEvent(ids, result.status)]);
      if (result.finalized) {
        await audit("campaign.finalized_by_watchdog", { ...result.progress });
        summary.finalized++;
      }
      continue;
    }
    for (let start = 0; start < events.length; start += 5_000) await send(events.slice(start, start + 5_000));
    await touchCampaignProgress(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id });
    await audit("campaign.chunks_reemitted", { chunks: events.length, first: events[0]!.data.chunk, stalledSince: campaign.progressAt });
    summary.reemittedChunks += events.length;
  }

  for (const reservation of await listReleasableReservations(db, { limit: 500 })) {
    // A part claimed recently may still be on its way: its chunk run releases when it records it.
    if ((await countInFlightMessages(db, { campaignId: reservation.campaignId, updatedAfter: stalledBefore })) > 0) continue;
    // One claimed longer ago lost its run; it may have gone out, so it counts as used.
    const inFlight = await countInFlightMessages(db, { campaignId: reservation.campaignId });
    const { sent } = await campaignProgress(db, { campaignId: reservation.campaignId });
    const released = await releaseCredits(db, { ...reservation, used: sent + inFlight, note: "released by the watchdog" });
    await insertAuditEntry(db, {
      workspaceId: reservation.workspaceId,
      actor: ACTOR,
      action: "credits.released",
      targetType: "campaign",
      targetId: reservation.campaignId,
      details: { released, used: sent + inFlight },
    });
    summary.releasedReservations++;
  }
  return summary;
}
