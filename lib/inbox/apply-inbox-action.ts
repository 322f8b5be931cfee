import type { Db } from "@/db";
import { applyInboxAction as applyAction } from "@/db/queries/inbox-messages";
import { advanceMessageStatus } from "@/db/queries/messages";
import type { InboxAction } from "@/core/inbox/inbox-actions";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import type { InboxPrincipal } from "./authorize-inbox";
import { type InboxMessageView, inboxMessageView } from "./inbox-message-view";

/**
 * Applies a contact's action to one, some or all of its messages (see planInboxAction for the
 * order with seen events) and returns the messages it changed. A message seen for the first
 * time moves its `messages` row to `opened`: forward-only, so a later "unread" never rewinds it
 * (being seen is a fact, like an email open); reading adds nothing to the status.
 *
 * The first sighting is also appended to the engagement stream ("seen", the in-app open), in the
 * same transaction as the change it reports: the action and its count land together or not at
 * all. Its dedupe key is the message's, since a message is seen for the first time once.
 */
export async function applyInboxAction(
  db: Db,
  principal: InboxPrincipal,
  params: { action: InboxAction; ids?: readonly string[] },
): Promise<InboxMessageView[]> {
  if (params.ids?.length === 0) return [];
  const rows = await db.transaction(async (tx) => {
    const changed = await applyAction(tx, { ...principal, ...params });
    const seen = changed.filter((row) => row.newlySeen);
    for (const row of seen) await advanceMessageStatus(tx, { workspaceId: row.workspaceId, messageId: row.messageId, to: "opened", at: row.seenAt! });
    await recordEngagement(
      tx,
      seen.map((row) => ({
        messageId: row.messageId,
        type: "seen",
        source: "inbox",
        occurredAt: row.seenAt!,
        dedupeKey: `inbox-seen-${row.messageId}`,
        // The status change above is this sighting's: recordEngagement applies nothing more.
        applied: { firstOpen: true, firstClick: false },
      })),
    );
    return changed;
  });
  return rows.map(inboxMessageView);
}
