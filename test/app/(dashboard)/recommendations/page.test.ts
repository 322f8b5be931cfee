import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { answerAfterFailure } from "@/lib/ai/answer-outcome";
import { requestRecommendation } from "@/lib/ai/request-recommendation";
import { useTestDatabase } from "@/test/support/database";
import { type RecommendationWorld, seedRecommendationWorld } from "@/test/lib/ai/recommendation-fixtures";

// Outside a request: no cookie jar (the oldest workspace is shown) and no mounted app router.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let world: RecommendationWorld;

beforeAll(async () => {
  vi.stubEnv("OPENAI_API_KEY", "");
  database = await useTestDatabase();
  world = await seedRecommendationWorld(database.db, "Page");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const props = (id?: string) => ({ params: Promise.resolve({ id: id ?? "" }), searchParams: Promise.resolve({}) });

describe("recommendation pages", () => {
  it("/recommendations offers every target and shows a pending question live, then its answer with source, note and basis", async () => {
    const { default: RecommendationsPage } = await import("@/app/(dashboard)/recommendations/page");
    const asked = await requestRecommendation(database.db, world.workspaceId, { kind: "campaign-summary", targetType: "campaign", targetId: world.campaignId }, { source: "heuristic", model: null });
    if (!asked.ok) throw new Error("not asked");
    let html = renderToStaticMarkup(await RecommendationsPage(props()));
    expect(html).toContain("Campaign: Winter sale campaign");
    expect(html).toContain("Template: Winter sale");
    expect(html).toContain("Segment: Privacy testers");
    expect(html).toContain("Waiting for the answer");
    expect(html).toContain('class="live"');

    await answerAfterFailure(database.db, { workspaceId: world.workspaceId, recommendationId: asked.recommendation.id }, new Error("test"));
    html = renderToStaticMarkup(await RecommendationsPage(props()));
    expect(html).toContain("Source: Heuristics");
    expect(html).toContain("Note: Generating the recommendation failed (test)");
    expect(html).toContain("Winter sale campaign: 100.0% opened, 100.0% clicked");
    expect(html).toContain("<summary>Based on</summary>");
    expect(html).not.toContain('class="live"');
  });

  it("/campaigns/[id] has the recommendations panel with the campaign's answers", async () => {
    const { default: CampaignPage } = await import("@/app/(dashboard)/campaigns/[id]/page");
    const html = renderToStaticMarkup(await CampaignPage(props(world.campaignId)));
    expect(html).toContain('aria-label="Recommendations"');
    expect(html).toContain("Campaign results summary");
    expect(html).toContain("Winter sale campaign: 100.0% opened");
  });
});
