import { setImmediate } from "node:timers/promises";
import type { Database } from "@/db";
import { type ChunkReadSummary, mergeImportChunk } from "@/db/queries/import-chunks";
import { completeImport, failImport, getImport, type Import, startImport } from "@/db/queries/imports";
import { regionDateOrder } from "@/core/contacts/region-date-order";
import { workspaceRegion } from "@/lib/contacts/workspace-region";
import { logger } from "@/lib/observability/logger";
import type { FileStorage } from "@/lib/storage/file-storage";
import type { ContactField } from "@/core/imports/contact-fields";
import type { TextEncodingName } from "./detect-text-encoding";
import type { ImportCursor } from "@/core/imports/import-record";
import { isImportFileError } from "@/core/imports/import-file-error";
import { openImportSource } from "./open-import-source";
import { readImportRecordBatches } from "./read-import-rows";
import { unstorableRowProblem } from "./storable-row";
import { InFileDeduper, validateImportRecord, type ValidContactRow } from "@/core/imports/validate-import-record";

/** Keeps a run far below Inngest's 1,000 steps: chunks grow when a file would need more. */
export const IMPORT_MAX_CHUNK_STEPS = 400;
/**
 * Records per chunk at most on the embedded database (PGlite, what `npm run dev` runs on). It has
 * one backend: while a chunk's transaction is open, every other query — each dashboard page —
 * waits for it to commit. A 20,000-record chunk kept pages waiting 12–20 s during an import;
 * this many keeps a transaction to a fraction of a second. A server runs other sessions
 * alongside, so there IMPORT_CHUNK_ROWS applies as it is.
 */
export const EMBEDDED_IMPORT_CHUNK_ROWS = 2_000;
/**
 * Valid rows per merge batch inside a chunk: the database merges one batch while the next is
 * parsed and validated. Smaller batches overlap more but pay the merge's dozen statements more
 * often; measured (bench:import, 200k rows, PostgreSQL), 5,000 beat both 2,500 (≈ 30 % slower)
 * and one batch per chunk.
 */
export const IMPORT_MERGE_BATCH_ROWS = 5_000;
/** Rows validated between turns of the event loop while a batch merges (about a millisecond of work). */
const IMPORT_YIELD_EVERY_ROWS = 64;
/** An import problem no retry can fix; the import is already marked failed with `message`. */
export class ImportFailedError extends Error {
  override readonly name = "ImportFailedError";
}

/** The inspect step's output: a few numbers and the field → column names, never rows. */
export type InspectedImport =
  | { status: "running"; total: number; chunkRows: number; encoding: TextEncodingName | null; columns: Partial<Record<ContactField, string>> }
  | { status: Import["status"] };

async function loadImport(database: Database, workspaceId: string, importId: string): Promise<Import> {
  // Both ids must match the same row: the workspace is never taken from the event alone.
  const row = await getImport(database.db, { workspaceId, importId });
  if (!row) throw new ImportFailedError(`import ${importId} not found in workspace ${workspaceId}`);
  return row;
}

async function failWith(database: Database, row: Import, error: unknown): Promise<never> {
  if (!isImportFileError(error)) throw error;
  await failImport(database.db, { workspaceId: row.workspaceId, importId: row.id, error: error.message });
  throw new ImportFailedError(error.message);
}

/**
 * One streaming pass over the file: every file-level error surfaces here, before anything is
 * written, and fails the import with its reason. Records the total and warnings and moves the
 * import to running with its cursor at the first record.
 */
export async function inspectImport(database: Database, storage: FileStorage, ids: { workspaceId: string; importId: string }): Promise<InspectedImport> {
  const row = await loadImport(database, ids.workspaceId, ids.importId);
  if (row.status !== "queued" && row.status !== "running") return { status: row.status };
  const source = await storage
    .withLocalPath(row.fileKey, (file) => openImportSource(file, { mapping: row.mapping, sheetName: row.sheetName ?? undefined }))
    .catch((error: unknown) => failWith(database, row, error));
  const total = source.recordCount ?? 0;
  const wanted = database.kind === "postgres" ? row.chunkRows : Math.min(row.chunkRows, EMBEDDED_IMPORT_CHUNK_ROWS);
  const chunkRows = Math.max(wanted, Math.ceil(total / IMPORT_MAX_CHUNK_STEPS));
  const started = await startImport(database.db, { ...ids, kind: source.kind, total, chunkRows, start: source.start, warnings: source.warnings });
  if (!started || started.status !== "running") return { status: started?.status ?? "failed" };
  const columns: Partial<Record<ContactField, string>> = {};
  for (const column of source.header.columns) if (column.target.kind === "field") columns[column.target.field] = column.header;
  return { status: "running", total, chunkRows: started.chunkRows, encoding: source.encoding, columns };
}

