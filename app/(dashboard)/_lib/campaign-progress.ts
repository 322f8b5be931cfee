import type { CampaignProgress } from "@/db/queries/campaign-recipients";
import type { CampaignStatus } from "@/db/queries/campaigns";

/** How often a page showing a live campaign re-renders itself. */
export const CAMPAIGN_REFRESH_MS = 2_000;

/**
 * Sending, or scheduled to start by itself: the status and counters can move without anyone
 * clicking, so the page keeps refreshing. Paused, draft and finished campaigns only change on
 * an action, and an action re-renders the page anyway.
 */
export function isCampaignLive(status: CampaignStatus): boolean {
  return status === "sending" || status === "scheduled";
}

export type CampaignProgressCounts = Pick<CampaignProgress, "audience" | "sent" | "suppressed" | "failed">;

export type CampaignProgressView = {
  /** 0–100, or null while a sending campaign's audience is still being snapshotted. */
  percent: number | null;
  label: string;
  /** The bar's colour: the import bar's classes, so both pages read the same. */
  tone: "active" | "completed" | "failed" | "cancelled";
};

const TONE: Partial<Record<CampaignStatus, CampaignProgressView["tone"]>> = { sent: "completed", failed: "failed", cancelled: "cancelled" };

/**
 * Recipients with an outcome (sent, suppressed or failed) out of the audience, as the API's
 * `progress.percent` counts them. Before the snapshot there is no audience yet: a sending
 * campaign shows an indeterminate bar, a sent one (empty audience) is complete.
 */
export function campaignProgressView(status: CampaignStatus, counts: CampaignProgressCounts): CampaignProgressView {
  const tone = TONE[status] ?? "active";
  if (counts.audience === 0) {
    if (status === "sent") return { percent: 100, label: "no recipients", tone };
    if (status === "draft" || status === "scheduled") return { percent: 0, label: "not started", tone };
    if (status === "sending") return { percent: null, label: "preparing the audience", tone };
    return { percent: 0, label: "no recipients", tone };
  }
  const settled = counts.sent + counts.suppressed + counts.failed;
  const percent = Math.min(100, Math.max(0, Math.floor((settled * 100) / counts.audience)));
  return { percent, label: `${settled.toLocaleString("en-US")} / ${counts.audience.toLocaleString("en-US")} recipients`, tone };
}
