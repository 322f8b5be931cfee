/**
 * The measured side of the export benchmark (run.ts), in a process of its own so its peak RSS
 * is the export's: opens the seeded PGlite directory, touches every table the export reads (so
 * the baseline includes the database's own warm caches), records the baseline peak RSS, then
 * builds a workspace export exactly as build-export's steps do, through the same lib code:
 * plan (count), one writeExportChunk per chunk with its progress, assembleExport, the ready row,
 * the parts deleted. Prints `BENCH_RESULT {json}`.
 *
 * The database is the parent's PGlite served over the Postgres wire protocol (advertised under
 * SENDLINE_DATA_DIR, found by openDatabase() as under `npm run dev`: the app's process holds no
 * database, as with PostgreSQL in production), or, with a directory, PGlite opened in this
 * process (`--in-process`: its WASM heap then counts in this RSS).
 *
 *   node worker.mjs <storageDir> [pgliteDir]   (then `BENCH_GO {"workspaceId"}` on stdin)
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

const mb = (kb: number) => kb / 1024;
/**
 * This process's peak RSS. On Linux, getrusage's maxRSS (process.resourceUsage) also holds the
 * parent's high-water mark from before exec (the kernel keeps it in signal->maxrss), which is why
 * run.ts starts this worker before it opens the database; /proc/self/status's VmHWM is the new
 * process image's own peak, so both are reported.
 */
const maxRssMb = () => mb(process.resourceUsage().maxRSS);
function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return match ? mb(Number(match[1])) : null;
  } catch {
    return null;
  }
}
const peakRssMb = () => vmHwmMb() ?? maxRssMb();

/** run.ts starts this process first (while it is small) and says when the database is seeded and served. */
async function waitForGo(): Promise<{ workspaceId: string }> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.startsWith("BENCH_GO ")) {
      lines.close();
      return JSON.parse(line.slice("BENCH_GO ".length)) as { workspaceId: string };
    }
  }
  throw new Error("stdin closed before BENCH_GO");
}

async function main() {
  const [storageDir, pgliteDir] = process.argv.slice(2);
  if (!storageDir) throw new Error("usage: worker <storageDir> [pgliteDir]");
  const { workspaceId } = await waitForGo();
  const { openDatabase } = await import("@/db");
  const { insertDataExport, startDataExport, setDataExportProgress, completeDataExport } = await import("@/db/queries/data-exports");
  const { countExportRows } = await import("@/db/queries/export-rows");
  const { FILES_OF } = await import("@/core/exports/export-files");
  const { assembleExport, deleteExportParts, planExport, scopeOf, writeExportChunk } = await import("@/lib/exports/build-export");
  const { exportExpiry } = await import("@/lib/exports/export-link");
  const { LocalFileStorage } = await import("@/lib/storage/local-file-storage");

  const database = openDatabase(pgliteDir ? { pgliteDir } : {});
  const { db } = database;
  const storage = new LocalFileStorage(storageDir);
  // Idle after opening, with the tables warm: what the process needs before the export does anything.
  for (const file of FILES_OF.workspace) await countExportRows(db, { workspaceId, contactId: null }, file);
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssMb = peakRssMb();
  const baselineMaxRssMb = maxRssMb();
  const currentBaselineMb = process.memoryUsage().rss / 1024 / 1024;

  const started = performance.now();
  const row = await insertDataExport(db, { workspaceId, subject: "workspace", contactId: null, notifyEmail: null, requestedBy: "bench", createdAt: new Date() });
  const ids = { workspaceId, exportId: row.id };
  const scope = scopeOf(row);
  const plan = await planExport(db, "workspace", scope);
  await startDataExport(db, { ...ids, rowsTotal: plan.total });
  const written = [];
  let rowsDone = 0;
  let steps = 1;
  for (const [fileIndex, { file }] of plan.files.entries()) {
    let cursor: string | null = null;
    let chunk = 0;
    let rows = 0;
    for (;;) {
      const part = await writeExportChunk(db, storage, { ...ids, scope, file, fileIndex, chunk, cursor, chunkRows: plan.chunkRows });
      steps++;
      rows += part.rows;
      rowsDone += part.rows;
      await setDataExportProgress(db, { ...ids, rowsDone });
      cursor = part.cursor;
      chunk++;
      if (part.done) break;
    }
    written.push({ file, rows, chunks: chunk });
  }
  const { stored, manifest } = await assembleExport(storage, { ...ids, subject: "workspace", contactId: null, files: written, generatedAt: new Date() });
  steps++;
  const finishedAt = new Date();
  await completeDataExport(db, { ...ids, storageKey: stored.key, bytes: stored.bytes, sha256: stored.sha256, rowsDone, finishedAt, expiresAt: exportExpiry(finishedAt) });
  await deleteExportParts(storage, ids, written);
  const seconds = (performance.now() - started) / 1000;
  const result = {
    database: database.kind,
    baselineRssMb,
    currentBaselineMb,
    peakRssMb: peakRssMb(),
    baselineMaxRssMb,
    maxRssMb: maxRssMb(),
    measure: vmHwmMb() === null ? "maxRSS" : "VmHWM",
    seconds,
    rows: rowsDone,
    steps,
    chunkRows: plan.chunkRows,
    bytes: stored.bytes,
    sha256: stored.sha256,
    key: stored.key,
    files: manifest.files,
  };
  await database.close();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
