import { z } from "zod";
import { CLOCK_TIME } from "@/core/delivery/quiet-hours";
import { normalizeTimezone } from "@/core/contacts/normalize-timezone";

const clock = z.string().regex(CLOCK_TIME, "must be a local time like 21:00 (HH:MM or HH:MM:SS, 24-hour)");

/** PATCH /api/v1/delivery-settings. */
export const deliverySettingsRequest = z.strictObject({
  quietHours: z
    .strictObject({ start: clock, end: clock })
    .nullable()
    .optional()
    .meta({ description: "Local times in the contact's zone; `end` before `start` spans midnight (21:00–08:00). null turns quiet hours off" }),
  timezone: z
    .string()
    .refine((zone) => normalizeTimezone(zone).ok, "must be an IANA time zone such as Europe/Berlin")
    .transform((zone) => {
      const normalized = normalizeTimezone(zone);
      return normalized.ok ? normalized.value : zone;
    })
    .optional()
    .meta({ description: "The zone for contacts without one (IANA name); UTC until set" }),
});

/** The longest digest window or cap period: 31 days. */
export const DELIVERY_MAX_SECONDS = 31 * 86_400;

/** PATCH /api/v1/delivery-settings/categories/{key}: a category's digest window and frequency cap. */
export const categoryDeliveryRequest = z.strictObject({
  digestWindowSeconds: z
    .number()
    .int()
    .min(1)
    .max(DELIVERY_MAX_SECONDS)
    .nullable()
    .optional()
    .meta({ description: "Notifications of this category to one contact within this many seconds become one message; null: no digest" }),
  cap: z
    .strictObject({ limit: z.number().int().min(1).max(10_000), periodSeconds: z.number().int().min(60).max(DELIVERY_MAX_SECONDS) })
    .nullable()
    .optional()
    .meta({ description: "At most `limit` messages per contact and channel per `periodSeconds`; more are suppressed (reason: frequency cap). null: no cap" }),
});
