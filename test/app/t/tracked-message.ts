import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { insertMessage, type Message } from "@/db/queries/messages";
import { contacts, messages } from "@/db/schema";
import type { MessageStatus } from "@/core/messages/status";

/** A test secret, so no test writes a development key under .data/. */
export const TEST_TRACKING_SECRET = "route-test-secret-route-test-secret";

/**
 * An email to a fresh contact, already sent (or in `status`), as tracking links find it. Sent an
 * hour ago unless told: an open within seconds of the send is flagged as a prefetch.
 */
export async function createTrackedMessage(db: Db, params: { workspaceId: string; status?: MessageStatus; sentAt?: Date }): Promise<Message & { contactId: string }> {
  const email = `reader-${randomUUID()}@example.com`;
  const [contact] = await db.insert(contacts).values({ workspaceId: params.workspaceId, email }).returning();
  const { row } = await insertMessage(db, {
    workspaceId: params.workspaceId,
    idempotencyKey: `tracking-${randomUUID()}`,
    kind: "campaign",
    channel: "email",
    recipient: email,
    contactId: contact!.id,
    status: params.status ?? "sent",
    sentAt: params.sentAt ?? new Date(Date.now() - 3_600_000),
  });
  return { ...row, contactId: contact!.id };
}

export async function readMessage(db: Db, messageId: string): Promise<Message> {
  const [row] = await db.select().from(messages).where(eq(messages.id, messageId));
  return row!;
}
