import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { dataExports } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { ExportStatus, ExportSubject } from "@/core/exports/export-files";
import { before } from "./keyset";

export type DataExport = typeof dataExports.$inferSelect;

/** Records a requested export (`queued`); build-export picks it up from its event. */
export async function insertDataExport(
  db: Db,
  params: { workspaceId: string; subject: ExportSubject; contactId: string | null; notifyEmail: string | null; requestedBy: string; createdAt: Date },
): Promise<DataExport> {
  const [row] = await db.insert(dataExports).values(params).returning();
  return row!;
}

export async function getDataExport(db: Db, params: { workspaceId: string; exportId: string }): Promise<DataExport | undefined> {
  const [row] = await db
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.workspaceId, params.workspaceId), eq(dataExports.id, params.exportId)));
  return row;
}

/** By id alone: only for a signed download link, whose signature is the proof of access. */
export async function getDataExportById(db: Db, exportId: string): Promise<DataExport | undefined> {
  const [row] = await db.select().from(dataExports).where(eq(dataExports.id, exportId));
  return row;
}

/** Newest first, along (created_at, id). */
export async function listDataExports(
  db: Db,
  params: { workspaceId: string; limit: number; after?: Position; status?: ExportStatus; subject?: ExportSubject; contactId?: string },
): Promise<DataExport[]> {
  return db
    .select()
    .from(dataExports)
    .where(
      and(
        eq(dataExports.workspaceId, params.workspaceId),
        params.status ? eq(dataExports.status, params.status) : undefined,
        params.subject ? eq(dataExports.subject, params.subject) : undefined,
        params.contactId ? eq(dataExports.contactId, params.contactId) : undefined,
        before(dataExports.createdAt, dataExports.id, params.after),
      ),
    )
    .orderBy(desc(dataExports.createdAt), desc(dataExports.id))
    .limit(params.limit);
}

/**
 * Claims a queued export for building (queued → running) with its total, or re-reads one a
 * retried step already claimed; null once it is finished (ready, failed, expired).
 */
export async function startDataExport(db: Db, params: { workspaceId: string; exportId: string; rowsTotal: number }): Promise<DataExport | null> {
  const [row] = await db
    .update(dataExports)
    .set({ status: "running", rowsTotal: params.rowsTotal, rowsDone: 0 })
    .where(and(eq(dataExports.workspaceId, params.workspaceId), eq(dataExports.id, params.exportId), inArray(dataExports.status, ["queued", "running"])))
    .returning();
  return row ?? null;
}

/** The progress after a chunk: set (not added), so a chunk's step that runs again counts once. */
export async function setDataExportProgress(db: Db, params: { workspaceId: string; exportId: string; rowsDone: number }): Promise<void> {
  await db
    .update(dataExports)
    .set({ rowsDone: params.rowsDone })
    .where(and(eq(dataExports.workspaceId, params.workspaceId), eq(dataExports.id, params.exportId), eq(dataExports.status, "running")));
}

export async function completeDataExport(
  db: Db,
  params: { workspaceId: string; exportId: string; storageKey: string; bytes: number; sha256: string; rowsDone: number; finishedAt: Date; expiresAt: Date },
): Promise<DataExport | null> {
  const { workspaceId, exportId, ...fields } = params;
  const [row] = await db
    .update(dataExports)
    .set({ ...fields, status: "ready", error: null })
    .where(and(eq(dataExports.workspaceId, workspaceId), eq(dataExports.id, exportId), inArray(dataExports.status, ["running", "ready"])))
    .returning();
  return row ?? null;
}

/** Marks an unfinished export failed with a reason a person can read; a ready one stays ready. */
export async function failDataExport(db: Db, params: { workspaceId: string; exportId: string; error: string; finishedAt: Date }): Promise<DataExport | null> {
  const [row] = await db
    .update(dataExports)
    .set({ status: "failed", error: params.error, finishedAt: params.finishedAt })
    .where(and(eq(dataExports.workspaceId, params.workspaceId), eq(dataExports.id, params.exportId), inArray(dataExports.status, ["queued", "running"])))
    .returning();
  return row ?? null;
}
