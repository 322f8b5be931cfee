import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getRecommendation, insertRecommendation, tokensUsedOn } from "@/db/queries/ai-recommendations";
import { generateRecommendation, RECOMMENDATION_RETRIES, RECOMMENDATIONS_PER_WORKSPACE_PER_MINUTE } from "@/inngest/functions/analytics/generate-recommendation";
import { answerAfterFailure } from "@/lib/ai/answer-outcome";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { heuristicAnswer } from "@/lib/ai/heuristic/heuristic-model";
import { requestRecommendation } from "@/lib/ai/request-recommendation";
import { type BasisRequest, gatherBasis } from "@/lib/ai/recommendation-basis";
import { metrics } from "@/lib/observability/metrics";
import { type FakeOpenAi, startFakeOpenAi } from "@/test/fakes/fake-openai";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";
import { PII_STRINGS, type RecommendationWorld, seedRecommendationWorld } from "@/test/lib/ai/recommendation-fixtures";

let database: Database;
let fake: FakeOpenAi;
let world: RecommendationWorld;

beforeAll(async () => {
  database = await useTestDatabase();
  fake = await startFakeOpenAi();
  world = await seedRecommendationWorld(database.db);
});
afterAll(async () => {
  await fake.stop();
  await database.close();
});
beforeEach(() => {
  vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
  vi.stubEnv("OPENAI_BASE_URL", fake.baseUrl);
  vi.stubEnv("OPENAI_MODEL", "gpt-4o-mini");
  vi.stubEnv("AI_DAILY_TOKEN_BUDGET", "1000000");
  fake.behave("answer");
});
afterEach(() => vi.unstubAllEnvs());

const today = () => new Date().toISOString().slice(0, 10);

let freshCount = 0;

/**
 * Stores a pending recommendation as the API does, then runs the function for it. `fresh`
 * stores it under a hash of its own, so an earlier test's answer is not the cache's.
 */
async function ask(request: BasisRequest, options: { fresh?: boolean } = {}) {
  let recommendationId: string;
  if (options.fresh) {
    const gathered = await gatherBasis(database.db, world.workspaceId, request);
    if (!gathered.ok) throw new Error("no basis");
    freshCount += 1;
    recommendationId = (await insertRecommendation(database.db, { workspaceId: world.workspaceId, ...request, inputHash: `fresh-${freshCount}`, basis: gathered.basis })).id;
  } else {
    const requested = await requestRecommendation(database.db, world.workspaceId, request, createRecommendationModel());
    if (!requested.ok) throw new Error(`not requested: ${JSON.stringify(requested)}`);
    if (requested.cached) return { row: requested.recommendation, run: undefined };
    recommendationId = requested.recommendation.id;
  }
  const ids = { workspaceId: world.workspaceId, recommendationId };
  const run = await new InngestTestEngine({ function: generateRecommendation }).execute({ events: [{ name: "ai/recommendation.requested", data: ids }] } as never);
  return { row: (await getRecommendation(database.db, ids))!, run };
}

const summary = { kind: "campaign-summary", targetType: "campaign", targetId: "" } as BasisRequest;

