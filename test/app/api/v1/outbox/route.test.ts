import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/outbox/route";
import type { Database } from "@/db";
import { insertMessage } from "@/db/queries/messages";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { get, noParams, outboxRow } from "./fixtures";

const URL_BASE = "http://localhost/api/v1/outbox";

type OutboxPage = { data: { id: string; to: string; messageId: string | null; campaignId: string | null; html: string | null; createdAt: string }[]; nextCursor: string | null };

let database: Database;
let key: string;
let otherKey: string;
const messageId = randomUUID();
const campaignId = randomUUID();
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await useTestDatabase();
  const { db } = database;
  const mine = await createWorkspace(db, { name: "mine" });
  const other = await createWorkspace(db, { name: "other" });
  key = mine.apiKey;
  otherKey = other.apiKey;
  const w = mine.workspace.id;
  ids.oldest = (await outboxRow(db, w, { minutesAgo: 50, to: "bob@example.com" })).id;
  ids.campaign1 = (await outboxRow(db, w, { minutesAgo: 40, to: "carol@example.com", campaignId })).id;
  ids.campaign2 = (await outboxRow(db, w, { minutesAgo: 30, to: "dan@example.com", campaignId })).id;
  ids.message = (await outboxRow(db, w, { minutesAgo: 20, messageId })).id;
  ids.newest = (await outboxRow(db, w, { minutesAgo: 10, to: "bob@example.com", html: "<script>alert(1)</script>" })).id;
  ids.foreign = (await outboxRow(db, other.workspace.id, { minutesAgo: 5, to: "bob@example.com", messageId, campaignId })).id;
  // A notification posted with the caller's own messageId, in both workspaces.
  for (const [workspaceId, name] of [[w, "welcome"], [other.workspace.id, "foreignWelcome"]] as const) {
    const { row } = await insertMessage(db, { workspaceId, idempotencyKey: "welcome-1", channel: "email", recipient: "eve@example.com", request: { data: {} } });
    ids[name] = (await outboxRow(db, workspaceId, { minutesAgo: 60, to: "eve@example.com", messageId: row.id })).id;
    ids[`${name}Message`] = row.id;
  }
});

afterAll(async () => {
  await database.close();
});

async function list(query: string, apiKey = key): Promise<{ status: number; body: OutboxPage & { error?: { code: string; fields?: Record<string, string[]> } } }> {
  const response = await GET(get(`${URL_BASE}${query}`, apiKey), noParams);
  return { status: response.status, body: await response.json() };
}

describe("GET /api/v1/outbox", () => {
  it("lists this workspace's outbox newest first, content included", async () => {
    const { status, body } = await list("");
    expect(status).toBe(200);
    expect(body.data.map((row) => row.id)).toEqual([ids.newest, ids.message, ids.campaign2, ids.campaign1, ids.oldest, ids.welcome]);
    expect(body.nextCursor).toBeNull();
    expect(body.data[0]).toMatchObject({ to: "bob@example.com", html: "<script>alert(1)</script>", text: "Hello", headers: { "X-Entity-Ref-ID": "abc" } });
    expect(body.data[0]).not.toHaveProperty("workspaceId");
  });

  it.each([
    ["messageId", () => `?messageId=${messageId}`, () => [ids.message]],
    ["campaignId", () => `?campaignId=${campaignId}`, () => [ids.campaign2, ids.campaign1]],
    ["to", () => "?to=bob@example.com", () => [ids.newest, ids.oldest]],
    ["to + campaignId", () => `?to=carol@example.com&campaignId=${campaignId}`, () => [ids.campaign1]],
    ["no match", () => `?messageId=${randomUUID()}`, () => []],
    ["the caller's own messageId (the one posted to /notifications)", () => "?messageId=welcome-1", () => [ids.welcome]],
    ["the message's id", () => `?messageId=${ids.welcomeMessage}`, () => [ids.welcome]],
    ["a caller's messageId no message has", () => "?messageId=welcome-2", () => []],
  ])("filters by %s, never across workspaces", async (_name, query, expected) => {
    const { status, body } = await list(query());
    expect(status).toBe(200);
    expect(body.data.map((row) => row.id)).toEqual(expected());
  });

  it("pages with keyset cursors until the end", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const { status, body } = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((row) => row.id));
      cursor = body.nextCursor;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([ids.newest, ids.message, ids.campaign2, ids.campaign1, ids.oldest, ids.welcome]);
  });

  it("keeps filters across pages", async () => {
    const first = await list(`?campaignId=${campaignId}&limit=1`);
    expect(first.body.data.map((row) => row.id)).toEqual([ids.campaign2]);
    const second = await list(`?campaignId=${campaignId}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((row) => row.id)).toEqual([ids.campaign1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("uses the API key's workspace only", async () => {
    const { body } = await list("", otherKey);
    expect(body.data.map((row) => row.id)).toEqual([ids.foreign, ids.foreignWelcome]);
  });

  it.each([
    ["an unknown parameter", "?workspaceId=x", "workspaceId"],
    ["two unknown parameters", "?foo=1&bar=2", "bar"],
    ["an unknown parameter next to a bad one", "?limit=0&page=2", "page"],
    ["a limit above 100", "?limit=101", "limit"],
    ["a limit of 0", "?limit=0", "limit"],
    ["a non-numeric limit", "?limit=ten", "limit"],
    ["an empty messageId", "?messageId=", "messageId"],
    ["a messageId longer than any", `?messageId=${"x".repeat(201)}`, "messageId"],
    ["a malformed campaignId", "?campaignId=nope", "campaignId"],
    ["an empty to", "?to=", "to"],
    ["a forged cursor", "?cursor=not-a-cursor", "cursor"],
  ])("rejects %s with 400 and field errors", async (_name, query, field) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error?.code).toBe("invalid_request");
    expect(body.error?.fields?.[field]?.length).toBeGreaterThan(0);
  });

  it.each([
    ["no key", undefined],
    ["a wrong key", "sl_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["garbage", "hunter2"],
  ])("answers 401 with %s", async (_name, apiKey) => {
    const response = await GET(get(URL_BASE, apiKey), noParams);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });
});
