import { TWILIO_CONTENT_SID } from "@/core/messages/whatsapp";
import { ProviderError } from "@/lib/providers/errors";
import { TwilioMessagesClient } from "@/lib/providers/sms/twilio/twilio-messages-client";
import { statusCallbackFor } from "@/lib/providers/sms/twilio/twilio-sms-provider";
import type { WhatsAppMessage, WhatsAppProvider, WhatsAppSendResult } from "@/lib/providers/whatsapp/whatsapp-provider";

export type TwilioWhatsAppProviderOptions = {
  accountSid: string;
  authToken: string;
  /** The WhatsApp-enabled sender, E.164 with or without its `whatsapp:` prefix. */
  from: string;
  baseUrl?: string;
  /** Twilio POSTs delivery updates here (the same route as SMS); messageId and workspaceId are added as query parameters. */
  statusCallbackUrl?: string;
  timeoutMs?: number;
};

/** Twilio's channel address for WhatsApp. */
export const whatsappAddress = (phone: string) => (phone.startsWith("whatsapp:") ? phone : `whatsapp:${phone}`);

/**
 * Twilio's WhatsApp sender: the same Messages API as SMS (the shared TwilioMessagesClient) with
 * `whatsapp:+…` addresses. A session message is a `Body`; a template is Twilio's approved
 * Content (`ContentSid` HX…, with `ContentVariables` {"1": …}), since Twilio names WhatsApp
 * templates by Content SID rather than by Meta's name.
 */
export class TwilioWhatsAppProvider implements WhatsAppProvider {
  readonly name = "twilio";
  private readonly client: TwilioMessagesClient;

  constructor(private readonly options: TwilioWhatsAppProviderOptions) {
    this.client = new TwilioMessagesClient(options);
  }

  async send(message: WhatsAppMessage, options: { idempotencyKey: string }): Promise<WhatsAppSendResult> {
    const form = new URLSearchParams({ To: whatsappAddress(message.to), From: whatsappAddress(this.options.from) });
    const { content } = message;
    if (content.type === "text") form.set("Body", content.body);
    else {
      if (!TWILIO_CONTENT_SID.test(content.name)) {
        throw new ProviderError(`twilio: WhatsApp templates are sent by Content SID (HX…), not by name ("${content.name}")`, "permanent", {
          provider: "twilio",
          code: "content_sid_required",
          notAccepted: true,
        });
      }
      form.set("ContentSid", content.name);
      if (content.variables.length) form.set("ContentVariables", JSON.stringify(Object.fromEntries(content.variables.map((value, index) => [String(index + 1), value]))));
    }
    if (this.options.statusCallbackUrl) form.set("StatusCallback", statusCallbackFor(this.options.statusCallbackUrl, message));
    const created = await this.client.create(form, options.idempotencyKey);
    return { providerMessageId: created.sid };
  }
}
