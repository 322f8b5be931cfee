import { contactCreated } from "./events";

/** Events per step.sendEvent: a quarter of Inngest's 5,000. */
export const MAILBOX_ENRICH_EVENTS_PER_SEND = 1_000;

/**
 * The `contact/created` events for the contacts a mailbox page created, in sends of at most
 * MAILBOX_ENRICH_EVENTS_PER_SEND, for the existing enrichment (batched by enrich-contacts). The
 * event id is the contact's, so a replayed page step or a second source of the same person
 * enriches it once. Shared by the import and the sync, which send them a page at a time.
 */
export function mailboxContactEvents(workspaceId: string, contactIds: readonly string[]): ReturnType<typeof contactCreated.create>[][] {
  const sends: ReturnType<typeof contactCreated.create>[][] = [];
  for (let start = 0; start < contactIds.length; start += MAILBOX_ENRICH_EVENTS_PER_SEND) {
    sends.push(contactIds.slice(start, start + MAILBOX_ENRICH_EVENTS_PER_SEND).map((contactId) => contactCreated.create({ workspaceId, contactId }, { id: `contact-created-${contactId}` })));
  }
  return sends;
}
