import { z } from "zod";
import { apiOperation } from "@/lib/api/api-operation";
import { nullableTimestamp, timestamp } from "./common";

const tag = "Inbox";

export const inboxSecretSchema = z
  .object({
    secret: z.string().meta({ description: "Keep it on your server: it mints every contact's feed token", example: "inbox_sk_3q2-7wEvhU0YVdGrh6JwyFzVAnT1jdIgUCvjB5K5u8M" }),
    tokenAlgorithm: z.literal("hex(hmac_sha256(secret, contactId))").meta({
      description: "How your backend mints a contact's token: HMAC-SHA256 keyed with the secret (its UTF-8 bytes) over the contact's id, hex-encoded",
    }),
    createdAt: timestamp,
    rotatedAt: nullableTimestamp.meta({ description: "When the secret was last replaced; null if never" }),
  })
  .meta({ id: "InboxSecret", description: "The workspace's inbox signing secret" });

export const inboxApi = {
  getSecret: apiOperation({
    method: "get",
    path: "/inbox/secret",
    tag,
    summary: "The inbox signing secret (created on first use)",
    description:
      "Your backend mints each contact's feed token with it (`hex(hmac_sha256(secret, contactId))`) and hands the token to your frontend, which reads the contact's inbox at `/api/inbox/*`. The first call creates the secret.",
    responses: { 200: { description: "The secret", schema: inboxSecretSchema } },
  }),
  rotateSecret: apiOperation({
    method: "post",
    path: "/inbox/secret",
    tag,
    summary: "Replace the inbox signing secret",
    description: "Every token minted with the old secret stops working at once (open live streams end within a minute); mint new ones with the answer.",
    responses: { 200: { description: "The new secret", schema: inboxSecretSchema } },
  }),
};
