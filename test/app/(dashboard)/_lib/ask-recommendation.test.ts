import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askRecommendation } from "@/app/(dashboard)/_lib/ask-recommendation";
import type { Database } from "@/db";
import { useTestDatabase } from "@/test/support/database";
import { type RecommendationWorld, seedRecommendationWorld } from "@/test/lib/ai/recommendation-fixtures";

let database: Database;
let world: RecommendationWorld;
const heuristic = { source: "heuristic" as const, model: null };

beforeAll(async () => {
  database = await useTestDatabase();
  world = await seedRecommendationWorld(database.db, "Dashboard");
});
afterAll(() => database.close());

describe("askRecommendation (the dashboard's Ask button)", () => {
  it("stores the question, sends its event once, and serves a repeat from the cache", async () => {
    const sent: string[] = [];
    const ask = () => askRecommendation(database.db, { workspaceId: world.workspaceId, kind: "content-feedback", target: `template:${world.templateId}`, model: heuristic, send: async (ids) => void sent.push(ids.recommendationId) });
    expect(await ask()).toEqual({ ok: true, message: "Asked: the answer appears below in a moment." });
    expect(sent).toHaveLength(1);
    // Not answered yet: asked again, it is a new pending question until one is answered.
    const { answerRecommendation } = await import("@/db/queries/ai-recommendations");
    await answerRecommendation(database.db, {
      workspaceId: world.workspaceId,
      recommendationId: sent[0]!,
      day: "2026-12-06",
      outcome: { source: "heuristic", model: null, answer: { findings: [], summary: "ok" }, note: null, cacheable: true, cachedFrom: null, promptTokens: 0, completionTokens: 0 },
    });
    expect(await ask()).toEqual({ ok: true, message: "Answered before on the same data: the stored answer is shown below." });
    expect(sent).toHaveLength(1);
  });

  it.each([
    ["a target the kind does not take", "send-time", () => `template:${world.templateId}`, /^Cannot ask that: templateId is not a target of send-time/],
    ["a target of no known type", "send-time", () => "list:abc", /^Cannot ask that: segmentId is required for send-time/],
    ["a target gone from the workspace", "campaign-summary", () => `campaign:${randomUUID()}`, /^That campaign no longer exists in this workspace\.$/],
  ])("explains %s", async (_name, kind, target, message) => {
    const state = await askRecommendation(database.db, { workspaceId: world.workspaceId, kind, target: target(), model: heuristic, send: async () => {} });
    expect(state.ok).toBe(false);
    expect(state.message).toMatch(message);
  });

  it("says so when the event cannot be sent", async () => {
    const state = await askRecommendation(database.db, { workspaceId: world.workspaceId, kind: "subject-lines", target: `campaign:${world.campaignId}`, model: heuristic, send: () => Promise.reject(new Error("down")) });
    expect(state).toEqual({ ok: false, message: "Asked, but the request could not be queued: try again." });
  });
});
