import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteContact, GET as getContact, PATCH as patchContact } from "@/app/api/v1/contacts/[id]/route";
import { GET as listContacts, POST as upsertContact } from "@/app/api/v1/contacts/route";
import type { Database } from "@/db";
import { contacts, workspaces } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const acme = await createWorkspace(database.db, { name: "Acme" });
  apiKey = acme.apiKey;
  await database.db.update(workspaces).set({ defaultRegion: "GB" }).where(eq(workspaces.id, acme.workspace.id));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(() => database.close());

const upsert = (body: unknown, key = apiKey) => callRoute(upsertContact, { method: "POST", path: "/api/v1/contacts", apiKey: key, body });
const byId = (handler: typeof getContact, method: string, id: string, body?: unknown, key = apiKey) =>
  callRoute(handler, { method, path: `/api/v1/contacts/${id}`, apiKey: key, params: { id }, body });

describe("POST /api/v1/contacts", () => {
  it("creates a contact with normalised fields (201), then updates it by email in any case (200)", async () => {
    const created = await upsert({
      email: "Grace@Example.com",
      phone: "020 7946 0958",
      firstName: "Grace",
      timezone: "europe/london",
      birthday: "1906-12-09",
      locale: "en_gb",
      attributes: { plan: "free", seats: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: "grace@example.com",
      phone: "+442079460958",
      timezone: "Europe/London",
      birthday: "1906-12-09",
      locale: "en-GB",
      status: "subscribed",
      attributes: { plan: "free", seats: 1 },
    });
    expect(created.body).not.toHaveProperty("workspaceId");

    const updated = await upsert({ email: "GRACE@example.COM", lastName: "Hopper", attributes: { plan: "pro", seats: null } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, firstName: "Grace", lastName: "Hopper", phone: "+442079460958", attributes: { plan: "pro" } });
    expect(updated.body.attributes).not.toHaveProperty("seats");
  });

  it("takes a birthday without a year as --MM-DD and shows it so; a full date replaces it", async () => {
    const created = await upsert({ email: "yearless@example.com", birthday: "--02-29" });
    expect(created.status).toBe(201);
    expect(created.body.birthday).toBe("--02-29");
    expect(created.body).not.toHaveProperty("birthdayMonth");
    expect((await byId(getContact, "GET", created.body.id)).body.birthday).toBe("--02-29");
    const patched = await byId(patchContact, "PATCH", created.body.id, { birthday: "1996-02-29" });
    expect(patched.body.birthday).toBe("1996-02-29");
    const invalid = await upsert({ email: "yearless@example.com", birthday: "--02-30" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.birthday).toEqual(["is not a real date"]);
  });

  it("never clears an unsubscribe", async () => {
    const created = await upsert({ email: "gone@example.com" });
    const unsubscribedAt = new Date("2025-01-01T00:00:00Z");
    await database.db.update(contacts).set({ status: "unsubscribed", unsubscribedAt }).where(eq(contacts.id, created.body.id));
    const again = await upsert({ email: "gone@example.com", firstName: "Back" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "unsubscribed", unsubscribedAt: unsubscribedAt.toISOString(), firstName: "Back" });
  });

  it.each(["workspaceId", "status", "createdAt", "unsubscribedAt", "suppressed", "consent", "id"])(
    "refuses to mass-assign %s with a field error and writes nothing",
    async (field) => {
      const response = await upsert({ email: `mass-${field}@example.com`, [field]: field === "status" ? "subscribed" : "x" });
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toHaveProperty(field);
      const rows = await database.db.select().from(contacts).where(eq(contacts.email, `mass-${field.toLowerCase()}@example.com`));
      expect(rows).toEqual([]);
    },
  );

  it("answers a phone that belongs to another contact with 409", async () => {
    const first = await upsert({ email: "owner@example.com", phone: "+1 415 555 0123" });
    const second = await upsert({ email: "other@example.com", phone: "(415) 555-0123".replace("(", "+1 (") });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("conflict");
    expect(second.body.error.message).toContain(first.body.id);
    expect(second.body.error.fields).toHaveProperty("phone");
  });

  it("reports every invalid field at once", async () => {
    const response = await upsert({ email: "not-an-email", phone: "12", timezone: "Mars/Base", birthday: "2001-02-30" });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields).sort()).toEqual(["birthday", "email", "phone", "timezone"]);
  });

  it.each([
    ["malformed JSON", "{\"email\": "],
    ["an array body", "[]"],
  ])("rejects %s with 400", async (_case, body) => {
    const response = await upsert(body);
    expect(response.status).toBe(400);
  });

  it("requires an API key", async () => {
    expect((await callRoute(upsertContact, { method: "POST", path: "/api/v1/contacts", body: { email: "a@example.com" } })).status).toBe(401);
  });
});

