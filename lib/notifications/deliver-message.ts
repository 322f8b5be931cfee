import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { advanceMessageStatus, claimMessageForSend, findMessageById, type Message } from "@/db/queries/messages";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { isSuppressed } from "@/db/queries/suppressions";
import { getTemplate } from "@/db/queries/templates";
import { getWorkspace } from "@/db/queries/workspaces";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { ProviderError } from "@/lib/providers/errors";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import type { SmsProvider } from "@/lib/providers/sms/sms-provider";
import { compileTemplate, type TemplateSource } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { templateVariables } from "@/lib/templates/template-variables";
import { attemptErrorMessage } from "./attempt-error";
import { defaultEmailFrom } from "./default-email-from";

export type Providers = { email: EmailProvider; sms: SmsProvider };

export type DeliveryOutcome =
  | { outcome: "sent"; providerMessageId: string }
  | { outcome: "skipped"; status: Message["status"] }
  | { outcome: "suppressed" }
  | { outcome: "failed"; error: string };

/** Thrown for input that no retry can fix (wrong workspace, missing message). */
export class UndeliverableError extends Error {
  override readonly name = "UndeliverableError";
}

/**
 * Sends one transactional message at most once. Safe to call again after any crash: a message
 * already past "sending" is skipped, and a re-send after a crash mid-call reuses the provider
 * idempotency key derived from the message id.
 */
export async function deliverMessage(
  db: Db,
  providers: Providers,
  /** `attempt`: the run's attempt (1 = first), kept in the message's attempt history. */
  params: { workspaceId: string; messageId: string; attempt?: number },
): Promise<DeliveryOutcome> {
  const message = await findMessageById(db, { messageId: params.messageId });
  if (!message || message.workspaceId !== params.workspaceId) {
    throw new UndeliverableError(`Message ${params.messageId} does not exist in workspace ${params.workspaceId}`);
  }
  if (message.status !== "queued" && message.status !== "sending") return { outcome: "skipped", status: message.status };
  const ids = { workspaceId: message.workspaceId, messageId: message.id };

  // Suppression is checked at send time, not only at request time (invariant 6).
  if (await isSuppressed(db, { workspaceId: message.workspaceId, channel: message.channel, address: message.recipient })) {
    await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: "Recipient is on the suppression list" } });
    return { outcome: "suppressed" };
  }

  let rendered;
  try {
    rendered = await renderMessage(db, message);
  } catch (error) {
    if (!(error instanceof TemplateError || error instanceof UndeliverableError)) throw error;
    const reason = publicErrorMessage(error, { where: "deliver-message", ...ids });
    await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: reason } });
    return { outcome: "failed", error: reason };
  }

  const claimed = await claimMessageForSend(db, ids);
  if (!claimed) return { outcome: "skipped", status: (await findMessageById(db, ids))?.status ?? "failed" };

  const idempotencyKey = `msg_${message.id}`;
  let providerName: string | null = null;
  try {
    let providerMessageId: string;
    if (rendered.channel === "email") {
      const workspace = await getWorkspace(db, { workspaceId: message.workspaceId });
      providerName = providers.email.name;
      ({ providerMessageId } = await providers.email.send(
        {
          ...ids,
          from: workspace?.emailFrom ?? defaultEmailFrom(),
          to: message.recipient,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
        },
        { idempotencyKey },
      ));
    } else {
      providerName = providers.sms.name;
      ({ providerMessageId } = await providers.sms.send({ ...ids, to: message.recipient, body: rendered.text }, { idempotencyKey }));
    }
    await advanceMessageStatus(db, {
      ...ids,
      to: "sent",
      set: { provider: providerName, providerMessageId, subject: rendered.channel === "email" ? rendered.subject : null },
    });
    await recordMessageAttempts(db, [{ ...ids, provider: providerName, outcome: "sent", attempt: params.attempt }]);
    return { outcome: "sent", providerMessageId };
  } catch (error) {
    // Every failed call goes into the history a dead letter shows, whatever happens next.
    await recordMessageAttempts(db, [
      {
        ...ids,
        provider: error instanceof ProviderError ? error.details.provider : providerName,
        outcome: error instanceof ProviderError && error.kind === "rate-limited" ? "rate-limited" : "failed",
        error: attemptErrorMessage(error, { where: "deliver-message", ...ids }),
        attempt: params.attempt,
      },
    ]);
    if (error instanceof ProviderError && error.kind === "permanent") {
      const reason = publicErrorMessage(error, { where: "deliver-message", ...ids });
      await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: reason } });
      return { outcome: "failed", error: reason };
    }
    throw error;
  }
}

async function renderMessage(db: Db, message: Message) {
  let source: TemplateSource;
  if (message.templateId) {
    const template = await getTemplate(db, { workspaceId: message.workspaceId, templateId: message.templateId });
    if (!template) throw new UndeliverableError(`Template ${message.templateId} no longer exists`);
    source = template;
  } else {
    source = { channel: message.channel, subject: message.request.subject, body: message.request.body ?? "" };
  }
  const contact = message.contactId ? await getContact(db, { workspaceId: message.workspaceId, contactId: message.contactId }) : undefined;
  return compileTemplate(source).render(templateVariables(message.request.data, contact));
}
