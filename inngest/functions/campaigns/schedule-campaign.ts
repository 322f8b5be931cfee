import { getDatabase } from "@/db";
import { getCampaign } from "@/db/queries/campaigns";
import { inngest } from "@/inngest/client";
import { campaignScheduled, campaignSendRequested, campaignUnscheduled } from "@/inngest/events";
import { startScheduledCampaign } from "@/lib/campaigns/start-campaign";

/**
 * Sleeps until a scheduled campaign's send time, then starts it — unless its template no longer
 * renders for the audience (it goes back to draft with the reason). A cancel or reschedule emits
 * `campaign/unscheduled`, which cancels the waiting run; and because every schedule bumps the
 * campaign's schedule version, a run that slept through such a change sends nothing.
 */
export const scheduleCampaign = inngest.createFunction(
  {
    id: "schedule-campaign",
    triggers: [campaignScheduled],
    retries: 5,
    cancelOn: [{ event: campaignUnscheduled, match: "data.campaignId" }],
  },
  async ({ event, step }) => {
    const { workspaceId, campaignId, scheduleVersion } = event.data;
    const current = async () => {
      const campaign = await getCampaign((await getDatabase()).db, { workspaceId, campaignId });
      return campaign?.status === "scheduled" && campaign.scheduleVersion === scheduleVersion && campaign.sendAt ? campaign : undefined;
    };
    const sendAt = await step.run("read-send-time", async () => (await current())?.sendAt?.toISOString() ?? null);
    if (!sendAt) return { started: false, reason: "no longer scheduled" };
    await step.sleepUntil("wait-for-send-time", new Date(sendAt));
    const start = await step.run("start-campaign", async () => {
      const campaign = await current();
      if (!campaign) return { started: false as const, reason: "no longer scheduled" };
      const outcome = await startScheduledCampaign((await getDatabase()).db, campaign);
      return outcome.started ? { started: true as const } : outcome;
    });
    if (!start.started) return start;
    await step.sendEvent("request-send", campaignSendRequested.create({ workspaceId, campaignId }, { id: `campaign-send-${campaignId}-${scheduleVersion + 1}` }));
    return { started: true };
  },
);
