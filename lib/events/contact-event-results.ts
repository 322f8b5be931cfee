import type { ContactEventOutcome } from "./record-contact-events";
import { contactEventView } from "./contact-event-view";

/** One event's result in a batch answer: the record (new or repeated), or why it was not recorded. */
export function contactEventResult(outcome: ContactEventOutcome) {
  return outcome.ok
    ? { status: 202 as const, duplicate: !outcome.created, event: contactEventView(outcome.event) }
    : { status: 404 as const, error: { code: "not_found", message: outcome.message, fields: { [outcome.field]: [outcome.message] } } };
}
