import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { advanceMessageStatus, type Message } from "@/db/queries/messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { getTemplate } from "@/db/queries/templates";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { compileTemplate, type Rendered, type TemplateSource } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { templateVariables } from "@/lib/templates/template-variables";

/** Thrown for input that no retry can fix (wrong workspace, missing message or template). */
export class UndeliverableError extends Error {
  override readonly name = "UndeliverableError";
}

export type PreparedMessage =
  | { outcome: "skipped"; status: Message["status"] }
  | { outcome: "suppressed" }
  | { outcome: "failed"; error: string }
  | { outcome: "ready"; message: Message; rendered: Rendered };

/**
 * Everything before the provider call, for one transactional message: a message past
 * "sending" is skipped (a retry or replay), suppression is checked now rather than only when
 * the message was requested (invariant 6), and the template is rendered. What rules the message
 * out is written to its row here, so the caller only ever sends what comes back "ready".
 */
export async function prepareMessage(db: Db, message: Message): Promise<PreparedMessage> {
  if (message.status !== "queued" && message.status !== "sending") return { outcome: "skipped", status: message.status };
  const ids = { workspaceId: message.workspaceId, messageId: message.id };
  if (await isSuppressed(db, { workspaceId: message.workspaceId, channel: message.channel, address: message.recipient })) {
    await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: "Recipient is on the suppression list" } });
    return { outcome: "suppressed" };
  }
  try {
    return { outcome: "ready", message, rendered: await renderMessage(db, message) };
  } catch (error) {
    if (!(error instanceof TemplateError || error instanceof UndeliverableError)) throw error;
    const reason = publicErrorMessage(error, { where: "deliver-message", ...ids });
    await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: reason } });
    return { outcome: "failed", error: reason };
  }
}

async function renderMessage(db: Db, message: Message): Promise<Rendered> {
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
