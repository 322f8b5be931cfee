import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { ArchivedTable } from "@/db/queries/archived-rows";
import { assertStorageKey, type FileStorage } from "@/lib/storage/file-storage";
import { StorageError } from "@/lib/storage/storage-error";
import { putGzipped } from "@/lib/storage/put-gzipped";

/**
 * One gzip JSONL file of an archive: a part of one table's rows, `rows` lines of `to_jsonb(row)`.
 * `sha256`/`bytes` are of the stored (compressed) bytes, `contentSha256`/`contentBytes` of the
 * uncompressed JSONL: the first catches a damaged file, the second a different content
 * compressed anew. `firstKey`/`lastKey` bound the rows by the table's keyset column.
 */
export type ArchiveFile = {
  table: ArchivedTable;
  part: number;
  /** Bumped each time the file is rewritten (a contact scrubbed out); the key carries it. */
  revision: number;
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
  contentBytes: number;
  contentSha256: string;
  firstKey: string | null;
  lastKey: string | null;
};

/**
 * Storage keys are lower-case segments without dots:
 * `archives/<workspace>/<archive>/<attempt>/<table>/part-3` (`-r2` after rewrites). Each attempt
 * at archiving (a failed one may be asked again) writes under its own folder, so the write-once
 * parts of one attempt never meet another's.
 */
export function archivePrefix(workspaceId: string, archiveId: string, attempt: string): string {
  const prefix = `archives/${workspaceId}/${archiveId}/${attempt}`.toLowerCase();
  assertStorageKey(prefix);
  return prefix;
}

export function archiveFileKey(prefix: string, table: ArchivedTable, part: number, revision = 0): string {
  const key = `${prefix}/${table.replaceAll("_", "-")}/part-${part}${revision > 0 ? `-r${revision}` : ""}`;
  assertStorageKey(key);
  return key;
}

export const manifestKey = (prefix: string) => `${prefix}/manifest`;

/** One part's lines as gzip JSONL (lib/storage/put-gzipped.ts); with `ifAbsent` the first write of the key wins. */
export async function writeJsonlGzip(
  storage: FileStorage,
  key: string,
  lines: readonly string[],
  options: { ifAbsent?: boolean } = {},
): Promise<{ rows: number; bytes: number; sha256: string; contentBytes: number; contentSha256: string }> {
  const written = await putGzipped(
    storage,
    key,
    lines.map((line) => Buffer.from(`${line}\n`, "utf8")),
    options,
  );
  return { rows: lines.length, bytes: written.stored.bytes, sha256: written.stored.sha256, contentBytes: written.contentBytes, contentSha256: written.contentSha256 };
}

export class ArchiveChecksumError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`archive file ${key}: ${problem}`);
    this.name = "ArchiveChecksumError";
  }
}

/**
 * Reads a stored file back whole (a part is bounded by ARCHIVE_PART_ROWS), checks the stored
 * bytes, then the uncompressed content and its line count against the manifest, and only then
 * returns the lines. A damaged, truncated or swapped file throws ArchiveChecksumError.
 */
export async function readVerifiedLines(storage: FileStorage, file: Pick<ArchiveFile, "key" | "rows" | "bytes" | "sha256" | "contentSha256">): Promise<string[]> {
  const bytes = await readStoredBytes(storage, file.key);
  if (bytes.length !== file.bytes) throw new ArchiveChecksumError(file.key, `size ${bytes.length} bytes, the manifest says ${file.bytes}`);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== file.sha256) throw new ArchiveChecksumError(file.key, `sha256 ${sha256} does not match the manifest's ${file.sha256}`);
  const { text, contentSha256 } = await gunzipped(file.key, bytes);
  if (contentSha256 !== file.contentSha256) throw new ArchiveChecksumError(file.key, `content sha256 ${contentSha256} does not match the manifest's ${file.contentSha256}`);
  const lines = linesOf(text);
  if (lines.length !== file.rows) throw new ArchiveChecksumError(file.key, `${lines.length} rows, the manifest says ${file.rows}`);
  return lines;
}

/**
 * A part file as it is stored, described from its own bytes (what the manifest would say of
 * it), or null when there is none: how a write that found its key taken adopts the file there.
 */
export async function readStoredPart(storage: FileStorage, key: string): Promise<{ lines: string[]; bytes: number; sha256: string; contentBytes: number; contentSha256: string } | null> {
  const bytes = await readStoredBytes(storage, key).catch((error: unknown) => {
    if (error instanceof StorageError && error.kind === "not-found") return null;
    throw error;
  });
  if (!bytes) return null;
  const { text, contentSha256 } = await gunzipped(key, bytes);
  return { lines: linesOf(text), bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), contentBytes: text.length, contentSha256 };
}

async function readStoredBytes(storage: FileStorage, key: string): Promise<Buffer> {
  const stored: Buffer[] = [];
  for await (const chunk of await storage.openRead(key)) stored.push(chunk as Buffer);
  return Buffer.concat(stored);
}

async function gunzipped(key: string, bytes: Buffer): Promise<{ text: Buffer; contentSha256: string }> {
  const content: Buffer[] = [];
  try {
    for await (const chunk of Readable.from([bytes]).pipe(createGunzip())) content.push(chunk as Buffer);
  } catch (error) {
    throw new ArchiveChecksumError(key, `not valid gzip (${(error as Error).message})`);
  }
  const text = Buffer.concat(content);
  return { text, contentSha256: createHash("sha256").update(text).digest("hex") };
}

function linesOf(text: Buffer): string[] {
  const lines = text.toString("utf8").split("\n");
  lines.pop(); // the final newline
  return lines;
}

/** Writes the manifest beside the files, so the archive explains itself without the database. */
export async function writeManifestFile(storage: FileStorage, prefix: string, manifest: unknown): Promise<void> {
  await storage.put(manifestKey(prefix), Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8")]));
}

/** Splits lines into batches of at most `maxBytes` of JSON (and at least one line), so one INSERT's parameter stays small. */
export function batchLines(lines: readonly string[], maxBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length > 0 && size + line.length > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
