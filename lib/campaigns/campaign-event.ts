type CampaignIds = { workspaceId: string; campaignId: string };

/**
 * An event a campaign change calls for, as data: which one (`kind`), what it carries and its id
 * (derived from the campaign, so a retried request or pass repeats the same id and Inngest drops
 * the repeat). lib/ decides and returns these; the callers in app/ and inngest/ turn them into
 * the typed events of inngest/events.ts (inngest/campaign-event.ts) and send them.
 */
export type CampaignEvent =
  | { kind: "scheduled"; id: string; data: CampaignIds & { scheduleVersion: number } }
  | { kind: "send-requested"; id: string; data: CampaignIds }
  | { kind: "unscheduled"; id: string; data: CampaignIds }
  | { kind: "chunk-ready"; id: string; data: CampaignIds & { chunk: number; providerAccount: string } }
  | { kind: "finished"; id: string; data: CampaignIds & { status: "sent" | "failed" } }
  /** Chunks released at `releaseAt`: a local-time campaign's `zone`, or (no zone) every chunk released at that instant. */
  | { kind: "release-scheduled"; id: string; data: CampaignIds & { zone?: string; releaseAt: string } }
  | { kind: "ab-winner-due"; id: string; data: CampaignIds & { decideAt: string } };

/** The event that says a campaign ended (`campaign/finished`): one per campaign, whichever path ended it. */
export function campaignFinishedEvent(ids: CampaignIds, status: "sent" | "failed"): CampaignEvent {
  return { kind: "finished", id: `campaign-finished-${ids.campaignId}`, data: { ...ids, status } };
}

/**
 * The release run for the chunks due at `releaseAt` that are not a zone's (an A/B send-time
 * variant's sample, or the rest at the winner's time): one per instant and start, so a campaign
 * sent again after going back to draft releases anew.
 */
export function chunkReleaseEvent(ids: CampaignIds, startedAt: Date, releaseAt: Date): Extract<CampaignEvent, { kind: "release-scheduled" }> {
  return { kind: "release-scheduled", id: `campaign-release-${ids.campaignId}-${startedAt.getTime()}-${releaseAt.getTime()}`, data: { ...ids, releaseAt: releaseAt.toISOString() } };
}
