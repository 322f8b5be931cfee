import { z } from "zod";
import { pushSubscriptionInput } from "@/core/push/push-subscription-input";
import { PUSH_SUBSCRIPTION_KINDS } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { nullableTimestamp, timestamp } from "./common";

const tag = "Push";

export const pushSubscriptionSchema = z
  .object({
    id: z.uuid(),
    contactId: z.uuid(),
    type: z.enum(PUSH_SUBSCRIPTION_KINDS),
    endpoint: z.string().nullable().meta({ description: "Web Push: the push service's URL; null for FCM" }),
    token: z.string().nullable().meta({ description: "FCM: the registration token; null for Web Push" }),
    label: z.string().nullable(),
    lastSentAt: nullableTimestamp.meta({ description: "When its push service last accepted a message" }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "PushSubscription" });

const contactParams = z.object({ id: z.uuid().meta({ description: "The contact's id (a UUID); any other value answers 404" }) });

export const pushSubscriptionsApi = {
  list: apiOperation({
    method: "get",
    path: "/contacts/{id}/push-subscriptions",
    tag,
    summary: "List a contact's push devices",
    description: "Every browser and app the contact registered, oldest first. A push message goes to all of them.",
    params: contactParams,
    responses: { 200: { description: "The devices", schema: z.object({ data: z.array(pushSubscriptionSchema) }) } },
    errors: { 404: "No such contact in this workspace" },
  }),
  register: apiOperation({
    method: "post",
    path: "/contacts/{id}/push-subscriptions",
    tag,
    summary: "Register a device for push",
    description:
      "A browser's `PushSubscription` (`{ type: \"web_push\", ...subscription.toJSON() }`) or an FCM registration token (`{ type: \"fcm\", token }`). Idempotent by endpoint or token: registering it again updates the keys and label (200), and moves it to this contact if another had it. Keys are the browser's, never secrets of yours: a device only decrypts what was encrypted for it.",
    params: contactParams,
    body: pushSubscriptionInput,
    responses: { 201: { description: "Registered", schema: pushSubscriptionSchema }, 200: { description: "Already registered; updated", schema: pushSubscriptionSchema } },
    errors: { 404: "No such contact in this workspace", 409: "The contact already has the most devices allowed (50)" },
  }),
  delete: apiOperation({
    method: "delete",
    path: "/contacts/{id}/push-subscriptions/{subscriptionId}",
    tag,
    summary: "Unregister a device",
    params: contactParams.extend({ subscriptionId: z.uuid().meta({ description: "The subscription's id" }) }),
    responses: { 204: { description: "Removed" } },
    errors: { 404: "No such contact, or the contact has no such device" },
  }),
  vapidPublicKey: apiOperation({
    method: "get",
    path: "/push/vapid-public-key",
    tag,
    summary: "The VAPID public key pages subscribe with",
    description:
      "Public (no API key; any origin may read it): pass it as `applicationServerKey` to `pushManager.subscribe()`. It changes only when the deployment's key pair does, which strands existing subscriptions.",
    responses: { 200: { description: "The key", schema: z.object({ publicKey: z.string().meta({ description: "base64url, 65 bytes" }) }) } },
    errors: { 503: "Web Push is not configured (the message names the variable)" },
    public: true,
  }),
};
