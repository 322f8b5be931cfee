import type { Db } from "@/db";
import type { Message } from "@/db/queries/messages";
import { findContactIdByPhone, findWhatsAppContact } from "@/db/queries/whatsapp-contacts";
import { insideSessionWindow, NO_WHATSAPP_CONTACT, NO_WHATSAPP_OPT_IN, OUTSIDE_SESSION_WINDOW } from "@/core/messages/whatsapp";
import type { RenderedWhatsApp } from "@/lib/templates/compile-template";

/**
 * Why Meta's rules forbid this WhatsApp message now, or null when it may go: the contact (by id,
 * or by the number it was sent to) must have opted in, and free text (a session message) may
 * only follow the contact's own message by less than 24 hours; a template may go any time.
 * Checked at send time (invariant 6), just before the claim: a withdrawal or an expired window
 * between the request and the send stops the message.
 */
export async function whatsappRefusal(
  db: Db,
  message: Pick<Message, "workspaceId" | "contactId" | "recipient">,
  rendered: RenderedWhatsApp,
  now: Date = new Date(),
): Promise<string | null> {
  const standing = await findWhatsAppContact(db, { workspaceId: message.workspaceId, contactId: message.contactId, phone: message.recipient });
  if (!standing) return message.contactId ? NO_WHATSAPP_OPT_IN : await noContactOrNoOptIn(db, message);
  if (!standing.optedInAt) return NO_WHATSAPP_OPT_IN;
  if (!rendered.template && !insideSessionWindow(standing.lastInboundAt, now)) return OUTSIDE_SESSION_WINDOW;
  return null;
}

async function noContactOrNoOptIn(db: Db, message: Pick<Message, "workspaceId" | "recipient">): Promise<string> {
  return (await findContactIdByPhone(db, { workspaceId: message.workspaceId, phone: message.recipient })) ? NO_WHATSAPP_OPT_IN : NO_WHATSAPP_CONTACT;
}
