import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { dataExports, imports } from "@/db/schema";

/**
 * The temporary files rows point at: uploaded import files once their import is over, and
 * exports past their expiry. Ages are cut off from the app's clock (a parameter, never SQL now()).
 */

/** Imports that no longer need their uploaded file (finished, failed or cancelled before `finishedBefore`) and still have it. */
export async function listImportFilesToDelete(db: Db, params: { finishedBefore: Date; limit: number }): Promise<{ id: string; workspaceId: string; fileKey: string; bytes: number }[]> {
  return db
    .select({ id: imports.id, workspaceId: imports.workspaceId, fileKey: imports.fileKey, bytes: imports.bytes })
    .from(imports)
    .where(
      and(
        inArray(imports.status, ["completed", "failed", "cancelled"]),
        isNull(imports.fileDeletedAt),
        sql`coalesce(${imports.finishedAt}, ${imports.updatedAt}) < ${params.finishedBefore.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(imports.id))
    .limit(params.limit);
}

export async function markImportFilesDeleted(db: Db, params: { importIds: readonly string[]; at: Date }): Promise<void> {
  if (params.importIds.length === 0) return;
  await db.update(imports).set({ fileDeletedAt: params.at }).where(and(inArray(imports.id, [...params.importIds]), isNull(imports.fileDeletedAt)));
}

/** Ready exports whose link has expired: their file goes, the row stays as `expired`. */
export async function listExpiredExports(db: Db, params: { now: Date; limit: number }): Promise<{ id: string; workspaceId: string; storageKey: string | null; bytes: number | null }[]> {
  return db
    .select({ id: dataExports.id, workspaceId: dataExports.workspaceId, storageKey: dataExports.storageKey, bytes: dataExports.bytes })
    .from(dataExports)
    .where(and(eq(dataExports.status, "ready"), isNotNull(dataExports.expiresAt), lt(dataExports.expiresAt, params.now)))
    .orderBy(asc(dataExports.expiresAt), asc(dataExports.id))
    .limit(params.limit);
}

/** ready → expired (only from ready, so a replay or a concurrent run changes nothing twice). */
export async function markExportsExpired(db: Db, params: { exportIds: readonly string[] }): Promise<number> {
  if (params.exportIds.length === 0) return 0;
  const rows = await db
    .update(dataExports)
    .set({ status: "expired" })
    .where(and(inArray(dataExports.id, [...params.exportIds]), eq(dataExports.status, "ready")))
    .returning({ id: dataExports.id });
  return rows.length;
}
