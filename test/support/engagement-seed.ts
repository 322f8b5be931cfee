import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { insertMessage, type Message } from "@/db/queries/messages";
import { contacts } from "@/db/schema";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";

/**
 * Seeds analytics through the one writer (recordEngagement), never by inserting into rollups:
 * what a test reads back is what the real stream would have kept.
 */
export async function seedMessage(db: Db, params: { workspaceId: string; campaignId: string | null; email: string; sentAt?: Date }): Promise<Message> {
  const [contact] = await db.insert(contacts).values({ workspaceId: params.workspaceId, email: params.email }).returning();
  const { row } = await insertMessage(db, {
    workspaceId: params.workspaceId,
    idempotencyKey: randomUUID(),
    kind: params.campaignId ? "campaign" : "transactional",
    campaignId: params.campaignId,
    channel: "email",
    recipient: params.email,
    contactId: contact!.id,
    status: "sent",
    sentAt: params.sentAt ?? new Date(),
  });
  return row;
}

export function engagementFact(messageId: string, type: EngagementFact["type"], at: string | Date, extra: Partial<EngagementFact> = {}): EngagementFact {
  return {
    messageId,
    type,
    source: type === "clicked" ? "redirect" : type === "opened" ? "pixel" : type === "sent" ? "send" : "resend",
    occurredAt: new Date(at),
    dedupeKey: randomUUID(),
    ...(type === "sent" || type === "delivered" || type === "bounced" || type === "complained" ? { applied: { firstOpen: false, firstClick: false } } : {}),
    ...extra,
  };
}

export async function seedEngagement(db: Db, facts: EngagementFact[]): Promise<void> {
  await recordEngagement(db, facts);
}
