import type { CampaignProgress, FailureReason } from "@/db/queries/campaign-recipients";

/** Reasons named in a campaign's status reason; the rest are counted together. */
export const SUMMARY_MAX_REASONS = 3;

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The status reason of a finished campaign with failures, naming the commonest errors and how
 * many messages each cost: "All 1,000 messages failed: template variable `first_name` is
 * undefined in the body, line 1 (1,000)", or "12 of 1,000 messages failed: …" when some went
 * out. `reasons` is campaignFailureReasons' answer; null when nothing failed.
 */
export function failureSummary(progress: Pick<CampaignProgress, "sent" | "failed">, reasons: readonly FailureReason[]): string | null {
  if (progress.failed === 0) return null;
  const shown = reasons.slice(0, SUMMARY_MAX_REASONS);
  const others = progress.failed - shown.reduce((sum, reason) => sum + reason.count, 0);
  const parts = shown.map((reason) => `${reason.reason} (${count(reason.count)})`);
  if (others > 0) parts.push(`other errors (${count(others)})`);
  const attempted = progress.sent + progress.failed;
  const head =
    progress.sent === 0
      ? `All ${count(progress.failed)} message${progress.failed === 1 ? "" : "s"} failed`
      : `${count(progress.failed)} of ${count(attempted)} messages failed`;
  return `${head}: ${parts.join("; ")}`;
}
