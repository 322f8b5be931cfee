import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { tokensUsedOn } from "@/db/queries/ai-recommendations";
import { type FakeOpenAi, startFakeOpenAi } from "@/test/fakes/fake-openai";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { PII_STRINGS, type RecommendationWorld, seedRecommendationWorld } from "@/test/lib/ai/recommendation-fixtures";

/**
 * Recommendations end to end: the API stores the question, the local engine runs
 * generate-recommendation through the app's serve() route, and the real openai SDK asks the
 * loopback fake, which checks the key, the model and the strict json_schema.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let fake: FakeOpenAi;
let database: Database;
let world: RecommendationWorld;
let routes: typeof import("@/app/api/v1/recommendations/route");
let detail: typeof import("@/app/api/v1/recommendations/[id]/route");
const ENV_NAMES = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL"];

beforeAll(async () => {
  database = await useTestDatabase();
  fake = await startFakeOpenAi();
  Object.assign(process.env, { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: "gpt-4o-2024-08-06" });
  world = await seedRecommendationWorld(database.db, "E2E");
  app = await startAppEngine();
  routes = await import("@/app/api/v1/recommendations/route");
  detail = await import("@/app/api/v1/recommendations/[id]/route");
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await database?.close();
  for (const name of ENV_NAMES) delete process.env[name];
});

const post = (body: unknown) => callRoute(routes.POST, { method: "POST", path: "/api/v1/recommendations", apiKey: world.apiKey, body });
const answered = (id: string) =>
  waitFor(
    () => callRoute(detail.GET, { path: `/api/v1/recommendations/${id}`, apiKey: world.apiKey, params: { id } }),
    (response) => response.body.status === "answered",
  );

describe("recommendations through the engine", () => {
  it("asks the fake OpenAI once, shows the answer with its basis, and serves a repeat from the cache", async () => {
    fake.answerFor("campaign_summary", { headline: "A good send", summary: "Everyone opened.", highlights: ["100% opened"], concerns: [] });
    const asked = await post({ kind: "campaign-summary", campaignId: world.campaignId });
    expect(asked.status).toBe(202);
    const done = await answered(asked.body.id);
    expect(done.body).toMatchObject({
      source: "openai",
      model: "gpt-4o-2024-08-06",
      note: null,
      answer: { headline: "A good send", summary: "Everyone opened.", highlights: ["100% opened"], concerns: [] },
      basedOn: { kind: "campaign-summary", totals: { sent: 3, delivered: 3, uniqueOpened: 3, machineOpened: 3, uniqueClicked: 3 } },
    });
    // The link is shown without its query string, which carried each recipient's address.
    expect(done.body.basedOn.topLinks).toEqual([{ url: "https://shop.example.com/sale", uniqueClicked: 3 }]);
    expect(fake.completions).toBe(1);
    for (const pii of PII_STRINGS) expect(fake.requests[0]!.raw).not.toContain(pii);
    expect(await tokensUsedOn(database.db, { workspaceId: world.workspaceId, day: new Date().toISOString().slice(0, 10) })).toBe(done.body.usage.promptTokens + done.body.usage.completionTokens);

    const again = await post({ kind: "campaign-summary", campaignId: world.campaignId });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(asked.body.id);
    expect(fake.completions).toBe(1);
  });

  it("a refused answer is shown from the heuristics with the reason, never as an error", async () => {
    fake.behave("refusal");
    const asked = await post({ kind: "content-feedback", templateId: world.templateId });
    const done = await answered(asked.body.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ source: "heuristic", note: expect.stringMatching(/the model refused/) });
    expect(done.body.answer.findings).toContainEqual(expect.objectContaining({ severity: "problem", issue: expect.stringMatching(/^No unsubscribe link/) }));
    fake.behave("answer");
  });
});