describe("generate-recommendation", () => {
  it("is throttled per workspace and retried", () => {
    expect(generateRecommendation.opts).toMatchObject({
      id: "generate-recommendation",
      throttle: { key: "event.data.workspaceId", limit: RECOMMENDATIONS_PER_WORKSPACE_PER_MINUTE, period: "1m" },
      retries: RECOMMENDATION_RETRIES,
    });
  });

  it.each([
    { kind: "subject-lines", targetType: "campaign" },
    { kind: "send-time", targetType: "segment" },
    { kind: "content-feedback", targetType: "template" },
    { kind: "campaign-summary", targetType: "campaign" },
  ] as const)("answers $kind from the fake OpenAI with the real SDK, and sends no recipient's data", async ({ kind, targetType }) => {
    const targetId = targetType === "segment" ? world.segmentId : targetType === "template" ? world.templateId : world.campaignId;
    const before = fake.requests.length;
    const used = await tokensUsedOn(database.db, { workspaceId: world.workspaceId, day: today() });
    const { row, run } = await ask({ kind, targetType, targetId });
    expect(run?.error).toBeUndefined();
    expect(row).toMatchObject({ status: "answered", source: "openai", model: "gpt-4o-mini", note: null, cacheable: true });
    expect(row.promptTokens).toBeGreaterThan(0);
    expect(await tokensUsedOn(database.db, { workspaceId: world.workspaceId, day: today() })).toBe(used + row.promptTokens + row.completionTokens);
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.authorization).toBe(`Bearer ${fake.apiKey}`);
    for (const pii of PII_STRINGS) expect(sent[0]!.raw).not.toContain(pii);
    // What the model saw is what the answer is shown with.
    expect(sent[0]!.raw).toContain(JSON.stringify(JSON.stringify(row.basis)).slice(1, 60));
  });

  it("the same question on the same data is answered from the cache: no model call", async () => {
    const request = { ...summary, targetId: world.pastCampaignId };
    const first = await ask(request);
    expect(first.row.source).toBe("openai");
    const calls = fake.requests.length;
    // Through the API path: the cached answer itself.
    const again = await requestRecommendation(database.db, world.workspaceId, request, createRecommendationModel());
    expect(again).toMatchObject({ ok: true, cached: true, recommendation: { id: first.row.id } });
    expect(fake.requests.length).toBe(calls);
  });

  it("a pending twin of an answered question reuses its answer inside the function: no model call", async () => {
    const request = { kind: "content-feedback", targetType: "campaign", targetId: world.campaignId } as const;
    const first = await ask(request);
    const calls = fake.requests.length;
    // Two asks raced: the second was stored before the first was answered.
    const twin = await insertRecommendation(database.db, { workspaceId: world.workspaceId, kind: first.row.kind, targetType: first.row.targetType, targetId: first.row.targetId, inputHash: first.row.inputHash, basis: first.row.basis });
    const run = await new InngestTestEngine({ function: generateRecommendation }).execute({ events: [{ name: "ai/recommendation.requested", data: { workspaceId: world.workspaceId, recommendationId: twin.id } }] } as never);
    expect(run.error).toBeUndefined();
    expect(await getRecommendation(database.db, { workspaceId: world.workspaceId, recommendationId: twin.id })).toMatchObject({ status: "answered", cachedFrom: first.row.id, answer: first.row.answer, promptTokens: 0 });
    expect(fake.requests.length).toBe(calls);
  });

  it("an exhausted daily budget answers from the heuristics with a note, without calling the model", async () => {
    vi.stubEnv("AI_DAILY_TOKEN_BUDGET", "1");
    const calls = fake.requests.length;
    const before = sampleSum(await metrics().registry.metrics(), "sendline_ai_requests_total", { kind: "campaign-summary", source: "heuristic", outcome: "over_budget" });
    const { row, run } = await ask({ ...summary, targetId: world.campaignId }, { fresh: true });
    expect(run?.error).toBeUndefined();
    expect(row).toMatchObject({ source: "heuristic", cacheable: false, answer: heuristicAnswer(row.basis) });
    expect(row.note).toMatch(/budget for today \(1 tokens/);
    expect(fake.requests.length).toBe(calls);
    expect(sampleSum(await metrics().registry.metrics(), "sendline_ai_requests_total", { kind: "campaign-summary", source: "heuristic", outcome: "over_budget" })).toBe(before + 1);
  });

  it.each([
    { behaviour: "refusal", note: /the model refused/ },
    { behaviour: "malformed-json", note: /not valid JSON/ },
    { behaviour: "off-schema", note: /did not match the schema/ },
    { behaviour: "cut-off", note: /cut off at the token limit/ },
  ] as const)("a $behaviour answer falls back to the heuristics with a note (tokens still counted)", async ({ behaviour, note }) => {
    fake.behave(behaviour);
    const { row, run } = await ask({ kind: "content-feedback", targetType: "template", targetId: world.templateId }, { fresh: true });
    expect(run?.error).toBeUndefined();
    expect(row).toMatchObject({ status: "answered", source: "heuristic", cacheable: false, answer: heuristicAnswer(row.basis) });
    expect(row.note).toMatch(note);
    expect(row.promptTokens).toBeGreaterThan(0);
  });

  it("a 429 is retried by Inngest; on the last attempt the heuristics answer with a note", async () => {
    fake.failNext(1, 429);
    const first = await ask({ kind: "subject-lines", targetType: "template", targetId: world.templateId }, { fresh: true });
    expect(first.run?.error).toBeDefined();
    expect(first.row.status).toBe("pending");
    fake.failNext(1, 500);
    const last = await insertRecommendation(database.db, { workspaceId: world.workspaceId, kind: first.row.kind, targetType: first.row.targetType, targetId: first.row.targetId, inputHash: `${first.row.inputHash}-last`, basis: first.row.basis });
    const run = await new InngestTestEngine({ function: generateRecommendation }).execute({
      events: [{ name: "ai/recommendation.requested", data: { workspaceId: world.workspaceId, recommendationId: last.id } }],
      transformCtx: (ctx: Record<string, unknown>) => ({ ...ctx, attempt: RECOMMENDATION_RETRIES }),
    } as never);
    expect(run.error).toBeUndefined();
    const row = (await getRecommendation(database.db, { workspaceId: world.workspaceId, recommendationId: last.id }))!;
    expect(row).toMatchObject({ source: "heuristic", cacheable: false });
    expect(row.note).toMatch(/OpenAI failed \(500\) after 4 attempts/);
  });

  it("offline (no OPENAI_API_KEY) the heuristics answer, cacheably, with a note", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    const calls = fake.requests.length;
    const { row } = await ask({ kind: "send-time", targetType: "segment", targetId: world.segmentId }, { fresh: true });
    expect(row).toMatchObject({ source: "heuristic", model: null, cacheable: true, promptTokens: 0 });
    expect(row.note).toMatch(/no OPENAI_API_KEY/);
    expect(row.answer).toMatchObject({ slots: [{ dayOfWeek: expect.any(Number), hour: expect.any(Number) }] });
    expect(fake.requests.length).toBe(calls);
  });

  it("a run that fails for good still answers, from the heuristics, with the reason (onFailure)", async () => {
    const gathered = await gatherBasis(database.db, world.workspaceId, { ...summary, targetId: world.campaignId });
    if (!gathered.ok) throw new Error("no basis");
    const row = await insertRecommendation(database.db, { workspaceId: world.workspaceId, ...summary, targetId: world.campaignId, inputHash: "failed-run", basis: gathered.basis });
    const ids = { workspaceId: world.workspaceId, recommendationId: row.id };
    const answered = await answerAfterFailure(database.db, ids, new Error("connection refused"));
    expect(answered).toMatchObject({ status: "answered", source: "heuristic", cacheable: false, note: "Generating the recommendation failed (connection refused): answered by the heuristics." });
    expect(await answerAfterFailure(database.db, ids, new Error("again"))).toBeUndefined();
    expect(generateRecommendation.opts.onFailure).toBeTypeOf("function");
  });

  it("ignores an event naming another workspace's recommendation", async () => {
    const other = await seedRecommendationWorld(database.db, "Other");
    const requested = await requestRecommendation(database.db, world.workspaceId, { ...summary, targetId: world.campaignId }, { source: "heuristic", model: "x" });
    if (!requested.ok) throw new Error("not requested");
    const run = await new InngestTestEngine({ function: generateRecommendation }).execute({
      events: [{ name: "ai/recommendation.requested", data: { workspaceId: other.workspaceId, recommendationId: requested.recommendation.id } }],
    } as never);
    expect(run.result).toEqual({ skipped: "no pending recommendation with this id in this workspace" });
    expect((await getRecommendation(database.db, { workspaceId: world.workspaceId, recommendationId: requested.recommendation.id }))!.status).toBe("pending");
  });
});
