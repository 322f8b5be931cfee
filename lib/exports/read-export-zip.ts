import { createHash } from "node:crypto";
import { Unzip, UnzipInflate } from "fflate";
import type { ExportManifest } from "./build-export";

export type ReadFile = { name: string; rows: number; bytes: number; sha256: string; text?: string };
export type ExportZipReport = { files: ReadFile[]; manifest: ExportManifest | null; problems: string[] };

/**
 * Reads an export's zip as a stream (fflate's streaming Unzip: never the whole archive in
 * memory) and checks it against its own manifest: every file listed, with the same rows (lines
 * in JSONL, records after the header in CSV), bytes and SHA-256. `keepText` keeps the named
 * small files' text for a caller to look into (tests); the rest is only counted and hashed.
 */
export async function readExportZip(source: AsyncIterable<Uint8Array>, options: { keepText?: (name: string) => boolean } = {}): Promise<ExportZipReport> {
  const files: ReadFile[] = [];
  const problems: string[] = [];
  const pending: Promise<void>[] = [];
  const unzip = new Unzip((entry) => {
    const hash = createHash("sha256");
    const keep = options.keepText?.(entry.name) || entry.name === "manifest.json";
    const kept: Buffer[] = [];
    let bytes = 0;
    const csv = entry.name.endsWith(".csv");
    let newlines = 0;
    let lastByte = -1;
    // In CSV a line break inside a quoted cell is part of the cell, not the end of a record.
    let quoted = false;
    pending.push(
      new Promise<void>((resolve, reject) => {
        entry.ondata = (error, chunk, final) => {
          if (error) return reject(error);
          hash.update(chunk);
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) {
            const byte = chunk[i];
            if (csv && byte === 34) quoted = !quoted;
            else if (byte === 10 && !quoted) newlines++;
          }
          if (chunk.length) lastByte = chunk[chunk.length - 1]!;
          if (keep) kept.push(Buffer.from(chunk));
          if (!final) return;
          // JSONL: one line per row (JSON escapes line breaks). CSV: a header record, then one record per row.
          const lines = newlines + (bytes > 0 && lastByte !== 10 ? 1 : 0);
          const rows = csv ? Math.max(0, lines - 1) : entry.name.endsWith(".jsonl") ? lines : entry.name === "manifest.json" ? 1 : 0;
          files.push({ name: entry.name, rows, bytes, sha256: hash.digest("hex"), ...(keep ? { text: Buffer.concat(kept).toString("utf8") } : {}) });
          resolve();
        };
      }),
    );
    entry.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of source) unzip.push(chunk);
  unzip.push(new Uint8Array(0), true);
  await Promise.all(pending);

  const manifestFile = files.find((file) => file.name === "manifest.json");
  let manifest: ExportManifest | null = null;
  try {
    manifest = manifestFile?.text ? (JSON.parse(manifestFile.text) as ExportManifest) : null;
  } catch {
    problems.push("manifest.json is not valid JSON");
  }
  if (!manifest) problems.push("no manifest.json");
  for (const listed of manifest?.files ?? []) {
    const found = files.find((file) => file.name === listed.name);
    if (!found) problems.push(`${listed.name} is listed in the manifest but missing`);
    else {
      if (found.sha256 !== listed.sha256) problems.push(`${listed.name}: SHA-256 ${found.sha256} is not the manifest's ${listed.sha256}`);
      if (found.bytes !== listed.bytes) problems.push(`${listed.name}: ${found.bytes} bytes, the manifest says ${listed.bytes}`);
      if (found.rows !== listed.rows) problems.push(`${listed.name}: ${found.rows} rows, the manifest says ${listed.rows}`);
    }
  }
  return { files, manifest, problems };
}
