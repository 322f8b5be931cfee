import type { Db } from "@/db";
import { findMessageById, findMessageByProviderId, type Message } from "@/db/queries/messages";
import { getWebhookEvent } from "@/db/queries/webhook-events";
import { type AppliedChange, applyMessageChange } from "./apply-message-change";
import { parseResendEmailEvent } from "@/lib/providers/email/resend/resend-email-event";
import { WebhookNotStoredError } from "./webhook-not-stored-error";

export type ProcessedWebhook =
  | ({ deliveryId: string; type: string } & AppliedChange)
  | { deliveryId: string; type: string; outcome: "unknown_message"; providerMessageId: string };

/**
 * Applies one stored Resend webhook to its message. The message is found by Resend's email id,
 * or, when the webhook outran the send step that records that id, by the message_id tag Sendline
 * attached at send time. Throws WebhookPayloadError for a payload no retry can fix.
 */
export async function processResendWebhook(db: Db, params: { deliveryId: string; actor: string }): Promise<ProcessedWebhook> {
  const stored = await getWebhookEvent(db, { provider: "resend", deliveryId: params.deliveryId });
  if (!stored) throw new WebhookNotStoredError("resend", params.deliveryId);
  const event = parseResendEmailEvent(stored.payload);
  const head = { deliveryId: params.deliveryId, type: event.type };

  const message = await findResendMessage(db, event);
  if (!message) return { ...head, outcome: "unknown_message", providerMessageId: event.emailId };
  const applied = await applyMessageChange(db, message, event.change, {
    at: event.at ?? stored.receivedAt,
    actor: params.actor,
    providerRef: { provider: "resend", providerMessageId: event.emailId },
  });
  return { ...head, ...applied };
}

async function findResendMessage(db: Db, event: { emailId: string; messageId: string | null; workspaceId: string | null }): Promise<Message | undefined> {
  const byProviderId = await findMessageByProviderId(db, { provider: "resend", providerMessageId: event.emailId });
  if (byProviderId || !event.messageId) return byProviderId;
  const byTag = await findMessageById(db, { messageId: event.messageId });
  // The tag must agree with the row: same workspace, and no other provider id already recorded.
  if (!byTag || byTag.channel !== "email") return undefined;
  if (event.workspaceId && byTag.workspaceId !== event.workspaceId) return undefined;
  if (byTag.providerMessageId && byTag.providerMessageId !== event.emailId) return undefined;
  return byTag;
}
