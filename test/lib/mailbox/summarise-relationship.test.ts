import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getRecommendation, insertRecommendation, tokensUsedOn } from "@/db/queries/ai-recommendations";
import { getContactRelationship } from "@/db/queries/contact-relationships";
import { aiRecommendations, auditLog, contacts, mailboxConnections } from "@/db/schema";
import { RELATIONSHIP_SUMMARY_MESSAGES } from "@/core/mailbox/relationship-facts";
import { createRecommendationModel } from "@/lib/ai/create-recommendation-model";
import { NO_MAILBOX_HISTORY } from "@/lib/mailbox/relationship-basis";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";
import { RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE, summariseRelationship } from "@/lib/mailbox/summarise-relationship";
import { metrics } from "@/lib/observability/metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeOpenAi, startFakeOpenAi } from "@/test/fakes/fake-openai";
import { useTestDatabase } from "@/test/support/database";
import { insertMail, type Mail } from "@/test/support/mailbox-mail";
import { sampleSum } from "@/test/support/prometheus-text";

/**
 * A relationship summary on demand: the heuristics offline, the real `openai` SDK against the
 * loopback fake with a strict structured output, only the figures and redacted excerpts sent,
 * the answer cached by its basis' hash, model calls limited per minute and budgeted per day, a
 * failing model answered by the heuristics with the reason.
 */
let database: Database;
let fake: FakeOpenAi;
const NOW = new Date("2025-03-31T12:00:00Z");
const OWNER = "me@own.example";
const ANN = "ann@a.example";

beforeAll(async () => {
  database = await useTestDatabase();
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.stop();
  await database.close();
});
afterEach(() => vi.unstubAllEnvs());

function useOpenAi(budget = 1_000_000) {
  vi.stubEnv("OPENAI_API_KEY", fake.apiKey);
  vi.stubEnv("OPENAI_BASE_URL", fake.baseUrl);
  vi.stubEnv("OPENAI_MODEL", "gpt-4o-mini");
  vi.stubEnv("AI_DAILY_TOKEN_BUDGET", String(budget));
}
function useHeuristics() {
  vi.stubEnv("OPENAI_API_KEY", "");
}

/** Twelve exchanges with Ann (a body and other people's addresses in the text), her last thread unanswered for 3 days. */
const annMail = (): Mail[] => [
  ...Array.from({ length: 12 }, (_, n): Mail[] => [
    {
      thread: `t${n}`,
      from: ANN,
      to: [OWNER, "carl@c.example"],
      at: `2025-02-${String(n + 1).padStart(2, "0")}T09:00:00Z`,
      subject: `Topic ${n} for carl@c.example`,
      snippet: `Looping in Carl <carl@c.example> and dora@d.example. ${"x".repeat(150)}`,
      body: "THE WHOLE BODY, never to be sent",
    },
    { thread: `t${n}`, from: OWNER, at: `2025-02-${String(n + 1).padStart(2, "0")}T13:00:00Z`, snippet: "Thanks!" },
  ]).flat(),
  { thread: "contract", from: ANN, at: "2025-03-28T08:00:00Z", subject: "Contract renewal", snippet: "Can you sign by Friday?" },
];

async function workspaceWithAnn(name: string) {
  const { workspace } = await createWorkspace(database.db, { name });
  const [ann] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: ANN, firstName: "Ann", lastName: "Lee", phone: "+14155550132" }).returning();
  const [quiet] = await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "quiet@q.example" }).returning();
  await database.db.insert(mailboxConnections).values({ workspaceId: workspace.id, kind: "import", label: "test", ownerAddresses: [OWNER] });
  await insertMail(database.db, { workspaceId: workspace.id, owner: OWNER, defaultTo: ANN, mail: annMail() });
  await scoreRelationshipBatch(database.db, { workspaceId: workspace.id, after: null, now: NOW });
  return { workspaceId: workspace.id, annId: ann!.id, quietId: quiet!.id };
}

const summarise = (ids: { workspaceId: string; contactId: string }) => summariseRelationship(database.db, { ...ids, model: createRecommendationModel(), actor: "test", now: NOW });
const counted = async (labels: Record<string, string>) => sampleSum(await metrics().registry.metrics(), "sendline_relationship_summaries_total", labels);

