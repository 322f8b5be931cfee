import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { notificationCategories } from "@/db/schema";
import type { Channel } from "@/core/messages/channels";

export type NotificationCategory = typeof notificationCategories.$inferSelect;

/** What a caller may set on a category; the key is fixed once created (messages and choices name it). */
export type CategoryFields = {
  name: string;
  description: string | null;
  required: boolean;
  urgent: boolean;
  channelDefaults: Partial<Record<Channel, boolean>>;
};

export async function getCategory(db: Db, params: { workspaceId: string; key: string }): Promise<NotificationCategory | undefined> {
  const [row] = await db
    .select()
    .from(notificationCategories)
    .where(and(eq(notificationCategories.workspaceId, params.workspaceId), eq(notificationCategories.key, params.key)));
  return row;
}

/** A workspace has a handful of categories, so they are listed whole, oldest first. */
export async function listCategories(db: Db, params: { workspaceId: string }): Promise<NotificationCategory[]> {
  return db
    .select()
    .from(notificationCategories)
    .where(eq(notificationCategories.workspaceId, params.workspaceId))
    .orderBy(asc(notificationCategories.createdAt), asc(notificationCategories.id));
}

/** The new category, or "conflict" when the workspace already has one with this key. */
export async function insertCategory(db: Db, params: { workspaceId: string; key: string } & CategoryFields): Promise<NotificationCategory | "conflict"> {
  const [row] = await db.insert(notificationCategories).values(params).onConflictDoNothing().returning();
  return row ?? "conflict";
}

export async function updateCategory(
  db: Db,
  params: { workspaceId: string; key: string; changes: Partial<CategoryFields> },
): Promise<NotificationCategory | undefined> {
  const [row] = await db
    .update(notificationCategories)
    .set({ ...params.changes, updatedAt: sql`now()` })
    .where(and(eq(notificationCategories.workspaceId, params.workspaceId), eq(notificationCategories.key, params.key)))
    .returning();
  return row;
}

/** Deletes the category and, by cascade, every contact's choices for it; messages keep their key. */
export async function deleteCategory(db: Db, params: { workspaceId: string; key: string }): Promise<boolean> {
  const rows = await db
    .delete(notificationCategories)
    .where(and(eq(notificationCategories.workspaceId, params.workspaceId), eq(notificationCategories.key, params.key)))
    .returning({ id: notificationCategories.id });
  return rows.length > 0;
}

