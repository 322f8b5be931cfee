import type { CampaignProgress } from "@/db/queries/campaign-recipients";
import type { CampaignEngagement } from "@/db/queries/campaign-stats";

export type CampaignStats = Omit<CampaignProgress, "chunks" | "chunksDone"> & CampaignEngagement;

/** Every counter campaignDetailView returns, in the order a send moves through them. */
export const CAMPAIGN_COUNTERS: readonly (readonly [key: keyof CampaignStats, label: string, trouble?: boolean])[] = [
  ["audience", "Audience"],
  ["sent", "Sent"],
  ["suppressed", "Suppressed"],
  ["failed", "Failed", true],
  ["pending", "Pending"],
  ["delivered", "Delivered"],
  ["opened", "Opened (total)"],
  ["uniqueOpened", "Opened (unique)"],
  ["clicked", "Clicked (total)"],
  ["uniqueClicked", "Clicked (unique)"],
  ["bounced", "Bounced", true],
  ["complained", "Complained", true],
  ["unsubscribed", "Unsubscribed"],
];

export function CampaignCounters({ stats }: { stats: CampaignStats }) {
  return (
    <section className="cards counters" aria-label="Counters">
      {CAMPAIGN_COUNTERS.map(([key, label, trouble]) => (
        // counter-failed is the import page's "red when not zero".
        <div key={key} className={["card", `counter-${key}`, trouble && key !== "failed" ? "counter-failed" : "", stats[key] ? "" : "zero"].filter(Boolean).join(" ")}>
          <div className="card-label">{label}</div>
          <div className="card-value">{stats[key].toLocaleString("en-US")}</div>
        </div>
      ))}
    </section>
  );
}
