import type { Db } from "@/db";
import { channelChoices } from "@/db/queries/contact-preferences";
import { getCategory, type NotificationCategory } from "@/db/queries/notification-categories";
import type { Channel } from "@/core/messages/channels";
import { preferenceBlockReason } from "@/core/preferences/effective-preference";

/**
 * The send-time preference check, the same for every path (transactional messages, campaign
 * chunks, and whatever comes later: journeys, digests, channel plans): which of `contactIds`
 * must not get a message of `category` (a key; null: uncategorised) on `channel`, each with the
 * reason to record on its message. Two statements whatever the number of contacts: the category,
 * then every contact's choices (db/queries/contact-preferences.ts channelChoices). A key the
 * workspace no longer has (the category was deleted after the message was queued) counts as
 * uncategorised: the contact's channel-wide choice still applies.
 */
export async function preferenceBlocks(
  db: Db,
  params: { workspaceId: string; channel: Channel; category: string | null; contactIds: readonly string[] },
): Promise<Map<string, string>> {
  const blocked = new Map<string, string>();
  if (params.contactIds.length === 0) return blocked;
  const category: NotificationCategory | null = params.category ? ((await getCategory(db, { workspaceId: params.workspaceId, key: params.category })) ?? null) : null;
  // A required category always passes: no need to read anyone's choices.
  if (category?.required) return blocked;
  const choices = await channelChoices(db, { workspaceId: params.workspaceId, channel: params.channel, category, contactIds: params.contactIds });
  for (const contactId of params.contactIds) {
    const reason = preferenceBlockReason(category, params.channel, choices.get(contactId) ?? {});
    if (reason) blocked.set(contactId, reason);
  }
  return blocked;
}
