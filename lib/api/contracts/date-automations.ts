import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { dateAutomationCreateRequest, dateAutomationPatchRequest, dateAutomationPreviewQuery } from "@/lib/automations/date-automation-request";
import { idParams, paged, timestamp } from "./common";

const tag = "Date automations";

export const dateAutomationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    dateField: z.string(),
    sendHour: z.number().int(),
    sendMinute: z.number().int(),
    channel: z.enum(CHANNELS),
    templateId: z.uuid(),
    category: z.string().nullable(),
    status: z.enum(["active", "paused"]),
    statusReason: z.string().nullable().meta({ description: "Why it is paused: a person, or its template or category went away" }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "DateAutomation" });

export const dateAutomationPreviewSchema = z
  .object({
    day: z.string().meta({ description: "The day previewed, YYYY-MM-DD" }),
    count: z.number().int().meta({ description: "Contacts who will get it that day (subscribed, not hidden, not yet sent this year)" }),
    sample: z.array(
      z.object({
        contactId: z.uuid(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        name: z.string().nullable(),
        zone: z.string().meta({ description: "The zone of the send: the contact's, or the workspace's when it has none" }),
        localSendTime: z.string().meta({ description: "The send's local wall-clock time, YYYY-MM-DDTHH:MM" }),
        sendAt: timestamp.meta({ description: "The same moment in UTC" }),
      }),
    ),
  })
  .meta({ id: "DateAutomationPreview" });

const notFound = "No such automation in this workspace";

export const dateAutomationsApi = {
  create: apiOperation({
    method: "post",
    path: "/date-automations",
    tag,
    summary: "Send a template on each contact's date every year",
    description:
      "Birthdays (year-less ones included), signup anniversaries or a date attribute, at a local time in each contact's zone (the workspace's delivery-settings zone for contacts without one). 29 February falls on 28 February in other years. Each contact gets it once a year, through the ordinary send path: preferences, quiet hours, caps and credits apply. A template of another workspace answers 404; one of another channel, 400.",
    body: dateAutomationCreateRequest,
    responses: { 201: { description: "The automation, active", schema: dateAutomationSchema } },
    errors: { 404: "The template is not one of this workspace's" },
  }),
  list: apiOperation({
    method: "get",
    path: "/date-automations",
    tag,
    summary: "List date automations, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of automations", schema: paged(dateAutomationSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/date-automations/{id}",
    tag,
    summary: "One date automation",
    params: idParams("automation"),
    responses: { 200: { description: "The automation", schema: dateAutomationSchema } },
    errors: { 404: notFound },
  }),
  update: apiOperation({
    method: "patch",
    path: "/date-automations/{id}",
    tag,
    summary: "Change a date automation",
    description: "Any of the fields; the template is checked against the (new or current) channel. Contacts already sent this year are not sent again.",
    params: idParams("automation"),
    body: dateAutomationPatchRequest,
    responses: { 200: { description: "The updated automation", schema: dateAutomationSchema } },
    errors: { 404: `${notFound}, or the template is not one of this workspace's` },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/date-automations/{id}",
    tag,
    summary: "Delete a date automation",
    params: idParams("automation"),
    responses: { 204: { description: "Deleted" } },
    errors: { 404: notFound },
  }),
  pause: apiOperation({
    method: "post",
    path: "/date-automations/{id}/pause",
    tag,
    summary: "Pause a date automation",
    description: "Nothing more is sent until it is resumed; a zone already sending finishes its current page.",
    params: idParams("automation"),
    responses: { 200: { description: "The paused automation", schema: dateAutomationSchema } },
    errors: { 404: notFound },
  }),
  resume: apiOperation({
    method: "post",
    path: "/date-automations/{id}/resume",
    tag,
    summary: "Resume a paused date automation",
    description: "Its template and category are checked again (a paused-because-deleted template must be replaced first). Zones whose send time has passed today still send today.",
    params: idParams("automation"),
    responses: { 200: { description: "The active automation", schema: dateAutomationSchema } },
    errors: { 404: notFound },
  }),
  preview: apiOperation({
    method: "get",
    path: "/date-automations/{id}/preview",
    tag,
    summary: "Who will get it on a day",
    description: "Each contact is counted on that day in its own zone. The count, and a sample with each contact's zone and local send time.",
    params: idParams("automation"),
    query: dateAutomationPreviewQuery,
    responses: { 200: { description: "The preview", schema: dateAutomationPreviewSchema } },
    errors: { 404: notFound },
  }),
};
