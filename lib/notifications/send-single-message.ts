import type { Db } from "@/db";
import type { Message } from "@/db/queries/messages";
import { ProviderError } from "@/lib/providers/errors";
import type { Rendered, RenderedEmail } from "@/lib/templates/compile-template";
import type { Providers } from "./deliver-message";
import { inAppContent } from "./in-app-content";
import { sendPushMessage } from "./send-push-message";

/** A message of a channel that sends one message per provider call: everything but email, which goes in batches. */
export type SingleChannelRendered = Exclude<Rendered, RenderedEmail>;

/** `delivered`: the provider call put the message where the recipient sees it (an inbox row), so it is delivered, not only sent. */
export type SingleSendResult = { provider: string; providerMessageId: string; delivered?: boolean };

/**
 * The provider call of one claimed message on its channel. Each channel's provider sits behind
 * its own small interface (lib/providers/<channel>/) with the outbox as its local default; this is
 * the one place that knows which provider a channel's rendered message goes to.
 */
export async function sendSingleMessage(
  db: Db,
  providers: Providers,
  message: Pick<Message, "workspaceId" | "id" | "recipient" | "contactId" | "request"> & Partial<Pick<Message, "category">>,
  rendered: SingleChannelRendered,
  options: { idempotencyKey: string },
): Promise<SingleSendResult> {
  const ids = { workspaceId: message.workspaceId, messageId: message.id };
  switch (rendered.channel) {
    case "sms": {
      const provider = providers.sms;
      const { providerMessageId } = await provider.send({ ...ids, to: message.recipient, body: rendered.text }, options);
      return { provider: provider.name, providerMessageId };
    }
    case "in_app": {
      if (!message.contactId) throw new ProviderError("An in-app message needs a contact: its inbox is the contact's", "permanent", { provider: "inbox", notAccepted: true });
      const provider = providers.inApp;
      const { providerMessageId, delivered } = await provider.send(
        { ...ids, contactId: message.contactId, category: message.category ?? null, ...inAppContent(rendered, message.request.data) },
        options,
      );
      return { provider: provider.name, providerMessageId, delivered };
    }
    case "whatsapp": {
      const provider = providers.whatsapp;
      const content = rendered.template ? { type: "template" as const, ...rendered.template } : { type: "text" as const, body: rendered.text };
      const { providerMessageId } = await provider.send({ ...ids, to: message.recipient, content }, options);
      return { provider: provider.name, providerMessageId };
    }
    case "push":
      return sendPushMessage(db, providers.push, message, rendered, options);
  }
}
