import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { messageKind, messageStatus } from "@/db/schema";
import { pageParams } from "@/lib/api/pagination";

/** GET /api/v1/messages: every filter optional, newest first. */
export const messagesQuery = z.strictObject({
  campaignId: z.uuid("must be a campaign id").optional(),
  status: z.enum(messageStatus.enumValues).optional(),
  /** The recipient's address: an email (any case) or an E.164 number. */
  to: z.string().trim().min(1).max(320).optional(),
  kind: z.enum(messageKind.enumValues).optional(),
  ...pageParams,
});

const timestamp = z.iso.datetime().nullable();

/** One message as GET /api/v1/messages and /api/v1/messages/:id show it: a notification's shape plus kind and campaign. */
export const messageViewSchema = z.object({
  id: z.uuid(),
  /** The caller's messageId for a notification; `campaign:<campaign id>:<contact id>` for a campaign message. */
  messageId: z.string(),
  kind: z.enum(messageKind.enumValues),
  campaignId: z.uuid().nullable(),
  status: z.enum(messageStatus.enumValues),
  channel: z.enum(CHANNELS),
  recipient: z.string(),
  contactId: z.uuid().nullable(),
  templateId: z.uuid().nullable(),
  category: z.string().nullable().meta({ description: "The category key it was sent under (preferences apply per category); null: none" }),
  subject: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  /** Why it failed or was suppressed, in words (see publicErrorMessage). */
  error: z.string().nullable(),
  timestamps: z.object({
    queuedAt: timestamp,
    sentAt: timestamp,
    deliveredAt: timestamp,
    openedAt: timestamp,
    clickedAt: timestamp,
    bouncedAt: timestamp,
    complainedAt: timestamp,
    failedAt: timestamp,
    suppressedAt: timestamp,
  }),
});

export const messagesResponse = z.object({ data: z.array(messageViewSchema), nextCursor: z.string().nullable() });
