import type { Db } from "@/db";
import { getContact, isContactHidden } from "@/db/queries/contacts";
import { advanceMessageStatus, type Message } from "@/db/queries/messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { getTemplate } from "@/db/queries/templates";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { metrics } from "@/lib/observability/metrics";
import { preferenceBlocks } from "@/lib/preferences/preference-blocks";
import { compileTemplate, type Rendered, type TemplateSource } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { templateVariables } from "@/lib/templates/template-variables";
import { preferencesVariable } from "@/lib/tracking/tracking-variables";
import { whatsappRefusal } from "./whatsapp-refusal";
import { renderWhatsAppTemplate } from "./whatsapp-template-message";

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
 * the message was requested (invariant 6), so are the contact's preferences for the message's
 * category and channel (lib/preferences/preference-blocks.ts), and the template is rendered. What rules the message
 * out is written to its row here, so the caller only ever sends what comes back "ready".
 */
export async function prepareMessage(db: Db, message: Message): Promise<PreparedMessage> {
  if (message.status !== "queued" && message.status !== "sending") return { outcome: "skipped", status: message.status };
  const ids = { workspaceId: message.workspaceId, messageId: message.id };
  if (await isSuppressed(db, { workspaceId: message.workspaceId, channel: message.channel, address: message.recipient })) {
    await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: "Recipient is on the suppression list" } });
    return { outcome: "suppressed" };
  }
  // A message addressed to a contact whose erasure was requested is never sent; the recovery
  // email (lib/lifecycle/recovery-email.ts) names no contact, so it still goes.
  if (message.contactId && (await isContactHidden(db, { workspaceId: message.workspaceId, contactId: message.contactId }))) {
    await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: "The contact is pending erasure" } });
    return { outcome: "suppressed" };
  }
  if (message.contactId) {
    const blocked = await preferenceBlocks(db, { workspaceId: message.workspaceId, channel: message.channel, category: message.category, contactIds: [message.contactId] });
    const reason = blocked.get(message.contactId);
    if (reason) {
      if (await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: reason } })) metrics().preferenceBlocks.inc({ channel: message.channel, path: "notification" });
      return { outcome: "suppressed" };
    }
  }
  try {
    const rendered = await renderMessage(db, message);
    const refusal = rendered.channel === "whatsapp" ? await whatsappRefusal(db, message, rendered) : null;
    if (refusal) {
      await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: refusal } });
      return { outcome: "failed", error: refusal };
    }
    return { outcome: "ready", message, rendered };
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
    // A subject kept on a templated message is an override of the template's (MessageOverrides).
    source = message.request.subject !== undefined ? { ...template, subject: message.request.subject } : template;
  } else {
    source = { channel: message.channel, subject: message.request.subject, body: message.request.body ?? "" };
  }
  const contact = message.contactId ? await getContact(db, { workspaceId: message.workspaceId, contactId: message.contactId }) : undefined;
  // After the caller's data, so a stray `preferences_url` in it can never replace the real link.
  const variables = templateVariables({ ...message.request.data, ...preferencesVariable({ messageId: message.id }) }, contact);
  if (message.channel === "whatsapp" && message.request.whatsapp) return renderWhatsAppTemplate(message.request.whatsapp.template, variables);
  return compileTemplate(source).render(variables);
}
