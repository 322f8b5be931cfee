import type { CampaignEvent } from "@/lib/campaigns/campaign-event";
import { campaignAbWinnerDue, campaignChunkReady, campaignFinished, campaignScheduled, campaignSendRequested, campaignUnscheduled, campaignReleaseScheduled } from "./events";

/** The typed event for a campaign event lib/ asked for, ready for inngest.send or step.sendEvent. */
export function campaignEvent(event: CampaignEvent) {
  const options = { id: event.id };
  switch (event.kind) {
    case "scheduled":
      return campaignScheduled.create(event.data, options);
    case "send-requested":
      return campaignSendRequested.create(event.data, options);
    case "unscheduled":
      return campaignUnscheduled.create(event.data, options);
    case "chunk-ready":
      return campaignChunkReady.create(event.data, options);
    case "finished":
      return campaignFinished.create(event.data, options);
    case "release-scheduled":
      return campaignReleaseScheduled.create(event.data, options);
    case "ab-winner-due":
      return campaignAbWinnerDue.create(event.data, options);
  }
}
