import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/outbox/[id]/route";
import type { Database } from "@/db";
import type { OutboxMessage } from "@/db/queries/outbox-messages";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { get, outboxRow } from "../fixtures";

let database: Database;
let key: string;
let mine: OutboxMessage;
let theirs: OutboxMessage;

beforeAll(async () => {
  database = await useTestDatabase();
  const a = await createWorkspace(database.db, { name: "a" });
  const b = await createWorkspace(database.db, { name: "b" });
  key = a.apiKey;
  mine = await outboxRow(database.db, a.workspace.id, { subject: "Mine", replyTo: "support@sendline.test" });
  theirs = await outboxRow(database.db, b.workspace.id, { subject: "Theirs" });
});

afterAll(async () => {
  await database.close();
});

function fetchOne(id: string, apiKey: string | null = key) {
  return GET(get(`http://localhost/api/v1/outbox/${id}`, apiKey ?? undefined), { params: Promise.resolve({ id }) });
}

describe("GET /api/v1/outbox/:id", () => {
  it("returns the stored message", async () => {
    const response = await fetchOne(mine.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: mine.id,
      messageId: null,
      campaignId: null,
      channel: "email",
      from: mine.from,
      to: mine.to,
      replyTo: "support@sendline.test",
      subject: "Mine",
      headers: mine.headers,
      html: mine.html,
      text: mine.text,
      idempotencyKey: mine.idempotencyKey,
      createdAt: mine.createdAt.toISOString(),
    });
  });

  it.each([
    ["another workspace's id", () => theirs.id],
    ["an unknown id", () => "00000000-0000-4000-8000-000000000000"],
    ["a malformed id", () => "not-a-uuid"],
  ])("answers 404 for %s", async (_name, id) => {
    const response = await fetchOne(id());
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers 401 without a key, before looking anything up", async () => {
    const response = await fetchOne(mine.id, null);
    expect(response.status).toBe(401);
  });
});
