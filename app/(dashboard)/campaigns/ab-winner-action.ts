"use server";

import { refresh } from "next/cache";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { abVariantLabel } from "@/core/ab-tests/ab-test";
import { releaseAbWinner } from "@/lib/campaigns/release-ab-winner";
import { sendCampaignEvents } from "@/app/_lib/send-campaign-events";
import type { CampaignActionState } from "../_lib/campaign-action-state";
import { dashboardContext } from "../_lib/workspace";

const REFUSALS = {
  "not found": "That campaign no longer exists.",
  "no test": "That campaign has no A/B test.",
  "not started": "The test has not started: send the campaign first.",
  "already decided": "The winner is already picked.",
  stopped: "The campaign was cancelled or failed: there is no one left to send the winner to.",
  "variants still to send": "A variant's send time has not come yet: pick the winner once every variant has been sent.",
} as const;

/**
 * "Pick winner now" on an A/B campaign's page: records the variant ahead now as the winner (once:
 * if the window's run got there first, that one stands) and sends it to the rest of the audience.
 */
export async function pickAbWinnerNow(_previous: CampaignActionState, form: FormData): Promise<CampaignActionState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const campaignId = String(form.get("campaign") ?? "");
  const release = await releaseAbWinner(db, { workspaceId: workspace.id, campaignId }, "manual");
  refresh();
  if (!release.ok) return { ok: false, message: REFUSALS[release.reason] };
  if (!release.recordedNow) return { ok: false, message: `The winner is already picked: variant ${abVariantLabel(release.winner)}.` };
  await insertAuditEntry(db, { workspaceId: workspace.id, actor: "dashboard", action: "campaign.ab_winner_picked", targetType: "campaign", targetId: campaignId, details: { winner: abVariantLabel(release.winner) } });
  const failed = await sendCampaignEvents(release.events);
  if (failed) return { ok: false, message: `Variant ${abVariantLabel(release.winner)} is the winner, but sending it could not be queued; the window's end sends it.` };
  const when = release.restAt ? `at ${release.restAt.toISOString().slice(0, 16).replace("T", " ")} UTC, its send time` : "now";
  return { ok: true, message: `Variant ${abVariantLabel(release.winner)} is the winner: the rest of the audience gets it ${when}.` };
}
