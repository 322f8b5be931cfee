import { randomUUID } from "node:crypto";
import type { Database } from "@/db";
import { advanceMessageStatus, insertMessage, type Message } from "@/db/queries/messages";
import { contacts } from "@/db/schema";

/** A message as the send step leaves it: status "sent" with the provider's id recorded. */
export async function sentMessage(
  database: Database,
  params: { workspaceId: string; channel: "email" | "sms" | "whatsapp"; recipient: string; provider: string; providerMessageId: string | null; contactId?: string; sentAt?: Date },
): Promise<Message> {
  const { row } = await insertMessage(database.db, {
    workspaceId: params.workspaceId,
    idempotencyKey: `test-${randomUUID()}`,
    channel: params.channel,
    recipient: params.recipient,
    contactId: params.contactId ?? null,
  });
  if (params.providerMessageId === null) {
    // The send step called the provider but has not recorded its id yet.
    return (await advanceMessageStatus(database.db, { workspaceId: params.workspaceId, messageId: row.id, to: "sending" }))!;
  }
  return (await advanceMessageStatus(database.db, {
    workspaceId: params.workspaceId,
    messageId: row.id,
    to: "sent",
    // An hour ago by default: an open or click seconds after the send reads as a prefetch.
    at: params.sentAt ?? new Date(Date.now() - 3_600_000),
    set: { provider: params.provider, providerMessageId: params.providerMessageId },
  }))!;
}

export async function contact(database: Database, values: typeof contacts.$inferInsert) {
  const [row] = await database.db.insert(contacts).values(values).returning();
  return row!;
}