describe("summariseRelationship, offline", () => {
  it("answers from the heuristics, stores the summary on the relationship, and answers an unchanged relationship from it", async () => {
    useHeuristics();
    const { workspaceId, annId } = await workspaceWithAnn("Offline");
    const first = await summarise({ workspaceId, contactId: annId });
    expect(first).toMatchObject({ ok: true, cached: false });
    const row = (await getContactRelationship(database.db, { workspaceId, contactId: annId }))!;
    expect(row).toMatchObject({
      nextAction: "Reply to “Contract renewal” — waiting 3 days",
      summarySource: "heuristic",
      summaryNote: "Answered by the heuristics (no OPENAI_API_KEY is configured).",
      summarisedAt: NOW,
    });
    expect(row.summary).toBe(
      "Steady relationship (strength 65/100): 12 messages sent and 13 received since 2025-02-01, the last 3 days ago; a two-way conversation. You usually answer within 4 h. 25 messages in the last 90 days.",
    );
    expect(row.inputHash).toMatch(/^[0-9a-f]{64}$/);
    const recommendation = (await getRecommendation(database.db, { workspaceId, recommendationId: row.recommendationId! }))!;
    expect(recommendation).toMatchObject({ kind: "relationship-summary", targetType: "contact", targetId: annId, status: "answered", source: "heuristic", cacheable: true });
    expect(recommendation.answer).toEqual({ summary: row.summary, nextAction: row.nextAction });

    const before = await counted({ outcome: "cached" });
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, cached: true });
    expect(await counted({ outcome: "cached" })).toBe(before + 1);
    expect(await database.db.$count(aiRecommendations, eq(aiRecommendations.workspaceId, workspaceId))).toBe(1);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
    expect(audit.filter((entry) => entry.action === "contact.relationship_summarised")).toHaveLength(1);
  });

  it("404s an unknown or another workspace's contact, and 409s a contact without mailbox history", async () => {
    useHeuristics();
    const { workspaceId, annId, quietId } = await workspaceWithAnn("Missing");
    const other = await workspaceWithAnn("Elsewhere");
    expect(await summarise({ workspaceId, contactId: other.annId })).toEqual({ ok: false, status: 404, what: "Contact" });
    expect(await summarise({ workspaceId, contactId: "0190b8a4-0000-7000-8000-000000000000" })).toEqual({ ok: false, status: 404, what: "Contact" });
    expect(await summarise({ workspaceId, contactId: quietId })).toEqual({ ok: false, status: 409, message: NO_MAILBOX_HISTORY });
    expect(annId).toBeDefined();
  });
});

