import { and, desc, eq, isNotNull, lt, lte, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { backups } from "@/db/schema";

export type Backup = typeof backups.$inferSelect;

export async function insertBackup(db: Db, params: { trigger: "schedule" | "manual"; startedAt: Date }): Promise<Backup> {
  const [row] = await db.insert(backups).values({ trigger: params.trigger, startedAt: params.startedAt, status: "running" }).returning();
  return row!;
}

export async function findBackup(db: Db, id: string): Promise<Backup | undefined> {
  const [row] = await db.select().from(backups).where(eq(backups.id, id));
  return row;
}

/** Newest first. */
export async function listBackups(db: Db, params: { limit: number }): Promise<Backup[]> {
  return db.select().from(backups).orderBy(desc(backups.startedAt), desc(backups.id)).limit(params.limit);
}

/** A running backup's end: completed with its manifest, or failed with why. Only a running row moves (a re-run step finds it done). */
export async function finishBackup(
  db: Db,
  id: string,
  outcome: { status: "completed"; storagePrefix: string; manifest: Record<string, unknown>; bytes: number; finishedAt: Date; expiresAt: Date } | { status: "failed"; error: string; finishedAt: Date },
): Promise<boolean> {
  const rows = await db
    .update(backups)
    .set(outcome)
    .where(and(eq(backups.id, id), eq(backups.status, "running")))
    .returning({ id: backups.id });
  return rows.length > 0;
}

/** The newest completed backup (the one retention never removes, and `last success` reports). */
export async function latestCompletedBackup(db: Db): Promise<Backup | undefined> {
  const [row] = await db.select().from(backups).where(eq(backups.status, "completed")).orderBy(desc(backups.finishedAt)).limit(1);
  return row;
}

/**
 * Completed backups whose files are still stored and whose `expires_at` has passed (`now` from
 * the app's clock), oldest first, never the newest completed one: a restore always has
 * something to start from, however long backups have been failing.
 */
export async function expiredBackups(db: Db, params: { now: Date; keepId: string | null; limit: number }): Promise<Backup[]> {
  return db
    .select()
    .from(backups)
    .where(and(eq(backups.status, "completed"), isNotNull(backups.storagePrefix), lte(backups.expiresAt, params.now), params.keepId ? ne(backups.id, params.keepId) : undefined))
    .orderBy(backups.startedAt)
    .limit(params.limit);
}

/** Its files are gone: the row stays as history, `expired`. Only a completed row moves. */
export async function markBackupExpired(db: Db, id: string, params: { at: Date }): Promise<void> {
  await db
    .update(backups)
    .set({ status: "expired", storagePrefix: null, error: `expired: its files were deleted at ${params.at.toISOString()}` })
    .where(and(eq(backups.id, id), eq(backups.status, "completed")));
}

/** Backups left running past `before` (a crashed process): failed, so the list does not show them running forever. */
export async function failStaleBackups(db: Db, params: { before: Date; at: Date }): Promise<number> {
  const rows = await db
    .update(backups)
    .set({ status: "failed", finishedAt: params.at, error: "abandoned: the backup did not finish" })
    .where(and(eq(backups.status, "running"), lt(backups.startedAt, params.before)))
    .returning({ id: backups.id });
  return rows.length;
}
