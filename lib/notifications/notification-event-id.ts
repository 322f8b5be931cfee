import { createHash } from "node:crypto";

/**
 * The event id for a notification request, derived from workspace + the caller's messageId:
 * Inngest de-duplicates events by id (24 h), so a repeated request never starts a second run.
 * Hashed because messageIds are caller-chosen text of any shape.
 */
export function notificationEventId(workspaceId: string, messageId: string): string {
  return `notification-${createHash("sha256").update(`${workspaceId}\0${messageId}`).digest("hex").slice(0, 40)}`;
}