describe("summariseRelationship with OpenAI", () => {
  it("asks the model with a strict structured output, sending the figures and at most 10 redacted excerpts, never a body or an address", async () => {
    useOpenAi();
    const { workspaceId, annId } = await workspaceWithAnn("OpenAI");
    fake.answerFor("relationship_summary", { summary: "A close, two-way working relationship.", nextAction: "Sign the contract renewal." });
    const calls = fake.requests.length;
    const result = await summarise({ workspaceId, contactId: annId });
    expect(result).toMatchObject({ ok: true, cached: false, relationship: { summary: "A close, two-way working relationship.", nextAction: "Sign the contract renewal.", summarySource: "openai", summaryNote: null } });

    const sent = fake.requests.slice(calls);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { response_format: { json_schema: { name: string; strict: boolean } }; messages: { role: string; content: string }[] };
    expect(body.response_format.json_schema).toMatchObject({ name: "relationship_summary", strict: true });
    const shown = JSON.parse(body.messages.at(-1)!.content);
    expect(shown).toMatchObject({ kind: "relationship-summary", target: { type: "contact", id: annId }, asOf: "2025-03-31", relationship: { messagesSent: 12, messagesReceived: 13 } });
    expect(shown.messages).toHaveLength(RELATIONSHIP_SUMMARY_MESSAGES);
    expect(shown.messages[0]).toEqual({ direction: "received", day: "2025-03-28", subject: "Contract renewal", snippet: "Can you sign by Friday?" });
    for (const message of shown.messages) expect((message.snippet ?? "").length).toBeLessThanOrEqual(200);
    expect(shown.messages.find((message: { subject: string }) => message.subject.startsWith("Topic"))).toMatchObject({ subject: "Topic 11 for [address]", snippet: expect.stringMatching(/^Looping in Carl <\[address\]> and \[address\]\. x+$/) });
    for (const secret of ["@a.example", "@c.example", "@d.example", OWNER, "Ann", "Lee", "4155550132", "THE WHOLE BODY"]) expect(sent[0]!.raw).not.toContain(secret);

    const row = (await getContactRelationship(database.db, { workspaceId, contactId: annId }))!;
    const recommendation = (await getRecommendation(database.db, { workspaceId, recommendationId: row.recommendationId! }))!;
    expect(recommendation).toMatchObject({ source: "openai", model: "gpt-4o-mini", cacheable: true });
    expect(await tokensUsedOn(database.db, { workspaceId, day: "2025-03-31" })).toBe(recommendation.promptTokens + recommendation.completionTokens);

    // Unchanged: no second call. New mail from Ann, recomputed: a new basis, asked again.
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, cached: true });
    expect(fake.requests.length).toBe(calls + 1);
    await insertMail(database.db, { workspaceId, owner: OWNER, defaultTo: ANN, mail: [{ thread: "contract", from: OWNER, at: "2025-03-31T10:00:00Z", snippet: "Signed." }] });
    await scoreRelationshipBatch(database.db, { workspaceId, after: null, now: NOW });
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, cached: false });
    expect(fake.requests.length).toBe(calls + 2);
  });

  it("answers from the heuristics with the reason when the model fails, and asks the model again next time", async () => {
    useOpenAi();
    const { workspaceId, annId } = await workspaceWithAnn("Failing");
    fake.failNext(1, 500);
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({
      ok: true,
      cached: false,
      relationship: { summarySource: "heuristic", nextAction: "Reply to “Contract renewal” — waiting 3 days", inputHash: null, summaryNote: expect.stringMatching(/^The model's answer could not be used \(OpenAI failed \(500\)\)/) },
    });
    const calls = fake.requests.length;
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, cached: false, relationship: { summarySource: "openai" } });
    expect(fake.requests.length).toBe(calls + 1);
  });

  it("answers from the heuristics once the day's token budget is spent", async () => {
    useOpenAi(1);
    const { workspaceId, annId } = await workspaceWithAnn("Budget");
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, relationship: { summarySource: "openai" } });
    const before = await counted({ source: "heuristic", outcome: "over_budget" });
    await database.db.execute(`update contact_relationships set input_hash = null where workspace_id = '${workspaceId}'`);
    await database.db.delete(aiRecommendations).where(eq(aiRecommendations.workspaceId, workspaceId));
    const calls = fake.requests.length;
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({
      ok: true,
      relationship: { summarySource: "heuristic", summaryNote: expect.stringMatching(/^The workspace's AI token budget for today \(1 tokens, UTC\) is spent/) },
    });
    expect(fake.requests.length).toBe(calls);
    expect(await counted({ source: "heuristic", outcome: "over_budget" })).toBe(before + 1);
  });

  it(`allows ${RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE} model calls per workspace per minute, then answers 429 with when to retry`, async () => {
    useOpenAi();
    const { workspaceId, annId } = await workspaceWithAnn("Throttled");
    for (let n = 0; n < RELATIONSHIP_SUMMARIES_PER_WORKSPACE_PER_MINUTE; n++) {
      await insertRecommendation(database.db, { workspaceId, kind: "relationship-summary", targetType: "contact", targetId: annId, inputHash: `earlier-${n}`, basis: { kind: "relationship-summary" } as never });
    }
    const calls = fake.requests.length;
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 60 });
    expect(fake.requests.length).toBe(calls);
    // The heuristics cost nothing and are never throttled.
    useHeuristics();
    expect(await summarise({ workspaceId, contactId: annId })).toMatchObject({ ok: true, cached: false });
  });
});
