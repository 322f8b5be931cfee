"use client";

import { useActionState } from "react";
import { IDLE_CAMPAIGN_ACTION } from "../../_lib/campaign-action-state";
import { saveLocalSendTime } from "../local-send-time-action";

/** "Deliver at 09:00 in each recipient's time zone", editable until the campaign starts; empty clears it. */
export function LocalSendTimeForm({ workspaceId, campaignId, localSendTime }: { workspaceId: string; campaignId: string; localSendTime: string | null }) {
  const [state, formAction, pending] = useActionState(saveLocalSendTime, IDLE_CAMPAIGN_ACTION);
  return (
    <form className="filters" action={formAction} aria-busy={pending}>
      <input type="hidden" name="workspace" value={workspaceId} />
      <input type="hidden" name="campaign" value={campaignId} />
      <label>
        Deliver at (each recipient&apos;s local time)
        <input type="time" name="localSendTime" defaultValue={localSendTime ?? ""} step={60} />
      </label>
      <button type="submit" disabled={pending}>
        Save local time
      </button>
      <p role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </p>
    </form>
  );
}
