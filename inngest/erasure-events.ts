import type { Erasure } from "@/db/queries/erasures";
import { erasureRequested, erasureRestored, recoveryEmailRequested } from "./events";

/**
 * What a new erasure sends: its window (erase-after-window, once per erasure by the event id)
 * and, for a contact, the first recovery email.
 */
export function erasureRequestedEvents(erasure: Pick<Erasure, "id" | "workspaceId" | "subject" | "contactId">) {
  const ids = { workspaceId: erasure.workspaceId, erasureId: erasure.id };
  const window = erasureRequested.create(ids, { id: `erasure-requested-${erasure.id}` });
  if (erasure.subject !== "contact" || !erasure.contactId) return [window];
  return [window, recoveryEmailRequested.create({ ...ids, contactId: erasure.contactId }, { id: `erasure-recovery-${erasure.id}-first` })];
}

/** A resend of the recovery email: every request is its own trigger (the rate limit decides). */
export const recoveryEmailEvent = (erasure: Pick<Erasure, "id" | "workspaceId" | "contactId">) =>
  recoveryEmailRequested.create({ workspaceId: erasure.workspaceId, erasureId: erasure.id, contactId: erasure.contactId! });

/** Cancels the erasure's window (cancelOn, matched on the erasure id). */
export const erasureRestoredEvent = (erasure: Pick<Erasure, "id" | "workspaceId">) =>
  erasureRestored.create({ workspaceId: erasure.workspaceId, erasureId: erasure.id }, { id: `erasure-restored-${erasure.id}` });
