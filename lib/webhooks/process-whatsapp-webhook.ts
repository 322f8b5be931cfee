import type { Db } from "@/db";
import { findMessageByProviderId } from "@/db/queries/messages";
import { getWebhookEvent, type WebhookEvent } from "@/db/queries/webhook-events";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { processWebhookBatch, type ProcessedWebhookBatch } from "./process-webhook-batch";
import { parseMetaWhatsAppEvent } from "@/lib/providers/whatsapp/meta/meta-whatsapp-event";
import { type AppliedChange, applyMessageChange } from "./apply-message-change";
import { applyWhatsAppInbound, type WhatsAppInboundOutcome } from "./apply-whatsapp-inbound";
import { WebhookNotStoredError } from "./webhook-not-stored-error";

export type ProcessedWhatsAppWebhook =
  | ({ deliveryId: string; type: "status" } & AppliedChange)
  | { deliveryId: string; type: "status"; outcome: "unknown_message"; providerMessageId: string }
  | ({ deliveryId: string; type: "inbound"; outcome: "recorded" } & WhatsAppInboundOutcome);

/**
 * Applies one stored Cloud API notification: a status (sent, delivered, read, failed with
 * Meta's error) moves its message forward only; an inbound message opens the contact's 24-hour
 * window (and a STOP withdraws the opt-in). Throws WebhookPayloadError for a payload no retry can fix.
 */
export async function processWhatsAppWebhook(db: Db, params: { deliveryId: string; actor: string }): Promise<ProcessedWhatsAppWebhook> {
  const stored = await getWebhookEvent(db, { provider: "whatsapp", deliveryId: params.deliveryId });
  if (!stored) throw new WebhookNotStoredError("whatsapp", params.deliveryId);
  const processed = await applyWhatsAppWebhook(db, stored, params);
  if ("fact" in processed && processed.fact) await recordEngagement(db, [processed.fact]);
  return processed;
}

/** A batch of stored webhooks (the function's one step): each applied in order, their facts appended together. */
export async function processWhatsAppWebhooks(db: Db, params: { deliveryIds: string[]; actor: string }): Promise<ProcessedWebhookBatch<ProcessedWhatsAppWebhook>> {
  return processWebhookBatch(db, { provider: "whatsapp", deliveryIds: params.deliveryIds }, { apply: (stored) => applyWhatsAppWebhook(db, stored, params) });
}

/** One stored webhook; its engagement fact (a status report's) is returned for the caller to append. */
export async function applyWhatsAppWebhook(db: Db, stored: WebhookEvent, params: { actor: string }): Promise<ProcessedWhatsAppWebhook> {
  const event = parseMetaWhatsAppEvent(stored.payload);
  const deliveryId = stored.deliveryId;

  if (event.kind === "inbound") {
    const outcome = await applyWhatsAppInbound(db, { phone: event.phone, at: event.at, keyword: event.keyword, providerMessageId: event.wamid, actor: params.actor });
    return { deliveryId, type: "inbound", outcome: "recorded", ...outcome };
  }
  const message = await findMessageByProviderId(db, { provider: "meta", providerMessageId: event.wamid });
  if (!message) return { deliveryId, type: "status", outcome: "unknown_message", providerMessageId: event.wamid };
  // Meta's own time of the status, so a late delivery keeps its real timestamps.
  const applied = await applyMessageChange(db, message, event.change, { at: event.at, actor: params.actor, source: "whatsapp", deliveryId });
  return { deliveryId, type: "status", ...applied };
}
