import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertRecommendation } from "@/db/queries/ai-recommendations";
import { auditLog, contacts, mailboxConnections } from "@/db/schema";
import { API_OPERATIONS } from "@/lib/api/api-operations";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { insertMail, type Mail } from "@/test/support/mailbox-mail";

const listRoute = await import("@/app/api/v1/mailbox/relationships/route");
const relationshipRoute = await import("@/app/api/v1/contacts/[id]/relationship/route");
const summaryRoute = await import("@/app/api/v1/contacts/[id]/relationship/summary/route");
const recommendationsRoute = await import("@/app/api/v1/recommendations/route");

/**
 * The relationship API: three lists (strongest, going cold, awaiting a reply) as keyset pages,
 * one contact's figures and summary, and the summary asked on demand — with field errors, 404s
 * across workspaces, 409 without mailbox history and 429 past the per-minute limit.
 */
let database: Database;
let apiKey: string;
let workspaceId: string;
let otherKey: string;
const ids: Record<string, string> = {};
const OWNER = "me@own.example";
const DAY = 86_400_000;
const daysAgo = (days: number, hour = 9) => new Date(Math.floor(Date.now() / DAY) * DAY - days * DAY + hour * 3_600_000).toISOString();

/** Ann: a lively exchange with her last thread unanswered; Bob: a long exchange that stopped 120 days ago; Cat: only written to. */
const mail = (): Mail[] => [
  ...Array.from({ length: 10 }, (_, n): Mail[] => [
    { thread: `ann-${n}`, from: "ann@a.example", at: daysAgo(40 - 3 * n) },
    { thread: `ann-${n}`, from: OWNER, to: ["ann@a.example"], at: daysAgo(40 - 3 * n, 11) },
  ]).flat(),
  { thread: "ann-open", from: "ann@a.example", at: daysAgo(2), subject: "Contract renewal" },
  ...Array.from({ length: 30 }, (_, n): Mail[] => [
    { thread: `bob-${n}`, from: "bob@b.example", at: daysAgo(200 - 2 * n) },
    { thread: `bob-${n}`, from: OWNER, to: ["bob@b.example"], at: daysAgo(200 - 2 * n, 10) },
  ]).flat(),
  ...Array.from({ length: 4 }, (_, n): Mail => ({ thread: `cat-${n}`, from: OWNER, to: ["cat@c.example"], at: daysAgo(20 - n) })),
];

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Relationships API" }));
  const other = await createWorkspace(database.db, { name: "Other" });
  otherKey = other.apiKey;
  for (const email of ["ann@a.example", "bob@b.example", "cat@c.example", "quiet@q.example"]) {
    const [row] = await database.db.insert(contacts).values({ workspaceId, email }).returning();
    ids[email.split("@")[0]!] = row!.id;
  }
  const [stranger] = await database.db.insert(contacts).values({ workspaceId: other.workspace.id, email: "ann@a.example" }).returning();
  ids.stranger = stranger!.id;
  await database.db.insert(mailboxConnections).values({ workspaceId, kind: "import", label: "test", ownerAddresses: [OWNER] });
  await insertMail(database.db, { workspaceId, owner: OWNER, defaultTo: "ann@a.example", mail: mail() });
  await scoreRelationshipBatch(database.db, { workspaceId, after: null, now: new Date() });
});
afterAll(async () => {
  await database.close();
});
afterEach(() => vi.unstubAllEnvs());

const list = (query: string, key = apiKey) => callRoute(listRoute.GET, { path: `/api/v1/mailbox/relationships${query}`, apiKey: key });
const get = (contactId: string, key = apiKey) => callRoute(relationshipRoute.GET, { path: `/api/v1/contacts/${contactId}/relationship`, apiKey: key, params: { id: contactId } });
const summarise = (contactId: string, key = apiKey) => callRoute(summaryRoute.POST, { method: "POST", path: `/api/v1/contacts/${contactId}/relationship/summary`, apiKey: key, params: { id: contactId } });
const emails = (body: { data: { contact: { email: string } }[] }) => body.data.map((row) => row.contact.email);

