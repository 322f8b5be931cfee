import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { transitionCampaign } from "@/db/queries/campaigns";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { campaignChunkReady, campaignSendRequested } from "@/inngest/events";
import { audienceCondition } from "@/db/queries/audience-condition";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { campaignFinishedEvent } from "@/lib/campaigns/campaign-event";
import { chunkEventId } from "@/lib/campaigns/chunk-event-id";
import { failCampaignStart } from "@/lib/campaigns/fail-campaign-start";
import { endCampaignIfDone } from "@/lib/campaigns/end-campaign-if-done";
import { PublicError } from "@/lib/errors/public-error-message";
import { planCampaignSend, sendingCampaign } from "@/lib/campaigns/plan-campaign-send";

/** Inngest takes at most 5,000 events per send. */
const EVENTS_PER_SEND = 5_000;

/**
 * Starts a campaign the API or its schedule moved to `sending`: snapshots the audience in pages
 * (one step each, recipients never leave the database), reserves credits, then fans out one
 * `campaign/chunk.ready` event per ~1,000 recipients. Every step is repeatable, and the
 * concurrency key keeps two runs for one campaign from interleaving.
 */
export const sendCampaign = inngest.createFunction(
  {
    id: "send-campaign",
    triggers: [campaignSendRequested],
    retries: 5,
    concurrency: [{ key: "event.data.campaignId", limit: 1 }],
    onFailure: async ({ event, error }) => {
      const { workspaceId, campaignId } = event.data.event.data;
      await failCampaignStart((await getDatabase()).db, { workspaceId, campaignId }, error);
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, campaignId: event.data.campaignId };
    const settings = campaignSettings();

    // Only a campaign in `sending` whose plan is not made yet is this run's to start.
    const claimed = await step.run("check-campaign", async () => {
      const campaign = await sendingCampaign((await getDatabase()).db, ids);
      if (!campaign) return { start: false as const, reason: "not sending" };
      if (campaign.chunkCount !== null) return { start: false as const, reason: "already started" };
      const audience = await audienceCondition((await getDatabase()).db, campaign);
      if ("error" in audience) {
        await transitionCampaign((await getDatabase()).db, { ...ids, from: ["sending"], to: "failed", set: { statusReason: `The audience ${audience.error}.` } });
        return { start: false as const, reason: audience.error };
      }
      return { start: true as const, providerAccount: campaign.providerAccount! };
    });
    if (!claimed.start) return { skipped: claimed.reason };

    for (let page = 0; ; page++) {
      const { added } = await step.run(`snapshot-${page}`, async () => {
        const { db } = await getDatabase();
        const campaign = await sendingCampaign(db, ids);
        if (!campaign) throw new NonRetriableError("the campaign stopped sending during the snapshot");
        const audience = await audienceCondition(db, campaign);
        if ("error" in audience) {
          const reason = `The audience ${audience.error}.`;
          throw new NonRetriableError(reason, { cause: new PublicError(reason) });
        }
        return snapshotAudiencePage(db, { campaignId: ids.campaignId, audience, pageSize: settings.snapshotPageSize, chunkSize: settings.chunkSize });
      });
      if (added < settings.snapshotPageSize) break;
    }

    const plan = await step.run("reserve-credits", async () => {
      const { db } = await getDatabase();
      const campaign = await sendingCampaign(db, ids);
      if (!campaign) return { ok: false as const, reason: "the campaign stopped sending" };
      return planCampaignSend(db, settings, campaign);
    });
    if (!plan.ok) return { started: false, reason: plan.reason };
    // Nothing due now and no zone ahead: an empty audience. A local-time campaign whose zones are
    // all still ahead has no chunk to emit yet, only its zones to schedule below.
    if (plan.chunks.length === 0 && plan.laterReleases.length === 0) {
      const result = await step.run("finalize-empty", async () => endCampaignIfDone((await getDatabase()).db, ids));
      if (result.status) await step.sendEvent("announce-finished", campaignEvent(campaignFinishedEvent(ids, result.status)));
      return result;
    }

    for (let start = 0; start < plan.chunks.length; start += EVENTS_PER_SEND) {
      await step.sendEvent(
        `fan-out-${start / EVENTS_PER_SEND}`,
        plan.chunks
          .slice(start, start + EVENTS_PER_SEND)
          .map((chunk) =>
            campaignChunkReady.create({ ...ids, chunk, providerAccount: claimed.providerAccount }, { id: chunkEventId(ids.campaignId, chunk, 1) }),
          ),
      );
    }
    // A local-time campaign's zones still ahead: one release run each, asleep until its instant.
    if (plan.laterReleases.length > 0) await step.sendEvent("schedule-zones", plan.laterReleases.map(campaignEvent));
    // An A/B campaign's rest of the audience: held until one run picks the winner at the window's end.
    if (plan.abWinnerDue) await step.sendEvent("schedule-ab-winner", campaignEvent(plan.abWinnerDue));
    return { started: true, audience: plan.audience, chunks: plan.chunks.length, laterReleases: plan.laterReleases.length, abTest: plan.abWinnerDue !== null };
  },
);
