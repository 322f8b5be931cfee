/**
 * Client-safe pieces of the campaign buttons (the client component imports these; the server
 * side is campaign-action.ts).
 */

/** The actions the dashboard offers, in button order. Scheduling needs a time: it is API-only. */
export const DASHBOARD_CAMPAIGN_ACTIONS = ["send", "pause", "resume", "cancel"] as const;
export type DashboardCampaignAction = (typeof DASHBOARD_CAMPAIGN_ACTIONS)[number];

export const CAMPAIGN_BUTTONS: Record<DashboardCampaignAction, { label: string; done: string; confirm?: string }> = {
  send: { label: "Send now", done: "Sending started.", confirm: "Send this campaign to its whole audience now?" },
  pause: { label: "Pause", done: "Paused: sending stops until the campaign is resumed." },
  resume: { label: "Resume", done: "Resumed." },
  cancel: { label: "Cancel campaign", done: "Cancelled.", confirm: "Cancel this campaign? Recipients not yet sent to will not get it, and it cannot be restarted." },
};

export type CampaignActionState = { ok: boolean; message: string | null };
export const IDLE_CAMPAIGN_ACTION: CampaignActionState = { ok: true, message: null };
