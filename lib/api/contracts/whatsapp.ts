import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { idParams, nullableTimestamp, timestamp } from "./common";

const tag = "WhatsApp";

const source = z.string().trim().min(1).max(200);

export const whatsappOptInSchema = z
  .object({
    contactId: z.uuid(),
    optedIn: z.boolean().meta({ description: "Whether WhatsApp messages may be sent to the contact" }),
    optedInAt: nullableTimestamp.meta({ description: "When the current opt-in was given" }),
    optInSource: z.string().nullable().meta({ description: "Where it was given, as recorded" }),
    optedOutAt: nullableTimestamp.meta({ description: "When it was last withdrawn" }),
    optOutSource: z.string().nullable().meta({ description: "`whatsapp_keyword` when the contact sent STOP" }),
    lastInboundAt: nullableTimestamp.meta({ description: "The contact's latest message to the business number" }),
    sessionWindowEndsAt: nullableTimestamp.meta({ description: "Free-text (session) messages may be sent until then; templates any time" }),
  })
  .meta({ id: "WhatsAppOptIn" });

export const whatsappOptInBody = z.strictObject({
  source: source.meta({ description: 'Where the contact agreed, kept as proof: e.g. "checkout form", "support chat"' }),
  at: timestamp.optional().meta({ description: "When the contact agreed; now when absent" }),
});

export const whatsappOptOutQuery = z.strictObject({
  source: source.default("api").meta({ description: "Why it was withdrawn; `api` when absent" }),
});

export const whatsappApi = {
  getOptIn: apiOperation({
    method: "get",
    path: "/contacts/{id}/whatsapp-opt-in",
    tag,
    summary: "A contact's WhatsApp opt-in and 24-hour window",
    params: idParams("contact"),
    responses: { 200: { description: "The contact's WhatsApp standing", schema: whatsappOptInSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
  recordOptIn: apiOperation({
    method: "post",
    path: "/contacts/{id}/whatsapp-opt-in",
    tag,
    summary: "Record that a contact agreed to WhatsApp messages",
    description:
      "WhatsApp messages go only to contacts who opted in; without it a send fails with the reason. A repeated opt-in keeps the first one's time and source; after a withdrawal, a new one is recorded.",
    params: idParams("contact"),
    body: whatsappOptInBody,
    responses: { 200: { description: "The contact's WhatsApp standing", schema: whatsappOptInSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
  withdrawOptIn: apiOperation({
    method: "delete",
    path: "/contacts/{id}/whatsapp-opt-in",
    tag,
    summary: "Withdraw a contact's WhatsApp opt-in",
    description: "Later WhatsApp messages to the contact fail with the reason, template messages included. A STOP sent on WhatsApp does the same.",
    params: idParams("contact"),
    query: whatsappOptOutQuery,
    responses: { 200: { description: "The contact's WhatsApp standing", schema: whatsappOptInSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
};
