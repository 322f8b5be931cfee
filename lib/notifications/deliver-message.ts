import type { Db } from "@/db";
import { advanceMessageStatus, claimMessageForSend, findMessageById, type Message } from "@/db/queries/messages";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { getWorkspace } from "@/db/queries/workspaces";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { ProviderError } from "@/lib/providers/errors";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import type { PushProvider } from "@/lib/providers/push/push-provider";
import type { SmsProvider } from "@/lib/providers/sms/sms-provider";
import type { InAppProvider } from "@/lib/providers/in-app/in-app-provider";
import type { WhatsAppProvider } from "@/lib/providers/whatsapp/whatsapp-provider";
import type { Rendered } from "@/lib/templates/compile-template";
import { attemptErrorMessage } from "./attempt-error";
import { defaultEmailFrom } from "./default-email-from";
import { prepareMessage, UndeliverableError } from "./prepare-message";
import { recordMessageSent } from "./record-message-sent";
import { sendSingleMessage } from "./send-single-message";

/**
 * Each channel's provider; createProviders builds one the first time its channel is used.
 */
export type Providers = { email: EmailProvider; sms: SmsProvider; whatsapp: WhatsAppProvider; inApp: InAppProvider; push: PushProvider };

export type DeliveryOutcome =
  | { outcome: "sent"; providerMessageId: string }
  | { outcome: "skipped"; status: Message["status"] }
  | { outcome: "suppressed" }
  | { outcome: "failed"; error: string };

/** The provider idempotency key of a transactional message, the same for every attempt and every provider. */
export const messageIdempotencyKey = (messageId: string) => `msg_${messageId}`;

/**
 * Sends one transactional message at most once, in its own provider call: SMS (carriers take
 * one message per request) and anything a batch call cannot carry. Safe to call again after any
 * crash: a message already past "sending" is skipped, and a re-send after a crash mid-call reuses
 * the provider idempotency key derived from the message id. `pace` runs after the message is
 * rendered and before it is claimed, so a wait for the provider's capacity (take-send-slot.ts)
 * knows what the message costs and a message suppressed meanwhile is never claimed.
 */
export async function deliverMessage(
  db: Db,
  providers: Providers,
  /** `attempt`: the run's attempt (1 = first), kept in the message's attempt history. */
  params: { workspaceId: string; messageId: string; attempt?: number },
  options: { pace?: (rendered: Rendered) => Promise<void> } = {},
): Promise<DeliveryOutcome> {
  const message = await findMessageById(db, { messageId: params.messageId });
  if (!message || message.workspaceId !== params.workspaceId) {
    throw new UndeliverableError(`Message ${params.messageId} does not exist in workspace ${params.workspaceId}`);
  }
  const prepared = await prepareMessage(db, message);
  if (prepared.outcome !== "ready") return prepared;
  const { rendered } = prepared;
  const ids = { workspaceId: message.workspaceId, messageId: message.id };

  await options.pace?.(rendered);
  const claimed = await claimMessageForSend(db, ids);
  if (!claimed) return { outcome: "skipped", status: (await findMessageById(db, ids))?.status ?? "failed" };

  const idempotencyKey = messageIdempotencyKey(message.id);
  let providerName: string | null = null;
  try {
    let providerMessageId: string;
    let delivered = false;
    if (rendered.channel === "email") {
      ({ providerMessageId, provider: providerName } = await providers.email.send(
        { ...ids, from: await senderOf(db, message), to: message.recipient, subject: rendered.subject, html: rendered.html, text: rendered.text },
        { idempotencyKey },
      ));
    } else {
      ({ providerMessageId, provider: providerName, delivered = false } = await sendSingleMessage(db, providers, message, rendered, { idempotencyKey }));
    }
    // A provider that is itself the destination (the in-app inbox) has delivered by storing it.
    await recordMessageSent(db, {
      ...ids,
      set: { provider: providerName, providerMessageId, subject: rendered.channel === "email" ? rendered.subject : "title" in rendered ? rendered.title : null },
      delivered,
    });
    await recordMessageAttempts(db, [{ ...ids, provider: providerName, outcome: "sent", attempt: params.attempt }]);
    return { outcome: "sent", providerMessageId };
  } catch (error) {
    // Every failed call goes into the history a dead letter shows, whatever happens next.
    await recordMessageAttempts(db, [failedAttempt(error, { ...ids, provider: providerName, attempt: params.attempt })]);
    if (error instanceof ProviderError && error.kind === "permanent") {
      const reason = publicErrorMessage(error, { where: "deliver-message", ...ids });
      await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: reason } });
      return { outcome: "failed", error: reason };
    }
    throw error;
  }
}

/** The message's own sender (an A/B variant's), else the workspace's, else the deployment's default. */
export async function senderOf(db: Db, message: Pick<Message, "workspaceId" | "request">): Promise<string> {
  if (message.request.from) return message.request.from;
  return (await getWorkspace(db, { workspaceId: message.workspaceId }))?.emailFrom ?? defaultEmailFrom();
}

/** The attempt-history row of a failed provider call. */
export function failedAttempt(error: unknown, params: { workspaceId: string; messageId: string; provider: string | null; attempt?: number }) {
  const { provider, attempt, ...ids } = params;
  return {
    ...ids,
    provider: error instanceof ProviderError ? error.details.provider : provider,
    outcome: error instanceof ProviderError && error.kind === "rate-limited" ? ("rate-limited" as const) : ("failed" as const),
    error: attemptErrorMessage(error, { where: "deliver-message", ...ids }),
    attempt,
  };
}
