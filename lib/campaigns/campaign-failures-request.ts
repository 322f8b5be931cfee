import { z } from "zod";
import { idPageParams } from "@/lib/api/pagination";

/** GET /api/v1/campaigns/:id/failures: `limit` and the previous page's `nextCursor`. */
export const campaignFailuresQuery = z.strictObject({ ...idPageParams });

/** One failed recipient and the error it got. */
export const campaignFailureView = z.object({
  contactId: z.uuid(),
  /** The address the message was for; null when the contact was erased since. */
  recipient: z.string().nullable(),
  /** The message row (GET /api/v1/messages/:id); null when it failed before one was made. */
  messageId: z.uuid().nullable(),
  error: z.string(),
  failedAt: z.iso.datetime().nullable(),
});

export const campaignFailuresResponse = z.object({
  data: z.array(campaignFailureView),
  nextCursor: z.string().nullable(),
  archived: z.string().nullable().meta({ description: "Set while the campaign is archived: its recipients are in cold storage (so `data` is empty) and this says so; restore the campaign to list them" }),
});
