"use client";

import { useActionState } from "react";
import { IDLE_CAMPAIGN_ACTION } from "../../_lib/campaign-action-state";
import { pickAbWinnerNow } from "../ab-winner-action";

/** Ends an A/B test early: the variant ahead now wins and goes to the rest of the audience. */
export function PickAbWinnerForm({ workspaceId, campaignId, leader }: { workspaceId: string; campaignId: string; leader: string }) {
  const [state, formAction, pending] = useActionState(pickAbWinnerNow, IDLE_CAMPAIGN_ACTION);
  return (
    <form
      className="filters"
      action={formAction}
      aria-busy={pending}
      onSubmit={(event) => {
        if (!window.confirm(`Pick variant ${leader} now and send it to the rest of the audience?`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="workspace" value={workspaceId} />
      <input type="hidden" name="campaign" value={campaignId} />
      <button type="submit" disabled={pending}>
        Pick winner now
      </button>
      <p role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </p>
    </form>
  );
}