describe("GET /api/v1/mailbox/relationships", () => {
  it("lists the strongest first, the ones going cold, and the ones awaiting a reply", async () => {
    const top = await list("");
    expect(top.status).toBe(200);
    expect(emails(top.body)).toEqual(["ann@a.example", "cat@c.example", "bob@b.example"]);
    expect(top.body.data[0]).toMatchObject({
      contactId: ids.ann,
      contact: { email: "ann@a.example", firstName: null, lastName: null },
      goingCold: false,
      messages: { sent: 10, received: 11, sentLast90Days: 10, receivedLast90Days: 11 },
      medianReplySeconds: { you: 7_200, them: null },
      awaitingReply: { threads: 1, newestSubject: "Contract renewal", newestAt: daysAgo(2) },
      summary: null,
    });
    expect(emails((await list("?view=cold")).body)).toEqual(["bob@b.example"]);
    expect(emails((await list("?view=awaiting")).body)).toEqual(["ann@a.example"]);
  });

  it("pages by keyset: each page starts after the last row of the one before", async () => {
    const first = await list("?limit=2");
    expect(emails(first.body)).toEqual(["ann@a.example", "cat@c.example"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(emails(second.body)).toEqual(["bob@b.example"]);
  });

  it("answers 400 naming each bad field, 401 without a key, and another workspace sees none of it", async () => {
    const bad = await list("?view=warm&limit=0&cursor=nope&sort=name");
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["cursor", "limit", "sort", "view"]);
    expect(bad.body.error.fields.cursor).toEqual(["is not a valid cursor"]);
    expect((await callRoute(listRoute.GET, { path: "/api/v1/mailbox/relationships" })).status).toBe(401);
    expect((await list("", otherKey)).body).toEqual({ data: [], nextCursor: null });
  });
});

describe("GET /api/v1/contacts/{id}/relationship", () => {
  it("answers the figures, and 404 for another workspace's contact, a malformed id, or a contact without mailbox history", async () => {
    const ann = await get(ids.ann!);
    expect(ann.status).toBe(200);
    expect(ann.body).toMatchObject({ contactId: ids.ann, strength: expect.any(Number), summary: null });
    expect(ann.body.contact).toBeUndefined();
    expect((await get(ids.stranger!)).body.error).toEqual({ code: "not_found", message: "Contact not found" });
    expect((await get("not-an-id")).status).toBe(404);
    const quiet = await get(ids.quiet!);
    expect(quiet.status).toBe(404);
    expect(quiet.body.error.message).toMatch(/^No mailbox history with this contact/);
  });
});

describe("POST /api/v1/contacts/{id}/relationship/summary", () => {
  it("summarises (heuristics offline), answers an unchanged relationship from the stored summary, and audits the ask as the API key's", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    const first = await summarise(ids.ann!);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ cached: false, relationship: { contactId: ids.ann, summary: { nextAction: "Reply to “Contract renewal” — waiting 2 days", source: "heuristic", recommendationId: expect.any(String) } } });
    expect((await summarise(ids.ann!)).body).toMatchObject({ cached: true, relationship: { summary: first.body.relationship.summary } });
    expect((await get(ids.ann!)).body.summary).toEqual(first.body.relationship.summary);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, "contact.relationship_summarised"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ workspaceId, targetId: ids.ann, actor: expect.stringMatching(/^api_key:/), details: { source: "heuristic", outcome: "offline" } });
  });

  it("answers 409 without mailbox history, 404 across workspaces, and 429 with Retry-After past the model's per-minute limit", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    expect((await summarise(ids.quiet!)).body.error).toMatchObject({ code: "no_mailbox_history" });
    expect((await summarise(ids.quiet!)).status).toBe(409);
    expect((await summarise(ids.stranger!)).status).toBe(404);

    vi.stubEnv("OPENAI_API_KEY", "sk-never-called");
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    for (let n = 0; n < 10; n++) {
      await insertRecommendation(database.db, { workspaceId, kind: "relationship-summary", targetType: "contact", targetId: ids.bob!, inputHash: `earlier-${n}`, basis: { kind: "relationship-summary" } as never });
    }
    const limited = await summarise(ids.bob!);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(limited.response.headers.get("retry-after")).toBe("60");
  });

  it("is not asked through POST /api/v1/recommendations, which names the route to use", async () => {
    const { status, body } = await callRoute(recommendationsRoute.POST, { method: "POST", path: "/api/v1/recommendations", apiKey, body: { kind: "relationship-summary" } });
    expect(status).toBe(400);
    expect(body.error.fields).toEqual({ kind: ["is asked per contact: POST /api/v1/contacts/{id}/relationship/summary"] });
  });

  it("all three are in the OpenAPI document, with the 429", () => {
    const operations = API_OPERATIONS.filter((operation) => operation.id.startsWith("relationships."));
    expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toEqual([
      "get /mailbox/relationships",
      "get /contacts/{id}/relationship",
      "post /contacts/{id}/relationship/summary",
    ]);
    expect(operations[2]!.errors).toHaveProperty("429");
  });
});
