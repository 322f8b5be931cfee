import { z } from "zod";
import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { type CampaignStatus, getCampaign } from "@/db/queries/campaigns";
import { ACTION_FROM, applyCampaignAction } from "@/lib/campaigns/campaign-actions";
import type { CampaignEvent } from "@/lib/campaigns/campaign-event";
import { CAMPAIGN_BUTTONS, type CampaignActionState, DASHBOARD_CAMPAIGN_ACTIONS, type DashboardCampaignAction } from "./campaign-action-state";

/** sendCampaignEvents' shape: null when queued, a response describing the failure otherwise. */
export type CampaignEventSender = (events: CampaignEvent[]) => Promise<Response | null>;

const NOT_FOUND = "That campaign no longer exists in this workspace: go back to the list.";

/** The buttons a campaign in `status` gets: exactly the actions whose transition starts there. */
export function campaignActionsFor(status: CampaignStatus): DashboardCampaignAction[] {
  return DASHBOARD_CAMPAIGN_ACTIONS.filter((action) => ACTION_FROM[action].includes(status));
}

/** "draft", "draft or scheduled", "draft, scheduled or sending". */
function orList(values: readonly string[]): string {
  return values.length < 2 ? (values[0] ?? "") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
}

/** What the operator reads when the campaign was no longer in a state the button applies to. */
export function refusalMessage(action: DashboardCampaignAction, current: CampaignStatus): string {
  return `"${CAMPAIGN_BUTTONS[action].label}" was refused: the campaign is ${current} now, and that applies only to ${orList(ACTION_FROM[action])} campaigns.`;
}

/**
 * A campaign button, as POST /api/v1/campaigns/:id/:action does it: one conditional transition
 * (applyCampaignAction), an audit entry attributed to the dashboard, then the events. A
 * transition that finds the campaign in another state (a double click, the send finishing, an
 * API call) is reported, not thrown: the button was drawn for a state that no longer holds.
 */
export async function runCampaignAction(
  db: Db,
  params: { workspaceId: string; campaignId: string; action: string; send: CampaignEventSender },
): Promise<CampaignActionState> {
  const action = DASHBOARD_CAMPAIGN_ACTIONS.find((candidate) => candidate === params.action);
  if (!action) return { ok: false, message: "Unknown action: reload the page." };
  if (!z.uuid().safeParse(params.campaignId).success) return { ok: false, message: NOT_FOUND };
  const ids = { workspaceId: params.workspaceId, campaignId: params.campaignId };
  const campaign = await getCampaign(db, ids);
  if (!campaign) return { ok: false, message: NOT_FOUND };

  const outcome = await applyCampaignAction(db, campaign, action);
  if (!outcome.ok && outcome.refused === "preflight") {
    return { ok: false, message: `"${CAMPAIGN_BUTTONS[action].label}" was refused, nothing was sent. ${outcome.preflight.message}` };
  }
  if (!outcome.ok) {
    // outcome.status is what was read before the UPDATE; a concurrent change makes it stale.
    const current = (await getCampaign(db, ids))?.status ?? outcome.status;
    return { ok: false, message: refusalMessage(action, current) };
  }
  await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: "dashboard", action: `campaign.${action}`, targetType: "campaign", targetId: campaign.id });
  if (await params.send(outcome.events)) {
    // The new state stands and the events' ids are stable; the watchdog restarts a sending
    // campaign whose work never arrived.
    return {
      ok: false,
      message: `${CAMPAIGN_BUTTONS[action].done} But its work could not be queued: check the Inngest server. The campaign stays ${outcome.campaign.status}; the watchdog picks up a send that stalls.`,
    };
  }
  return { ok: true, message: CAMPAIGN_BUTTONS[action].done };
}
