import type { Db } from "@/db";
import { listPendingChunks, markChunksEmitted } from "@/db/queries/campaign-recipients";
import type { Campaign } from "@/db/queries/campaigns";
import type { CampaignEvent } from "./campaign-event";
import { chunkEventId } from "./chunk-event-id";

/**
 * The chunk events to emit again for a campaign's chunks still pending (only those not emitted
 * since `emittedBefore`, when given; only `zone`'s, or those released at exactly `releasedAt`,
 * when given) and released by now (a
 * local-time campaign's later zones wait for their release run; `neverEmitted`: only chunks never
 * emitted, for an A/B campaign's held ones), each under its next emission
 * number so it starts a new run. Used by resume, the watchdog and a zone's release; the caller
 * sends them. With `emittedBefore`, a chunk emitted since by a racing caller is left to it.
 */
export async function pendingChunkEvents(
  db: Db,
  campaign: Pick<Campaign, "id" | "workspaceId" | "providerAccount">,
  emittedBefore?: Date,
  options: { zone?: string; releasedAt?: Date; now?: Date; neverEmitted?: boolean } = {},
): Promise<Extract<CampaignEvent, { kind: "chunk-ready" }>[]> {
  const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
  const now = options.now ?? new Date();
  const pending = await listPendingChunks(db, { campaignId: campaign.id, emittedBefore, zone: options.zone, releasedAt: options.releasedAt, neverEmitted: options.neverEmitted, releasedBy: now });
  // Only the chunks this call counted: another caller may have emitted one since the list.
  const emits = await markChunksEmitted(db, { campaignId: campaign.id, chunks: pending, at: now, emittedBefore, neverEmitted: options.neverEmitted });
  return pending
    .filter((chunk) => emits.has(chunk))
    .map((chunk) => ({
      kind: "chunk-ready",
      data: { ...ids, chunk, providerAccount: campaign.providerAccount ?? "unknown" },
      id: chunkEventId(campaign.id, chunk, emits.get(chunk)!),
    }));
}
