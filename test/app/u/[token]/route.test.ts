import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getContact } from "@/app/api/v1/contacts/[id]/route";
import { GET, POST } from "@/app/u/[token]/route";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { auditLog, contacts, messages } from "@/db/schema";
import { signTrackingToken } from "@/lib/tracking/tracking-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { createTrackedMessage, readMessage, TEST_TRACKING_SECRET } from "../../t/tracked-message";

let database: Database;
let workspaceId: string;
let apiKey: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", TEST_TRACKING_SECRET);
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId }, apiKey } = await createWorkspace(database.db, { name: "Acme" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const unsubscribeToken = (messageId: string) => signTrackingToken({ action: "u", messageId });
const confirmationPage = (token: string) => callRoute(GET, { path: `/u/${token}`, params: { token } });

/** A POST as a mail client sends it (RFC 8058), or with another form body. */
function post(token: string, body = "List-Unsubscribe=One-Click", contentType = "application/x-www-form-urlencoded") {
  const request = new Request(`http://localhost/u/${token}`, { method: "POST", headers: { "content-type": contentType }, body });
  return POST(request, { params: Promise.resolve({ token }) });
}

const contactView = async (contactId: string) => (await callRoute(getContact, { path: `/api/v1/contacts/${contactId}`, apiKey, params: { id: contactId } })).body;
const auditEntries = (contactId: string) =>
  database.db.select().from(auditLog).where(and(eq(auditLog.action, "contact.unsubscribed"), eq(auditLog.targetId, contactId)));

describe("GET /u/:token", () => {
  it("shows a confirmation page with a POST form, and unsubscribes nobody", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { status, body, response } = await confirmationPage(unsubscribeToken(message.id));
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(body).toMatch(/<form method="post">/);
    expect(body).toContain('name="List-Unsubscribe" value="One-Click"');
    // The way to choose rather than leave: the same message's preference center.
    expect(body).toContain(`<a href="/p/${signTrackingToken({ action: "p", messageId: message.id })}">Manage your preferences instead</a>`);
    expect(await contactView(message.contactId)).toMatchObject({ status: "subscribed", unsubscribedAt: null });
    expect((await readMessage(database.db, message.id)).unsubscribedAt).toBeNull();
  });

  it("answers a 404 page for a tampered or foreign token", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = unsubscribeToken(message.id);
    expect((await confirmationPage(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).status).toBe(404);
    expect((await confirmationPage(signTrackingToken({ action: "o", messageId: message.id }))).status).toBe(404);
  });
});

describe("POST /u/:token", () => {
  it("unsubscribes the contact with RFC 8058's one-click body, no cookie or login", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const response = await post(unsubscribeToken(message.id));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are unsubscribed");

    const contact = await contactView(message.contactId);
    expect(contact).toMatchObject({ id: message.contactId, status: "unsubscribed" });
    expect(contact.unsubscribedAt).toEqual(expect.any(String));
    expect((await readMessage(database.db, message.id)).unsubscribedAt).toEqual(new Date(contact.unsubscribedAt));
    expect(await auditEntries(message.contactId)).toMatchObject([
      { workspaceId, actor: "recipient", targetType: "contact", details: { source: "unsubscribe_link", via: "one-click", messageId: message.id } },
    ]);
  });

  it("accepts the confirmation page's own form, and records that it came from there", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const response = await post(unsubscribeToken(message.id), "List-Unsubscribe=One-Click&via=page");
    expect(response.status).toBe(200);
    expect(await contactView(message.contactId)).toMatchObject({ status: "unsubscribed" });
    expect(await auditEntries(message.contactId)).toMatchObject([{ details: { via: "page" } }]);
  });

  it("accepts a multipart one-click body and an empty one", async () => {
    const multipart = await createTrackedMessage(database.db, { workspaceId });
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const request = new Request(`http://localhost/u/x`, { method: "POST", body: form });
    expect((await POST(request, { params: Promise.resolve({ token: unsubscribeToken(multipart.id) }) })).status).toBe(200);
    expect(await contactView(multipart.contactId)).toMatchObject({ status: "unsubscribed" });

    const empty = await createTrackedMessage(database.db, { workspaceId });
    expect((await post(unsubscribeToken(empty.id), "", "text/plain")).status).toBe(200);
    expect(await contactView(empty.contactId)).toMatchObject({ status: "unsubscribed" });
  });

  it("is idempotent: a repeat answers the same and changes nothing, not even the audit log", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = unsubscribeToken(message.id);
    await post(token);
    const first = await contactView(message.contactId);
    const again = await post(token);
    expect(again.status).toBe(200);
    expect(await contactView(message.contactId)).toEqual(first);
    expect(await auditEntries(message.contactId)).toHaveLength(1);
    // One "unsubscribed" in the engagement stream, however often the link is used.
    expect((await listMessageEngagement(database.db, { workspaceId, messageId: message.id })).map((event) => [event.type, event.source])).toEqual([["unsubscribed", "unsubscribe"]]);
  });

  it("keeps an earlier unsubscribe's time", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const unsubscribedAt = new Date("2025-06-01T00:00:00Z");
    await database.db.update(contacts).set({ status: "unsubscribed", unsubscribedAt }).where(eq(contacts.id, message.contactId));
    expect((await post(unsubscribeToken(message.id))).status).toBe(200);
    expect(await contactView(message.contactId)).toMatchObject({ status: "unsubscribed", unsubscribedAt: unsubscribedAt.toISOString() });
    expect((await readMessage(database.db, message.id)).unsubscribedAt).toBeInstanceOf(Date);
  });

  it("succeeds for a message whose contact was erased", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await database.db.delete(contacts).where(eq(contacts.id, message.contactId));
    expect((await readMessage(database.db, message.id)).contactId).toBeNull();
    const response = await post(unsubscribeToken(message.id));
    expect(response.status).toBe(200);
    expect((await readMessage(database.db, message.id)).unsubscribedAt).toBeInstanceOf(Date);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, "contact.unsubscribed"), eq(auditLog.targetId, message.id)));
    expect(entry).toMatchObject({ targetType: "message", details: { messageId: message.id } });
  });

  it("only touches the message's own contact, in the message's own workspace", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const bystander = await createTrackedMessage(database.db, { workspaceId });
    await post(unsubscribeToken(message.id));
    expect(await contactView(bystander.contactId)).toMatchObject({ status: "subscribed" });
  });

  it.each([
    ["a tampered token", (token: string) => `${token.slice(0, 5)}${token[5] === "A" ? "B" : "A"}${token.slice(6)}`],
    ["an open token", (_token: string, messageId: string) => signTrackingToken({ action: "o", messageId })],
    ["a click token", (_token: string, messageId: string) => signTrackingToken({ action: "c", messageId, url: "https://x.example/" })],
  ])("refuses %s with a 404 page and unsubscribes nobody", async (_case, spoil) => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = unsubscribeToken(message.id);
    const response = await post(spoil(token, message.id));
    expect(response.status).toBe(404);
    expect(await contactView(message.contactId)).toMatchObject({ status: "subscribed" });
  });

  it("says so when the message no longer exists", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    await database.db.delete(messages).where(eq(messages.id, message.id));
    const response = await post(unsubscribeToken(message.id));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This link has expired");
  });
});
