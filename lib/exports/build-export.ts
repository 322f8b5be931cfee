import { createHash } from "node:crypto";
import { Zip, ZipDeflate } from "fflate";
import { envValue } from "@/core/config/env";
import { EXPORT_FILES, type ExportFile, type ExportScope, type ExportSubject, FILES_OF } from "@/core/exports/export-files";
import type { Db } from "@/db";
import { countExportRows, readExportRows } from "@/db/queries/export-rows";
import type { FileStorage, StoredFile } from "@/lib/storage/file-storage";
import { csvHeader, csvLine, jsonLine } from "./export-format";
import { StorageWriter } from "./storage-writer";

/**
 * Building an export, in the pieces build-export runs as steps: plan (count every file's rows),
 * write chunks (each a part file per format in storage, read along a keyset in pages), then
 * assemble the zip by streaming the parts through fflate's deflate into storage. Nothing here
 * holds more than a page of rows or a buffer of bytes; step outputs are counts and cursors.
 */

/** Rows read per query inside a chunk: the most rows held in memory at once. */
export const EXPORT_PAGE_ROWS = 1_000;
/** Chunk steps an export may take: a quarter of Inngest's 1,000 steps per function, as DESIGN.md asks. */
export const MAX_CHUNK_STEPS = 250;
export const FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof FORMATS)[number];

export type ExportIds = { workspaceId: string; exportId: string };
export type PlannedFile = { file: ExportFile; rows: number };
export type ExportPlan = { files: PlannedFile[]; total: number; chunkRows: number };
/** A file as written into the zip: its rows, and per format its bytes and SHA-256 (uncompressed). */
export type ManifestFile = { name: string; rows: number; bytes: number; sha256: string };
export type ExportManifest = {
  format: "sendline-export";
  version: 1;
  exportId: string;
  subject: ExportSubject;
  workspaceId: string;
  contactId: string | null;
  generatedAt: string;
  files: ManifestFile[];
};

export const scopeOf = (row: { workspaceId: string; subject: ExportSubject; contactId: string | null }): ExportScope => ({
  workspaceId: row.workspaceId,
  contactId: row.subject === "contact" ? row.contactId : null,
});

/** Counts every file's rows and sizes the chunks so the steps stay under MAX_CHUNK_STEPS. */
export async function planExport(db: Db, subject: ExportSubject, scope: ExportScope, env: NodeJS.ProcessEnv = process.env): Promise<ExportPlan> {
  const files: PlannedFile[] = [];
  for (const file of FILES_OF[subject]) files.push({ file, rows: await countExportRows(db, scope, file) });
  const total = files.reduce((sum, file) => sum + file.rows, 0);
  return { files, total, chunkRows: chunkRowsFor(files.map((file) => file.rows), envValue("EXPORT_CHUNK_ROWS", env)) };
}

/** The configured rows per chunk, doubled until the chunk steps (at least one per file) fit MAX_CHUNK_STEPS. */
export function chunkRowsFor(rowsPerFile: readonly number[], configured: number): number {
  const steps = (size: number) => rowsPerFile.reduce((sum, rows) => sum + Math.max(1, Math.ceil(rows / size)), 0);
  let chunkRows = configured;
  while (steps(chunkRows) > MAX_CHUNK_STEPS) chunkRows *= 2;
  return chunkRows;
}

export const exportPrefix = (ids: ExportIds) => `exports/${ids.workspaceId}/${ids.exportId}`;
export const partKey = (ids: ExportIds, fileIndex: number, chunk: number, format: ExportFormat) => `${exportPrefix(ids)}/part-${fileIndex}-${chunk}-${format}`;
export const zipKey = (ids: ExportIds) => `${exportPrefix(ids)}/zip`;

export type ChunkResult = { rows: number; cursor: string | null; done: boolean };

/**
 * Writes one chunk of a file: up to `chunkRows` rows after `cursor`, as a JSONL part and a CSV
 * part under deterministic keys, so a step that runs again overwrites the same parts. `done`
 * when the file has no rows after this chunk's last.
 */
export async function writeExportChunk(
  db: Db,
  storage: FileStorage,
  params: ExportIds & { scope: ExportScope; file: ExportFile; fileIndex: number; chunk: number; cursor: string | null; chunkRows: number },
): Promise<ChunkResult> {
  const columns = EXPORT_FILES[params.file].columns;
  const jsonl = new StorageWriter(storage, partKey(params, params.fileIndex, params.chunk, "jsonl"));
  const csv = new StorageWriter(storage, partKey(params, params.fileIndex, params.chunk, "csv"));
  let cursor = params.cursor;
  let rows = 0;
  let done = false;
  try {
    while (rows < params.chunkRows) {
      const limit = Math.min(EXPORT_PAGE_ROWS, params.chunkRows - rows);
      const page = await readExportRows(db, params.scope, params.file, cursor, limit);
      let json = "";
      let text = "";
      for (const row of page.rows) {
        json += jsonLine(row);
        text += csvLine(row, columns);
      }
      if (page.rows.length) {
        await jsonl.write(json);
        await csv.write(text);
        cursor = page.cursor;
        rows += page.rows.length;
      }
      if (page.rows.length < limit) {
        done = true;
        break;
      }
    }
    await Promise.all([jsonl.end(), csv.end()]);
  } catch (error) {
    await Promise.all([jsonl.abort(error), csv.abort(error)]);
    throw error;
  }
  // A chunk that filled up exactly may have been the last: the next one then finds nothing and says so.
  return { rows, cursor, done };
}

