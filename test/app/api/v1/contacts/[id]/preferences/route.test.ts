import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createCategory } from "@/app/api/v1/categories/route";
import { GET as getPreferences, PATCH as patchPreferences } from "@/app/api/v1/contacts/[id]/preferences/route";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { auditLog } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  for (const body of [
    { key: "billing", name: "Billing" },
    { key: "security", name: "Security", required: true },
    { key: "promos", name: "Promotions", channelDefaults: { sms: false } },
  ]) {
    expect((await callRoute(createCategory, { method: "POST", path: "/api/v1/categories", apiKey, body })).status).toBe(201);
  }
});
afterAll(() => database.close());

async function contact(email: string): Promise<string> {
  const result = await upsertContactByEmail(database.db, { workspaceId, changes: { email } });
  if (!result.ok) throw new Error("conflict");
  return result.contact.id;
}

const get = (id: string, key = apiKey) => callRoute(getPreferences, { path: `/api/v1/contacts/${id}/preferences`, apiKey: key, params: { id } });
const patch = (id: string, body: unknown, key = apiKey) => callRoute(patchPreferences, { method: "PATCH", path: `/api/v1/contacts/${id}/preferences`, apiKey: key, params: { id }, body });

describe("GET /api/v1/contacts/{id}/preferences", () => {
  it("shows every category × channel with the workspace defaults for a contact who never chose", async () => {
    const id = await contact("fresh@example.com");
    const response = await get(id);
    expect(response.status).toBe(200);
    expect(response.body.contactId).toBe(id);
    expect(Object.keys(response.body.channels)).toEqual(["email", "sms", "whatsapp", "push", "in_app"]);
    expect(response.body.channels.email).toEqual({ enabled: true, origin: "workspace_default", changedBy: null, changedAt: null });
    const byKey = Object.fromEntries(response.body.categories.map((c: { key: string }) => [c.key, c]));
    expect(byKey.security).toMatchObject({ required: true, channels: { email: { enabled: true, origin: "required" } } });
    expect(byKey.promos.channels.sms).toMatchObject({ enabled: false, origin: "workspace_default" });
    expect(byKey.promos.channels.email).toMatchObject({ enabled: true, origin: "workspace_default" });
  });
});

describe("PATCH /api/v1/contacts/{id}/preferences", () => {
  it("changes the cells given, marks them the contact's choice (api, now), and audits it", async () => {
    const id = await contact("chooser@example.com");
    const response = await patch(id, {
      preferences: [
        { channel: "email", category: "billing", enabled: false },
        { channel: "sms", category: "promos", enabled: true },
        { channel: "push", enabled: false },
      ],
    });
    expect(response.status).toBe(200);
    const byKey = Object.fromEntries(response.body.categories.map((c: { key: string }) => [c.key, c]));
    expect(byKey.billing.channels.email).toMatchObject({ enabled: false, origin: "contact_category", changedBy: "api" });
    expect(Date.parse(byKey.billing.channels.email.changedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(byKey.billing.channels.sms).toMatchObject({ enabled: true, origin: "workspace_default" });
    expect(byKey.promos.channels.sms).toMatchObject({ enabled: true, origin: "contact_category" });
    expect(byKey.billing.channels.push).toMatchObject({ enabled: false, origin: "contact_channel", changedBy: "api" });
    expect(byKey.security.channels.push).toMatchObject({ enabled: true, origin: "required" });
    expect(response.body.channels.push).toMatchObject({ enabled: false, origin: "contact_channel" });
    expect((await get(id)).body).toEqual(response.body);
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "contact.preferences_changed")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^api_key:/);
  });

  it("refuses a required category, saying it is required, and writes nothing of the request", async () => {
    const id = await contact("required@example.com");
    const response = await patch(id, { preferences: [{ channel: "email", category: "billing", enabled: false }, { channel: "email", category: "security", enabled: false }] });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual({ "preferences.1.category": ["security is required: contacts cannot opt out of it, so it has no preference to change"] });
    const billing = (await get(id)).body.categories.find((c: { key: string }) => c.key === "billing");
    expect(billing.channels.email.origin).toBe("workspace_default");
  });

  it.each([
    [{ preferences: [{ channel: "fax", category: "billing", enabled: false }] }, "preferences.0.channel", 'must be one of "email", "sms", "whatsapp", "push", "in_app"'],
    [{ preferences: [{ channel: "email", category: "bills", enabled: false }] }, "preferences.0.category", 'unknown category "bills"; this workspace\'s categories are: billing, security, promos'],
    [{ preferences: [{ channel: "email", category: "Billing!", enabled: false }] }, "preferences.0.category", "lowercase letters"],
    [{ preferences: [{ channel: "email", enabled: "no" }] }, "preferences.0.enabled", "must be true or false"],
    [{ preferences: [] }, "preferences", "must have at least 1 item"],
    [{ preferences: Array.from({ length: 101 }, () => ({ channel: "email", enabled: true })) }, "preferences", "must have at most 100 items"],
    [{ preferences: [{ channel: "email", enabled: true, source: "me" }] }, "preferences.0.source", "is not a known field"],
  ])("refuses %j naming the field and what it must be", async (body, field, message) => {
    const id = await contact(`bad-${randomUUID()}@example.com`);
    const response = await patch(id, body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields[field].join(" ")).toContain(message);
  });

  it("answers 404 for another workspace's contact, an unknown id or a malformed one", async () => {
    const id = await contact("mine@example.com");
    expect((await get(id, otherKey)).status).toBe(404);
    expect((await patch(id, { preferences: [{ channel: "email", enabled: false }] }, otherKey)).status).toBe(404);
    expect((await get(randomUUID())).status).toBe(404);
    expect((await get("not-a-uuid")).status).toBe(404);
    expect((await get(id)).body.channels.email.origin).toBe("workspace_default");
  });

  it("refuses malformed JSON and an oversized body", async () => {
    const id = await contact("json@example.com");
    expect((await patch(id, "{nope")).status).toBe(400);
    expect((await patch(id, { preferences: [{ channel: "email", enabled: true }], pad: "x".repeat(2_000_000) })).status).toBe(413);
  });
});
