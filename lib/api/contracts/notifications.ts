import { z } from "zod";
import { messageStatus } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { messageViewSchema } from "@/lib/messages/message-request";
import { notificationRequest } from "@/lib/notifications/notification-request";
import { idParams, paged } from "./common";

const tag = "Notifications";

/** A notification is a transactional message: a message's shape without kind and campaign. */
export const notificationSchema = messageViewSchema.omit({ kind: true, campaignId: true }).meta({ id: "Notification" });

export const notificationsApi = {
  create: apiOperation({
    method: "post",
    path: "/notifications",
    tag,
    summary: "Send a transactional email or SMS",
    description:
      "To an address (`to`) or a contact (`contactId`), from a stored template (`templateId`) or inline `subject`/`body` (Liquid), with `data` as the template's variables. Posting the same `messageId` again returns the same notification and sends nothing new.",
    body: notificationRequest,
    responses: {
      202: {
        description: "Recorded and queued (or already known by its messageId); or, for a category with a digest window, added to the contact's pending digest",
        schema: z.union([
          z.object({ id: z.uuid(), messageId: z.string(), status: z.enum(messageStatus.enumValues) }),
          z.object({ digestId: z.uuid().meta({ description: "See /digests/{id}" }), messageId: z.string(), status: z.literal("digested") }),
        ]),
      },
    },
    errors: { 404: "The contact or template is not this workspace's", 503: "The notification is recorded but could not be queued, or its channel is not configured; retry the same request" },
  }),
  list: apiOperation({
    method: "get",
    path: "/notifications",
    tag,
    summary: "List notifications, newest first",
    query: z.strictObject({ status: z.enum(messageStatus.enumValues).optional(), ...pageParams }),
    responses: { 200: { description: "A page of notifications", schema: paged(notificationSchema) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/notifications/{id}",
    tag,
    summary: "One notification: status, recipient, provider id, error, timestamps",
    params: idParams("notification"),
    responses: { 200: { description: "The notification", schema: notificationSchema } },
    errors: { 404: "No such notification in this workspace" },
  }),
};
