import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { inboxSettings } from "@/db/schema";

export type InboxSettings = typeof inboxSettings.$inferSelect;

/**
 * The workspace's inbox settings, created with `newSecret` on first use. Concurrent first uses
 * agree: the insert that loses the race does nothing and the winner's row is read back.
 */
export async function ensureInboxSettings(db: Db, params: { workspaceId: string; newSecret: string }): Promise<InboxSettings> {
  const [created] = await db
    .insert(inboxSettings)
    .values({ workspaceId: params.workspaceId, signingSecret: params.newSecret })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  return (await getInboxSettings(db, params))!;
}

export async function getInboxSettings(db: Db, params: { workspaceId: string }): Promise<InboxSettings | undefined> {
  const [row] = await db.select().from(inboxSettings).where(eq(inboxSettings.workspaceId, params.workspaceId));
  return row;
}

/** Replaces the secret (every token minted with the old one stops working at once). */
export async function rotateInboxSecret(db: Db, params: { workspaceId: string; newSecret: string }): Promise<InboxSettings> {
  const [row] = await db
    .insert(inboxSettings)
    .values({ workspaceId: params.workspaceId, signingSecret: params.newSecret, rotatedAt: sql`now()` })
    .onConflictDoUpdate({ target: inboxSettings.workspaceId, set: { signingSecret: params.newSecret, rotatedAt: sql`now()` } })
    .returning();
  return row!;
}
