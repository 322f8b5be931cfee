import type { Contact } from "@/db/queries/contacts";
import { birthdayText } from "@/core/contacts/birthday-columns";

/**
 * The public shape of a contact: everything but the tenant key, with the birthday as one value
 * ("1990-11-23", or "--11-23" when the year is unknown) rather than its storage columns.
 */
export function contactView(contact: Contact) {
  // erasure_requested_at is internal: a contact pending erasure is never shown at all.
  const { workspaceId: _workspaceId, birthdayMonth: _month, birthdayDay: _day, erasureRequestedAt: _erasure, ...view } = contact;
  return { ...view, birthday: birthdayText(contact) };
}
