import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { deadLetterMessages } from "@/db/queries/dead-letters";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { auditLog } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

// The retry routes send notification/send.requested; a loopback recorder plays the Inngest server.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const list = await import("@/app/api/v1/dead-letters/route");
const detail = await import("@/app/api/v1/dead-letters/[id]/route");
const retryOne = await import("@/app/api/v1/dead-letters/[id]/retry/route");
const retryMatching = await import("@/app/api/v1/dead-letters/retry/route");
const exportCsv = await import("@/app/api/v1/dead-letters/export/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let otherWorkspaceId: string;
let counter = 0;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey, workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});
beforeEach(() => {
  recorder.events.length = 0;
});

async function deadLetter(values: { workspace?: string; channel?: "email" | "sms"; recipient?: string; error?: string } = {}) {
  const ws = values.workspace ?? workspaceId;
  const channel = values.channel ?? "email";
  const { row } = await insertMessage(database.db, {
    workspaceId: ws,
    idempotencyKey: `dl-${++counter}`,
    channel,
    recipient: values.recipient ?? (channel === "email" ? `r${counter}@example.com` : "+14155550100"),
    request: { data: {} },
  });
  await recordMessageAttempts(database.db, [{ workspaceId: ws, messageId: row.id, provider: "resend", outcome: "failed", error: "resend: down (HTTP 503)", attempt: 1 }]);
  await deadLetterMessages(database.db, { workspaceId: ws, messageIds: [row.id], error: values.error ?? "Gave up after 1 failed attempt; the last: resend: down (HTTP 503)" });
  return row;
}

const get = (path: string, key = apiKey) => callRoute(list.GET, { path, apiKey: key });

describe("GET /api/v1/dead-letters", () => {
  it("lists dead letters newest first with their last error and attempts, filtered", async () => {
    const email = await deadLetter({ error: "resend: down (HTTP 503)" });
    const sms = await deadLetter({ channel: "sms", error: "Twilio SMS needs TWILIO_FROM" });
    const all = await get("/api/v1/dead-letters");
    expect(all.status).toBe(200);
    expect(all.body.data.slice(0, 2).map((row: { id: string }) => row.id)).toEqual([sms.id, email.id]);
    expect(all.body.data[1]).toMatchObject({ status: "failed", error: "resend: down (HTTP 503)", attemptCount: 1, retryCount: 0, kind: "transactional", deadLetteredAt: expect.any(String) });

    const filtered = await get("/api/v1/dead-letters?channel=sms&error=twilio_from");
    expect(filtered.body.data.map((row: { id: string }) => row.id)).toEqual([sms.id]);
    expect((await get(`/api/v1/dead-letters?until=${encodeURIComponent("2000-01-01T00:00:00Z")}`)).body.data).toEqual([]);
    expect((await get("/api/v1/dead-letters", otherKey)).body.data).toEqual([]);
  });

  it("pages with nextCursor", async () => {
    await deadLetter();
    await deadLetter();
    const first = await get("/api/v1/dead-letters?limit=1");
    const second = await get(`/api/v1/dead-letters?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it.each([
    ["channel=fax", "channel"],
    ["since=yesterday", "since"],
    ["since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until"],
    ["limit=0", "limit"],
    ["cursor=nope", "cursor"],
    ["colour=red", "colour"],
  ])("answers 400 naming the field for ?%s", async (query, field) => {
    const response = await get(`/api/v1/dead-letters?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields)).toEqual([field]);
  });
});

