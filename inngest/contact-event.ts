import type { ContactEvent } from "@/db/queries/contact-events";
import { contactEventInngestId } from "@/core/events/contact-event-names";
import { contactEventReceived } from "./events";

/**
 * The `contact/event.received` event for a recorded custom event. Its id is derived from the
 * caller's event id, so every repeat of the request sends the same event and consumers (journeys)
 * start once; the properties stay in contact_events, read by `contactEventId`.
 */
export function contactEvent(event: Pick<ContactEvent, "id" | "workspaceId" | "contactId" | "name" | "eventId">) {
  return contactEventReceived.create(
    { workspaceId: event.workspaceId, contactId: event.contactId, name: event.name, contactEventId: event.id },
    { id: contactEventInngestId(event.workspaceId, event.eventId) },
  );
}
