import { z } from "zod";
import { INBOX_ACTIONS, INBOX_VIEWS } from "@/core/inbox/inbox-actions";
import { cursorField, listQuery } from "@/lib/api/list-query";

/**
 * The public feed API's inputs (app/api/inbox/). Every request names the contact and carries
 * its token in the query string (an EventSource cannot send headers, so every route takes them
 * the same way); authorizeInbox checks them before any of this is parsed.
 */
const credentials = {
  workspaceId: z.string().meta({ description: "The workspace's id" }),
  contactId: z.string().meta({ description: "The contact whose inbox this is" }),
  token: z.string().meta({ description: "hex(hmac_sha256(secret, contactId)), minted by your backend" }),
};

export const INBOX_FEED_PAGE_SIZE = 20;

export const inboxFeedQuery = listQuery({
  ...credentials,
  view: z.enum(INBOX_VIEWS).default("all").meta({ description: "`all` (the inbox, outside the archive), `unread`, or `archived`" }),
}).extend({ limit: z.coerce.number().int().min(1).max(100).default(INBOX_FEED_PAGE_SIZE), cursor: cursorField.optional() });

export const inboxCredentialsQuery = z.object(credentials).catchall(z.custom<never>(() => false, { error: "is not a known field" }));

/** The stream may resume from a position: `lastEventId` (or the Last-Event-ID header an EventSource sends on reconnecting). */
export const inboxStreamQuery = z.object({ ...credentials, lastEventId: z.string().optional() }).catchall(z.custom<never>(() => false, { error: "is not a known field" }));

/** At most a page's worth of ids per call; without ids the action applies to all the contact's messages. */
export const INBOX_ACTION_MAX_IDS = 100;

export const inboxActionBody = z.strictObject({
  action: z.enum(INBOX_ACTIONS),
  messageIds: z.array(z.uuid()).min(1).max(INBOX_ACTION_MAX_IDS).optional().meta({ description: "Inbox message ids (`id` in the feed); omit for all" }),
});