describe("GET|PATCH|DELETE /api/v1/contacts/:id", () => {
  // DELETE starts an erasure: test/app/api/v1/erasures/route.test.ts.
  it("reads and patches a contact", async () => {
    const { body: contact } = await upsert({ email: "patch@example.com", phone: "07911 123456" });
    expect((await byId(getContact, "GET", contact.id)).body).toMatchObject({ email: "patch@example.com", phone: "+447911123456" });
    const patched = await byId(patchContact, "PATCH", contact.id, { phone: null, firstName: "Pat", email: "Pat@Example.com" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ phone: null, firstName: "Pat", email: "pat@example.com" });
    expect(new Date(patched.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(contact.updatedAt).getTime());
  });

  it("answers 409 when a patch takes another contact's email", async () => {
    await upsert({ email: "taken@example.com" });
    const { body: contact } = await upsert({ email: "taker@example.com" });
    const response = await byId(patchContact, "PATCH", contact.id, { email: "TAKEN@example.com" });
    expect(response.status).toBe(409);
    expect(response.body.error.fields).toHaveProperty("email");
  });

  it("refuses status and an empty patch", async () => {
    const { body: contact } = await upsert({ email: "strict@example.com" });
    expect((await byId(patchContact, "PATCH", contact.id, { status: "unsubscribed" })).status).toBe(400);
    expect((await byId(patchContact, "PATCH", contact.id, {})).status).toBe(400);
  });

  it("answers 404 for another workspace's contact, whatever the method", async () => {
    const { body: contact } = await upsert({ email: "mine@example.com" });
    expect((await byId(getContact, "GET", contact.id, undefined, otherKey)).status).toBe(404);
    expect((await byId(patchContact, "PATCH", contact.id, { firstName: "Mallory" }, otherKey)).status).toBe(404);
    expect((await byId(deleteContact, "DELETE", contact.id, undefined, otherKey)).status).toBe(404);
    expect((await byId(getContact, "GET", contact.id)).body.firstName).toBeNull();
    expect((await byId(getContact, "GET", "not-a-uuid")).status).toBe(404);
  });

  it("keeps the same email apart across workspaces", async () => {
    const mine = await upsert({ email: "shared@example.com" });
    const theirs = await upsert({ email: "shared@example.com" }, otherKey);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});

describe("GET /api/v1/contacts", () => {
  it("pages newest first with a cursor and no gaps or repeats", async () => {
    const { apiKey: key } = await createWorkspace(database.db, { name: "Pager" });
    const emails = Array.from({ length: 7 }, (_, i) => `page${i}@example.com`);
    for (const email of emails) await upsert({ email }, key);
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const response: { status: number; body: { data: { email: string }[]; nextCursor: string | null } } = await callRoute(listContacts, {
        path: `/api/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        apiKey: key,
      });
      expect(response.status).toBe(200);
      seen.push(...response.body.data.map((c) => c.email));
      cursor = response.body.nextCursor;
    }
    expect(seen).toEqual([...emails].reverse());
  });

  it("does not lose rows that share the cursor's millisecond (cursors carry milliseconds, rows microseconds)", async () => {
    const { apiKey: key, workspace } = await createWorkspace(database.db, { name: "Micro" });
    for (let i = 1; i <= 5; i++) {
      const { body } = await upsert({ email: `micro${i}@example.com` }, key);
      await database.db.execute(sql`update contacts set created_at = ${`2024-01-01T00:00:00.12300${i}Z`}::timestamptz where id = ${body.id}::uuid`);
    }
    const seen = new Set<string>();
    let cursor: string | null = "";
    while (cursor !== null) {
      const response: { body: { data: { id: string }[]; nextCursor: string | null } } = await callRoute(listContacts, {
        path: `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        apiKey: key,
      });
      for (const contact of response.body.data) seen.add(contact.id);
      cursor = response.body.nextCursor;
    }
    const all = await database.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(seen.size).toBe(all.length);
  });

  it("filters by email, status and updatedSince", async () => {
    const { apiKey: key } = await createWorkspace(database.db, { name: "Filters" });
    const { body: early } = await upsert({ email: "early@example.com" }, key);
    await database.db.update(contacts).set({ status: "unsubscribed", updatedAt: new Date("2020-01-01T00:00:00Z") }).where(eq(contacts.id, early.id));
    await upsert({ email: "late@example.com" }, key);
    const list = async (query: string) =>
      (await callRoute(listContacts, { path: `/api/v1/contacts?${query}`, apiKey: key })).body.data.map((c: { email: string }) => c.email);
    expect(await list("email=EARLY%40example.com")).toEqual(["early@example.com"]);
    expect(await list("status=unsubscribed")).toEqual(["early@example.com"]);
    expect(await list("updatedSince=2024-01-01T00:00:00Z")).toEqual(["late@example.com"]);
  });

  it.each(["status=gone", "updatedSince=yesterday", "email=nope", "listId=123", "cursor=garbage", "limit=1000", "workspaceId=x"])(
    "rejects %s with 400",
    async (query) => {
      expect((await callRoute(listContacts, { path: `/api/v1/contacts?${query}`, apiKey })).status).toBe(400);
    },
  );

  it("never shows another workspace's contacts", async () => {
    const { apiKey: key } = await createWorkspace(database.db, { name: "Empty" });
    expect((await callRoute(listContacts, { path: "/api/v1/contacts", apiKey: key })).body).toEqual({ data: [], nextCursor: null });
  });
});
