import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import { countSegments } from "@/lib/providers/sms/count-segments";
import type { SmsMessage, SmsProvider, SmsSendResult } from "@/lib/providers/sms/sms-provider";
import { TwilioMessagesClient } from "./twilio-messages-client";

export { TWILIO_DEFAULT_BASE_URL, TWILIO_DEFAULT_TIMEOUT_MS } from "./twilio-messages-client";

export type TwilioSmsProviderOptions = {
  accountSid: string;
  authToken: string;
  /** An E.164 number, an alphanumeric sender id, or a Messaging Service SID (MG…). */
  from: string;
  baseUrl?: string;
  /** Twilio POSTs delivery updates here; messageId and workspaceId are added as query parameters. */
  statusCallbackUrl?: string;
  timeoutMs?: number;
};

/** Twilio's Messages API over plain fetch: one form-encoded POST per message, no SDK needed. */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = "twilio";
  private readonly client: TwilioMessagesClient;

  constructor(private readonly options: TwilioSmsProviderOptions) {
    this.client = new TwilioMessagesClient(options);
  }

  async send(message: SmsMessage, options: { idempotencyKey: string }): Promise<SmsSendResult> {
    const from = message.from ?? this.options.from;
    const form = new URLSearchParams({ To: message.to, Body: message.body });
    form.set(from.startsWith("MG") ? "MessagingServiceSid" : "From", from);
    if (this.options.statusCallbackUrl) form.set("StatusCallback", statusCallbackFor(this.options.statusCallbackUrl, message));

    const created = await this.client.create(form, options.idempotencyKey);
    const segments = Number(created.num_segments);
    return {
      providerMessageId: created.sid,
      segments: Number.isInteger(segments) && segments > 0 ? segments : countSegments(message.body).segments,
    };
  }

  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    try {
      const message = await this.client.fetchMessage(ref.providerMessageId);
      return fromTwilioStatus(message.status);
    } catch (error) {
      if (error instanceof ProviderError && error.details.status === 404) return null;
      throw error;
    }
  }
}

/** The callback carries our ids so it maps back even if the send step died before recording the SID. */
export function statusCallbackFor(baseUrl: string, message: Pick<SmsMessage, "messageId" | "workspaceId">): string {
  const url = new URL(baseUrl);
  url.searchParams.set("messageId", message.messageId);
  url.searchParams.set("workspaceId", message.workspaceId);
  return url.toString();
}

const TWILIO_STATUS: Record<string, ProviderMessageStatus> = {
  accepted: "sent",
  scheduled: "sent",
  queued: "sent",
  sending: "sent",
  sent: "sent",
  delivered: "delivered",
  partially_delivered: "delivered",
  read: "opened",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

function fromTwilioStatus(status: string): ProviderMessageStatus {
  return TWILIO_STATUS[status] ?? "sent";
}
