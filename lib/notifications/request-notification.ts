import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { insertMessage, type Message } from "@/db/queries/messages";
import { getTemplate } from "@/db/queries/templates";
import { compileTemplate } from "@/lib/templates/compile-template";
import { TemplateError } from "@/lib/templates/template-error";
import type { NotificationRequest } from "./notification-request";

export type RequestOutcome =
  | { ok: true; message: Message; created: boolean }
  | { ok: false; status: 400 | 404; field: string; message: string };

/**
 * Records a notification request as a queued message, once per (workspace, messageId): a
 * repeated request returns the first message untouched. Ownership of the template and contact
 * is checked here, so another workspace's ids answer 404 (invariant 5).
 */
export async function requestNotification(db: Db, workspaceId: string, request: NotificationRequest): Promise<RequestOutcome> {
  let recipient = request.to;
  if (request.contactId) {
    const contact = await getContact(db, { workspaceId, contactId: request.contactId });
    if (!contact) return { ok: false, status: 404, field: "contactId", message: "Contact not found" };
    recipient = (request.channel === "email" ? contact.email : contact.phone) ?? undefined;
    if (!recipient) {
      return { ok: false, status: 400, field: "contactId", message: `the contact has no ${request.channel === "email" ? "email" : "phone"}` };
    }
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
      compileTemplate({ channel: request.channel, subject: request.subject, body: request.body ?? "" });
    } catch (error) {
      if (error instanceof TemplateError) return { ok: false, status: 400, field: error.part, message: error.message };
      throw error;
    }
  }

  const { row, created } = await insertMessage(db, {
    workspaceId,
    idempotencyKey: request.messageId,
    kind: "transactional",
    channel: request.channel,
    recipient: request.channel === "email" ? recipient!.toLowerCase() : recipient!,
    contactId: request.contactId ?? null,
    templateId: request.templateId ?? null,
    templateVersion,
    request: { subject: request.subject, body: request.body, data: request.data },
  });
  return { ok: true, message: row, created };
}
