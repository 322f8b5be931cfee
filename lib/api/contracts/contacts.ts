import { z } from "zod";
import { erasureSchema } from "./erasures";
import { subscriptionStatus } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { contactPatchInput, contactUpsertInput } from "@/core/contacts/contact-input";
import { normalizeEmail } from "@/core/contacts/normalize-email";
import { idParams, jsonValue, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Contacts";

export const contactSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().meta({ description: "Lower-cased" }),
    phone: z.string().nullable().meta({ description: "E.164, e.g. +14155550123" }),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    locale: z.string().nullable().meta({ description: "e.g. en-US" }),
    timezone: z.string().nullable().meta({ description: "IANA zone, e.g. Europe/Paris" }),
    birthday: z.string().nullable().meta({ description: "`YYYY-MM-DD`, or `--MM-DD` when the year is unknown" }),
    attributes: z.record(z.string(), jsonValue).meta({ description: "Custom attributes" }),
    status: z.enum(subscriptionStatus.enumValues),
    unsubscribedAt: nullableTimestamp,
    anonymisedAt: nullableTimestamp.meta({ description: "When a retention policy anonymised the contact (inactive too long): its personal fields are empty from then on" }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Contact" });

export const contactsApi = {
  upsert: apiOperation({
    method: "post",
    path: "/contacts",
    tag,
    summary: "Create or update a contact by email",
    description:
      "Emails are lower-cased, phones read in the workspace's region and stored in E.164, time zones and birthdays validated. `attributes` sets keys and removes those sent as null; it never replaces the whole object. Status and consent fields are refused, by name. (The route builds this schema for the workspace's region: `contactUpsertInput({ defaultRegion })`.)",
    body: contactUpsertInput({ defaultRegion: null }),
    responses: { 201: { description: "Created", schema: contactSchema }, 200: { description: "An existing contact was updated", schema: contactSchema } },
    errors: { 409: "The phone number already belongs to another contact (named in the message)" },
  }),
  list: apiOperation({
    method: "get",
    path: "/contacts",
    tag,
    summary: "List contacts, newest first",
    query: z.strictObject({
      email: z
        .string()
        .transform((value, ctx) => {
          const email = normalizeEmail(value);
          if (!email.ok) ctx.addIssue({ code: "custom", message: email.reason });
          return email.ok ? email.value : z.NEVER;
        })
        .optional()
        .meta({ description: "Exactly this email (any case)" }),
      status: z.enum(subscriptionStatus.enumValues).optional(),
      listId: z.uuid().optional().meta({ description: "Members of this list" }),
      updatedSince: z.iso
        .datetime({ offset: true })
        .transform((value) => new Date(value))
        .optional()
        .meta({ description: "Changed at or after this ISO 8601 date-time" }),
      ...pageParams,
    }),
    responses: { 200: { description: "A page of contacts", schema: paged(contactSchema) } },
    errors: { 404: "`listId` names no list of this workspace" },
  }),
  get: apiOperation({
    method: "get",
    path: "/contacts/{id}",
    tag,
    summary: "One contact",
    params: idParams("contact"),
    responses: { 200: { description: "The contact", schema: contactSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/contacts/{id}",
    tag,
    summary: "Change some of a contact's fields",
    description: "Any writable field, at least one; `null` clears a field, an absent one is left as it is.",
    params: idParams("contact"),
    body: contactPatchInput({ defaultRegion: null }),
    responses: { 200: { description: "The updated contact", schema: contactSchema } },
    errors: { 404: "No such contact in this workspace", 409: "The email or phone already belongs to another contact (named in the message)" },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/contacts/{id}",
    tag,
    summary: "Erase a contact (with a recovery window)",
    description:
      "Starts a durable erasure. The contact is hidden at once from every send, list, segment, lookup and import; a recovery email with a signed restore link goes to its address. Within the recovery window (ERASURE_RECOVERY_HOURS, 24 h) `POST /erasures/{id}/restore` brings it back exactly as it was; after it, its data is erased from every table and only a salted hash of its addresses stays on the suppression list. A second request answers the open erasure.",
    params: idParams("contact"),
    responses: { 202: { description: "The erasure (new, or the one already open)", schema: erasureSchema } },
    errors: { 404: "No such contact in this workspace", 503: "The erasure is recorded but could not be queued; retry" },
  }),
};
