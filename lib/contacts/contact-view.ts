import type { Contact } from "@/db/queries/contacts";
import { birthdayText } from "@/core/contacts/birthday-columns";

/**
 * The public shape of a contact: everything but the tenant key, with the birthday as one value
 * ("1990-11-23", or "--11-23" when the year is unknown) rather than its storage columns.
 */
export function contactView(contact: Contact) {
  const { workspaceId: _workspaceId, birthdayMonth: _month, birthdayDay: _day, ...view } = contact;
  return { ...view, birthday: birthdayText(contact) };
}
