import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { channelPlanRequest } from "@/lib/delivery/channel-plan-request";
import { categoryDeliveryRequest, deliverySettingsRequest } from "@/lib/delivery/delivery-settings-request";
import { categoryDeliverySchema, channelPlanSchema, deliverySettingsSchema, digestSchema } from "@/lib/delivery/delivery-views";
import { idParams } from "./common";

const queueDown = "Recorded but could not be queued; retry the same request";

export const channelPlansApi = {
  create: apiOperation({
    method: "post",
    path: "/channel-plans",
    tag: "Channel plans",
    summary: "Send a notification by a channel plan (in-app, then email if not seen, then SMS…)",
    description:
      "Each step is sent only when the contact did not engage with the previous one within its `waitSeconds` (an in-app message seen; an email opened or clicked), or could not get it: a channel the contact has no address for is skipped, and a step whose message is suppressed (opted out, capped, on the suppression list) or fails falls through at once. Posting the same `messageId` again returns the same plan.",
    body: channelPlanRequest,
    responses: { 202: { description: "Recorded and started (or already known by its messageId)", schema: channelPlanSchema } },
    errors: { 404: "The contact or a step's template is not this workspace's", 503: queueDown },
  }),
  get: apiOperation({
    method: "get",
    path: "/channel-plans/{id}",
    tag: "Channel plans",
    summary: "A plan's progress: its status and each step's message and outcome",
    params: idParams("channel plan"),
    responses: { 200: { description: "The plan", schema: channelPlanSchema } },
    errors: { 404: "No such plan in this workspace" },
  }),
};

export const digestsApi = {
  list: apiOperation({
    method: "get",
    path: "/digests",
    tag: "Digests",
    summary: "Pending digests, the longest waiting first",
    description:
      "A notification with a `contactId` and a `category` that has a digest window joins the contact's pending digest for that category and channel; when the window ends the digest is sent as one message whose template sees `digest.count` and `digest.items` (each notification's `data`).",
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    responses: { 200: { description: "The pending digests", schema: z.object({ data: z.array(digestSchema) }) } },
  }),
  get: apiOperation({
    method: "get",
    path: "/digests/{id}",
    tag: "Digests",
    summary: "One digest",
    params: idParams("digest"),
    responses: { 200: { description: "The digest", schema: digestSchema } },
    errors: { 404: "No such digest in this workspace" },
  }),
  flush: apiOperation({
    method: "post",
    path: "/digests/{id}/flush",
    tag: "Digests",
    summary: "Send a pending digest now",
    params: idParams("digest"),
    responses: { 202: { description: "The digest is being sent", schema: digestSchema } },
    errors: { 404: "No such digest in this workspace", 409: "The digest is not pending (already sent or cancelled)", 503: queueDown },
  }),
  cancel: apiOperation({
    method: "delete",
    path: "/digests/{id}",
    tag: "Digests",
    summary: "Cancel a pending digest: its notifications are not sent",
    params: idParams("digest"),
    responses: { 200: { description: "The cancelled digest", schema: digestSchema } },
    errors: { 404: "No such digest in this workspace", 409: "The digest is not pending (already sent or cancelled)" },
  }),
};

const categoryParams = z.object({ key: z.string().meta({ description: "The category's key" }) });

export const deliverySettingsApi = {
  get: apiOperation({
    method: "get",
    path: "/delivery-settings",
    tag: "Delivery settings",
    summary: "The workspace's quiet hours and default time zone",
    responses: { 200: { description: "The settings", schema: deliverySettingsSchema } },
  }),
  update: apiOperation({
    method: "patch",
    path: "/delivery-settings",
    tag: "Delivery settings",
    summary: "Set quiet hours (local times, in each contact's zone) and the default time zone",
    description:
      "A notification that falls inside the contact's quiet hours waits until they end and is then sent; it is never dropped. Notifications of an urgent category go out at once.",
    body: deliverySettingsRequest,
    responses: { 200: { description: "The settings", schema: deliverySettingsSchema } },
  }),
  getCategory: apiOperation({
    method: "get",
    path: "/delivery-settings/categories/{key}",
    tag: "Delivery settings",
    summary: "A category's digest window and frequency cap",
    params: categoryParams,
    responses: { 200: { description: "The category's delivery rules", schema: categoryDeliverySchema } },
    errors: { 404: "No such category in this workspace" },
  }),
  updateCategory: apiOperation({
    method: "patch",
    path: "/delivery-settings/categories/{key}",
    tag: "Delivery settings",
    summary: "Set a category's digest window and frequency cap",
    params: categoryParams,
    body: categoryDeliveryRequest,
    responses: { 200: { description: "The category's delivery rules", schema: categoryDeliverySchema } },
    errors: { 404: "No such category in this workspace" },
  }),
};
