import { open } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { createInflateRaw, inflateRawSync } from "node:zlib";
import { ImportFileError } from "@/core/imports/import-file-error";
import {
  IMPORT_ZIP_MAX_COMPRESSION_RATIO,
  IMPORT_ZIP_MAX_ENTRIES,
  IMPORT_ZIP_MAX_METADATA_BYTES,
  IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES,
  IMPORT_ZIP_RATIO_MIN_ENTRY_BYTES,
} from "./limits";

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate; anything else is rejected. */
  method: number;
  compressedBytes: number;
  /** As declared by the central directory; `verifyZipEntrySizes` checks it is not a lie. */
  uncompressedBytes: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN_BYTES = 22;
const EOCD_MAX_COMMENT_BYTES = 0xffff;

function invalid(reason: string): ImportFileError {
  return new ImportFileError("zip_invalid", `The workbook is not a readable XLSX file: ${reason}.`);
}

/**
 * Reads the zip central directory (never the entries) and enforces the zip-bomb caps: entry
 * count, declared total uncompressed size, and per-entry compression ratio. Cheap: reads the
 * tail of the file only, so it runs before every pass over a workbook.
 */
export async function inspectZip(filePath: string): Promise<ZipEntry[]> {
  const handle = await open(filePath, "r");
  try {
    const { size } = await handle.stat();
    if (size < EOCD_MIN_BYTES) throw invalid("the file is too short to be a zip archive");
    const tailBytes = Math.min(size, EOCD_MIN_BYTES + EOCD_MAX_COMMENT_BYTES);
    const tail = Buffer.alloc(tailBytes);
    await handle.read(tail, 0, tailBytes, size - tailBytes);
    let eocd = -1;
    for (let i = tailBytes - EOCD_MIN_BYTES; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw invalid("the zip end-of-central-directory record is missing (truncated upload?)");
    const entryCount = tail.readUInt16LE(eocd + 10);
    const directoryBytes = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entryCount === 0xffff || directoryBytes === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64 only appears when something exceeds 4 GiB or 65,535 entries: far past our caps.
      throw new ImportFileError(
        "zip_too_large",
        "The workbook uses the ZIP64 format, which only very large files need; it exceeds the import limits.",
      );
    }
    if (entryCount > IMPORT_ZIP_MAX_ENTRIES) {
      throw new ImportFileError(
        "zip_too_many_entries",
        `The workbook contains ${entryCount} zip entries; the limit is ${IMPORT_ZIP_MAX_ENTRIES}.`,
      );
    }
    if (directoryOffset + directoryBytes > size) throw invalid("the zip central directory points past the end of the file");

    const directory = Buffer.alloc(directoryBytes);
    await handle.read(directory, 0, directoryBytes, directoryOffset);
    const entries: ZipEntry[] = [];
    let totalUncompressed = 0;
    let at = 0;
    for (let n = 0; n < entryCount; n++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
        throw invalid("the zip central directory is corrupt");
      }
      const flags = directory.readUInt16LE(at + 8);
      const method = directory.readUInt16LE(at + 10);
      const compressedBytes = directory.readUInt32LE(at + 20);
      const uncompressedBytes = directory.readUInt32LE(at + 24);
      const nameBytes = directory.readUInt16LE(at + 28);
      const extraBytes = directory.readUInt16LE(at + 30);
      const commentBytes = directory.readUInt16LE(at + 32);
      const localHeaderOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString("utf8", at + 46, at + 46 + nameBytes);
      at += 46 + nameBytes + extraBytes + commentBytes;

      if (flags & 0x1) throw invalid(`entry "${name}" is encrypted`);
      if (method !== 0 && method !== 8) throw invalid(`entry "${name}" uses unsupported compression method ${method}`);
      if (compressedBytes === 0xffffffff || uncompressedBytes === 0xffffffff) {
        throw new ImportFileError("zip_too_large", `Zip entry "${name}" is larger than 4 GiB.`);
      }
      if (localHeaderOffset + compressedBytes > size) throw invalid(`entry "${name}" points past the end of the file`);
      if (method === 0 && compressedBytes !== uncompressedBytes) throw invalid(`stored entry "${name}" has inconsistent sizes`);
      if (uncompressedBytes >= IMPORT_ZIP_RATIO_MIN_ENTRY_BYTES) {
        const ratio = uncompressedBytes / Math.max(compressedBytes, 1);
        if (ratio > IMPORT_ZIP_MAX_COMPRESSION_RATIO) {
          throw new ImportFileError(
            "zip_compression_ratio",
            `Zip entry "${name}" expands ${Math.round(ratio)}:1 (limit ${IMPORT_ZIP_MAX_COMPRESSION_RATIO}:1); the file looks like a zip bomb.`,
          );
        }
      }
      totalUncompressed += uncompressedBytes;
      if (totalUncompressed > IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES) {
        throw new ImportFileError(
          "zip_too_large",
          `The workbook expands to more than ${IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES / 1024 ** 2} MiB; the file looks like a zip bomb or is too large to import.`,
        );
      }
      entries.push({ name, method, compressedBytes, uncompressedBytes, localHeaderOffset });
    }
    return entries;
  } finally {
    await handle.close();
  }
}

