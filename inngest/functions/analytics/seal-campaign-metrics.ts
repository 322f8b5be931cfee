import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { campaignFinished } from "@/inngest/events";
import { type SealResult, sealCampaignMetrics as seal } from "@/lib/seals/seal-campaign-metrics";

/**
 * Opens, clicks, bounces and complaints keep arriving for days after the last email; after this
 * long a campaign's numbers barely move, so the second seal is the one to quote.
 */
export const SEAL_SETTLE_HOURS = 72;

/** A refusal is final for this run (no key appears by retrying); it is already in the audit log. */
function sealed(result: SealResult) {
  if (result.outcome === "refused" || result.outcome === "not_started") throw new NonRetriableError(result.reason);
  if (result.outcome === "not_found") throw new NonRetriableError("The campaign is not in this workspace");
  return { sealId: result.seal.id, sequence: result.seal.sequence, outcome: result.outcome };
}

/**
 * Seals a campaign's metrics when it finishes, and again once its late events have settled:
 * two links in the workspace's chain. One run per workspace at a time, so two campaigns ending
 * together never race for the same place in the chain (appendMetricSeal also locks it).
 */
export const sealCampaignMetrics = inngest.createFunction(
  {
    id: "seal-campaign-metrics",
    triggers: [campaignFinished],
    retries: 3,
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, campaignId: event.data.campaignId };
    const finished = await step.run("seal-finished", async () => sealed(await seal((await getDatabase()).db, { ...ids, kind: "finished", actor: "function:seal-campaign-metrics" })));
    await step.sleep("wait-for-late-events", `${SEAL_SETTLE_HOURS}h`);
    const settled = await step.run("seal-settled", async () => sealed(await seal((await getDatabase()).db, { ...ids, kind: "settled", actor: "function:seal-campaign-metrics" })));
    return { finished, settled };
  },
);
