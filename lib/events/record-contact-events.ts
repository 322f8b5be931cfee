import type { Db } from "@/db";
import { type ContactEvent, findEventContact, recordContactEvent } from "@/db/queries/contact-events";
import type { ContactEventInput } from "./contact-event-request";

export type ContactEventOutcome =
  | { ok: true; event: ContactEvent; created: boolean }
  | { ok: false; status: 404; field: "contactId" | "email"; message: string };

/**
 * Records custom events (already validated) and returns, for each, its outcome: every recorded
 * one, new or repeated, is to be announced as `contact/event.received` (inngest/contact-event.ts). Repeats send it
 * again under the same id on purpose: if the first request's send was lost after the row was
 * written, the retry starts the consumers; if it was not, the server drops the duplicate.
 * Sending is the caller's job (lib returns events as data).
 */
export async function recordContactEvents(
  db: Db,
  workspaceId: string,
  inputs: readonly ContactEventInput[],
  receivedAt: Date = new Date(),
): Promise<ContactEventOutcome[]> {
  const outcomes: ContactEventOutcome[] = [];
  for (const input of inputs) {
    const contactId = await findEventContact(db, { workspaceId, contactId: input.contactId, email: input.email });
    if (!contactId) {
      outcomes.push({ ok: false, status: 404, field: input.contactId ? "contactId" : "email", message: "Contact not found" });
      continue;
    }
    const { event, created } = await recordContactEvent(db, {
      workspaceId,
      eventId: input.id,
      name: input.name,
      contactId,
      properties: input.properties as Record<string, unknown>,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : receivedAt,
      receivedAt,
    });
    outcomes.push({ ok: true, event, created });
  }
  return outcomes;
}
