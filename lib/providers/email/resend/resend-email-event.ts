import { z } from "zod";
import { SENDLINE_HEADERS } from "@/lib/providers/email/resend/resend-email-provider";
import { type MessageChange, SUPPRESSION_REASONS, WebhookPayloadError } from "@/lib/webhooks/message-change";

const nameValue = z.array(z.object({ name: z.string(), value: z.string() }));
/** Resend sends tags as an object; older payloads and some tools use [{name, value}]. */
const pairs = z.union([z.record(z.string(), z.string()), nameValue]).optional();

/** The fields of Resend's email.* webhook payloads Sendline reads (see Resend's "Event types"). */
const resendEmailPayload = z.object({
  type: z.string().min(1),
  created_at: z.string().optional(),
  data: z.object({
    email_id: z.string().min(1),
    to: z.array(z.string()).optional(),
    tags: pairs,
    headers: pairs,
    bounce: z.object({ type: z.string(), subType: z.string().optional(), message: z.string().optional() }).optional(),
    failed: z.object({ reason: z.string() }).optional(),
    suppressed: z.object({ type: z.string().optional(), message: z.string().optional() }).optional(),
    click: z.object({ link: z.string().optional() }).optional(),
  }),
});

export type ResendEmailEvent = {
  type: string;
  /** When Resend says it happened; the receipt time stands in when absent or unreadable. */
  at: Date | null;
  emailId: string;
  /** Sendline's own ids, echoed back from the tags/headers the provider was given at send time. */
  messageId: string | null;
  workspaceId: string | null;
  change: MessageChange;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a stored Resend webhook; throws WebhookPayloadError for a shape Resend never sends. */
export function parseResendEmailEvent(payload: unknown): ResendEmailEvent {
  const parsed = resendEmailPayload.safeParse(payload);
  if (!parsed.success) {
    throw new WebhookPayloadError(`Not a Resend email event: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"} ${i.message}`).join("; ")}`);
  }
  const { type, created_at: createdAt, data } = parsed.data;
  const tags = asRecord(data.tags);
  const headers = Object.fromEntries(Object.entries(asRecord(data.headers)).map(([name, value]) => [name.toLowerCase(), value]));
  const at = createdAt ? new Date(createdAt) : null;
  return {
    type,
    at: at && !Number.isNaN(at.getTime()) ? at : null,
    emailId: data.email_id,
    messageId: uuidOrNull(tags.message_id ?? headers[SENDLINE_HEADERS.messageId.toLowerCase()]),
    workspaceId: uuidOrNull(tags.workspace_id ?? headers[SENDLINE_HEADERS.workspaceId.toLowerCase()]),
    change: resendChange(type, data),
  };
}

function resendChange(type: string, data: z.infer<typeof resendEmailPayload>["data"]): MessageChange {
  switch (type) {
    case "email.sent":
      return { kind: "status", to: "sent" };
    case "email.delivered":
      return { kind: "status", to: "delivered" };
    case "email.delivery_delayed":
      // Resend keeps retrying; the message stays "sent" until delivered or bounced.
      return { kind: "none", reason: "delivery delayed" };
    case "email.bounced": {
      if (!data.bounce) throw new WebhookPayloadError("email.bounced without a bounce object");
      const { type: bounceType, subType, message } = data.bounce;
      const detail = [subType, message].filter(Boolean).join(": ");
      // Resend (on SES) reports Permanent for hard bounces; Transient and Undetermined are soft:
      // this message is lost, but the address may work next time, so it is not suppressed.
      if (bounceType === "Permanent") {
        return {
          kind: "status",
          to: "bounced",
          error: `Hard bounce${detail ? ` (${detail})` : ""}`,
          suppress: SUPPRESSION_REASONS.hardBounce,
          bounceKind: "hard",
        };
      }
      return { kind: "status", to: "bounced", error: `Soft bounce, ${bounceType}${detail ? ` (${detail})` : ""}`, bounceKind: "soft" };
    }
    case "email.complained":
      return { kind: "status", to: "complained", error: "The recipient marked the email as spam", suppress: SUPPRESSION_REASONS.complaint, unsubscribe: true };
    case "email.opened":
      return { kind: "engagement", engagement: "open" };
    case "email.clicked":
      return { kind: "engagement", engagement: "click", url: data.click?.link ?? null };
    case "email.failed":
      return { kind: "status", to: "failed", error: data.failed?.reason ?? "Resend could not send the email" };
    case "email.suppressed":
      // Resend refused to send to an address on its own suppression list: mirror it in ours.
      return {
        kind: "status",
        to: "suppressed",
        error: data.suppressed?.message ?? "Resend suppressed the recipient",
        suppress: SUPPRESSION_REASONS.providerSuppressed,
      };
    default:
      return { kind: "none", reason: `${type} is not a delivery event` };
  }
}

function asRecord(value: Record<string, string> | { name: string; value: string }[] | undefined): Record<string, string> {
  if (!value) return {};
  return Array.isArray(value) ? Object.fromEntries(value.map(({ name, value: v }) => [name, v])) : value;
}

/** Ids go into uuid columns: anything else would make the query fail rather than miss. */
function uuidOrNull(value: string | undefined): string | null {
  return value && UUID.test(value) ? value : null;
}
