import { z } from "zod";

/** Strict base64url (padding tolerated, as some browsers' toJSON() keep it) decoding to exactly `bytes` bytes. */
function base64urlKey(bytes: number, what: string) {
  return z
    .string()
    .trim()
    .max(200)
    .transform((value) => value.replace(/=+$/, ""))
    .refine((value) => {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) return false;
      const decoded = Buffer.from(value, "base64url");
      return decoded.length === bytes && decoded.toString("base64url") === value;
    }, `must be ${what}: base64url, ${bytes} bytes`);
}

const endpoint = z
  .string()
  .trim()
  .max(2_000)
  .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", "must be an https URL (the push service's endpoint)")
  .meta({ description: "`web_push`: the push service's URL for this browser (`subscription.endpoint`)" });

/** RFC 8291 fixes the sizes: an uncompressed P-256 point (65 bytes, starting 0x04) and a 16-byte auth secret. */
const keys = z
  .strictObject({
    p256dh: base64urlKey(65, "an uncompressed P-256 public key").refine((value) => Buffer.from(value, "base64url")[0] === 0x04, "must be an uncompressed P-256 public key (starting 0x04)"),
    auth: base64urlKey(16, "the subscription's auth secret"),
  })
  .meta({ description: "`web_push`: the browser's keys (`subscription.toJSON().keys`)" });

const token = z
  .string()
  .trim()
  .min(20)
  .max(4_096)
  .regex(/^[A-Za-z0-9_:.-]+$/, "must be an FCM registration token (letters, digits, `-`, `_`, `:` and `.`)")
  .meta({ description: "`fcm`: the app's registration token (`getToken()`)" });

/**
 * A browser's PushSubscription as `subscription.toJSON()` gives it plus `type: "web_push"`, or an
 * FCM registration token with `type: "fcm"`. One flat object (not a union) so a wrong field is
 * reported by name against the type given, e.g. `token` on a Web Push subscription.
 */
export const pushSubscriptionInput = z
  .strictObject({
    type: z.enum(["web_push", "fcm"]).meta({ description: "`web_push`: a browser subscription (VAPID); `fcm`: a Firebase Cloud Messaging registration token" }),
    endpoint: endpoint.optional(),
    expirationTime: z.number().nullable().optional().meta({ description: "`web_push`, as the browser reports it; ignored (an expired endpoint answers 404/410 and is removed then)" }),
    keys: keys.optional(),
    token: token.optional(),
    label: z.string().trim().min(1).max(200).optional().meta({ description: "What you call the device, e.g. `Chrome on a Mac`" }),
  })
  .superRefine((value, ctx) => {
    const needs = value.type === "web_push" ? (["endpoint", "keys"] as const) : (["token"] as const);
    const refuses = value.type === "web_push" ? (["token"] as const) : (["endpoint", "keys", "expirationTime"] as const);
    for (const field of needs) if (value[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `required for type \`${value.type}\`` });
    for (const field of refuses) if (value[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `not part of a \`${value.type}\` subscription` });
  });

export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;
