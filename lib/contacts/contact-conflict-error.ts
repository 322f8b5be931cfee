import type { ContactConflict } from "@/db/queries/contacts";
import { apiError } from "@/lib/api/responses";

/** 409 naming the field and, when it is still there, the contact that already holds the value. */
export function contactConflictError(conflict: ContactConflict) {
  const holder = conflict.contactId ? ` (contact ${conflict.contactId})` : "";
  const message = `This ${conflict.conflict} already belongs to another contact${holder}`;
  return apiError(409, "conflict", message, { [conflict.conflict]: [message] });
}
