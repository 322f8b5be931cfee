import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { insertMessage } from "@/db/queries/messages";
import { contacts } from "@/db/schema";
import { InboxInAppProvider } from "@/lib/providers/in-app/inbox-in-app-provider";
import type { InAppMessage } from "@/lib/providers/in-app/in-app-provider";

/** A contact to own an inbox. */
export async function insertInboxContact(db: Db, workspaceId: string): Promise<string> {
  const [row] = await db.insert(contacts).values({ workspaceId, email: `inbox-${randomUUID()}@example.com` }).returning({ id: contacts.id });
  return row!.id;
}

/**
 * An in-app message delivered the way the engine does it: a `messages` row (status `sent`'s
 * predecessor, queued) and the inbox provider storing it. Returns both ids.
 */
export async function deliverToInbox(
  db: Db,
  params: { workspaceId: string; contactId: string } & Partial<Pick<InAppMessage, "title" | "body" | "actionUrl" | "data" | "category">>,
): Promise<{ messageId: string; inboxId: string }> {
  const { row } = await insertMessage(db, {
    workspaceId: params.workspaceId,
    idempotencyKey: `inbox-test-${randomUUID()}`,
    channel: "in_app",
    recipient: params.contactId,
    contactId: params.contactId,
    status: "delivered",
  });
  const { providerMessageId } = await new InboxInAppProvider(db).send(
    {
      workspaceId: params.workspaceId,
      messageId: row.id,
      contactId: params.contactId,
      title: params.title ?? null,
      body: params.body ?? "Hello",
      actionUrl: params.actionUrl ?? null,
      data: params.data ?? {},
      category: params.category ?? null,
    },
    { idempotencyKey: `msg_${row.id}` },
  );
  return { messageId: row.id, inboxId: providerMessageId.slice("inbox_".length) };
}
