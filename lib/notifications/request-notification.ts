import { CHANNEL_ADDRESS } from "@/core/messages/channels";
import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { insertMessage, type Message } from "@/db/queries/messages";
import { getTemplate } from "@/db/queries/templates";
import { compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import { categoryIssue } from "@/lib/preferences/category-issue";
import type { NotificationRequest } from "./notification-request";
import { checkWhatsAppTemplate } from "./whatsapp-template-message";

export type RequestOutcome =
  | { ok: true; message: Message; created: boolean }
  | { ok: false; status: 400 | 404; field: string; message: string };

export type RequestCheck = { ok: true; recipient: string; templateVersion: number | null } | Extract<RequestOutcome, { ok: false }>;

/**
 * What a request refers to, checked: the contact (its address for the channel), the category and
 * the template, all of this workspace. Shared by requestNotification and a digest's item, which
 * are refused for the same reasons.
 */
export async function checkNotificationRequest(db: Db, workspaceId: string, request: NotificationRequest): Promise<RequestCheck> {
  let recipient = request.to;
  if (request.contactId) {
    const contact = await getContact(db, { workspaceId, contactId: request.contactId });
    if (!contact) return { ok: false, status: 404, field: "contactId", message: "Contact not found" };
    const address = CHANNEL_ADDRESS[request.channel];
    recipient = (address === "email" ? contact.email : address === "phone" ? contact.phone : contact.id) ?? undefined;
    if (!recipient) {
      return { ok: false, status: 400, field: "contactId", message: `the contact has no ${address}` };
    }
  }

  if (request.category) {
    const issue = await categoryIssue(db, { workspaceId, key: request.category });
    if (issue) return { ok: false, status: 400, field: "category", message: issue };
  }

  let templateVersion: number | null = null;
  if (request.templateId) {
    const template = await getTemplate(db, { workspaceId, templateId: request.templateId });
    if (!template) return { ok: false, status: 404, field: "templateId", message: "Template not found" };
    if (template.channel !== request.channel) {
      return { ok: false, status: 400, field: "templateId", message: `the template is for ${template.channel}, not ${request.channel}` };
    }
    templateVersion = template.version;
  } else {
    // Syntax errors surface now, as a 400, rather than as a failed message later.
    try {
      if (request.whatsapp) checkWhatsAppTemplate(request.whatsapp.template);
      else compileTemplate({ channel: request.channel, subject: request.subject, body: request.body ?? "" });
    } catch (error) {
      if (error instanceof TemplateError) return { ok: false, status: 400, field: request.whatsapp ? "whatsapp.template.variables" : error.part, message: error.message };
      throw error;
    }
  }
  return { ok: true, recipient: recipient!, templateVersion };
}

/**
 * What an internal caller may change of a templated message, which the public request cannot: the
 * subject line (Liquid, rendered like the template's own) and the email sender. A journey's A/B
 * variants use it; both are kept on the message's request, so every later attempt sends the same.
 */
export type MessageOverrides = { subject?: string; from?: string };

/**
 * Records a notification request as a queued message, once per (workspace, messageId): a
 * repeated request returns the first message untouched. Ownership of the template and contact
 * is checked here, so another workspace's ids answer 404 (invariant 5).
 */
export async function requestNotification(db: Db, workspaceId: string, request: NotificationRequest, overrides: MessageOverrides = {}): Promise<RequestOutcome> {
  const check = await checkNotificationRequest(db, workspaceId, request);
  if (!check.ok) return check;
  const { recipient, templateVersion } = check;

  const { row, created } = await insertMessage(db, {
    workspaceId,
    idempotencyKey: request.messageId,
    kind: "transactional",
    channel: request.channel,
    recipient: request.channel === "email" ? recipient.toLowerCase() : recipient,
    contactId: request.contactId ?? null,
    templateId: request.templateId ?? null,
    templateVersion,
    category: request.category ?? null,
    request: {
      subject: overrides.subject ?? request.subject,
      body: request.body,
      data: request.data,
      ...(overrides.from ? { from: overrides.from } : {}),
      ...(request.whatsapp ? { whatsapp: request.whatsapp } : {}),
    },
  });
  return { ok: true, message: row, created };
}
