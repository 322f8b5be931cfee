import type { Db } from "@/db";
import { insertOutboxMessage } from "@/db/queries/outbox-messages";
import { templateText } from "@/core/messages/whatsapp";
import { idempotencyConflict, toOutboxProviderId } from "@/lib/providers/outbox-provider-id";
import type { WhatsAppMessage, WhatsAppProvider, WhatsAppSendResult } from "./whatsapp-provider";

/** Shown as the sender in the outbox when no business number is configured. */
export const OUTBOX_DEFAULT_WHATSAPP_FROM = "Sendline (WhatsApp)";

/**
 * The local default for WhatsApp: the message is stored in the outbox (a template message as
 * its name, language and rendered variables), nothing leaves the machine.
 */
export class OutboxWhatsAppProvider implements WhatsAppProvider {
  readonly name = "outbox";

  constructor(private readonly db: Db) {}

  async send(message: WhatsAppMessage, options: { idempotencyKey: string }): Promise<WhatsAppSendResult> {
    const { content } = message;
    const { row, created } = await insertOutboxMessage(this.db, {
      workspaceId: message.workspaceId,
      idempotencyKey: options.idempotencyKey,
      messageId: message.messageId,
      campaignId: null,
      channel: "whatsapp",
      from: OUTBOX_DEFAULT_WHATSAPP_FROM,
      to: message.to,
      subject: content.type === "template" ? `Template ${content.name} (${content.language})` : null,
      text: content.type === "text" ? content.body : templateText(content.name, content.language, content.variables),
    });
    if (!created && (row.channel !== "whatsapp" || row.to !== message.to || row.messageId !== message.messageId)) {
      throw idempotencyConflict(options.idempotencyKey, "whatsapp");
    }
    return { providerMessageId: toOutboxProviderId(row.id) };
  }
}
