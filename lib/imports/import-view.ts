import type { Import } from "@/db/queries/imports";

/** The public shape of an import: progress and outcome, without storage keys or the resume cursor. */
export function importView(row: Import) {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    listId: row.listId,
    fileName: row.fileName,
    bytes: row.bytes,
    sha256: row.sha256,
    kind: row.kind,
    sheetName: row.sheetName,
    mapping: row.mapping,
    tagsAs: row.tagsAs,
    total: row.total,
    processed: row.processed,
    inserted: row.inserted,
    updated: row.updated,
    skipped: row.skipped,
    failed: row.failed,
    warnings: row.warnings,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    updatedAt: row.updatedAt,
  };
}