describe("GET /api/v1/dead-letters/{id}", () => {
  it("shows one with its attempt history", async () => {
    const row = await deadLetter();
    const response = await callRoute(detail.GET, { path: "/", apiKey, params: { id: row.id } });
    expect(response.status).toBe(200);
    expect(response.body.attempts).toEqual([{ at: expect.any(String), provider: "resend", outcome: "failed", error: "resend: down (HTTP 503)", attempt: 1 }]);
  });

  it("answers 404 for another workspace's dead letter and for a malformed id", async () => {
    const theirs = await deadLetter({ workspace: otherWorkspaceId });
    expect((await callRoute(detail.GET, { path: "/", apiKey, params: { id: theirs.id } })).status).toBe(404);
    expect((await callRoute(detail.GET, { path: "/", apiKey, params: { id: "nope" } })).status).toBe(404);
    expect((await callRoute(retryOne.POST, { method: "POST", path: "/", apiKey, params: { id: theirs.id } })).status).toBe(404);
    expect((await findMessageById(database.db, { messageId: theirs.id }))?.status).toBe("failed");
  });
});

describe("POST /api/v1/dead-letters/{id}/retry", () => {
  it("queues it again once, with a new event id, audited; a second retry is a 409", async () => {
    const row = await deadLetter();
    const retry = () => callRoute(retryOne.POST, { method: "POST", path: "/", apiKey, params: { id: row.id } });
    const [first, second] = await Promise.all([retry(), retry()]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const accepted = first.status === 202 ? first : second;
    expect(accepted.body).toEqual({ retried: 1, messages: [{ id: row.id, retryCount: 1 }] });
    expect(recorder.events).toEqual([expect.objectContaining({ name: "notification/send.requested", id: `dead-letter-retry-${row.id}-1`, data: { workspaceId, messageId: row.id, channel: "email" } })]);
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "queued", deadLetteredAt: null, retryCount: 1 });
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.targetId, row.id));
    expect(audit).toEqual([expect.objectContaining({ action: "message.dead_letter_retried", actor: expect.stringMatching(/^api_key:/), details: { retryCount: 1 } })]);
    expect((await retry()).body.error.message).toMatch(/not a dead letter.*queued/);
  });

  it("puts it back in the dead letters and answers 503 when the event cannot be sent", async () => {
    const row = await deadLetter();
    recorder.failNext(10);
    const response = await callRoute(retryOne.POST, { method: "POST", path: "/", apiKey, params: { id: row.id } });
    recorder.failNext(0);
    expect(response.status).toBe(503);
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "failed", deadLetteredAt: expect.any(Date), error: expect.stringMatching(/could not be queued/) });
  });
});

describe("POST /api/v1/dead-letters/retry", () => {
  it("queues up to `limit` matching ones, oldest first, each once", async () => {
    const rows = [await deadLetter({ error: "bulk: outage" }), await deadLetter({ error: "bulk: outage" }), await deadLetter({ error: "bulk: outage" })];
    const retry = (limit: number) => callRoute(retryMatching.POST, { method: "POST", path: "/", apiKey, body: { error: "bulk: outage", limit } });
    const first = await retry(2);
    expect(first.status).toBe(202);
    expect(first.body.messages.map((m: { id: string }) => m.id)).toEqual(rows.slice(0, 2).map((row) => row.id));
    const [a, b] = await Promise.all([retry(10), retry(10)]);
    expect(a.body.retried + b.body.retried).toBe(1);
    expect((await retry(10)).body).toEqual({ retried: 0, messages: [] });
    expect(recorder.events.map((event) => event.data.messageId).sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it("answers 400 with field errors", async () => {
    const response = await callRoute(retryMatching.POST, { method: "POST", path: "/", apiKey, body: { limit: 501, kind: "bulk" } });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields).sort()).toEqual(["kind", "limit"]);
  });
});

describe("GET /api/v1/dead-letters/export", () => {
  it("streams the matching dead letters as formula-safe CSV", async () => {
    await deadLetter({ recipient: "=cmd@example.com", error: "csv: =HYPERLINK(\"x\")" });
    const response = await callRoute(exportCsv.GET, { path: "/api/v1/dead-letters/export?error=csv:", apiKey });
    expect(response.status).toBe(200);
    expect(response.response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (response.body as string).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("id,message_id,kind,channel,recipient,subject,dead_lettered_at,attempts,retries,error");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",'=cmd@example.com,");
    expect(lines[1]).toContain(`,1,0,"csv: =HYPERLINK(""x"")"`);
  });
});
