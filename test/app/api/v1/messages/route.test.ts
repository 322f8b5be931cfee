import { randomUUID } from "node:crypto";
import { createProviders } from "@/lib/providers/create-providers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getMessage } from "@/app/api/v1/messages/[id]/route";
import { GET as listMessages } from "@/app/api/v1/messages/route";
import { GET as getNotification } from "@/app/api/v1/notifications/[id]/route";
import type { Database } from "@/db";
import { insertMessage } from "@/db/queries/messages";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { messageViewSchema, messagesResponse } from "@/lib/messages/message-request";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

const settings = { ...campaignSettings({}), emailRequestsPerSecond: 1_000 };
let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let campaignId: string;
let notificationId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "messages-secret-messages-secret-messages");
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  const other = await createWorkspace(database.db, { name: "Other" });
  otherKey = other.apiKey;
  await insertMessage(database.db, { workspaceId: other.workspace.id, idempotencyKey: "theirs", channel: "email", recipient: "m1@example.com", request: { data: {} } });
  // Three campaign messages; the template needs an attribute one contact lacks.
  const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 3, prefix: "m", template: { subject: "Plan", body: "<p>{{ contact.attributes.plan }}</p>" } });
  campaignId = campaign.id;
  await database.db.execute(sql`update contacts set attributes = '{"plan":"pro"}' where email in ('m1@example.com', 'm3@example.com')`);
  const providers = createProviders(database.db, {});
  await deliverChunk(database.db, providers, settings, { workspaceId, campaignId, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
  // And one transactional message, queued last.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: "welcome-1", channel: "email", recipient: "ann@example.com", request: { data: {} } });
  notificationId = row.id;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const list = (query = "", key = apiKey) => callRoute(listMessages, { path: `/api/v1/messages${query}`, apiKey: key });
const one = (id: string, key = apiKey) => callRoute(getMessage, { path: `/api/v1/messages/${id}`, apiKey: key, params: { id } });

describe("GET /api/v1/messages", () => {
  it("lists every message of the workspace, transactional and campaign, newest first", async () => {
    const response = await list();
    expect(response.status).toBe(200);
    expect(messagesResponse.parse(response.body)).toEqual(response.body);
    expect(response.body.data).toHaveLength(4);
    expect(response.body.data[0]).toMatchObject({ id: notificationId, messageId: "welcome-1", kind: "transactional", campaignId: null, status: "queued" });
    expect(response.body.data.slice(1).every((row: { kind: string; campaignId: string }) => row.kind === "campaign" && row.campaignId === campaignId)).toBe(true);
  });

  it.each([
    ["campaign", () => `?campaignId=${campaignId}`, 3],
    ["kind", () => "?kind=transactional", 1],
    ["status", () => "?status=sent", 2],
    ["recipient, in any case", () => "?to=M2@Example.com", 1],
    ["campaign and status", () => `?campaignId=${campaignId}&status=failed`, 1],
    ["a campaign of another workspace", () => `?campaignId=${randomUUID()}`, 0],
  ])("filters by %s", async (_case, query, count) => {
    expect((await list(query())).body.data).toHaveLength(count);
  });

  it("shows why a campaign message failed", async () => {
    const [failed] = (await list(`?campaignId=${campaignId}&status=failed`)).body.data;
    expect(failed).toMatchObject({ recipient: "m2@example.com", kind: "campaign", error: "template variable `contact.attributes.plan` is undefined in the body, line 1" });
    expect(failed.timestamps.failedAt).toEqual(expect.any(String));
  });

  it("pages with a cursor", async () => {
    const first = await list("?limit=3");
    const second = await list(`?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([...first.body.data, ...second.body.data].map((row: { id: string }) => row.id)).size).toBe(4);
  });

  it("rejects bad filters with field errors", async () => {
    for (const [query, field] of [["?status=lost", "status"], ["?kind=bulk", "kind"], ["?campaignId=nope", "campaignId"], ["?page=2", "page"]] as const) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      expect(Object.keys(response.body.error.fields)).toContain(field);
    }
  });

  it("never shows another workspace's messages", async () => {
    expect((await list("", otherKey)).body.data.map((row: { messageId: string }) => row.messageId)).toEqual(["theirs"]);
  });
});

describe("GET /api/v1/messages/:id", () => {
  it("reads a campaign message, which /notifications/:id does not", async () => {
    const [row] = (await list(`?campaignId=${campaignId}&to=m1@example.com`)).body.data;
    const response = await one(row.id);
    expect(response.status).toBe(200);
    expect(messageViewSchema.parse(response.body)).toEqual(response.body);
    expect(response.body).toMatchObject({ id: row.id, kind: "campaign", campaignId, status: "sent", subject: "Plan", provider: "outbox" });
    expect((await callRoute(getNotification, { path: "/", apiKey, params: { id: row.id } })).status).toBe(404);
  });

  it("reads a transactional message the same way", async () => {
    expect((await one(notificationId)).body).toMatchObject({ id: notificationId, kind: "transactional", messageId: "welcome-1" });
  });

  it("answers 404 for another workspace's message, an unknown id or a malformed one", async () => {
    expect((await one(notificationId, otherKey)).status).toBe(404);
    expect((await one(randomUUID())).status).toBe(404);
    expect((await one("welcome-1")).status).toBe(404);
  });
});