async function entryDataOffset(filePath: string, entry: ZipEntry): Promise<number> {
  const handle = await open(filePath, "r");
  try {
    const header = Buffer.alloc(30);
    const { bytesRead } = await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw invalid(`entry "${entry.name}" has no local header`);
    // The local extra field may differ from the central one, so its length is read here.
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/** Reads one small entry whole (workbook metadata), refusing anything over the metadata cap. */
export async function readZipEntry(filePath: string, entry: ZipEntry): Promise<Buffer> {
  if (entry.uncompressedBytes > IMPORT_ZIP_MAX_METADATA_BYTES) {
    throw new ImportFileError("zip_too_large", `Zip entry "${entry.name}" is too large to be workbook metadata.`);
  }
  const start = await entryDataOffset(filePath, entry);
  const handle = await open(filePath, "r");
  try {
    const compressed = Buffer.alloc(entry.compressedBytes);
    await handle.read(compressed, 0, entry.compressedBytes, start);
    if (entry.method === 0) return compressed;
    try {
      return inflateRawSync(compressed, { maxOutputLength: Math.max(entry.uncompressedBytes, 1) });
    } catch {
      throw invalid(`entry "${entry.name}" does not inflate to its declared size`);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Inflates every entry, counting bytes, and fails as soon as one produces more than its
 * declared size: the central-directory caps above trust declared sizes, and this closes that
 * gap before exceljs (which does not check) inflates anything. One streaming pass, constant
 * memory; run it once when a file is opened, not per chunk.
 */
export async function verifyZipEntrySizes(filePath: string, entries: readonly ZipEntry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.method === 0 || entry.compressedBytes === 0) continue;
    const start = await entryDataOffset(filePath, entry);
    let produced = 0;
    await new Promise<void>((resolve, reject) => {
      const source = createReadStream(filePath, { start, end: start + entry.compressedBytes - 1 });
      const inflate = createInflateRaw();
      const fail = (error: Error) => {
        source.destroy();
        inflate.destroy();
        reject(error);
      };
      inflate.on("data", (chunk: Buffer) => {
        produced += chunk.length;
        if (produced > entry.uncompressedBytes) {
          fail(
            new ImportFileError(
              "zip_too_large",
              `Zip entry "${entry.name}" inflates past its declared size of ${entry.uncompressedBytes} bytes; the file looks like a zip bomb.`,
            ),
          );
        }
      });
      inflate.on("end", () => resolve());
      inflate.on("error", () => fail(invalid(`entry "${entry.name}" is corrupt`)));
      source.on("error", fail);
      source.pipe(inflate);
    });
  }
}
