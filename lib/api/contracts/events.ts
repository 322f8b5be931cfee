import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { CONTACT_EVENT_NAME, CONTACT_EVENT_NAME_RULE, decodeEventCursor } from "@/core/events/contact-event-names";
import { contactEventBatch, contactEventInput } from "@/lib/events/contact-event-request";
import { apiErrorSchema } from "@/lib/api/responses";
import { cursorParam, pageParams } from "@/lib/api/pagination";
import { paged, timestamp } from "./common";

const tag = "Events";

export const contactEventSchema = z
  .object({
    id: z.string().meta({ description: "Your id for the event" }),
    name: z.string(),
    contactId: z.uuid(),
    properties: z.record(z.string(), z.json()),
    occurredAt: timestamp,
    receivedAt: timestamp,
  })
  .meta({ id: "ContactEvent" });

/** One event's answer: 202 with the record (new, or the first one for a repeated id). */
const recorded = z.object({ status: z.literal(202), duplicate: z.boolean().meta({ description: "True when this id was already recorded: nothing new was stored" }), event: contactEventSchema });

export const contactEventsApi = {
  record: apiOperation({
    method: "post",
    path: "/events",
    tag,
    summary: "Record a custom event about a contact (purchase, cart.abandoned, …)",
    description:
      "The event names its contact by `contactId` or `email` and carries your own `id`: posting an id again records nothing new and answers with the first record, so a request can be retried safely. Recorded events start, advance and end journeys.",
    body: contactEventInput,
    responses: { 202: { description: "Recorded (or already known by its id)", schema: recorded.omit({ status: true }) } },
    errors: { 404: "The contact is not this workspace's (or is pending erasure); nothing is recorded", 503: "The event is recorded but could not be queued; retry the same request" },
  }),
  recordBatch: apiOperation({
    method: "post",
    path: "/events/batch",
    tag,
    summary: "Record up to 100 custom events in one request",
    description:
      "Each event as for `POST /events`. Answers 202 with one result per event, in order: `202` with the record, or `404` when that event's contact is not this workspace's. An invalid event refuses the whole batch with 400, naming its fields by index (`events.3.name`).",
    body: contactEventBatch,
    responses: {
      202: {
        description: "One result per event, in order",
        schema: z.object({ data: z.array(z.union([recorded, z.object({ status: z.literal(404), error: apiErrorSchema.shape.error })])) }),
      },
    },
    errors: { 503: "The events are recorded but could not be queued; retry the same request" },
  }),
  list: apiOperation({
    method: "get",
    path: "/events",
    tag,
    summary: "List recorded events, newest first",
    query: z.strictObject({
      contactId: z.uuid().optional().meta({ description: "Only this contact's events" }),
      name: z.string().regex(CONTACT_EVENT_NAME, `must be ${CONTACT_EVENT_NAME_RULE}`).optional().meta({ description: "Only events of this name" }),
      limit: pageParams.limit,
      cursor: cursorParam(decodeEventCursor),
    }),
    responses: { 200: { description: "A page of events", schema: paged(contactEventSchema) } },
  }),
};
