import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contactPreferences, notificationCategories } from "@/db/schema";
import type { Channel } from "@/core/messages/channels";
import type { ChannelChoices } from "@/core/preferences/effective-preference";
import type { NotificationCategory } from "./notification-categories";

export type PreferenceSource = (typeof contactPreferences.$inferSelect)["source"];

/** One stored choice, with its category's key (null: channel-wide). */
export type ContactChoice = { channel: Channel; categoryKey: string | null; enabled: boolean; source: PreferenceSource; updatedAt: Date };

/** One cell to write: a category by id, or null for the whole channel. */
export type ChoiceCell = { channel: Channel; categoryId: string | null; enabled: boolean };

/** Every choice one contact made. */
export async function listContactChoices(db: Db, params: { workspaceId: string; contactId: string }): Promise<ContactChoice[]> {
  return db
    .select({
      channel: contactPreferences.channel,
      categoryKey: notificationCategories.key,
      enabled: contactPreferences.enabled,
      source: contactPreferences.source,
      updatedAt: contactPreferences.updatedAt,
    })
    .from(contactPreferences)
    .leftJoin(notificationCategories, eq(notificationCategories.id, contactPreferences.categoryId))
    .where(and(eq(contactPreferences.workspaceId, params.workspaceId), eq(contactPreferences.contactId, params.contactId)));
}

/**
 * Writes a contact's choices in one transaction, noting who wrote them and when. A channel-wide
 * cell also clears the contact's category choices on that channel: "no SMS" then means no SMS
 * of any (optional) category, as the person choosing it expects, rather than only where no
 * narrower choice was made before.
 */
export async function setContactChoices(
  db: Db,
  params: { workspaceId: string; contactId: string; cells: readonly ChoiceCell[]; source: PreferenceSource },
): Promise<void> {
  if (params.cells.length === 0) return;
  const { workspaceId, contactId, source } = params;
  await db.transaction(async (tx) => {
    const wide = [...new Set(params.cells.filter((c) => c.categoryId === null).map((c) => c.channel))];
    if (wide.length > 0) {
      await tx
        .delete(contactPreferences)
        .where(
          and(
            eq(contactPreferences.workspaceId, workspaceId),
            eq(contactPreferences.contactId, contactId),
            inArray(contactPreferences.channel, wide),
            sql`${contactPreferences.categoryId} is not null`,
          ),
        );
    }
    // The last cell for the same place wins, as if they had been written one after another.
    const cells = new Map(params.cells.map((c) => [`${c.channel}:${c.categoryId ?? ""}`, c]));
    await tx
      .insert(contactPreferences)
      .values([...cells.values()].map((c) => ({ workspaceId, contactId, source, ...c })))
      .onConflictDoUpdate({
        target: [contactPreferences.contactId, contactPreferences.channel, contactPreferences.categoryId],
        set: { enabled: sql`excluded.enabled`, source: sql`excluded.source`, updatedAt: sql`now()` },
      });
  });
}

/**
 * The send-time question for many contacts at once, in one statement: each contact's choice for
 * `category` on `channel` and its channel-wide choice there. Contacts with neither are absent
 * (they follow the workspace default). Campaign chunks ask it once per chunk, a transactional
 * message once for its contact — never once per recipient.
 */
export async function channelChoices(
  db: Db,
  params: { workspaceId: string; channel: Channel; category: NotificationCategory | null; contactIds: readonly string[] },
): Promise<Map<string, ChannelChoices>> {
  const choices = new Map<string, ChannelChoices>();
  if (params.contactIds.length === 0) return choices;
  const rows = await db
    .select({ contactId: contactPreferences.contactId, categoryId: contactPreferences.categoryId, enabled: contactPreferences.enabled })
    .from(contactPreferences)
    .where(
      and(
        eq(contactPreferences.workspaceId, params.workspaceId),
        eq(contactPreferences.channel, params.channel),
        inArray(contactPreferences.contactId, [...params.contactIds]),
        params.category ? or(isNull(contactPreferences.categoryId), eq(contactPreferences.categoryId, params.category.id)) : isNull(contactPreferences.categoryId),
      ),
    );
  for (const row of rows) {
    const entry = choices.get(row.contactId) ?? {};
    if (row.categoryId === null) entry.channelWide = row.enabled;
    else entry.category = row.enabled;
    choices.set(row.contactId, entry);
  }
  return choices;
}
