import type { Db } from "@/db";
import { type Campaign, type CampaignStatus, getCampaign, transitionCampaign } from "@/db/queries/campaigns";
import { acknowledgeGuardPause } from "@/lib/analytics/acknowledge-guard-pause";
import type { CampaignEvent } from "./campaign-event";
import { pendingChunkEvents } from "./pending-chunk-events";
import { type Preflight, preflightCampaign } from "./preflight-campaign";
import { releaseStoppedCampaignCredits } from "./release-stopped-campaign-credits";
import { startCampaign } from "./start-campaign";

export const CAMPAIGN_ACTIONS = ["schedule", "send", "pause", "resume", "cancel"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

/** Which states each action starts from; anything else is a 409 that names the current state. */
export const ACTION_FROM: Record<CampaignAction, readonly CampaignStatus[]> = {
  schedule: ["draft", "scheduled"],
  send: ["draft", "scheduled"],
  pause: ["sending"],
  resume: ["paused"],
  cancel: ["draft", "scheduled", "sending", "paused"],
};

export type ActionOutcome =
  | { ok: true; campaign: Campaign; events: CampaignEvent[] }
  | { ok: false; refused: "state"; status: CampaignStatus }
  | { ok: false; refused: "preflight"; status: CampaignStatus; preflight: Extract<Preflight, { ok: false }> };

/** The actions that commit a campaign to going out, so its template is checked first (preflightCampaign). */
const PREFLIGHTED: readonly CampaignAction[] = ["schedule", "send"];

/**
 * Applies an action as one conditional transition and returns the events the caller must send
 * afterwards (as data: see campaign-event.ts) (ids derived from the campaign's schedule version, so a retried request re-sends
 * the same ids). `{ ok: false }` when the campaign was not in a state the action starts from —
 * including when a concurrent request moved it first — or, for `send` and `schedule`, when the
 * campaign's template cannot render for its audience (nothing changes then either).
 */
export async function applyCampaignAction(
  db: Db,
  campaign: Campaign,
  action: CampaignAction,
  options: { sendAt?: Date; localSendTime?: string | null } = {},
): Promise<ActionOutcome> {
  const ids = { workspaceId: campaign.workspaceId, campaignId: campaign.id };
  // The state that made the UPDATE miss, read again: `campaign` may be older than the change.
  const refused = async () => ({ ok: false as const, refused: "state" as const, status: (await getCampaign(db, ids))?.status ?? campaign.status });
  if (PREFLIGHTED.includes(action) && ACTION_FROM[action].includes(campaign.status)) {
    const preflight = await preflightCampaign(db, campaign);
    if (!preflight.ok) return { ok: false, refused: "preflight", status: campaign.status, preflight };
  }
  const unscheduled = (version: number): CampaignEvent => ({ kind: "unscheduled", data: ids, id: `campaign-unscheduled-${campaign.id}-${version}` });
  switch (action) {
    case "schedule": {
      const row = await transitionCampaign(db, { ...ids, from: ACTION_FROM.schedule, to: "scheduled", bumpSchedule: true, set: { sendAt: options.sendAt!, statusReason: null, ...(options.localSendTime !== undefined ? { localSendTime: options.localSendTime } : {}) } });
      if (!row) return refused();
      const scheduled: CampaignEvent = { kind: "scheduled", data: { ...ids, scheduleVersion: row.scheduleVersion }, id: `campaign-scheduled-${campaign.id}-${row.scheduleVersion}` };
      return { ok: true, campaign: row, events: [unscheduled(row.scheduleVersion), scheduled] };
    }
    case "send": {
      const row = await startCampaign(db, campaign, ACTION_FROM.send);
      if (!row) return refused();
      return { ok: true, campaign: row, events: [unscheduled(row.scheduleVersion), { kind: "send-requested", data: ids, id: `campaign-send-${campaign.id}-${row.scheduleVersion}` }] };
    }
    case "pause": {
      const row = await transitionCampaign(db, { ...ids, from: ACTION_FROM.pause, to: "paused" });
      return row ? { ok: true, campaign: row, events: [] } : refused();
    }
    case "resume": {
      const row = await transitionCampaign(db, { ...ids, from: ACTION_FROM.resume, to: "sending", set: { progressAt: new Date(), statusReason: null } });
      if (!row) return refused();
      // After a guard pause: the rates it paused for are accepted now, so it does not pause at once again.
      await acknowledgeGuardPause(db, ids);
      if (row.chunkCount === null) {
        // Paused before the plan was made: the send run stopped, so start another to finish it.
        return { ok: true, campaign: row, events: [{ kind: "send-requested", data: ids, id: `campaign-send-${campaign.id}-resume-${Date.now()}` }] };
      }
      return { ok: true, campaign: row, events: await pendingChunkEvents(db, row) };
    }
    case "cancel": {
      const row = await transitionCampaign(db, { ...ids, from: ACTION_FROM.cancel, to: "cancelled", bumpSchedule: true, set: { finishedAt: new Date() } });
      if (!row) return refused();
      await acknowledgeGuardPause(db, ids);
      // Now, or by the chunk run whose part was on its way when the cancel came.
      await releaseStoppedCampaignCredits(db, ids);
      return { ok: true, campaign: row, events: [unscheduled(row.scheduleVersion)] };
    }
  }
}
