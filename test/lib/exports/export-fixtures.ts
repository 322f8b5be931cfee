import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { addressHash } from "@/core/messages/address-hash";
import { auditLog, contactPreferences, contacts, engagementEvents, inboxMessages, listMembers, lists, messages, notificationCategories, pushSubscriptions, suppressions } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

/** A cell a spreadsheet would run as a formula (CSV injection) unless it is escaped. */
export const FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"x\")";

export type ExportWorld = {
  workspaceId: string;
  apiKey: string;
  alice: string;
  bob: string;
  /** Erasure requested: in no export. */
  carol: string;
  otherWorkspaceId: string;
  otherApiKey: string;
  otherContact: string;
  /** Rows a workspace export of this world has, per file. */
  workspaceRows: Record<string, number>;
  /** Rows alice's contact export has, per file. */
  aliceRows: Record<string, number>;
};

const at = (iso: string) => new Date(iso);

/**
 * A small workspace with every kind of row an export reads, a contact whose erasure was
 * requested (left out everywhere), and a second workspace whose ids must answer 404.
 */
export async function seedExportWorld(db: Db, label = "Export"): Promise<ExportWorld> {
  const { workspace, apiKey } = await createWorkspace(db, { name: `${label} workspace` });
  const other = await createWorkspace(db, { name: `${label} other` });
  const workspaceId = workspace.id;
  const [alice, bob, carol] = await db
    .insert(contacts)
    .values([
      { workspaceId, email: "alice@example.com", phone: "+14155550101", firstName: FORMULA_NAME, lastName: "Liddell", attributes: { plan: "+pro", note: "line one\nline two" }, createdAt: at("2026-01-01T10:00:00Z") },
      { workspaceId, email: "bob@example.com", firstName: "Bob", lastName: "-1+1", status: "unsubscribed", unsubscribedAt: at("2026-02-01T00:00:00Z") },
      { workspaceId, email: "carol@example.com", firstName: "Carol", erasureRequestedAt: at("2026-03-01T00:00:00Z") },
      { workspaceId, email: "dave@example.com", firstName: "Dave" },
    ])
    .returning();
  const [otherContact] = await db.insert(contacts).values({ workspaceId: other.workspace.id, email: "zed@example.com" }).returning();
  const [list] = await db.insert(lists).values({ workspaceId, name: "Newsletter", description: "@monthly, \"quoted\"" }).returning();
  await db.insert(listMembers).values([alice, bob, carol].map((contact) => ({ workspaceId, listId: list!.id, contactId: contact!.id })));

  const message = (contactId: string | null, recipient: string, extra: Partial<typeof messages.$inferInsert> = {}) => ({
    workspaceId,
    idempotencyKey: randomUUID(),
    channel: "email" as const,
    recipient,
    contactId,
    request: { subject: "Hello", body: "<p>Hi</p>", data: {} },
    ...extra,
  });
  const [aliceWelcome, , aliceInApp, carolMessage] = await db
    .insert(messages)
    .values([
      message(alice!.id, "alice@example.com", { subject: "Welcome", status: "delivered", queuedAt: at("2026-01-02T10:00:00Z"), sentAt: at("2026-01-02T10:00:01Z"), deliveredAt: at("2026-01-02T10:00:05Z") }),
      message(alice!.id, "alice@example.com", { status: "bounced", error: "=mailbox full", queuedAt: at("2026-01-03T10:00:00Z"), bouncedAt: at("2026-01-03T10:00:09Z") }),
      message(alice!.id, alice!.id, { channel: "in_app", status: "sent", queuedAt: at("2026-01-04T10:00:00Z") }),
      message(carol!.id, "carol@example.com", { queuedAt: at("2026-01-05T10:00:00Z") }),
      message(null, "someone@example.com", { queuedAt: at("2026-01-06T10:00:00Z") }),
    ])
    .returning();
  const event = (messageId: string, contactId: string, type: "delivered" | "opened", occurredAt: string) => ({
    workspaceId,
    messageId,
    contactId,
    channel: "email" as const,
    type,
    source: type === "opened" ? ("pixel" as const) : ("resend" as const),
    occurredAt: at(occurredAt),
    dedupeKey: randomUUID(),
  });
  await db.insert(engagementEvents).values([
    event(aliceWelcome!.id, alice!.id, "delivered", "2026-01-02T10:00:05Z"),
    event(aliceWelcome!.id, alice!.id, "opened", "2026-01-02T11:00:00Z"),
    event(carolMessage!.id, carol!.id, "opened", "2026-01-05T11:00:00Z"),
  ]);
  const [category] = await db.insert(notificationCategories).values({ workspaceId, key: "billing", name: "Billing" }).returning();
  await db.insert(contactPreferences).values({ workspaceId, contactId: alice!.id, channel: "email", categoryId: category!.id, enabled: false, source: "preference_center" });
  await db.insert(inboxMessages).values({ workspaceId, contactId: alice!.id, messageId: aliceInApp!.id, idempotencyKey: randomUUID(), title: "Your invoice", body: "It is ready" });
  await db.insert(pushSubscriptions).values({ workspaceId, contactId: alice!.id, kind: "fcm", address: "fcm-token-alice", label: "Pixel" });
  await db.insert(suppressions).values({ workspaceId, channel: "sms", addressHash: addressHash("sms", "+14155550101"), reason: "stop" });
  await db.insert(auditLog).values({ workspaceId, actor: "api_key:test", action: "contact.updated", targetType: "contact", targetId: alice!.id, details: { fields: ["firstName"] } });

  return {
    workspaceId,
    apiKey,
    alice: alice!.id,
    bob: bob!.id,
    carol: carol!.id,
    otherWorkspaceId: other.workspace.id,
    otherApiKey: other.apiKey,
    otherContact: otherContact!.id,
    workspaceRows: { contacts: 3, lists: 1, list_members: 2, messages: 4, engagement_events: 2 },
    aliceRows: { contact: 1, list_memberships: 1, preferences: 1, messages: 3, engagement_events: 2, inbox_messages: 1, push_subscriptions: 1, consent: 3, audit_entries: 1 },
  };
}
