import { z } from "zod";
import { type MessageChange, SUPPRESSION_REASONS, WebhookPayloadError } from "@/lib/webhooks/message-change";
import { type SmsKeyword, smsKeyword } from "@/lib/webhooks/sms-keyword";

/**
 * A verified Twilio webhook as stored: the form fields Twilio posted and the query string of
 * the URL it called (status callbacks carry Sendline's messageId/workspaceId there; both are
 * covered by the signature).
 */
export type TwilioWebhookPayload = { form: Record<string, string>; query: Record<string, string> };

export type TwilioSmsEvent =
  | {
      kind: "status";
      messageSid: string;
      status: string;
      errorCode: string | null;
      messageId: string | null;
      workspaceId: string | null;
      change: MessageChange;
    }
  | { kind: "inbound"; messageSid: string; from: string; to: string; body: string; keyword: SmsKeyword | null };

const payloadSchema = z.object({
  form: z.record(z.string(), z.string()),
  query: z.record(z.string(), z.string()),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inbound messages arrive with status "received" (or none); everything else is a status callback. */
const INBOUND_STATUSES = new Set(["received", "receiving"]);

/**
 * Which webhook_events row a Twilio request is: status callbacks are keyed by SID + status
 * (one message reports several statuses), inbound messages by SID alone.
 */
export function twilioDelivery(payload: TwilioWebhookPayload): { ok: true; deliveryId: string; type: string } | { ok: false; message: string } {
  const sid = payload.form.MessageSid ?? payload.form.SmsSid;
  if (!sid) return { ok: false, message: "MessageSid is missing" };
  const status = payload.form.MessageStatus ?? payload.form.SmsStatus;
  if (isInbound(payload.form)) return { ok: true, deliveryId: sid, type: "message.inbound" };
  if (!status) return { ok: false, message: "Neither MessageStatus (status callback) nor Body (inbound message) is present" };
  return { ok: true, deliveryId: `${sid}:${status}`, type: `message.${status}` };
}

/** Reads a stored Twilio webhook; throws WebhookPayloadError for a shape Twilio never sends. */
export function parseTwilioSmsEvent(stored: unknown): TwilioSmsEvent {
  const parsed = payloadSchema.safeParse(stored);
  if (!parsed.success) throw new WebhookPayloadError("Not a stored Twilio webhook: expected { form, query }");
  const { form, query } = parsed.data;
  const messageSid = form.MessageSid ?? form.SmsSid;
  if (!messageSid) throw new WebhookPayloadError("MessageSid is missing");
  if (isInbound(form)) {
    if (!form.From) throw new WebhookPayloadError("An inbound message without From");
    return { kind: "inbound", messageSid, from: form.From, to: form.To ?? "", body: form.Body ?? "", keyword: smsKeyword(form.Body ?? "") };
  }
  const status = form.MessageStatus ?? form.SmsStatus;
  if (!status) throw new WebhookPayloadError("MessageStatus is missing");
  const errorCode = form.ErrorCode || null;
  return {
    kind: "status",
    messageSid,
    status,
    errorCode,
    messageId: uuidOrNull(query.messageId),
    workspaceId: uuidOrNull(query.workspaceId),
    change: twilioChange(status, errorCode),
  };
}

/**
 * Twilio errors that say the number itself will not take messages, so sending again only
 * costs money: 21610 the recipient replied STOP (lifted by START, like our own STOP),
 * 30005 unknown handset, 30006 landline or unreachable carrier.
 */
const PERMANENT_ERRORS: Record<string, string> = {
  "21610": SUPPRESSION_REASONS.smsStop,
  "30005": SUPPRESSION_REASONS.smsUnreachable,
  "30006": SUPPRESSION_REASONS.smsUnreachable,
};

function twilioChange(status: string, errorCode: string | null): MessageChange {
  switch (status) {
    case "accepted":
    case "scheduled":
    case "queued":
    case "sending":
    case "sent":
      return { kind: "status", to: "sent" };
    case "delivered":
    case "partially_delivered":
      return { kind: "status", to: "delivered" };
    case "read":
      return { kind: "engagement", engagement: "open" };
    case "undelivered":
    case "failed": {
      const suppress = errorCode ? PERMANENT_ERRORS[errorCode] : undefined;
      const error = `Twilio reported ${status}${errorCode ? ` (error ${errorCode})` : ""}`;
      return suppress ? { kind: "status", to: "failed", error, suppress } : { kind: "status", to: "failed", error };
    }
    case "canceled":
      return { kind: "status", to: "failed", error: "The scheduled message was canceled" };
    default:
      return { kind: "none", reason: `unknown Twilio status "${status}"` };
  }
}

function isInbound(form: Record<string, string>): boolean {
  const status = form.MessageStatus ?? form.SmsStatus;
  return form.Body !== undefined && (status === undefined || INBOUND_STATUSES.has(status));
}

function uuidOrNull(value: string | undefined): string | null {
  return value && UUID.test(value) ? value : null;
}
