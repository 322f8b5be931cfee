import type { ContactEvent } from "@/db/queries/contact-events";

/** A recorded event as the API shows it: the caller's id as `id`; the row's serial id stays internal. */
export function contactEventView(event: ContactEvent) {
  return {
    id: event.eventId,
    name: event.name,
    contactId: event.contactId,
    properties: event.properties,
    occurredAt: event.occurredAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
  };
}
