import type { Db } from "@/db";
import { transitionCampaign } from "@/db/queries/campaigns";
import { publicErrorMessage } from "@/lib/errors/public-error-message";

/**
 * send-campaign gave up (its retries are spent): a campaign still `sending` becomes `failed`
 * with a reason a user can read — the error's own words when they were written for users, else
 * "Internal error (id …)" with the detail in the log (publicErrorMessage), never SQL.
 */
export async function failCampaignStart(db: Db, ids: { workspaceId: string; campaignId: string }, error: unknown): Promise<void> {
  const reason = `Sending could not start: ${publicErrorMessage(error, { where: "send-campaign", ...ids })}`;
  await transitionCampaign(db, { ...ids, from: ["sending"], to: "failed", set: { statusReason: reason, finishedAt: new Date() } });
}
