import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import type { ChannelPlan } from "@/db/queries/channel-plans";
import type { DeliverySettings } from "@/db/queries/delivery-settings";
import type { Digest } from "@/db/queries/digests";
import type { NotificationCategory } from "@/db/queries/notification-categories";
import { channelPlanStatus, digestStatus } from "@/db/schema";

const timestamp = z.iso.datetime();

export const channelPlanSchema = z
  .object({
    id: z.uuid(),
    messageId: z.string(),
    contactId: z.uuid(),
    category: z.string().nullable(),
    status: z.enum(channelPlanStatus.enumValues).meta({ description: "`running`; `engaged` (the contact engaged with a step: the plan stopped there); `completed` (every step was tried)" }),
    steps: z.array(
      z.object({
        channel: z.enum(CHANNELS),
        waitSeconds: z.number().int(),
        messageId: z.uuid().nullable().meta({ description: "The step's message (see /notifications/{id}); null until the step starts, or when it was skipped" }),
        outcome: z
          .enum(["pending", "waiting", "engaged", "not_engaged", "skipped", "suppressed", "failed", "sent"])
          .meta({ description: "`pending` until the plan reaches the step; `waiting` while the contact has the step's time to engage; `sent` for a last step sent" }),
        reason: z.string().nullable(),
        at: timestamp.nullable(),
      }),
    ),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "ChannelPlan" });

export function channelPlanView(plan: ChannelPlan): z.infer<typeof channelPlanSchema> {
  return {
    id: plan.id,
    messageId: plan.idempotencyKey,
    contactId: plan.contactId,
    category: plan.category,
    status: plan.status,
    steps: plan.steps.map((step, index) => {
      const progress = plan.progress[index];
      return {
        channel: step.channel,
        waitSeconds: step.waitSeconds,
        messageId: progress?.messageId ?? null,
        outcome: progress?.outcome ?? "pending",
        reason: progress?.reason ?? null,
        at: progress?.at ?? null,
      };
    }),
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

export const digestSchema = z
  .object({
    id: z.uuid(),
    contactId: z.uuid(),
    category: z.string(),
    channel: z.enum(CHANNELS),
    status: z.enum(digestStatus.enumValues),
    itemCount: z.number().int(),
    flushAt: timestamp.meta({ description: "When the digest is sent unless flushed or cancelled before" }),
    messageId: z.uuid().nullable().meta({ description: "The digest's message once sent" }),
    createdAt: timestamp,
  })
  .meta({ id: "Digest" });

export function digestView(digest: Digest, itemCount: number): z.infer<typeof digestSchema> {
  return {
    id: digest.id,
    contactId: digest.contactId,
    category: digest.category,
    channel: digest.channel,
    status: digest.status,
    itemCount,
    flushAt: digest.flushAt.toISOString(),
    messageId: digest.messageId,
    createdAt: digest.createdAt.toISOString(),
  };
}

export const deliverySettingsSchema = z
  .object({
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable().meta({ description: "Local times; null: no quiet hours" }),
    timezone: z.string().meta({ description: "The zone for contacts without one (IANA name)" }),
  })
  .meta({ id: "DeliverySettings" });

export function deliverySettingsView(settings: DeliverySettings): z.infer<typeof deliverySettingsSchema> {
  return {
    quietHours: settings.quietHoursStart && settings.quietHoursEnd ? { start: settings.quietHoursStart, end: settings.quietHoursEnd } : null,
    timezone: settings.timezone,
  };
}

export const categoryDeliverySchema = z
  .object({
    key: z.string(),
    urgent: z.boolean().meta({ description: "Urgent categories go out through quiet hours (set with the category)" }),
    digestWindowSeconds: z.number().int().nullable(),
    cap: z.object({ limit: z.number().int(), periodSeconds: z.number().int() }).nullable(),
  })
  .meta({ id: "CategoryDelivery" });

export function categoryDeliveryView(category: NotificationCategory): z.infer<typeof categoryDeliverySchema> {
  return {
    key: category.key,
    urgent: category.urgent,
    digestWindowSeconds: category.digestWindowSeconds,
    cap: category.capLimit && category.capPeriodSeconds ? { limit: category.capLimit, periodSeconds: category.capPeriodSeconds } : null,
  };
}
