import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { deleteContact } from "@/db/queries/contacts";
import { listInboxMessages } from "@/db/queries/inbox-messages";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { deliverMessage } from "@/lib/notifications/deliver-message";
import { createProviders } from "@/lib/providers/create-providers";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { insertInboxContact } from "@/test/support/inbox";
import { listMessageEngagement } from "@/db/queries/engagement-events";

let database: Database;
let workspaceId: string;
let n = 0;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "In-app" }));
});
afterAll(() => database.close());

/** A queued in-app notification, as POST /api/v1/notifications leaves it. */
async function queued(contactId: string, request: { subject?: string; body: string; data?: Record<string, unknown> }) {
  const { row } = await insertMessage(database.db, {
    workspaceId,
    idempotencyKey: `in-app-${++n}`,
    channel: "in_app",
    recipient: contactId,
    contactId,
    request: { ...request, data: request.data ?? {} },
  });
  return row;
}
const deliver = (messageId: string) => deliverMessage(database.db, createProviders(database.db, {}), { workspaceId, messageId });
const inboxOf = (contactId: string) => listInboxMessages(database.db, { workspaceId, contactId, view: "all", limit: 10 });

describe("delivering an in-app message", () => {
  it("stores it in the contact's inbox once and records it delivered, its heading as the subject", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    const message = await queued(contactId, { subject: "Hi {{ name }}", body: "Your report is ready", data: { name: "Ann", actionUrl: "https://app.example.com/r/1" } });
    expect(await deliver(message.id)).toMatchObject({ outcome: "sent" });
    expect(await deliver(message.id)).toMatchObject({ outcome: "skipped", status: "delivered" });

    const inbox = await inboxOf(contactId);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ messageId: message.id, title: "Hi Ann", body: "Your report is ready", actionUrl: "https://app.example.com/r/1" });
    const row = await findMessageById(database.db, { messageId: message.id });
    expect(row).toMatchObject({ status: "delivered", provider: "inbox", providerMessageId: `inbox_${inbox[0]!.id}`, subject: "Hi Ann" });
    expect(row!.sentAt).not.toBeNull();
    expect(row!.deliveredAt).not.toBeNull();
    // Sent and delivered by the same step: both facts, once each.
    const facts = await listMessageEngagement(database.db, { workspaceId, messageId: message.id });
    expect(facts.map((event) => [event.type, event.source, event.channel])).toEqual([
      ["sent", "send", "in_app"],
      ["delivered", "inbox", "in_app"],
    ]);
  });

  it.each([
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "/orders/1"],
    ["not a string", 42],
  ])("keeps %s out of the action link (the data still carries it)", async (_, actionUrl) => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    const message = await queued(contactId, { body: "No heading", data: { actionUrl } });
    await deliver(message.id);
    const [row] = await inboxOf(contactId);
    expect(row).toMatchObject({ title: null, actionUrl: null, data: { actionUrl } });
  });

  it("fails, with the reason and without retrying, when the contact was erased before the send", async () => {
    const contactId = await insertInboxContact(database.db, workspaceId);
    const message = await queued(contactId, { body: "Too late" });
    await deleteContact(database.db, { workspaceId, contactId });
    const outcome = await deliver(message.id);
    expect(outcome).toMatchObject({ outcome: "failed", error: "An in-app message needs a contact: its inbox is the contact's" });
    expect((await findMessageById(database.db, { messageId: message.id }))!.status).toBe("failed");
  });
});
