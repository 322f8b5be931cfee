import type { CampaignStatus } from "@/db/queries/campaigns";
import { type CampaignProgressCounts, campaignProgressView } from "../_lib/campaign-progress";

/**
 * Recipients with an outcome out of the audience, drawn like the import bar (same classes):
 * striped while a sending campaign's audience is still being snapshotted.
 */
export function CampaignProgressBar({ status, counts, compact = false }: { status: CampaignStatus; counts: CampaignProgressCounts; compact?: boolean }) {
  const { percent, label, tone } = campaignProgressView(status, counts);
  const indeterminate = percent === null;
  return (
    <div className={`progress-wrap${compact ? " compact" : ""}`}>
      <div
        className={`progress progress-${tone}${indeterminate ? " indeterminate" : ""}`}
        role="progressbar"
        aria-label={`Campaign progress: ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? label : `${percent}% (${label})`}
      >
        <div className="progress-fill" style={{ width: `${percent ?? 100}%` }} />
      </div>
      <span className="progress-text">
        {percent === null ? "" : `${percent}% · `}
        {label}
      </span>
    </div>
  );
}
