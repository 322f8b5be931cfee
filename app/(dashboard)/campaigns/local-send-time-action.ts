"use server";

import { refresh } from "next/cache";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { getCampaign, setCampaignLocalSendTime } from "@/db/queries/campaigns";
import { LOCAL_SEND_TIME, LOCAL_SEND_TIME_RULE } from "@/core/campaigns/local-send-time";
import type { CampaignActionState } from "../_lib/campaign-action-state";
import { dashboardContext } from "../_lib/workspace";

/**
 * Sets (or, empty, clears) "deliver at HH:MM in each recipient's time zone" on a campaign that has
 * not started. The workspace is the one the page was rendered for, and must still exist.
 */
export async function saveLocalSendTime(_previous: CampaignActionState, form: FormData): Promise<CampaignActionState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const value = String(form.get("localSendTime") ?? "").trim();
  if (value !== "" && !LOCAL_SEND_TIME.test(value)) return { ok: false, message: `The local send time must be ${LOCAL_SEND_TIME_RULE}.` };
  const campaignId = String(form.get("campaign") ?? "");
  if ((await getCampaign(db, { workspaceId: workspace.id, campaignId }))?.abTest) return { ok: false, message: "An A/B campaign is sent to everyone at the send time." };
  const row = await setCampaignLocalSendTime(db, { workspaceId: workspace.id, campaignId, localSendTime: value || null });
  if (!row) return { ok: false, message: "Only a draft or scheduled campaign's local send time can change." };
  await insertAuditEntry(db, { workspaceId: workspace.id, actor: "dashboard", action: "campaign.local_send_time_set", targetType: "campaign", targetId: row.id, details: { localSendTime: row.localSendTime } });
  refresh();
  return { ok: true, message: value ? `Delivered at ${value} in each recipient's time zone.` : "Delivered to everyone at the send time." };
}
