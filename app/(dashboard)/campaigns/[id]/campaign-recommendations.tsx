import type { Db } from "@/db";
import { type AiRecommendation, listRecommendations } from "@/db/queries/ai-recommendations";
import { TARGETS_BY_KIND, RECOMMENDATION_KINDS } from "@/core/ai/recommendation-kinds";
import { AutoRefresh } from "../../_components/auto-refresh";
import { KIND_LABELS, RECOMMENDATION_REFRESH_MS } from "../../_lib/ask-recommendation";
import { AskRecommendationForm } from "../../recommendations/ask-recommendation-form";
import { RecommendationCard } from "../../recommendations/recommendation-card";

const CAMPAIGN_KINDS = RECOMMENDATION_KINDS.filter((kind) => TARGETS_BY_KIND[kind].includes("campaign"));
const SHOWN = 3;

/**
 * The campaign page's panel: ask about this campaign, see the latest answers with their basis.
 * Awaited by the page (`{await campaignRecommendations(…)}`) rather than rendered as an async
 * component, so the page renders in one pass wherever it is rendered.
 */
export async function campaignRecommendations(db: Db, workspaceId: string, campaign: { id: string; name: string }) {
  const rows = await listRecommendations(db, { workspaceId, targetId: campaign.id, limit: SHOWN });
  return <CampaignRecommendations workspaceId={workspaceId} campaign={campaign} rows={rows} />;
}

export function CampaignRecommendations({ workspaceId, campaign, rows }: { workspaceId: string; campaign: { id: string; name: string }; rows: AiRecommendation[] }) {
  return (
    <section aria-label="Recommendations">
      <h2>Recommendations</h2>
      <AutoRefresh active={rows.some((row) => row.status === "pending")} intervalMs={RECOMMENDATION_REFRESH_MS} while="an answer is pending" />
      <AskRecommendationForm workspaceId={workspaceId} kinds={CAMPAIGN_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))} targets={[{ value: `campaign:${campaign.id}`, label: campaign.name }]} />
      {rows.map((row) => (
        <RecommendationCard key={row.id} row={row} />
      ))}
    </section>
  );
}
