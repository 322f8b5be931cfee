import type { Contact } from "@/db/queries/contacts";

/** The public shape of a contact: everything but the tenant key. */
export function contactView(contact: Contact) {
  const { workspaceId: _workspaceId, ...view } = contact;
  return view;
}
