import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { type RecommendationWorld, seedRecommendationWorld } from "@/test/lib/ai/recommendation-fixtures";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const routes = await import("@/app/api/v1/recommendations/route");
const detail = await import("@/app/api/v1/recommendations/[id]/route");
const { generateRecommendation } = await import("@/inngest/functions/analytics/generate-recommendation");

let database: Database;
let mine: RecommendationWorld;
let other: RecommendationWorld;

beforeAll(async () => {
  // Offline: the heuristics answer, as in `npm run dev` without a key.
  vi.stubEnv("OPENAI_API_KEY", "");
  database = await useTestDatabase();
  mine = await seedRecommendationWorld(database.db, "Mine");
  other = await seedRecommendationWorld(database.db, "Other");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  await recorder.stop();
});

const post = (body: unknown, key = mine.apiKey) => callRoute(routes.POST, { method: "POST", path: "/api/v1/recommendations", apiKey: key, body });
const get = (id: string, key = mine.apiKey) => callRoute(detail.GET, { path: `/api/v1/recommendations/${id}`, apiKey: key, params: { id } });
const runFor = (workspaceId: string, recommendationId: string) =>
  new InngestTestEngine({ function: generateRecommendation }).execute({ events: [{ name: "ai/recommendation.requested", data: { workspaceId, recommendationId } }] } as never);

describe("/api/v1/recommendations", () => {
  it("accepts a question (202), answers it in the background, then serves the same question from the cache (200)", async () => {
    const asked = await post({ kind: "send-time", segmentId: mine.segmentId });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ kind: "send-time", target: { type: "segment", id: mine.segmentId }, status: "pending", answer: null });
    expect(asked.body.basedOn).toMatchObject({ kind: "send-time", timeZone: "UTC", segmentFilter: { field: "email", op: "ends_with", value: "<text>" } });
    // Tuesdays 09:00 UTC: the human opens and clicks; the privacy proxy's 03:00 opens are not there.
    expect(asked.body.basedOn.heatMap).toEqual([{ dayOfWeek: 2, hour: 9, opens: 6, clicks: 6 }]);
    expect(recorder.events.filter((event) => event.id === `ai-recommendation-${asked.body.id}`)).toHaveLength(1);

    await runFor(mine.workspaceId, asked.body.id);
    const answered = await get(asked.body.id);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: "answered", source: "heuristic", model: null, note: expect.stringMatching(/no OPENAI_API_KEY/) });
    // Twelve events are too few to read a habit from: the default slot, saying so.
    expect(answered.body.answer.slots).toEqual([{ dayOfWeek: 2, hour: 10, rationale: expect.stringMatching(/^Only 12 human opens and clicks/) }]);

    const again = await post({ kind: "send-time", segmentId: mine.segmentId });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(asked.body.id);

    const list = await callRoute(routes.GET, { path: `/api/v1/recommendations?targetId=${mine.segmentId}`, apiKey: mine.apiKey });
    expect(list.body.data.map((row: { id: string }) => row.id)).toEqual([asked.body.id]);
  });

  it("keeps workspaces apart: another workspace's target or recommendation is not found", async () => {
    expect((await post({ kind: "campaign-summary", campaignId: other.campaignId })).status).toBe(404);
    const asked = await post({ kind: "campaign-summary", campaignId: mine.campaignId });
    expect([200, 202]).toContain(asked.status);
    expect((await get(asked.body.id, other.apiKey)).status).toBe(404);
    expect((await get("not-a-uuid")).status).toBe(404);
    const theirs = await callRoute(routes.GET, { path: "/api/v1/recommendations", apiKey: other.apiKey });
    expect(theirs.body.data).toEqual([]);
  });

  it.each([
    [{ kind: "send-time" }, { segmentId: ["is required for send-time (give segmentId)"] }],
    [{ kind: "send-time", campaignId: "0190a0d4-5f6e-7000-8000-000000000000" }, { campaignId: ["is not a target of send-time (give segmentId)"] }],
    [{ kind: "subject-lines", campaignId: "0190a0d4-5f6e-7000-8000-000000000000", templateId: "0190a0d4-5f6e-7000-8000-000000000001" }, { templateId: ["give one target only (campaignId or templateId)"] }],
    [{ kind: "horoscope", campaignId: "0190a0d4-5f6e-7000-8000-000000000000" }, { kind: [expect.stringContaining("subject-lines")] }],
    [{ kind: "campaign-summary", campaignId: "nope" }, { campaignId: [expect.any(String)] }],
  ])("answers 400 with field errors for %j", async (body, fields) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toMatchObject(fields);
  });

  it("needs an API key", async () => {
    expect((await callRoute(routes.GET, { path: "/api/v1/recommendations" })).status).toBe(401);
  });
});
