import type { Db } from "@/db";
import { findMessageById, findMessagesByProviderIds, type Message } from "@/db/queries/messages";
import type { WebhookEvent } from "@/db/queries/webhook-events";
import { type AppliedChange, applyMessageChange } from "./apply-message-change";
import { parseResendEmailEvent, type ResendEmailEvent } from "@/lib/providers/email/resend/resend-email-event";
import { processWebhookBatch, type ProcessedWebhookBatch } from "./process-webhook-batch";

export type ProcessedWebhook =
  | ({ deliveryId: string; type: string } & AppliedChange)
  | { deliveryId: string; type: string; outcome: "unknown_message"; providerMessageId: string; fact?: null };

/**
 * Applies a batch of stored Resend webhooks (process-email-event): each to its message, then
 * their engagement facts in one transaction. The batch's messages are read in one query by
 * Resend's email ids; a webhook that outran the send step is found by its message_id tag.
 */
export async function processResendWebhooks(db: Db, params: { deliveryIds: string[]; actor: string }): Promise<ProcessedWebhookBatch<ProcessedWebhook>> {
  const known = new Map<string, Message>();
  return processWebhookBatch(db, { provider: "resend", deliveryIds: params.deliveryIds }, {
    prepare: async (rows) => {
      // Read leniently: a malformed payload is refused by its own apply, not here.
      const emailIds = rows.flatMap((row) => {
        const id = (row.payload.data as { email_id?: unknown } | undefined)?.email_id;
        return typeof id === "string" && id ? [id] : [];
      });
      for (const message of await findMessagesByProviderIds(db, { provider: "resend", providerMessageIds: [...new Set(emailIds)] })) {
        known.set(message.providerMessageId!, message);
      }
    },
    apply: (stored) => applyResendWebhook(db, stored, { actor: params.actor, known }),
  });
}

/**
 * Applies one stored Resend webhook to its message. Throws WebhookPayloadError for a payload no
 * retry can fix.
 */
export async function applyResendWebhook(db: Db, stored: WebhookEvent, params: { actor: string; known?: Map<string, Message> }): Promise<ProcessedWebhook> {
  const event = parseResendEmailEvent(stored.payload);
  const head = { deliveryId: stored.deliveryId, type: event.type };
  const message = params.known?.get(event.emailId) ?? (await findResendMessage(db, event));
  if (!message) return { ...head, outcome: "unknown_message", providerMessageId: event.emailId };
  const applied = await applyMessageChange(db, message, event.change, {
    at: event.at ?? stored.receivedAt,
    actor: params.actor,
    providerRef: { provider: "resend", providerMessageId: event.emailId },
    source: "resend",
    deliveryId: stored.deliveryId,
  });
  return { ...head, ...applied };
}

async function findResendMessage(db: Db, event: Pick<ResendEmailEvent, "emailId" | "messageId" | "workspaceId">): Promise<Message | undefined> {
  const [byProviderId] = await findMessagesByProviderIds(db, { provider: "resend", providerMessageIds: [event.emailId] });
  if (byProviderId || !event.messageId) return byProviderId;
  const byTag = await findMessageById(db, { messageId: event.messageId });
  // The tag must agree with the row: same workspace, and no other provider id already recorded.
  if (!byTag || byTag.channel !== "email") return undefined;
  if (event.workspaceId && byTag.workspaceId !== event.workspaceId) return undefined;
  if (byTag.providerMessageId && byTag.providerMessageId !== event.emailId) return undefined;
  return byTag;
}
