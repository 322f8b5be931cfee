import { z } from "zod";
import { type MessageChange, WebhookPayloadError } from "@/lib/webhooks/message-change";
import { type SmsKeyword, smsKeyword } from "@/lib/webhooks/sms-keyword";

/**
 * A Cloud API webhook POST bundles many notifications (`entry[].changes[].value.statuses[]` and
 * `.messages[]`); each is stored and processed on its own, keyed so that Meta's redelivery of
 * the whole POST (it retries for up to seven days) stores nothing twice: a status by wamid +
 * status, an inbound message by its wamid.
 */
export type MetaWebhookItem =
  | { kind: "status"; phoneNumberId: string; status: MetaStatus }
  | { kind: "inbound"; phoneNumberId: string; message: MetaInboundMessage };

const errorSchema = z.object({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});
export type MetaStatus = z.infer<typeof statusSchema>;

const inboundSchema = z.object({
  id: z.string().min(1),
  from: z.string().regex(/^\d{6,15}$/),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
});
export type MetaInboundMessage = z.infer<typeof inboundSchema>;

const webhookSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.looseObject({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            statuses: z.array(statusSchema).optional(),
            messages: z.array(inboundSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});

export type MetaWebhookDelivery = { deliveryId: string; type: string; payload: MetaWebhookItem };

/** The items of one webhook POST, each with its storage key; an error message for a body Meta never sends. */
export function metaWebhookDeliveries(body: unknown): { ok: true; deliveries: MetaWebhookDelivery[] } | { ok: false; message: string } {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Not a WhatsApp Business Account webhook: ${issue ? `${issue.path.join(".") || "body"} ${issue.message}` : "unexpected shape"}` };
  }
  const deliveries: MetaWebhookDelivery[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const phoneNumberId = change.value.metadata?.phone_number_id ?? "";
      for (const status of change.value.statuses ?? []) {
        deliveries.push({ deliveryId: `${status.id}:${status.status}`, type: `message.${status.status}`, payload: { kind: "status", phoneNumberId, status } });
      }
      for (const message of change.value.messages ?? []) {
        deliveries.push({ deliveryId: `inbound:${message.id}`, type: "message.inbound", payload: { kind: "inbound", phoneNumberId, message } });
      }
    }
  }
  return { ok: true, deliveries };
}

export type MetaWhatsAppEvent =
  | { kind: "status"; wamid: string; at: Date; change: MessageChange }
  | { kind: "inbound"; wamid: string; phone: string; at: Date; keyword: SmsKeyword | null };

const itemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("status"), phoneNumberId: z.string(), status: statusSchema }),
  z.object({ kind: z.literal("inbound"), phoneNumberId: z.string(), message: inboundSchema }),
]);

/** Reads one stored item; throws WebhookPayloadError for a shape no retry can fix. */
export function parseMetaWhatsAppEvent(stored: unknown): MetaWhatsAppEvent {
  const parsed = itemSchema.safeParse(stored);
  if (!parsed.success) throw new WebhookPayloadError("Not a stored WhatsApp webhook item");
  const item = parsed.data;
  if (item.kind === "inbound") {
    const { message } = item;
    const text = message.text?.body ?? message.button?.text ?? "";
    return { kind: "inbound", wamid: message.id, phone: `+${message.from}`, at: fromUnixSeconds(message.timestamp), keyword: smsKeyword(text) };
  }
  const { status } = item;
  return { kind: "status", wamid: status.id, at: fromUnixSeconds(status.timestamp), change: metaChange(status) };
}

function metaChange(status: MetaStatus): MessageChange {
  switch (status.status) {
    case "sent":
      return { kind: "status", to: "sent" };
    case "delivered":
      return { kind: "status", to: "delivered" };
    case "read":
      return { kind: "engagement", engagement: "open" };
    case "failed": {
      const error = status.errors?.[0];
      const reason = error ? [error.title ?? error.message, error.error_data?.details].filter(Boolean).join(": ") : "";
      return { kind: "status", to: "failed", error: `WhatsApp reported failed${reason ? `: ${reason}` : ""}${error?.code !== undefined ? ` (code ${error.code})` : ""}` };
    }
    default:
      return { kind: "none", reason: `unknown WhatsApp status "${status.status}"` };
  }
}

function fromUnixSeconds(value: string): Date {
  return new Date(Number(value) * 1000);
}
