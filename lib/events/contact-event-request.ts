import { z } from "zod";
import {
  CONTACT_EVENT_ID,
  CONTACT_EVENT_ID_RULE,
  CONTACT_EVENT_NAME,
  CONTACT_EVENT_NAME_RULE,
  CONTACT_EVENT_PROPERTIES_MAX_BYTES,
  CONTACT_EVENT_PROPERTIES_MAX_DEPTH,
  CONTACT_EVENTS_PER_BATCH,
} from "@/core/events/contact-event-names";
import { boundedJsonObject, boundedJsonRule } from "@/core/validation/bounded-json";

const propertyLimits = { maxDepth: CONTACT_EVENT_PROPERTIES_MAX_DEPTH, maxBytes: CONTACT_EVENT_PROPERTIES_MAX_BYTES };

/** One custom event about a contact. Strict: unknown fields are errors. */
export const contactEventInput = z
  .strictObject({
    id: z.string().regex(CONTACT_EVENT_ID, `must be ${CONTACT_EVENT_ID_RULE}`).meta({
      description: "Your id for this event, unique in the workspace: the same id again records nothing new and answers with the first record",
      example: "order-1001-paid",
    }),
    name: z.string().regex(CONTACT_EVENT_NAME, `must be ${CONTACT_EVENT_NAME_RULE}`).meta({ description: `What happened: ${CONTACT_EVENT_NAME_RULE}`, example: "purchase" }),
    contactId: z.uuid().optional().meta({ description: "The contact it happened to; or give `email`" }),
    email: z.email().max(320).optional().meta({ description: "The contact's email address; or give `contactId`" }),
    properties: boundedJsonObject(propertyLimits)
      .default({})
      .meta({ type: "object", description: `What journeys can read about the event; ${boundedJsonRule(propertyLimits)}` }),
    occurredAt: z.iso.datetime({ offset: true }).optional().meta({ description: "When it happened (ISO 8601); when the request arrives by default" }),
  })
  .superRefine((value, ctx) => {
    if (Boolean(value.contactId) === Boolean(value.email)) ctx.addIssue({ code: "custom", path: ["contactId"], message: "give exactly one of `contactId` or `email`" });
  });

export type ContactEventInput = z.infer<typeof contactEventInput>;

/** `POST /api/v1/events/batch`: `{ events: [...] }`, each event with its own result. */
export const contactEventBatch = z
  .strictObject({
    events: z.array(contactEventInput).min(1).max(CONTACT_EVENTS_PER_BATCH).meta({ description: `1–${CONTACT_EVENTS_PER_BATCH} events; each gets its own result` }),
  });
