import type { CampaignStatus } from "@/db/queries/campaigns";
import { ProgressBar } from "../_components/progress-bar";
import { type CampaignProgressCounts, campaignProgressView } from "../_lib/campaign-progress";

/**
 * Recipients with an outcome out of the audience, drawn like the import bar: striped while a
 * sending campaign's audience is still being snapshotted.
 */
export function CampaignProgressBar({ status, counts, compact = false }: { status: CampaignStatus; counts: CampaignProgressCounts; compact?: boolean }) {
  const { percent, label, tone } = campaignProgressView(status, counts);
  return <ProgressBar name="Campaign" tone={tone} percent={percent} label={label} indeterminate={percent === null} compact={compact} />;
}
