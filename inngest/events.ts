import { eventType } from "inngest";
import { z } from "zod";

/**
 * Every event Sendline sends or receives, declared once. Events carry ids, never rows:
 * functions re-read state (and the workspace) from the database.
 */

const id = z.uuid();

export const notificationSendRequested = eventType("notification/send.requested", {
  schema: z.object({ workspaceId: id, messageId: id }),
});
export type NotificationSendRequested = z.infer<typeof notificationSendRequested.schema>;
