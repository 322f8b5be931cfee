import type { z } from "zod";
import type { PushSubscription } from "@/db/queries/push-subscriptions";
import type { pushSubscriptionSchema } from "@/lib/api/contracts/push-subscriptions";

/** A subscription as the API shows it: the endpoint or token under its own name, never the browser keys. */
export function pushSubscriptionView(row: PushSubscription): z.infer<typeof pushSubscriptionSchema> {
  return {
    id: row.id,
    contactId: row.contactId,
    type: row.kind,
    endpoint: row.kind === "web_push" ? row.address : null,
    token: row.kind === "fcm" ? row.address : null,
    label: row.label,
    lastSentAt: row.lastSentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
