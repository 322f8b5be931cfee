import type { Db } from "@/db";
import { findMessageById, findMessageByProviderId, type Message } from "@/db/queries/messages";
import { getWebhookEvent, type WebhookEvent } from "@/db/queries/webhook-events";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { processWebhookBatch, type ProcessedWebhookBatch } from "./process-webhook-batch";
import { type AppliedChange, applyMessageChange } from "./apply-message-change";
import { applySmsKeyword, type SmsKeywordOutcome } from "./apply-sms-keyword";
import { applyWhatsAppInbound, type WhatsAppInboundOutcome } from "./apply-whatsapp-inbound";
import { parseTwilioSmsEvent } from "@/lib/providers/sms/twilio/twilio-sms-event";
import { WebhookNotStoredError } from "./webhook-not-stored-error";

export type ProcessedTwilioWebhook =
  | ({ deliveryId: string; type: "status" } & AppliedChange)
  | { deliveryId: string; type: "status"; outcome: "unknown_message"; providerMessageId: string }
  | ({ deliveryId: string; type: "inbound"; outcome: "opt-out" | "opt-in" } & SmsKeywordOutcome)
  | { deliveryId: string; type: "inbound"; outcome: "no_keyword" }
  | ({ deliveryId: string; type: "inbound"; outcome: "whatsapp" } & WhatsAppInboundOutcome);

/** Twilio's WhatsApp addresses are the number behind this prefix. */
const WHATSAPP_PREFIX = "whatsapp:";

/**
 * Applies one stored Twilio webhook: a status callback moves its message forward; an inbound
 * STOP/START changes consent (applySmsKeyword); a WhatsApp message opens its 24-hour window (applyWhatsAppInbound). Other inbound text is acknowledged and left
 * alone: Sendline has no inbox. Throws WebhookPayloadError for a payload no retry can fix.
 */
export async function processTwilioWebhook(db: Db, params: { deliveryId: string; actor: string }): Promise<ProcessedTwilioWebhook> {
  const stored = await getWebhookEvent(db, { provider: "twilio", deliveryId: params.deliveryId });
  if (!stored) throw new WebhookNotStoredError("twilio", params.deliveryId);
  const processed = await applyTwilioWebhook(db, stored, params);
  if ("fact" in processed && processed.fact) await recordEngagement(db, [processed.fact]);
  return processed;
}

/** A batch of stored webhooks (the function's one step): each applied in order, their facts appended together. */
export async function processTwilioWebhooks(db: Db, params: { deliveryIds: string[]; actor: string }): Promise<ProcessedWebhookBatch<ProcessedTwilioWebhook>> {
  return processWebhookBatch(db, { provider: "twilio", deliveryIds: params.deliveryIds }, { apply: (stored) => applyTwilioWebhook(db, stored, params) });
}

/** One stored webhook; its engagement fact (a status report's) is returned for the caller to append. */
export async function applyTwilioWebhook(db: Db, stored: WebhookEvent, params: { actor: string }): Promise<ProcessedTwilioWebhook> {
  const event = parseTwilioSmsEvent(stored.payload);
  const deliveryId = stored.deliveryId;

  if (event.kind === "inbound" && event.from.startsWith(WHATSAPP_PREFIX)) {
    // A WhatsApp message through Twilio opens the contact's 24-hour window, as through Meta.
    const outcome = await applyWhatsAppInbound(db, {
      phone: event.from.slice(WHATSAPP_PREFIX.length),
      at: stored.receivedAt,
      keyword: event.keyword,
      providerMessageId: event.messageSid,
      actor: params.actor,
    });
    return { deliveryId, type: "inbound", outcome: "whatsapp", ...outcome };
  }
  if (event.kind === "inbound") {
    if (!event.keyword) return { deliveryId, type: "inbound", outcome: "no_keyword" };
    const outcome = await applySmsKeyword(db, {
      phone: event.from,
      keyword: event.keyword,
      messageSid: event.messageSid,
      at: stored.receivedAt,
      actor: params.actor,
    });
    return { deliveryId, type: "inbound", outcome: event.keyword.kind, ...outcome };
  }

  const message = await findTwilioMessage(db, event);
  if (!message) return { deliveryId, type: "status", outcome: "unknown_message", providerMessageId: event.messageSid };
  const applied = await applyMessageChange(db, message, event.change, {
    at: stored.receivedAt,
    actor: params.actor,
    providerRef: { provider: "twilio", providerMessageId: event.messageSid },
    source: "twilio",
    deliveryId,
  });
  return { deliveryId, type: "status", ...applied };
}

/** By MessageSid, or by the messageId the status callback URL carries when the send step has not recorded the SID yet. */
async function findTwilioMessage(db: Db, event: { messageSid: string; messageId: string | null; workspaceId: string | null }): Promise<Message | undefined> {
  const bySid = await findMessageByProviderId(db, { provider: "twilio", providerMessageId: event.messageSid });
  if (bySid || !event.messageId) return bySid;
  const byId = await findMessageById(db, { messageId: event.messageId });
  if (!byId || (byId.channel !== "sms" && byId.channel !== "whatsapp")) return undefined;
  if (event.workspaceId && byId.workspaceId !== event.workspaceId) return undefined;
  if (byId.providerMessageId && byId.providerMessageId !== event.messageSid) return undefined;
  return byId;
}
