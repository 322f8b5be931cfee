import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { importContacts, importErrors, imports } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { ImportCursor, ImportWarning } from "@/core/imports/import-record";
import { before } from "./keyset";
import { stalledWork } from "./stalled-work";

export type Import = typeof imports.$inferSelect;
export type NewImport = Pick<
  typeof imports.$inferInsert,
  "workspaceId" | "mode" | "listId" | "fileKey" | "fileName" | "sha256" | "bytes" | "sheetName" | "mapping" | "tagsAs" | "mappingHash" | "chunkRows"
>;

/**
 * Creates the import, or returns the one already made from the same file with the same mode,
 * list, mapping, sheet and tags target (`created: false`) — posting a file twice imports it once.
 */
export async function insertImport(db: Db, values: NewImport): Promise<{ row: Import; created: boolean }> {
  const [row] = await db.insert(imports).values(values).onConflictDoNothing().returning();
  if (row) return { row, created: true };
  const [existing] = await db
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.workspaceId, values.workspaceId),
        eq(imports.sha256, values.sha256),
        eq(imports.mode, values.mode ?? "upsert"),
        values.listId ? eq(imports.listId, values.listId) : sql`${imports.listId} is null`,
        eq(imports.mappingHash, values.mappingHash),
      ),
    );
  if (!existing) throw new Error("import insert conflicted but no matching import was found");
  return { row: existing, created: false };
}

export async function getImport(db: Db, params: { workspaceId: string; importId: string }): Promise<Import | undefined> {
  const [row] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.workspaceId, params.workspaceId), eq(imports.id, params.importId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listImports(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<Import[]> {
  return db
    .select()
    .from(imports)
    .where(and(eq(imports.workspaceId, params.workspaceId), before(imports.createdAt, imports.id, params.after)))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(params.limit);
}

/**
 * Records what inspecting the file found and moves queued → running. Idempotent: a re-run of
 * the step finds the import running and changes nothing (the cursor is never rewound).
 */
export async function startImport(
  db: Db,
  params: { workspaceId: string; importId: string; kind: string; total: number; chunkRows: number; start: ImportCursor; warnings: ImportWarning[] },
): Promise<Import | undefined> {
  const [row] = await db
    .update(imports)
    .set({
      status: "running",
      kind: params.kind,
      total: params.total,
      chunkRows: params.chunkRows,
      cursor: params.start,
      warnings: params.warnings,
      startedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(imports.workspaceId, params.workspaceId), eq(imports.id, params.importId), eq(imports.status, "queued")))
    .returning();
  return row ?? (await getImport(db, params));
}

/** queued/running → failed with a reason for the user. Terminal imports are left alone. */
export async function failImport(db: Db, params: { workspaceId: string; importId: string; error: string }): Promise<void> {
  await db
    .update(imports)
    .set({ status: "failed", error: params.error, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(imports.workspaceId, params.workspaceId), eq(imports.id, params.importId), inArray(imports.status, ["queued", "running"])));
}

/** running → completed. */
export async function completeImport(db: Db, params: { workspaceId: string; importId: string }): Promise<Import | undefined> {
  await db
    .update(imports)
    .set({ status: "completed", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(imports.workspaceId, params.workspaceId), eq(imports.id, params.importId), eq(imports.status, "running")));
  return getImport(db, params);
}

/** queued/running → cancelled; undefined when there is no such import. Chunks check the status before each write. */
export async function cancelImport(db: Db, params: { workspaceId: string; importId: string }): Promise<Import | undefined> {
  await db
    .update(imports)
    .set({ status: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(imports.workspaceId, params.workspaceId), eq(imports.id, params.importId), inArray(imports.status, ["queued", "running"])));
  return getImport(db, params);
}

/**
 * Imports queued or running whose row has not moved since `stalledBefore` (every chunk commit
 * touches updated_at), oldest first. A queued import of a workspace whose running import did
 * move since then is waiting its turn (one import at a time per workspace), not stalled.
 */
export async function listStalledImports(db: Db, params: { stalledBefore: Date; limit: number }): Promise<Import[]> {
  const cutoff = params.stalledBefore.toISOString();
  return db
    .select()
    .from(imports)
    .where(
      and(
        stalledWork({ status: imports.status, working: ["queued", "running"], progressAt: imports.updatedAt, stalledBefore: params.stalledBefore }),
        sql`not (${imports.status} = 'queued' and exists (
              select 1 from imports other
              where other.workspace_id = ${imports.workspaceId} and other.status = 'running' and other.updated_at >= ${cutoff}::timestamptz))`,
      ),
    )
    .orderBy(imports.updatedAt)
    .limit(params.limit);
}

/**
 * Records a watchdog rescue as progress, so the next pass waits a full period before looking
 * again. Only while the import is still where the watchdog saw it (same status, untouched since
 * `seenAt`): an import that moved on meanwhile is left alone. True when it was recorded.
 */
export async function touchStalledImport(
  db: Db,
  params: { workspaceId: string; importId: string; status: Import["status"]; seenAt: Date },
): Promise<boolean> {
  const rows = await db
    .update(imports)
    .set({ updatedAt: sql`now()` })
    .where(
      and(
        eq(imports.workspaceId, params.workspaceId),
        eq(imports.id, params.importId),
        eq(imports.status, params.status),
        eq(imports.updatedAt, params.seenAt),
      ),
    )
    .returning({ id: imports.id });
  return rows.length > 0;
}

/** Contacts this import inserted, after `afterContactId` in id order: the contact/created fan-out's pages. */
export async function listInsertedContactIds(
  db: Db,
  params: { workspaceId: string; importId: string; afterContactId: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ contactId: importContacts.contactId })
    .from(importContacts)
    .innerJoin(imports, eq(imports.id, importContacts.importId))
    .where(
      and(
        eq(imports.workspaceId, params.workspaceId),
        eq(importContacts.importId, params.importId),
        eq(importContacts.inserted, true),
        params.afterContactId ? gt(importContacts.contactId, params.afterContactId) : undefined,
      ),
    )
    .orderBy(importContacts.contactId)
    .limit(params.limit);
  return rows.map((row) => row.contactId);
}

export type ImportError = Pick<typeof importErrors.$inferSelect, "id" | "line" | "column" | "reason" | "value">;

/** Error report rows in line order, keyset-paged on (line, id) so a huge report streams. */
export async function listImportErrors(
  db: Db,
  params: { workspaceId: string; importId: string; after?: { line: number; id: number }; limit: number },
): Promise<ImportError[]> {
  return db
    .select({ id: importErrors.id, line: importErrors.line, column: importErrors.column, reason: importErrors.reason, value: importErrors.value })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.workspaceId, params.workspaceId),
        eq(importErrors.importId, params.importId),
        params.after ? sql`(${importErrors.line}, ${importErrors.id}) > (${params.after.line}, ${params.after.id})` : undefined,
      ),
    )
    .orderBy(importErrors.line, importErrors.id)
    .limit(params.limit);
}