export type ChunkOutcome = { done: boolean; processed: number };

/**
 * Chunk `n` covers records [n × chunkRows, (n + 1) × chunkRows). Idempotent: when the stored
 * cursor is already past its start (a retry after the commit), it returns without work; when
 * the import is no longer running (cancelled), it stops the loop.
 */
export async function importChunk(
  database: Database,
  storage: FileStorage,
  params: { workspaceId: string; importId: string; n: number; inspected: Extract<InspectedImport, { status: "running" }> },
): Promise<ChunkOutcome> {
  const { workspaceId, importId, n, inspected } = params;
  const row = await loadImport(database, workspaceId, importId);
  const cursor = row.cursor;
  if (row.status !== "running" || !cursor) return { done: true, processed: row.processed };
  const from = n * inspected.chunkRows;
  if (cursor.recordIndex >= inspected.total) return { done: true, processed: row.processed };
  if (cursor.recordIndex > from) return { done: false, processed: row.processed };
  if (cursor.recordIndex < from) throw new Error(`import ${importId}: chunk ${n} starts at ${from} but the cursor is at ${cursor.recordIndex}`);

  const start: ImportCursor = cursor;
  const columnOf = (field: ContactField) => inspected.columns[field] ?? field;
  const defaultRegion = await workspaceRegion(database.db, workspaceId);
  const validation = { defaultRegion, dateOrder: regionDateOrder(defaultRegion), columnOf, tags: row.tagsAs };
  const read: ChunkReadSummary = { next: start, records: 0, failedRows: 0, skippedRows: 0, problems: [] };
  const deduper = new InFileDeduper();

  // Valid rows in batches, validated while the merge writes the batch before (see mergeImportChunk).
  async function* validBatches(file: string): AsyncGenerator<ValidContactRow[]> {
    const reading = readImportRecordBatches(file, {
      cursor: start,
      limit: inspected.chunkRows,
      mapping: row.mapping,
      sheetName: row.sheetName ?? undefined,
      encoding: inspected.encoding,
    });
    let batch: ValidContactRow[] = [];
    for await (const records of reading) {
      for (const record of records) {
        // Validation is synchronous: without a turn of the event loop now and then, each reply
        // from the database would wait for the whole read batch to be validated.
        if (++read.records % IMPORT_YIELD_EVERY_ROWS === 0) await setImmediate();
        read.next = record.next;
        const result = validateImportRecord(record, validation);
        read.problems.push(...result.warnings);
        if (!result.ok) {
          read.failedRows++;
          read.problems.push(...result.problems);
          continue;
        }
        const unstorable = unstorableRowProblem(result.row, columnOf);
        if (unstorable) {
          read.failedRows++;
          read.problems.push(unstorable);
          continue;
        }
        const duplicate = deduper.claim(result.row);
        if (duplicate) {
          read.skippedRows++;
          read.problems.push(duplicate);
          continue;
        }
        batch.push(result.row);
        if (batch.length >= IMPORT_MERGE_BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  const result = await storage
    .withLocalPath(row.fileKey, (file) =>
      mergeImportChunk(database, { workspaceId, importId, fromRecordIndex: from, batches: validBatches(file), summary: () => read }),
    )
    .catch((error: unknown) => failWith(database, row, error));

  if (!result.merged) {
    // Another execution of this chunk committed first, or the import was cancelled meanwhile.
    const now = await loadImport(database, workspaceId, importId);
    const at = now.cursor?.recordIndex ?? 0;
    if (now.status === "running" && at === from) throw new Error(`import ${importId}: chunk ${n} could not be claimed; retrying`);
    return { done: now.status !== "running" || at >= inspected.total, processed: now.processed };
  }
  // The database's words stay in the operator's log; the import's report names the code only.
  for (const { line, code, message } of result.refused)
    logger.warn({ importId, workspaceId, line, code, dbMessage: message }, "imports: the database refused a value; the row was not imported");
  return { done: read.records < inspected.chunkRows || result.cursor.recordIndex >= inspected.total, processed: result.totals.processed };
}

export type ImportSummary = Pick<Import, "status" | "total" | "processed" | "inserted" | "updated" | "skipped" | "failed">;

/** running → completed (a cancelled import stays cancelled) and the stored file is removed. */
export async function finishImport(database: Database, storage: FileStorage, ids: { workspaceId: string; importId: string }): Promise<ImportSummary> {
  const row = (await completeImport(database.db, ids)) ?? (await loadImport(database, ids.workspaceId, ids.importId));
  if (row.status === "completed" || row.status === "cancelled") await storage.delete(row.fileKey);
  const { status, total, processed, inserted, updated, skipped, failed } = row;
  return { status, total, processed, inserted, updated, skipped, failed };
}
