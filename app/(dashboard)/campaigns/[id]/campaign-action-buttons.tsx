"use client";

import { useActionState } from "react";
import type { CampaignStatus } from "@/db/queries/campaigns";
import { CAMPAIGN_BUTTONS, type DashboardCampaignAction, IDLE_CAMPAIGN_ACTION } from "../../_lib/campaign-action-state";
import { submitCampaignAction } from "../actions";

/**
 * One form, one submit button per action valid in the campaign's current state (the server
 * decides which). The outcome stays shown after the page re-renders with the new state, and the
 * form still works without JavaScript (minus the confirmations).
 */
export function CampaignActionButtons({
  workspaceId,
  campaignId,
  status,
  actions,
}: {
  workspaceId: string;
  campaignId: string;
  status: CampaignStatus;
  actions: readonly DashboardCampaignAction[];
}) {
  const [state, formAction, pending] = useActionState(submitCampaignAction, IDLE_CAMPAIGN_ACTION);
  return (
    <form className="campaign-actions" action={formAction} aria-busy={pending}>
      <input type="hidden" name="workspace" value={workspaceId} />
      <input type="hidden" name="campaign" value={campaignId} />
      {actions.length ? (
        <p>
          {actions.map((action) => {
            const { label, confirm } = CAMPAIGN_BUTTONS[action];
            return (
              <span key={action}>
                <button
                  type="submit"
                  name="action"
                  value={action}
                  disabled={pending}
                  onClick={(event) => {
                    if (confirm && !window.confirm(confirm)) event.preventDefault();
                  }}
                >
                  {label}
                </button>{" "}
              </span>
            );
          })}
        </p>
      ) : (
        <p className="muted">No actions apply to a {status} campaign.</p>
      )}
      {/* Always present, so screen readers announce what lands in it. */}
      <p role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </p>
    </form>
  );
}
