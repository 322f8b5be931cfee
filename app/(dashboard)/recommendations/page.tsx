import type { Metadata } from "next";
import { listRecommendations } from "@/db/queries/ai-recommendations";
import { listCampaigns } from "@/db/queries/campaigns";
import { listSegments } from "@/db/queries/segments";
import { listTemplates } from "@/db/queries/templates";
import { CONTACT_KINDS, RECOMMENDATION_KINDS } from "@/core/ai/recommendation-kinds";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { AutoRefresh } from "../_components/auto-refresh";
import { Empty, NoWorkspace, PageHeader } from "../_components/ui";
import { KIND_LABELS, RECOMMENDATION_REFRESH_MS } from "../_lib/ask-recommendation";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";
import { AskRecommendationForm } from "./ask-recommendation-form";
import { RecommendationCard } from "./recommendation-card";

/** Targets offered per type, newest first: the API reaches the rest. */
const TARGETS_PER_TYPE = 50;
const SHOWN = 20;
/** Asked here: a relationship summary is asked, and shown, on its contact's page. */
const PAGE_KINDS = RECOMMENDATION_KINDS.filter((kind) => !CONTACT_KINDS.includes(kind));

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Recommendations" };

export default async function RecommendationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const { db, workspace } = await dashboardContext(param(query, "workspace"));
  if (!workspace) return <NoWorkspace />;
  const [campaigns, templates, segments, rows] = await Promise.all([
    listCampaigns(db, { workspaceId: workspace.id, limit: TARGETS_PER_TYPE }),
    listTemplates(db, { workspaceId: workspace.id, limit: TARGETS_PER_TYPE }),
    listSegments(db, { workspaceId: workspace.id, limit: TARGETS_PER_TYPE }),
    listRecommendations(db, { workspaceId: workspace.id, limit: SHOWN, kinds: PAGE_KINDS }),
  ]);
  const targets = [
    ...campaigns.map((row) => ({ value: `campaign:${row.id}`, label: `Campaign: ${row.name}` })),
    ...templates.map((row) => ({ value: `template:${row.id}`, label: `Template: ${row.name}` })),
    ...segments.map((row) => ({ value: `segment:${row.id}`, label: `Segment: ${row.name}` })),
  ];
  const model = createRecommendationModel();
  return (
    <>
      <PageHeader
        title="Recommendations"
        subtitle={model.source === "openai" ? `Answered by OpenAI (${model.model}) within the daily token budget, else by the heuristics` : "Answered by deterministic heuristics over your rollups (set OPENAI_API_KEY to ask OpenAI)"}
      >
        <AutoRefresh active={rows.some((row) => row.status === "pending")} intervalMs={RECOMMENDATION_REFRESH_MS} while="an answer is pending" />
      </PageHeader>
      <section>
        <h2>Ask</h2>
        <p className="muted">Subject lines and content feedback for a template or campaign, the best send time for a segment, a summary of a campaign&apos;s results. Only template text, aggregates and segment definitions are used: never a contact&apos;s data.</p>
        <AskRecommendationForm workspaceId={workspace.id} kinds={PAGE_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))} targets={targets} />
      </section>
      <section>
        <h2>Latest</h2>
        {rows.length ? rows.map((row) => <RecommendationCard key={row.id} row={row} />) : <Empty>No recommendations yet.</Empty>}
      </section>
    </>
  );
}