/** Builds the zip from the parts (per file: its JSONL then its CSV), with manifest.json and README.txt, into storage. */
export async function assembleExport(
  storage: FileStorage,
  params: ExportIds & { subject: ExportSubject; contactId: string | null; files: { file: ExportFile; rows: number; chunks: number }[]; generatedAt: Date },
): Promise<{ stored: StoredFile; manifest: ExportManifest }> {
  const out = new StorageWriter(storage, zipKey(params));
  let pending: Promise<void> = Promise.resolve();
  let zipError: unknown = null;
  // fflate calls back synchronously as it deflates; writes are chained so their order holds and
  // awaited after each input chunk, which is where backpressure from the store reaches the reader.
  const zip = new Zip((error, data) => {
    if (error) {
      zipError = error;
      return;
    }
    pending = pending.then(() => out.write(data));
  });
  const flush = async () => {
    await pending;
    if (zipError) throw zipError;
  };
  const manifestFiles: ManifestFile[] = [];
  const mtime = params.generatedAt;

  async function addEntry(name: string, rows: number, sources: AsyncGenerator<Uint8Array>) {
    const entry = new ZipDeflate(name, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of sources) {
      hash.update(chunk);
      bytes += chunk.length;
      entry.push(chunk);
      await flush();
    }
    entry.push(new Uint8Array(0), true);
    await flush();
    manifestFiles.push({ name, rows, bytes, sha256: hash.digest("hex") });
  }

  async function* partsOf(fileIndex: number, chunks: number, format: ExportFormat, header: string | null): AsyncGenerator<Uint8Array> {
    if (header) yield Buffer.from(header, "utf8");
    for (let chunk = 0; chunk < chunks; chunk++) {
      const stream = await storage.openRead(partKey(params, fileIndex, chunk, format));
      for await (const bytes of stream) yield bytes as Buffer;
    }
  }

  async function* text(value: string): AsyncGenerator<Uint8Array> {
    yield Buffer.from(value, "utf8");
  }

  try {
    for (const [fileIndex, { file, rows, chunks }] of params.files.entries()) {
      await addEntry(`${file}.jsonl`, rows, partsOf(fileIndex, chunks, "jsonl", null));
      await addEntry(`${file}.csv`, rows, partsOf(fileIndex, chunks, "csv", csvHeader(EXPORT_FILES[file].columns)));
    }
    const manifest: ExportManifest = {
      format: "sendline-export",
      version: 1,
      exportId: params.exportId,
      subject: params.subject,
      workspaceId: params.workspaceId,
      contactId: params.contactId,
      generatedAt: params.generatedAt.toISOString(),
      files: [...manifestFiles],
    };
    await addEntry("manifest.json", 1, text(`${JSON.stringify(manifest, null, 2)}\n`));
    await addEntry("README.txt", 0, text(readme(manifest)));
    zip.end();
    await flush();
    return { stored: await out.end(), manifest };
  } catch (error) {
    zip.terminate();
    await out.abort(error);
    throw error;
  }
}

/** Deletes the chunk parts once the zip holds them (idempotent). */
export async function deleteExportParts(storage: FileStorage, ids: ExportIds, files: { chunks: number }[]): Promise<number> {
  let deleted = 0;
  for (const [fileIndex, { chunks }] of files.entries()) {
    for (let chunk = 0; chunk < chunks; chunk++) {
      for (const format of FORMATS) {
        await storage.delete(partKey(ids, fileIndex, chunk, format));
        deleted++;
      }
    }
  }
  return deleted;
}

function readme(manifest: ExportManifest): string {
  const what = manifest.subject === "workspace" ? `everything workspace ${manifest.workspaceId} holds about its audience` : `everything held about contact ${manifest.contactId}`;
  const lines = [
    "Sendline data export",
    "====================",
    "",
    `Export ${manifest.exportId}: ${what}, generated ${manifest.generatedAt}.`,
    "",
    "Each file comes twice: as JSON Lines (.jsonl, one JSON object per line) and as CSV (.csv, UTF-8",
    "with a byte order mark, RFC 4180). Dates are ISO 8601 in UTC. In the CSV, a cell that would start",
    "with =, +, -, @, a tab or a carriage return is prefixed with ' so that spreadsheets show it as",
    "text instead of running it as a formula; nested values (attributes, a message's request) are JSON.",
    "Contacts whose erasure was requested are not included.",
    "",
    "manifest.json lists every file with its row count, size in bytes and SHA-256 checksum.",
    "",
    "Files:",
    ...manifest.files.map((file) => {
      const base = file.name.replace(/\.(jsonl|csv)$/, "") as ExportFile;
      const about = EXPORT_FILES[base]?.about ?? "";
      return `  ${file.name.padEnd(26)} ${String(file.rows).padStart(9)} rows  sha256 ${file.sha256}${about && file.name.endsWith(".jsonl") ? `\n    ${about}` : ""}`;
    }),
    "",
  ];
  return lines.join("\n");
}

/**
 * Deletes what a failed export may have left in storage: the parts of every chunk its plan would
 * have had (re-planned from today's counts, plus one chunk per file for rows since gone) and a
 * zip. Best effort and idempotent: deleting a key that was never written is not an error.
 */
export async function deleteFailedExportFiles(db: Db, storage: FileStorage, row: ExportIds & { subject: ExportSubject; contactId: string | null }): Promise<number> {
  const plan = await planExport(db, row.subject, scopeOf(row));
  const files = plan.files.map((file) => ({ chunks: Math.ceil(file.rows / plan.chunkRows) + 1 }));
  await storage.delete(zipKey(row));
  return deleteExportParts(storage, row, files);
}
